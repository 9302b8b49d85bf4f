// Package framework is the provider's shared base: what every resource and data source
// would otherwise repeat. Resources embed ResourceWithConfigure (configure once, typed
// access to the client and the run cache), report errors through AddAPIError and
// AddViolation, keep the object's version in private state for If-Match, parse
// composite import ids with ParseImportID, and declare their optional strings with
// OptionalString.
package framework

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
)

// ProviderData is what the configured provider hands to its resources and data
// sources: the API client and the run's memory (its cache and its plan ledger).
type ProviderData struct {
	Client *client.Client
	Run    *planrun.Run
}

// configuredData holds the provider's data for a resource, data source or action once
// Terraform has configured it, and gives typed access to it.
type configuredData struct {
	data *ProviderData
}

// Client is the API client, nil while the provider is not configured.
func (c *configuredData) Client() *client.Client {
	if c.data == nil {
		return nil
	}
	return c.data.Client
}

// Run is this run's memory (planrun.Run), nil while the provider is not configured.
func (c *configuredData) Run() *planrun.Run {
	if c.data == nil {
		return nil
	}
	return c.data.Run
}

// Configured reports whether the provider is configured; if it is not, it adds an
// error saying why the operation cannot proceed.
func (c *configuredData) Configured(diags *diag.Diagnostics) bool {
	return configured(c.data, diags)
}

// ResourceWithConfigure is embedded by every resource: it implements Configure and
// gives typed access to the provider's data.
type ResourceWithConfigure struct {
	configuredData
}

// Configure receives the provider's data. It is called before every operation, and
// once during validation with no data (the provider is not configured yet).
func (r *ResourceWithConfigure) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerData(req.ProviderData, &resp.Diagnostics)
}

// DataSourceWithConfigure is embedded by every data source.
type DataSourceWithConfigure struct {
	configuredData
}

// Configure receives the provider's data.
func (d *DataSourceWithConfigure) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerData(req.ProviderData, &resp.Diagnostics)
}

func providerData(v any, diags *diag.Diagnostics) *ProviderData {
	if v == nil {
		return nil
	}
	data, ok := v.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *framework.ProviderData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return data
}

func configured(data *ProviderData, diags *diag.Diagnostics) bool {
	if data != nil && data.Client != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"The flero provider has no endpoint and token yet (they may depend on values known only after apply). "+
			"Give the provider block known values for endpoint and token, or set FLERO_ENDPOINT and FLERO_TOKEN.")
	return false
}

// WithImportByID is embedded by resources imported by their id attribute.
type WithImportByID struct{}

// ImportState sets the id attribute to the import id; Read fills in the rest.
func (WithImportByID) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resp.Diagnostics.AddError("Invalid import id", "The import id must not be empty.")
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
