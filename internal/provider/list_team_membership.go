package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

type teamMembershipFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	TeamID         types.String `tfsdk:"team_id"`
}

// NewTeamMembershipList lists a team's memberships, or those of every team of an
// organization.
func NewTeamMembershipList() list.ListResource {
	return &lister[teamMembershipFilters, api.TeamMembership]{
		typeName:    "_team_membership",
		description: "A team's memberships, or the memberships of every team of an organization. Set exactly one of team_id and organization_id.",
		filters: map[string]listschema.Attribute{
			"organization_id": filter("The memberships of every team of this organization (org_…)."),
			"team_id":         filter("The memberships of this team (team_…)."),
		},
		validators: []list.ConfigValidator{
			listresourcevalidator.ExactlyOneOf(path.MatchRoot("organization_id"), path.MatchRoot("team_id")),
		},
		identity: (&teamMembershipResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f teamMembershipFilters) iter.Seq2[api.TeamMembership, error] {
			if !f.TeamID.IsNull() {
				return c.TeamMemberships.All(ctx, f.TeamID.ValueString())
			}
			return concat(c.Teams.All(ctx, f.OrganizationID.ValueString()), func(t api.Team) iter.Seq2[api.TeamMembership, error] {
				return c.TeamMemberships.All(ctx, t.ID)
			})
		},
		model:   func(m api.TeamMembership) any { return teamMembershipFromAPI(&m) },
		display: func(m api.TeamMembership) string { return m.UserID + " in " + m.TeamID },
	}
}
