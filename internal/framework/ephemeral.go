package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
)

// EphemeralResourceWithConfigure is embedded by every ephemeral resource (Terraform >=
// 1.10): it implements Configure and gives typed access to the provider's data.
type EphemeralResourceWithConfigure struct {
	configuredData
}

// Configure receives the provider's data.
func (e *EphemeralResourceWithConfigure) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerData(req.ProviderData, &resp.Diagnostics)
}
