package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

var (
	_ datasource.DataSourceWithConfigure        = (*workspaceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*workspaceDataSource)(nil)
)

// NewWorkspaceDataSource is the flero_workspace data source.
func NewWorkspaceDataSource() datasource.DataSource { return &workspaceDataSource{} }

type workspaceDataSource struct {
	framework.DataSourceWithConfigure
}

func (d *workspaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (d *workspaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up a workspace by id, or by organization_id and name.",
		Attributes: map[string]schema.Attribute{
			"id":              schema.StringAttribute{Description: "The workspace's id. Give id, or organization_id and name.", Optional: true, Computed: true},
			"organization_id": schema.StringAttribute{Description: "The workspace's organization (with name).", Optional: true, Computed: true},
			"name":            schema.StringAttribute{Description: "The workspace's name (with organization_id).", Optional: true, Computed: true},
			"description":     schema.StringAttribute{Description: "Description (empty when none).", Computed: true},
			"avatar_url":      schema.StringAttribute{Description: "Avatar URL (empty when none).", Computed: true},
			"custom_domain":   schema.StringAttribute{Description: "Custom domain (empty when none).", Computed: true},
		},
	}
}

func (d *workspaceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("organization_id"), path.MatchRoot("name")),
	}
}

func (d *workspaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg workspaceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}

	var ws *api.Workspace
	var err error
	if !cfg.ID.IsNull() {
		ws, err = d.Client().Workspaces.Get(ctx, cfg.ID.ValueString())
	} else {
		ws, err = d.Client().Workspaces.GetByName(ctx, cfg.OrganizationID.ValueString(), cfg.Name.ValueString())
	}
	if framework.IsNotFound(err) {
		// Rule 10: a workspace the token is not assigned to is not-found, as a missing one.
		resp.Diagnostics.AddError("Workspace not found",
			fmt.Sprintf("The Flero API found no %s that the provider's token can see: either it does not exist, or the token's user "+
				"is not assigned to it (an organization member who is not an organization admin sees only the workspaces it is "+
				"assigned to, directly or through a team). Check the id or the name, or ask an organization admin to give the "+
				"token's user a role in the workspace.", lookupName("workspace", cfg.ID, cfg.Name)))
		return
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", lookupName("workspace", cfg.ID, cfg.Name), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, workspaceFromAPI(ws))...)
}

// lookupName names what a data source looks up, by id or by name.
func lookupName(kind string, id, name types.String) string {
	if !id.IsNull() {
		return fmt.Sprintf("%s %s", kind, id.ValueString())
	}
	return fmt.Sprintf("%s %q", kind, name.ValueString())
}
