package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
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
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, workspaceMembershipFromAPI(m), m.Version)
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
