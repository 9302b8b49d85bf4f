package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/flero/terraform-provider-flero/internal/ctxrelease"
)

// NewServer is the provider's protocol 6 server, as main.go serves it and the
// acceptance tests run it: the framework's server with each call's context released
// when the call returns (the framework keeps them all otherwise; see ctxrelease).
// main.go passes no option; opts are for a Go program that embeds the provider (see
// WithDefaultConnection).
func NewServer(version string, opts ...Option) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return ctxrelease.Wrap(providerserver.NewProtocol6(New(version, opts...)())())
	}
}
