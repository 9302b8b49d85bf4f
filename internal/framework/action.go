package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
)

// ActionWithConfigure is embedded by every action (Terraform >= 1.14).
type ActionWithConfigure struct {
	configuredData
}

// Configure receives the provider's data.
func (a *ActionWithConfigure) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerData(req.ProviderData, &resp.Diagnostics)
}
