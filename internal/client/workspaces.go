package client

import (
	"context"
	"iter"
	"net/url"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// WorkspacesService manages workspaces.
type WorkspacesService struct{ c *Client }

// Create creates a workspace in an organization.
func (s *WorkspacesService) Create(ctx context.Context, orgID string, req api.CreateWorkspaceRequest) (*api.Workspace, error) {
	return create[api.Workspace](ctx, s.c, pathf(RouteOrganizationWorkspaces, orgID), req)
}

// Get returns one workspace.
func (s *WorkspacesService) Get(ctx context.Context, id string) (*api.Workspace, error) {
	return get[api.Workspace](ctx, s.c, pathf(RouteWorkspace, id), nil)
}

// GetByName returns the organization's workspace with this name, or ErrNotFound.
func (s *WorkspacesService) GetByName(ctx context.Context, orgID, name string) (*api.Workspace, error) {
	return findOne(ctx, s.c, pathf(RouteOrganizationWorkspaces, orgID), url.Values{"name": {name}},
		"workspace named "+quote(name), func(w api.Workspace) bool { return rules.SameName(w.Name, name) })
}

// List returns every workspace of an organization that the caller sees.
func (s *WorkspacesService) List(ctx context.Context, orgID string) ([]api.Workspace, error) {
	return list[api.Workspace](ctx, s.c, pathf(RouteOrganizationWorkspaces, orgID), nil)
}

// All iterates the workspaces of an organization.
func (s *WorkspacesService) All(ctx context.Context, orgID string) iter.Seq2[api.Workspace, error] {
	return all[api.Workspace](ctx, s.c, pathf(RouteOrganizationWorkspaces, orgID), nil)
}

// Update changes a workspace; nil fields are unchanged, "" clears optional ones.
func (s *WorkspacesService) Update(ctx context.Context, id string, req api.UpdateWorkspaceRequest, opts WriteOptions) (*api.Workspace, error) {
	return update[api.Workspace](ctx, s.c, pathf(RouteWorkspace, id), req, opts)
}

// Delete deletes a workspace; it is refused (ErrConflict, workspace_not_empty)
// while credentials remain.
func (s *WorkspacesService) Delete(ctx context.Context, id string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteWorkspace, id), opts)
}
