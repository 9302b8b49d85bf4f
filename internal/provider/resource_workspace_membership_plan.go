package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// ModifyPlan checks at plan time that the token may manage the workspace's memberships
// (rule 6) and that the user or team belongs to the workspace's organization.
func (r *workspaceMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if change == framework.NoChange || r.Run() == nil {
		return
	}
	var plan, state workspaceMembershipModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	switch change {
	case framework.Update:
		r.checkWorkspace(ctx, &resp.Diagnostics, state, change)
	case framework.Delete:
		r.checkWorkspace(ctx, &resp.Diagnostics, state, framework.Delete)
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, state.describe(), func(ctx context.Context) (int64, error) {
			principalType, principalID := state.principal()
			m, err := r.Run().ReadWorkspaceMembership(ctx, state.WorkspaceID.ValueString(), principalType, principalID)
			if err != nil {
				return 0, err
			}
			return m.Version, nil
		})
	case framework.Replace:
		r.checkWorkspace(ctx, &resp.Diagnostics, state, framework.Delete)
		r.checkWorkspace(ctx, &resp.Diagnostics, plan, framework.Create)
	case framework.Create:
		r.checkWorkspace(ctx, &resp.Diagnostics, plan, framework.Create)
		if principalType, principalID := plan.principal(); !plan.WorkspaceID.IsUnknown() && principalID != "" {
			checkAbsent(ctx, &resp.Diagnostics, r.Client(), path.Root(principalType+"_id"), workspaceMembershipHolder(plan), func(ctx context.Context, c *client.Client) error {
				_, err := c.WorkspaceMemberships.Get(ctx, plan.WorkspaceID.ValueString(), principalType, principalID)
				return err
			})
		}
	}
}

// checkWorkspace checks the token's right to manage m's workspace memberships and, for
// a new membership, that its principal belongs to the workspace's organization. For a
// destroy, a workspace already gone leaves nothing to check.
func (r *workspaceMembershipResource) checkWorkspace(ctx context.Context, diags *diag.Diagnostics, m workspaceMembershipModel, change framework.Change) {
	wsPath := path.Root("workspace_id")
	if m.WorkspaceID.IsNull() {
		return
	}
	if m.WorkspaceID.IsUnknown() {
		r.checkUnknownWorkspace(ctx, diags, m)
		return
	}
	wsID := m.WorkspaceID.ValueString()
	ws, err := r.Run().Workspace(ctx, wsID)
	if change == framework.Delete && framework.IsNotFound(err) {
		return
	}
	if err != nil {
		framework.AddLookupError(diags, wsPath, "workspace "+wsID, err)
		return
	}
	if change == framework.Delete {
		r.CheckManageToRemove(ctx, diags, rules.ManageWorkspaceMemberships, ws.OrganizationID, wsID, wsPath)
		return
	}
	r.CheckManage(ctx, diags, rules.ManageWorkspaceMemberships, ws.OrganizationID, wsID, wsPath)
	if change != framework.Create || diags.HasError() {
		return
	}

	switch {
	case m.UserID.IsUnknown() || m.TeamID.IsUnknown():
		r.checkPrincipal(ctx, diags, m)
	case !m.UserID.IsNull():
		r.CheckUserInOrganization(ctx, diags, ws.OrganizationID, m.UserID.ValueString(), path.Root("user_id"))
	case !m.TeamID.IsNull():
		r.checkTeamInOrganization(ctx, diags, ws, m.TeamID.ValueString())
	}
}

// checkUnknownWorkspace decides a new membership whose workspace is not known until
// apply by the workspaces this run creates: the token's right to manage its
// memberships, then that the user or team belongs to its organization.
func (r *workspaceMembershipResource) checkUnknownWorkspace(ctx context.Context, diags *diag.Diagnostics, m workspaceMembershipModel) {
	decideInContainer(ctx, r.Run(), diags, path.Root("workspace_id"), planrun.KindWorkspace,
		"the token may manage the workspace's memberships", manageVerdict(rules.ManageWorkspaceMemberships))
	if !diags.HasError() {
		r.checkPrincipal(ctx, diags, m)
	}
}

// checkPrincipal decides that the user or team belongs to the workspace's organization
// when the workspace, the user or the team is not known until apply.
func (r *workspaceMembershipResource) checkPrincipal(ctx context.Context, diags *diag.Diagnostics, m workspaceMembershipModel) {
	workspaces, ok := containerCandidates(ctx, r.Run(), diags, path.Root("workspace_id"), planrun.KindWorkspace, m.WorkspaceID)
	if !ok {
		return
	}
	if m.TeamID.IsNull() {
		decidePrincipalInOrganization(ctx, r.Run(), diags, "workspace_id", workspaces, m.UserID, false)
	} else {
		decidePrincipalInOrganization(ctx, r.Run(), diags, "workspace_id", workspaces, m.TeamID, true)
	}
}

func (r *workspaceMembershipResource) checkTeamInOrganization(ctx context.Context, diags *diag.Diagnostics, ws *api.Workspace, teamID string) {
	at := path.Root("team_id")
	team, err := r.Run().Team(ctx, teamID)
	if err != nil {
		framework.AddLookupError(diags, at, "team "+teamID, err)
		return
	}
	org, err := r.Run().Organization(ctx, ws.OrganizationID)
	if err != nil {
		framework.AddLookupError(diags, at, "organization "+ws.OrganizationID, err)
		return
	}
	who := fmt.Sprintf("team %q (%s)", team.Name, team.ID)
	if v := rules.CheckTeamInOrganization(org.Name, who, team.OrganizationID == ws.OrganizationID); v != nil {
		framework.AddViolationAt(diags, v, at)
	}
}
