package client

import (
	"context"
	"iter"
	"net/url"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// OrganizationsService manages organizations (/v1/organizations).
type OrganizationsService struct{ c *Client }

// Create creates an organization; the caller becomes its admin.
func (s *OrganizationsService) Create(ctx context.Context, req api.CreateOrganizationRequest) (*api.Organization, error) {
	return create[api.Organization](ctx, s.c, pathf(RouteOrganizations), req)
}

// Get returns one organization.
func (s *OrganizationsService) Get(ctx context.Context, id string) (*api.Organization, error) {
	return get[api.Organization](ctx, s.c, pathf(RouteOrganization, id), nil)
}

// GetByName returns the organization with this name, or ErrNotFound.
func (s *OrganizationsService) GetByName(ctx context.Context, name string) (*api.Organization, error) {
	return findOne(ctx, s.c, pathf(RouteOrganizations), url.Values{"name": {name}}, "organization named "+quote(name),
		func(o api.Organization) bool { return rules.SameName(o.Name, name) })
}

// List returns every organization the caller belongs to.
func (s *OrganizationsService) List(ctx context.Context) ([]api.Organization, error) {
	return list[api.Organization](ctx, s.c, pathf(RouteOrganizations), nil)
}

// All iterates the caller's organizations, fetching pages as needed.
func (s *OrganizationsService) All(ctx context.Context) iter.Seq2[api.Organization, error] {
	return all[api.Organization](ctx, s.c, pathf(RouteOrganizations), nil)
}

// Update changes an organization; nil fields of req are unchanged.
func (s *OrganizationsService) Update(ctx context.Context, id string, req api.UpdateOrganizationRequest, opts WriteOptions) (*api.Organization, error) {
	return update[api.Organization](ctx, s.c, pathf(RouteOrganization, id), req, opts)
}

// Delete deletes an organization; it is refused (ErrConflict,
// organization_not_empty) while workspaces remain.
func (s *OrganizationsService) Delete(ctx context.Context, id string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteOrganization, id), opts)
}
