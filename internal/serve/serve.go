// Package serve is how a provider binary serves Terraform: protocol 6 through
// tf6server (Run), the framework's server with each resource and data source call's
// context released when the call returns (NewServer, Wrap), the process tuning applied
// before serving (SetGCPercent, QuietLogsTerraformDrops) and, in builds with the
// flero_profile tag, a CPU profile (StartCPUProfile).
//
// main.go serves the flero provider with it, the acceptance tests run the provider
// through NewServer, and flero-bench's protocol floor provider is served by the same
// Run, so that the bench compares like with like. The package does not import the
// flero provider: the floor provider's binary holds none of it.
package serve

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// NewServer is the protocol 6 server of a framework provider, as main.go serves it
// and the acceptance tests run it: the framework's server with each call's context
// released when the call returns (the framework keeps them all otherwise; see Wrap),
// and told to the provider when it is a CallObserver.
func NewServer(p func() provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		prov := p()
		obs, _ := prov.(CallObserver)
		return WrapObserved(providerserver.NewProtocol6(prov)(), obs)
	}
}

// Run serves the provider at address (e.g. "registry.terraform.io/flero/flero") to
// Terraform until Terraform stops it. With debug, it runs with support for debuggers
// like delve (tf6server.WithManagedDebug); otherwise the SDK's logs are turned off
// when Terraform would drop them (they cost a third of the provider's CPU). The GC
// percent is GCPercent unless GOGC is set: the live heap is a few MB (see Wrap).
func Run(address string, server func() tfprotov6.ProviderServer, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		QuietLogsTerraformDrops(address[strings.LastIndexByte(address, '/')+1:])
	}
	SetGCPercent()
	return tf6server.Serve(address, server, opts...)
}
