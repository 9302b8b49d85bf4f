package client

import (
	"context"
	"iter"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// TeamMembershipsService manages team memberships (/v1/teams/{id}/memberships),
// addressed by user id. A membership has no fields to update.
type TeamMembershipsService struct{ c *Client }

// Create adds an organization member to a team.
func (s *TeamMembershipsService) Create(ctx context.Context, teamID string, req api.CreateTeamMembershipRequest) (*api.TeamMembership, error) {
	return create[api.TeamMembership](ctx, s.c, pathf(RouteTeamMemberships, teamID), req)
}

// Get returns a user's membership of a team.
func (s *TeamMembershipsService) Get(ctx context.Context, teamID, userID string) (*api.TeamMembership, error) {
	return get[api.TeamMembership](ctx, s.c, pathf(RouteTeamMembership, teamID, userID), nil)
}

// List returns every membership of a team.
func (s *TeamMembershipsService) List(ctx context.Context, teamID string) ([]api.TeamMembership, error) {
	return list[api.TeamMembership](ctx, s.c, pathf(RouteTeamMemberships, teamID), nil)
}

// All iterates the memberships of a team.
func (s *TeamMembershipsService) All(ctx context.Context, teamID string) iter.Seq2[api.TeamMembership, error] {
	return all[api.TeamMembership](ctx, s.c, pathf(RouteTeamMemberships, teamID), nil)
}

// Delete removes a user from a team.
func (s *TeamMembershipsService) Delete(ctx context.Context, teamID, userID string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteTeamMembership, teamID, userID), opts)
}
