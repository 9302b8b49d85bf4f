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
	_ datasource.DataSourceWithConfigure        = (*teamDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*teamDataSource)(nil)
)

// NewTeamDataSource is the flero_team data source.
func NewTeamDataSource() datasource.DataSource { return &teamDataSource{} }

type teamDataSource struct {
	framework.DataSourceWithConfigure
}

func (d *teamDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (d *teamDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up a team by id, or by organization_id and name.",
		Attributes: map[string]schema.Attribute{
			"id":              schema.StringAttribute{Description: "The team's id. Give id, or organization_id and name.", Optional: true, Computed: true},
			"organization_id": schema.StringAttribute{Description: "The team's organization (with name).", Optional: true, Computed: true},
			"name":            schema.StringAttribute{Description: "The team's name (with organization_id).", Optional: true, Computed: true},
			"description":     schema.StringAttribute{Description: "Description (empty when none).", Computed: true},
			"avatar_url":      schema.StringAttribute{Description: "Avatar URL (empty when none).", Computed: true},
		},
	}
}

func (d *teamDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("organization_id"), path.MatchRoot("name")),
	}
}

func (d *teamDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg teamModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}

	var team *api.Team
	var err error
	if !cfg.ID.IsNull() {
		team, err = d.Client().Teams.Get(ctx, cfg.ID.ValueString())
	} else {
		team, err = d.Client().Teams.GetByName(ctx, cfg.OrganizationID.ValueString(), cfg.Name.ValueString())
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", lookupName("team", cfg.ID, cfg.Name), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, teamFromAPI(team))...)
}
