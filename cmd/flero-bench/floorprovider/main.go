// Command floorprovider is flero-bench's protocol floor provider (package
// floorprovider): flero-bench builds it as terraform-provider-benchfloor and serves it
// to Terraform through the same dev_overrides directory and RSS wrapper as the flero
// provider. It is served as main.go serves the flero provider, by serve.Run: protocol
// 6 through tf6server, each call's context released when the call returns, the GC
// percent and the logs Terraform drops set as for the flero provider.
package main

import (
	"log"

	"github.com/flero/terraform-provider-flero/internal/bench/floorprovider"
	"github.com/flero/terraform-provider-flero/internal/serve"
)

func main() {
	if err := serve.Run(floorprovider.Address, serve.NewServer(floorprovider.New), false); err != nil {
		log.Fatal(err.Error())
	}
}
