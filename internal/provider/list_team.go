package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// NewTeamList lists an organization's teams.
func NewTeamList() list.ListResource {
	return namedInOrganization("_team", "teams", "An organization's teams.",
		(&teamResource{}).Identity(),
		func(ctx context.Context, c *client.Client, orgID string) iter.Seq2[api.Team, error] {
			return c.Teams.All(ctx, orgID)
		},
		func(t api.Team) string { return t.Name },
		func(t api.Team) any { return teamFromAPI(&t) })
}
