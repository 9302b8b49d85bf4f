package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

type teamFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NamePrefix     types.String `tfsdk:"name_prefix"`
}

// NewTeamList lists an organization's teams.
func NewTeamList() list.ListResource {
	return &lister[teamFilters, api.Team]{
		typeName:    "_team",
		description: "An organization's teams.",
		filters: map[string]listschema.Attribute{
			"organization_id": requiredFilter("The organization (org_…)."),
			"name_prefix":     filter("Only teams whose name starts with this."),
		},
		identity: (&teamResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f teamFilters) iter.Seq2[api.Team, error] {
			return c.Teams.All(ctx, f.OrganizationID.ValueString())
		},
		keep:    func(f teamFilters, t api.Team) bool { return hasPrefix(f.NamePrefix, t.Name) },
		model:   func(t api.Team) any { return teamFromAPI(&t) },
		display: func(t api.Team) string { return t.Name },
	}
}
