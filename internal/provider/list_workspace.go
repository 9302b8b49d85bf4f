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

type workspaceFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NamePrefix     types.String `tfsdk:"name_prefix"`
}

// NewWorkspaceList lists an organization's workspaces.
func NewWorkspaceList() list.ListResource {
	return &lister[workspaceFilters, api.Workspace]{
		typeName:    "_workspace",
		description: "An organization's workspaces that the provider's token sees.",
		filters: map[string]listschema.Attribute{
			"organization_id": requiredFilter("The organization (org_…)."),
			"name_prefix":     filter("Only workspaces whose name starts with this."),
		},
		identity: (&workspaceResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f workspaceFilters) iter.Seq2[api.Workspace, error] {
			return c.Workspaces.All(ctx, f.OrganizationID.ValueString())
		},
		keep:    func(f workspaceFilters, w api.Workspace) bool { return hasPrefix(f.NamePrefix, w.Name) },
		model:   func(w api.Workspace) any { return workspaceFromAPI(&w) },
		display: func(w api.Workspace) string { return w.Name },
	}
}
