package serve

// Process tuning a provider binary applies before it serves Terraform (Run applies
// it): a GC percent suited to a small live heap, and the plugin SDK's logs turned off
// when Terraform would drop them. terraform-provider-flero (main.go) and flero-bench's
// protocol floor provider are both served by Run, so that the bench compares like
// with like.

import (
	"os"
	"runtime/debug"
	"strings"
)

// GCPercent is the GC percent a provider runs with unless GOGC is set.
//
// The live heap of a provider served through Wrap is a few MB: at the default
// GOGC (100) the collector runs hundreds of times a plan. 400 cut the flero
// provider's CPU in a no-change plan of 1,000 objects by a quarter, for a peak RSS of
// ~45 MB instead of ~31 MB.
const GCPercent = 400

// SetGCPercent sets the GC percent to GCPercent, unless GOGC is set.
func SetGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}

// ProviderLogEnv is the environment variable that sets the log level of the provider
// of the given type (the last part of its address, "flero" for
// registry.terraform.io/flero/flero), as terraform-plugin-go names it:
// TF_LOG_PROVIDER_FLERO.
func ProviderLogEnv(providerType string) string {
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_"))
}

// QuietLogsTerraformDrops turns the plugin SDK's and the provider's logs off when
// Terraform will drop them. Terraform shows a provider's logs only when TF_LOG or
// TF_LOG_PROVIDER is set (the provider inherits its environment); otherwise it reads
// every line the provider writes to stderr and discards it. The SDK logs at TRACE
// unless told otherwise, which cost about a third of the flero provider's CPU in a
// plan of 1,000 objects. A level set explicitly (TF_LOG_SDK, TF_LOG_PROVIDER_<TYPE>)
// is kept. providerType is the last part of the provider's address.
func QuietLogsTerraformDrops(providerType string) {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, env := range []string{"TF_LOG_SDK", ProviderLogEnv(providerType)} {
		if _, set := os.LookupEnv(env); !set {
			os.Setenv(env, "OFF")
		}
	}
}
