package client

import (
	"context"
	"iter"
	"net/url"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// OrganizationMembershipsService manages organization memberships
// (/v1/organizations/{id}/memberships), addressed by user id.
type OrganizationMembershipsService struct{ c *Client }

// Create invites a person by email (creating the user, invited, when new).
func (s *OrganizationMembershipsService) Create(ctx context.Context, orgID string, req api.CreateOrganizationMembershipRequest) (*api.OrganizationMembership, error) {
	return create[api.OrganizationMembership](ctx, s.c, pathf(RouteOrganizationMemberships, orgID), req)
}

// Get returns a user's membership of an organization.
func (s *OrganizationMembershipsService) Get(ctx context.Context, orgID, userID string) (*api.OrganizationMembership, error) {
	return get[api.OrganizationMembership](ctx, s.c, pathf(RouteOrganizationMembership, orgID, userID), nil)
}

// GetByEmail returns the membership of the user with this email
// (case-insensitive), or ErrNotFound.
func (s *OrganizationMembershipsService) GetByEmail(ctx context.Context, orgID, email string) (*api.OrganizationMembership, error) {
	return findOne(ctx, s.c, pathf(RouteOrganizationMemberships, orgID), url.Values{"email": {email}},
		"membership for that email", func(m api.OrganizationMembership) bool { return strings.EqualFold(m.Email, email) })
}

// List returns every membership of an organization.
func (s *OrganizationMembershipsService) List(ctx context.Context, orgID string) ([]api.OrganizationMembership, error) {
	return list[api.OrganizationMembership](ctx, s.c, pathf(RouteOrganizationMemberships, orgID), nil)
}

// All iterates the memberships of an organization.
func (s *OrganizationMembershipsService) All(ctx context.Context, orgID string) iter.Seq2[api.OrganizationMembership, error] {
	return all[api.OrganizationMembership](ctx, s.c, pathf(RouteOrganizationMemberships, orgID), nil)
}

// Update changes a membership's role.
func (s *OrganizationMembershipsService) Update(ctx context.Context, orgID, userID string, req api.UpdateOrganizationMembershipRequest, opts WriteOptions) (*api.OrganizationMembership, error) {
	return update[api.OrganizationMembership](ctx, s.c, pathf(RouteOrganizationMembership, orgID, userID), req, opts)
}

// Delete removes a user from an organization (and from its teams and workspaces;
// their personal credentials there become inactive).
func (s *OrganizationMembershipsService) Delete(ctx context.Context, orgID, userID string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteOrganizationMembership, orgID, userID), opts)
}
