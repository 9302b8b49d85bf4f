package client

import (
	"context"
	"iter"
	"net/url"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// TeamsService manages teams.
type TeamsService struct{ c *Client }

// Create creates a team in an organization.
func (s *TeamsService) Create(ctx context.Context, orgID string, req api.CreateTeamRequest) (*api.Team, error) {
	return create[api.Team](ctx, s.c, pathf(RouteOrganizationTeams, orgID), req)
}

// Get returns one team.
func (s *TeamsService) Get(ctx context.Context, id string) (*api.Team, error) {
	return get[api.Team](ctx, s.c, pathf(RouteTeam, id), nil)
}

// GetByName returns the organization's team with this name, or ErrNotFound.
func (s *TeamsService) GetByName(ctx context.Context, orgID, name string) (*api.Team, error) {
	return findOne(ctx, s.c, pathf(RouteOrganizationTeams, orgID), url.Values{"name": {name}},
		"team named "+quote(name), func(t api.Team) bool { return rules.SameName(t.Name, name) })
}

// List returns every team of an organization.
func (s *TeamsService) List(ctx context.Context, orgID string) ([]api.Team, error) {
	return list[api.Team](ctx, s.c, pathf(RouteOrganizationTeams, orgID), nil)
}

// All iterates the teams of an organization.
func (s *TeamsService) All(ctx context.Context, orgID string) iter.Seq2[api.Team, error] {
	return all[api.Team](ctx, s.c, pathf(RouteOrganizationTeams, orgID), nil)
}

// Update changes a team; nil fields are unchanged.
func (s *TeamsService) Update(ctx context.Context, id string, req api.UpdateTeamRequest, opts WriteOptions) (*api.Team, error) {
	return update[api.Team](ctx, s.c, pathf(RouteTeam, id), req, opts)
}

// Delete deletes a team and its memberships.
func (s *TeamsService) Delete(ctx context.Context, id string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteTeam, id), opts)
}
