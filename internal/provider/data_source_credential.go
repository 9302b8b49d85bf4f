package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*credentialDataSource)(nil)

// NewCredentialDataSource is the flero_credential data source.
func NewCredentialDataSource() datasource.DataSource { return &credentialDataSource{} }

type credentialDataSource struct {
	framework.DataSourceWithConfigure
}

type credentialDataModel struct {
	ID             types.String `tfsdk:"id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Type           types.String `tfsdk:"type"`
	Description    types.String `tfsdk:"description"`
	Scope          types.String `tfsdk:"scope"`
	OwnerID        types.String `tfsdk:"owner_id"`
	Status         types.String `tfsdk:"status"`
}

func (d *credentialDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_credential"
}

func (d *credentialDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads a credential's metadata by id. The secret data is write-only on the platform and never returned. " +
			"A credential the token cannot see (another user's personal credential, another organization's) is not found.",
		Attributes: map[string]schema.Attribute{
			"id":              schema.StringAttribute{Description: "The credential's id (cred_…).", Required: true},
			"workspace_id":    schema.StringAttribute{Description: "The home workspace.", Computed: true},
			"organization_id": schema.StringAttribute{Description: "The organization of the home workspace.", Computed: true},
			"name":            schema.StringAttribute{Description: "Name, unique in the workspace.", Computed: true},
			"type":            schema.StringAttribute{Description: "The service the secret is for.", Computed: true},
			"description":     schema.StringAttribute{Description: "Description (empty when none).", Computed: true},
			"scope":           schema.StringAttribute{Description: "personal, workspace or organization.", Computed: true},
			"owner_id":        schema.StringAttribute{Description: "The user who created the credential.", Computed: true},
			"status":          schema.StringAttribute{Description: "active, or inactive (a personal credential whose owner left the organization).", Computed: true},
		},
	}
}

func (d *credentialDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg credentialDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}
	cred, err := d.Client().Credentials.Get(ctx, cfg.ID.ValueString())
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", "credential "+cfg.ID.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, credentialDataFromAPI(cred))...)
}

func credentialDataFromAPI(c *api.Credential) credentialDataModel {
	return credentialDataModel{
		ID:             types.StringValue(c.ID),
		WorkspaceID:    types.StringValue(c.WorkspaceID),
		OrganizationID: types.StringValue(c.OrganizationID),
		Name:           types.StringValue(c.Name),
		Type:           types.StringValue(c.Type),
		Description:    types.StringValue(c.Description),
		Scope:          types.StringValue(c.Scope),
		OwnerID:        types.StringValue(c.OwnerID),
		Status:         types.StringValue(c.Status),
	}
}
