package client

import (
	"context"
	"iter"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Principal types of a workspace membership.
const (
	PrincipalUser = "user"
	PrincipalTeam = "team"
)

// WorkspaceMembershipsService manages workspace memberships
// (/v1/workspaces/{id}/memberships), addressed by principal type ("user" or
// "team") and id.
type WorkspaceMembershipsService struct{ c *Client }

// Create gives a user or a team (exactly one of req.UserID, req.TeamID) a role in
// a workspace.
func (s *WorkspaceMembershipsService) Create(ctx context.Context, wsID string, req api.CreateWorkspaceMembershipRequest) (*api.WorkspaceMembership, error) {
	return create[api.WorkspaceMembership](ctx, s.c, pathf(RouteWorkspaceMemberships, wsID), req)
}

// Get returns one membership.
func (s *WorkspaceMembershipsService) Get(ctx context.Context, wsID, principalType, principalID string) (*api.WorkspaceMembership, error) {
	return get[api.WorkspaceMembership](ctx, s.c, membershipRoute(wsID, principalType, principalID), nil)
}

// List returns every membership of a workspace.
func (s *WorkspaceMembershipsService) List(ctx context.Context, wsID string) ([]api.WorkspaceMembership, error) {
	return list[api.WorkspaceMembership](ctx, s.c, pathf(RouteWorkspaceMemberships, wsID), nil)
}

// All iterates the memberships of a workspace.
func (s *WorkspaceMembershipsService) All(ctx context.Context, wsID string) iter.Seq2[api.WorkspaceMembership, error] {
	return all[api.WorkspaceMembership](ctx, s.c, pathf(RouteWorkspaceMemberships, wsID), nil)
}

// Update changes a membership's role.
func (s *WorkspaceMembershipsService) Update(ctx context.Context, wsID, principalType, principalID string, req api.UpdateWorkspaceMembershipRequest, opts WriteOptions) (*api.WorkspaceMembership, error) {
	return update[api.WorkspaceMembership](ctx, s.c, membershipRoute(wsID, principalType, principalID), req, opts)
}

// Delete removes a membership.
func (s *WorkspaceMembershipsService) Delete(ctx context.Context, wsID, principalType, principalID string, opts WriteOptions) error {
	return remove(ctx, s.c, membershipRoute(wsID, principalType, principalID), opts)
}

func membershipRoute(wsID, principalType, principalID string) route {
	return pathf(RouteWorkspaceMembership, wsID, principalType, principalID)
}
