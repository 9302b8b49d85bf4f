// Command terraform-provider-flero is the Terraform provider for the Flero workflow
// platform.
package main

import (
	"flag"
	"log"
	"os"
	runtimedebug "runtime/debug"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

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
	} else {
		quietLogsTerraformDrops()
	}
	if os.Getenv("GOGC") == "" {
		// The live heap is a few MB (see ctxrelease): at the default GOGC the collector
		// runs hundreds of times a plan. 400 cut the provider's CPU in a no-change plan
		// of 1,000 objects by a quarter, for a peak RSS of ~45 MB instead of ~31 MB.
		runtimedebug.SetGCPercent(400)
	}
	err := tf6server.Serve("registry.terraform.io/flero/flero", provider.NewServer(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogsTerraformDrops turns the plugin SDK's and the provider's logs off when
// Terraform will drop them. Terraform shows a provider's logs only when TF_LOG or
// TF_LOG_PROVIDER is set (the provider inherits its environment); otherwise it reads
// every line the provider writes to stderr and discards it. The SDK logs at TRACE
// unless told otherwise, which cost about a third of the provider's CPU in a plan of
// 1,000 objects. A level set explicitly (TF_LOG_SDK, TF_LOG_PROVIDER_FLERO) is kept.
func quietLogsTerraformDrops() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_FLERO"} {
		if _, set := os.LookupEnv(env); !set {
			os.Setenv(env, "OFF")
		}
	}
}
