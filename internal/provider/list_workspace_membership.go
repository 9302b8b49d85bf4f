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
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

type workspaceMembershipFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	TeamID         types.String `tfsdk:"team_id"`
	Role           types.String `tfsdk:"role"`
}

// NewWorkspaceMembershipList lists a workspace's memberships, or those of every
// workspace of an organization.
func NewWorkspaceMembershipList() list.ListResource {
	return &lister[workspaceMembershipFilters, api.WorkspaceMembership]{
		typeName: "_workspace_membership",
		description: "A workspace's memberships (users and teams), or the memberships of every workspace of an organization. " +
			"Set exactly one of workspace_id and organization_id.",
		filters: map[string]listschema.Attribute{
			"organization_id": filter("The memberships of every workspace of this organization (org_…)."),
			"workspace_id":    filter("The memberships of this workspace (ws_…)."),
			"team_id":         filter("Only the memberships of this team (team_…)."),
			"role":            filter("Only memberships with this role: viewer, editor, admin or owner.", validators.OneOf(rules.WorkspaceRoles...)),
		},
		validators: []list.ConfigValidator{
			listresourcevalidator.ExactlyOneOf(path.MatchRoot("organization_id"), path.MatchRoot("workspace_id")),
		},
		identity: (&workspaceMembershipResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f workspaceMembershipFilters) iter.Seq2[api.WorkspaceMembership, error] {
			if !f.WorkspaceID.IsNull() {
				return c.WorkspaceMemberships.All(ctx, f.WorkspaceID.ValueString())
			}
			return concat(c.Workspaces.All(ctx, f.OrganizationID.ValueString()), func(w api.Workspace) iter.Seq2[api.WorkspaceMembership, error] {
				return c.WorkspaceMemberships.All(ctx, w.ID)
			})
		},
		keep: func(f workspaceMembershipFilters, m api.WorkspaceMembership) bool {
			return matches(f.Role, m.Role) && (f.TeamID.IsNull() || m.PrincipalType == client.PrincipalTeam && m.PrincipalID == f.TeamID.ValueString())
		},
		model: func(m api.WorkspaceMembership) any { return workspaceMembershipFromAPI(&m) },
		display: func(m api.WorkspaceMembership) string {
			return m.PrincipalType + " " + m.PrincipalID + " (" + m.Role + ") in " + m.WorkspaceID
		},
	}
}
