// Command terraform-provider-flero is the Terraform provider for the Flero workflow
// platform.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/flero/terraform-provider-flero/internal/plugintune"
	"github.com/flero/terraform-provider-flero/internal/provider"
)

// stopProfile ends a CPU profile started by profile.go (builds with the flero_profile
// tag only).
var stopProfile = func() {}

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		// Terraform drops the SDK's TRACE lines unless TF_LOG or TF_LOG_PROVIDER is
		// set: formatting them cost a third of the provider's CPU.
		plugintune.QuietLogsTerraformDrops("flero")
	}
	// GC percent 400 unless GOGC is set: the live heap is a few MB (see ctxrelease).
	plugintune.SetGCPercent()
	err := tf6server.Serve("registry.terraform.io/flero/flero", provider.NewServer(version), opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}
