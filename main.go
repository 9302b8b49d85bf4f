// Command terraform-provider-flero is the Terraform provider for the Flero workflow
// platform.
package main

import (
	"flag"
	"log"

	"github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/serve"
)

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	stopProfile := serve.StartCPUProfile() // builds with the flero_profile tag only
	err := serve.Run("registry.terraform.io/flero/flero", serve.NewServer(provider.New(version)), debug)
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}
