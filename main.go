// Command terraform-provider-flero is the Terraform provider for the Flero workflow
// platform.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/flero/terraform-provider-flero/internal/ctxrelease"
	"github.com/flero/terraform-provider-flero/internal/provider"
)

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// What providerserver.Serve does, with each call's context released when the call
	// returns: the framework keeps them all otherwise (see package ctxrelease).
	err := tf6server.Serve("registry.terraform.io/flero/flero", func() tfprotov6.ProviderServer {
		return ctxrelease.Wrap(providerserver.NewProtocol6(provider.New(version)())())
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
