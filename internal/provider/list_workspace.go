package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// NewWorkspaceList lists an organization's workspaces.
func NewWorkspaceList() list.ListResource {
	return namedInOrganization("_workspace", "workspaces", "An organization's workspaces that the provider's token sees.",
		(&workspaceResource{}).Identity(),
		func(ctx context.Context, c *client.Client, orgID string) iter.Seq2[api.Workspace, error] {
			return c.Workspaces.All(ctx, orgID)
		},
		func(w api.Workspace) string { return w.Name },
		func(w api.Workspace) any { return workspaceFromAPI(&w) })
}
