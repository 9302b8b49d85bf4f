package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigure        = (*workspaceMembershipResource)(nil)
	_ resource.ResourceWithConfigValidators = (*workspaceMembershipResource)(nil)
	_ resource.ResourceWithImportState      = (*workspaceMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*workspaceMembershipResource)(nil)
)

// NewWorkspaceMembershipResource is the flero_workspace_membership resource.
func NewWorkspaceMembershipResource() resource.Resource { return &workspaceMembershipResource{} }

type workspaceMembershipResource struct {
	framework.ResourceWithConfigure
}

type workspaceMembershipModel struct {
	ID          types.String `tfsdk:"id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	UserID      types.String `tfsdk:"user_id"`
	TeamID      types.String `tfsdk:"team_id"`
	Role        types.String `tfsdk:"role"`
}

func (r *workspaceMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_membership"
}

func (r *workspaceMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A role in a workspace for a user or a team (exactly one of user_id and team_id). " +
			"The user or team must belong to the workspace's organization: a team belongs to one organization and cannot be given a role in another's workspaces. " +
			"A membership that already exists is an error at plan (when its ids are known) with its import command.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("<workspace_id>/user/<user_id> or <workspace_id>/team/<team_id>."),
			"workspace_id": schema.StringAttribute{
				Description:   "The workspace. Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_id": schema.StringAttribute{
				Description:   "The user given the role. Changing it replaces the membership.",
				Optional:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"team_id": schema.StringAttribute{
				Description:   "The team given the role. Changing it replaces the membership.",
				Optional:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"role": schema.StringAttribute{
				Description: "Role in the workspace: viewer, editor, admin or owner.",
				Required:    true,
				Validators:  []validator.String{validators.OneOf(rules.WorkspaceRoles...)},
			},
		},
	}
}

func (r *workspaceMembershipResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("team_id")),
	}
}

func (r *workspaceMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	m, err := r.Client().WorkspaceMemberships.Create(ctx, plan.WorkspaceID.ValueString(), api.CreateWorkspaceMembershipRequest{
		UserID: plan.UserID.ValueString(),
		TeamID: plan.TeamID.ValueString(),
		Role:   plan.Role.ValueString(),
	})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), plan.describe(), err, nil, workspaceMembershipHolder(plan))
		return
	}
	r.forgetAccess(ctx, m.PrincipalType, m.PrincipalID)
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, workspaceMembershipFromAPI(m), m.Version)
}

// forgetAccess drops the token's cached access when a change of this membership may
// have changed it: the membership of the token's own user, or of a team the token's
// user may be in; none for another user or team.
func (r *workspaceMembershipResource) forgetAccess(ctx context.Context, principalType, principalID string) {
	if principalType == client.PrincipalTeam {
		r.Run().ForgetTeamAccess(ctx, principalID)
		return
	}
	r.Run().ForgetAccessOfUser(principalID)
}

func (r *workspaceMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	principalType, principalID := state.principal()
	m, err := r.Run().ReadWorkspaceMembership(ctx, state.WorkspaceID.ValueString(), principalType, principalID)
	framework.ReadState(ctx, resp, state.describe(), err, func() (any, int64) { return workspaceMembershipFromAPI(m), m.Version })
}

func (r *workspaceMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	principalType, principalID := state.principal()
	m, err := r.Client().WorkspaceMemberships.Update(ctx, state.WorkspaceID.ValueString(), principalType, principalID,
		api.UpdateWorkspaceMembershipRequest{Role: framework.ChangedString(plan.Role, state.Role)}, opts)
	r.forgetAccess(ctx, principalType, principalID)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", state.describe(), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, workspaceMembershipFromAPI(m), m.Version)
}

func (r *workspaceMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	principalType, principalID := state.principal()
	err := r.Client().WorkspaceMemberships.Delete(ctx, state.WorkspaceID.ValueString(), principalType, principalID, opts)
	r.forgetAccess(ctx, principalType, principalID)
	framework.AddDeleteError(&resp.Diagnostics, state.describe(), err)
}

// ImportState accepts the workspace (id, or organization and name) and the member (a
// user by id or email, a team by id or name): workspaceMembershipImportForms.
func (r *workspaceMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, err := parseWorkspaceMembershipRef(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	wsID, principalID := ref.workspace[0].Value, ref.principal.Value
	if !ref.byID() {
		if !r.Configured(&resp.Diagnostics) {
			return
		}
		wsID, principalID, err = ref.resolve(ctx, r.Client())
		if err != nil {
			framework.AddAPIError(&resp.Diagnostics, "import", fmt.Sprintf("workspace membership %q", req.ID), err)
			return
		}
	}
	m := workspaceMembershipModel{
		ID:          types.StringValue(wsID + "/" + ref.principalType + "/" + principalID),
		WorkspaceID: types.StringValue(wsID),
		UserID:      types.StringNull(),
		TeamID:      types.StringNull(),
		Role:        types.StringNull(),
	}
	if ref.principalType == client.PrincipalUser {
		m.UserID = types.StringValue(principalID)
	} else {
		m.TeamID = types.StringValue(principalID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

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

// principal is the membership's principal type and id, as the API addresses it.
func (m workspaceMembershipModel) principal() (principalType, principalID string) {
	if !m.TeamID.IsNull() && m.TeamID.ValueString() != "" {
		return client.PrincipalTeam, m.TeamID.ValueString()
	}
	return client.PrincipalUser, m.UserID.ValueString()
}

func (m workspaceMembershipModel) describe() string {
	principalType, principalID := m.principal()
	return fmt.Sprintf("workspace membership of %s %s in workspace %s", principalType, principalID, m.WorkspaceID.ValueString())
}

func workspaceMembershipFromAPI(m *api.WorkspaceMembership) workspaceMembershipModel {
	out := workspaceMembershipModel{
		ID:          types.StringValue(m.WorkspaceID + "/" + m.PrincipalType + "/" + m.PrincipalID),
		WorkspaceID: types.StringValue(m.WorkspaceID),
		UserID:      types.StringNull(),
		TeamID:      types.StringNull(),
		Role:        types.StringValue(m.Role),
	}
	if m.PrincipalType == client.PrincipalTeam {
		out.TeamID = types.StringValue(m.PrincipalID)
	} else {
		out.UserID = types.StringValue(m.PrincipalID)
	}
	return out
}

// Identity is the membership's two ends: the workspace and the user or the team.
func (r *workspaceMembershipResource) Identity() framework.Identity {
	return framework.Identity{
		Attributes: []framework.IdentityAttribute{
			{Name: "workspace_id", Description: "The workspace (ws_…)."},
			{Name: "user_id", Description: "The member user (usr_…), for a user's membership.", Optional: true},
			{Name: "team_id", Description: "The member team (team_…), for a team's membership.", Optional: true},
		},
		ExactlyOneOf: []string{"user_id", "team_id"},
	}
}
