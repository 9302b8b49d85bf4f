package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

var (
	_ datasource.DataSourceWithConfigure        = (*organizationDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*organizationDataSource)(nil)
)

// NewOrganizationDataSource is the flero_organization data source.
func NewOrganizationDataSource() datasource.DataSource { return &organizationDataSource{} }

type organizationDataSource struct {
	framework.DataSourceWithConfigure
}

func (d *organizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (d *organizationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up an organization by id or by name.",
		Attributes: map[string]schema.Attribute{
			"id":          schema.StringAttribute{Description: "The organization's id. Give id or name.", Optional: true, Computed: true},
			"name":        schema.StringAttribute{Description: "The organization's name. Give id or name.", Optional: true, Computed: true},
			"description": schema.StringAttribute{Description: "Description (empty when none).", Computed: true},
			"avatar_url":  schema.StringAttribute{Description: "Avatar URL (empty when none).", Computed: true},
			"plan":        schema.StringAttribute{Description: "free, pro or enterprise.", Computed: true},
			"sso_enabled": schema.BoolAttribute{Description: "Whether organization roles come from the identity provider.", Computed: true},
		},
	}
}

func (d *organizationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (d *organizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg organizationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}

	var org *api.Organization
	var err error
	if !cfg.ID.IsNull() {
		org, err = d.Client().Organizations.Get(ctx, cfg.ID.ValueString())
	} else {
		org, err = d.Client().Organizations.GetByName(ctx, cfg.Name.ValueString())
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", lookupName("organization", cfg.ID, cfg.Name), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationFromAPI(org))...)
}
