package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// ActionWithConfigure is embedded by every action (Terraform >= 1.14).
type ActionWithConfigure struct {
	data *ProviderData
}

// Configure receives the provider's data.
func (a *ActionWithConfigure) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerData(req.ProviderData, &resp.Diagnostics)
}

// Client is the API client, nil while the provider is not configured.
func (a *ActionWithConfigure) Client() *client.Client {
	if a.data == nil {
		return nil
	}
	return a.data.Client
}

// Configured reports whether the provider is configured, adding an error if not.
func (a *ActionWithConfigure) Configured(diags *diag.Diagnostics) bool {
	return configured(a.data, diags)
}
