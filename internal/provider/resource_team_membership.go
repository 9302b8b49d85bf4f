package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

var (
	_ resource.ResourceWithConfigure   = (*teamMembershipResource)(nil)
	_ resource.ResourceWithImportState = (*teamMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*teamMembershipResource)(nil)
)

// NewTeamMembershipResource is the flero_team_membership resource.
func NewTeamMembershipResource() resource.Resource { return &teamMembershipResource{} }

type teamMembershipResource struct {
	framework.ResourceWithConfigure
}

type teamMembershipModel struct {
	ID     types.String `tfsdk:"id"`
	TeamID types.String `tfsdk:"team_id"`
	UserID types.String `tfsdk:"user_id"`
}

func (r *teamMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team_membership"
}

func (r *teamMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A user's membership of a team. The user must be a member of the team's organization.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("<team_id>/<user_id>."),
			"team_id": schema.StringAttribute{
				Description:   "The team. Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_id": schema.StringAttribute{
				Description:   "The user (usr_…), for example flero_organization_membership.x.user_id. Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		},
	}
}

func (r *teamMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	m, err := r.Client().TeamMemberships.Create(ctx, plan.TeamID.ValueString(), api.CreateTeamMembershipRequest{UserID: plan.UserID.ValueString()})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), teamMembershipName(plan.TeamID.ValueString(), plan.UserID.ValueString()), err, nil, teamMembershipHolder(plan))
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, teamMembershipFromAPI(m), m.Version)
}

func (r *teamMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	m, err := r.Run().ReadTeamMembership(ctx, state.TeamID.ValueString(), state.UserID.ValueString())
	framework.ReadState(ctx, resp, teamMembershipName(state.TeamID.ValueString(), state.UserID.ValueString()), err, func() (any, int64) { return teamMembershipFromAPI(m), m.Version })
}

// Update is never called: every attribute replaces the membership.
func (r *teamMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Unexpected update", "A team membership has nothing to update in place; this is a bug in the provider.")
}

func (r *teamMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	err := r.Client().TeamMemberships.Delete(ctx, state.TeamID.ValueString(), state.UserID.ValueString(), opts)
	framework.AddDeleteError(&resp.Diagnostics, teamMembershipName(state.TeamID.ValueString(), state.UserID.ValueString()), err)
}

// ImportState accepts <team_id>/<user_id>, and the team and the user by name or email
// (teamMembershipImportForms).
func (r *teamMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	teamMembershipImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
}

// ModifyPlan checks at plan time that the token may manage the team's memberships
// (organization admins) and that the user belongs to the team's organization.
func (r *teamMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if change == framework.NoChange || r.Run() == nil {
		return
	}
	var plan, state teamMembershipModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if change == framework.Delete || change == framework.Replace {
		r.checkTeam(ctx, &resp.Diagnostics, state.TeamID.ValueString(), "", true)
	}
	if change == framework.Delete {
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, teamMembershipName(state.TeamID.ValueString(), state.UserID.ValueString()), func(ctx context.Context) (int64, error) {
			m, err := r.Run().ReadTeamMembership(ctx, state.TeamID.ValueString(), state.UserID.ValueString())
			if err != nil {
				return 0, err
			}
			return m.Version, nil
		})
	}
	if change != framework.Create && change != framework.Replace {
		return
	}
	if !plan.TeamID.IsUnknown() && !plan.UserID.IsUnknown() {
		userID := plan.UserID.ValueString()
		r.checkTeam(ctx, &resp.Diagnostics, plan.TeamID.ValueString(), userID, false)
		if change == framework.Create && userID != "" {
			checkAbsent(ctx, &resp.Diagnostics, r.Client(), path.Root("user_id"), teamMembershipHolder(plan), func(ctx context.Context, c *client.Client) error {
				_, err := c.TeamMemberships.Get(ctx, plan.TeamID.ValueString(), userID)
				return err
			})
		}
		return
	}
	// An id not known until apply: decided by the teams and the organization
	// memberships this run creates.
	run := r.Run()
	teamPath := path.Root("team_id")
	if plan.TeamID.IsUnknown() {
		decideInContainer(ctx, run, &resp.Diagnostics, teamPath, planrun.KindTeam, "the token may manage the team's members",
			manageVerdict(rules.ManageTeams))
	} else {
		r.checkTeam(ctx, &resp.Diagnostics, plan.TeamID.ValueString(), "", false)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if teams, ok := containerCandidates(ctx, run, &resp.Diagnostics, teamPath, planrun.KindTeam, plan.TeamID); ok {
		decidePrincipalInOrganization(ctx, run, &resp.Diagnostics, "team_id", teams, plan.UserID, false)
	}
}

// checkTeam checks the token's right to manage the team and, when userID is given,
// that the user belongs to the team's organization. removing says the membership is
// being destroyed (a team already gone leaves nothing to check).
func (r *teamMembershipResource) checkTeam(ctx context.Context, diags *diag.Diagnostics, teamID, userID string, removing bool) {
	team, err := r.Run().Team(ctx, teamID)
	if removing && framework.IsNotFound(err) {
		return
	}
	if err != nil {
		framework.AddLookupError(diags, path.Root("team_id"), "team "+teamID, err)
		return
	}
	if removing {
		r.CheckManageToRemove(ctx, diags, rules.ManageTeams, team.OrganizationID, "", path.Root("team_id"))
		return
	}
	r.CheckManage(ctx, diags, rules.ManageTeams, team.OrganizationID, "", path.Root("team_id"))
	if userID == "" || diags.HasError() {
		return
	}
	r.CheckUserInOrganization(ctx, diags, team.OrganizationID, userID, path.Root("user_id"))
}

func teamMembershipFromAPI(m *api.TeamMembership) teamMembershipModel {
	return teamMembershipModel{
		ID:     types.StringValue(m.TeamID + "/" + m.UserID),
		TeamID: types.StringValue(m.TeamID),
		UserID: types.StringValue(m.UserID),
	}
}

func teamMembershipName(teamID, userID string) string {
	return fmt.Sprintf("membership of user %s in team %s", userID, teamID)
}

// Identity is the membership's two ends: the team and the user.
func (r *teamMembershipResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "team_id", Description: "The team (team_…)."},
		{Name: "user_id", Description: "The member (usr_…)."},
	}}
}
