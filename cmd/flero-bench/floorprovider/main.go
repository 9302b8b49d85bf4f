// Command floorprovider is flero-bench's protocol floor provider (package
// floorprovider): flero-bench builds it as terraform-provider-benchfloor and serves it
// to Terraform through the same dev_overrides directory and RSS wrapper as the flero
// provider. It is served as main.go serves the flero provider: protocol 6 through
// tf6server, each call's context released when the call returns (ctxrelease), the GC
// percent and the logs Terraform drops set as main.go sets them (plugintune).
package main

import (
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/flero/terraform-provider-flero/internal/bench/floorprovider"
	"github.com/flero/terraform-provider-flero/internal/ctxrelease"
	"github.com/flero/terraform-provider-flero/internal/plugintune"
)

func main() {
	plugintune.QuietLogsTerraformDrops(floorprovider.Type)
	plugintune.SetGCPercent()
	server := providerserver.NewProtocol6(floorprovider.New())
	if err := tf6server.Serve(floorprovider.Address, func() tfprotov6.ProviderServer { return ctxrelease.Wrap(server()) }); err != nil {
		log.Fatal(err.Error())
	}
}
