package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigure   = (*organizationMembershipResource)(nil)
	_ resource.ResourceWithImportState = (*organizationMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationMembershipResource)(nil)
)

// NewOrganizationMembershipResource is the flero_organization_membership resource.
func NewOrganizationMembershipResource() resource.Resource {
	return &organizationMembershipResource{}
}

type organizationMembershipResource struct {
	framework.ResourceWithConfigure
}

type organizationMembershipModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Email          types.String `tfsdk:"email"`
	Role           types.String `tfsdk:"role"`
	UserID         types.String `tfsdk:"user_id"`
	Status         types.String `tfsdk:"status"`
}

func (r *organizationMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_membership"
}

func (r *organizationMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A person's membership of an organization, invited by email. Organizations with single sign-on " +
			"(sso_enabled) refuse memberships managed through the API. An organization always keeps at least one admin " +
			"(invited admins count): the plan refuses to destroy or demote its last admin, counting the other admins the " +
			"same plan destroys or demotes.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("<organization_id>/<user_id>."),
			"organization_id": schema.StringAttribute{
				Description:   "The organization. Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"email": schema.StringAttribute{
				Description: "Email of the person invited. Emails are compared case-insensitively: the platform stores them " +
					"in lower case, the state keeps the spelling of the configuration, and a change of case only is an in-place " +
					"update that sends nothing. Another address replaces the membership.",
				Required:   true,
				Validators: []validator.String{validators.Email()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = !sameEmail(req.StateValue, req.PlanValue)
					},
					"Another email address replaces the membership; a change of case only does not.",
					"Another email address replaces the membership; a change of case only does not.",
				)},
			},
			"role": schema.StringAttribute{
				Description: "Role in the organization: admin or member.",
				Required:    true,
				Validators:  []validator.String{validators.OneOf(rules.OrgRoles...)},
			},
			"user_id": framework.IDAttribute("The invited person's user id (usr_…)."),
			"status": schema.StringAttribute{
				Description: "invited until the person first uses the platform, then active.",
				Computed:    true,
			},
		},
	}
}

func (r *organizationMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan organizationMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	m, err := r.Client().OrganizationMemberships.Create(ctx, plan.OrganizationID.ValueString(), api.CreateOrganizationMembershipRequest{
		Email: plan.Email.ValueString(),
		Role:  plan.Role.ValueString(),
	})
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "create", organizationMembershipName(plan.Email.ValueString()), err)
		return
	}
	r.Run().RecordOrganizationMembership(m)
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, organizationMembershipFromAPI(m, plan.Email), m.Version)
}

func (r *organizationMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	m, err := r.Run().ReadOrganizationMembership(ctx, state.OrganizationID.ValueString(), state.UserID.ValueString())
	framework.ReadState(ctx, resp, organizationMembershipName(state.Email.ValueString()), err, func() (any, int64) { return organizationMembershipFromAPI(m, state.Email), m.Version })
}

func (r *organizationMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state organizationMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	orgID, userID := state.OrganizationID.ValueString(), state.UserID.ValueString()

	if plan.Role.Equal(state.Role) {
		// Only the email's case changed: nothing to send, keep the configuration's spelling.
		plan.Status = state.Status
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	m, err := r.Client().OrganizationMemberships.Update(ctx, orgID, userID, api.UpdateOrganizationMembershipRequest{
		Role: framework.ChangedString(plan.Role, state.Role),
	}, opts)
	r.Run().ForgetOrganizationMembership(orgID, userID)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", organizationMembershipName(state.Email.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, organizationMembershipFromAPI(m, plan.Email), m.Version)
}

func (r *organizationMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	err := r.Client().OrganizationMemberships.Delete(ctx, state.OrganizationID.ValueString(), state.UserID.ValueString(), opts)
	r.Run().ForgetOrganizationMembership(state.OrganizationID.ValueString(), state.UserID.ValueString())
	framework.AddDeleteError(&resp.Diagnostics, organizationMembershipName(state.Email.ValueString()), err)
}

// ImportState accepts the organization (id or name) and the member (email or user id):
// organizationMembershipImportForms.
func (r *organizationMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	organizationMembershipImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
}

// ModifyPlan refuses at plan time a membership change in an organization that uses
// single sign-on (rule 7, as the organization will be after this apply) or that the
// token may not manage (rule 6), and the removal or demotion of the organization's last
// admin (rule 6, counting the other admins this plan removes or demotes).
func (r *organizationMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if change == framework.NoChange || r.Run() == nil {
		return
	}
	var plan, state organizationMembershipModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if change == framework.Update && plan.Role.Equal(state.Role) {
		return // a change of the email's case only: nothing reaches the API
	}

	if change == framework.Delete || change == framework.Replace {
		r.checkOrganization(ctx, &resp.Diagnostics, state.OrganizationID.ValueString(), true)
		if !resp.Diagnostics.HasError() && state.Role.ValueString() == string(rules.OrgRoleAdmin) {
			// A replacement destroys the old membership first (Terraform's default
			// order): the same refusal as a delete.
			r.checkLastAdmin(ctx, &resp.Diagnostics, state, true)
		}
	}
	if change == framework.Delete {
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, organizationMembershipName(state.Email.ValueString()), func(ctx context.Context) (int64, error) {
			m, err := r.Run().ReadOrganizationMembership(ctx, state.OrganizationID.ValueString(), state.UserID.ValueString())
			if err != nil {
				return 0, err
			}
			return m.Version, nil
		})
		return
	}
	if framework.Known(&resp.Diagnostics, "the organization does not use single sign-on and the token may manage its memberships",
		framework.ID("organization_id", plan.OrganizationID)) {
		r.checkOrganization(ctx, &resp.Diagnostics, plan.OrganizationID.ValueString(), false)
	}
	if change == framework.Update && !resp.Diagnostics.HasError() && state.Role.ValueString() == string(rules.OrgRoleAdmin) {
		switch {
		case plan.Role.IsUnknown():
			framework.WarnCheckedAtApply(&resp.Diagnostics, path.Root("role"),
				fmt.Sprintf("organization %s keeps another admin if %s is demoted", state.OrganizationID.ValueString(), state.Email.ValueString()))
		case plan.Role.ValueString() != string(rules.OrgRoleAdmin):
			r.checkLastAdmin(ctx, &resp.Diagnostics, state, false)
		}
	}
}

// checkLastAdmin refuses at plan time what the server refuses at apply
// (rules.CheckLastAdmin): removing (removing) or demoting the membership of state, an
// admin, when no other admin of the organization remains. The admins are read once per
// run, and the removals and demotions of this plan count: planrun.PlanAdminRemoval
// records this one and counts, in one step, the admins not removed or demoted so far.
// When a plan removes or demotes every admin of an organization, the membership
// refused is the one Terraform plans last among them (each one planned before still
// sees an admin left), so exactly one of them fails the plan, and the message names
// the others. An organization already gone, or a membership that is no longer an
// admin's, leaves nothing to check. The error is on role (the rule's field; on a
// destroy, that of the state, as the other checks of a destroy).
func (r *organizationMembershipResource) checkLastAdmin(ctx context.Context, diags *diag.Diagnostics, state organizationMembershipModel, removing bool) {
	orgID, userID, email := state.OrganizationID.ValueString(), state.UserID.ValueString(), state.Email.ValueString()
	if orgID == "" || userID == "" {
		return
	}
	at := path.Root("role")
	got, err := r.Run().PlanAdminRemoval(ctx, orgID, userID)
	if framework.IsNotFound(err) {
		return
	}
	if err != nil {
		framework.AddLookupError(diags, at, "the admins of organization "+orgID, err)
		return
	}
	if !got.Admin {
		return
	}
	org, err := r.Run().Organization(ctx, orgID)
	if framework.IsNotFound(err) {
		return
	}
	if err != nil {
		framework.AddLookupError(diags, at, "organization "+orgID, err)
		return
	}
	v := rules.CheckLastAdmin(org.Name, email, got.OtherAdmins)
	if v == nil {
		return
	}
	refusal := *v
	if len(got.AlsoRemoved) > 0 {
		refusal.Message += fmt.Sprintf(" This plan also removes or demotes its other admins (%s): keep one of them an admin, "+
			"or make another member an admin in an earlier apply.", strings.Join(got.AlsoRemoved, ", "))
	}
	if removing {
		refusal.Message += " If the organization is being destroyed as well: Terraform destroys its memberships first, and the " +
			"platform refuses to remove its last admin even then. Remove this membership from the state instead of destroying it " +
			"(a removed block with lifecycle { destroy = false }, or terraform state rm): deleting the organization deletes its memberships."
	}
	framework.AddViolationAt(diags, &refusal, at)
}

// checkOrganization applies rules 7 and 6 to a membership change in orgID; removing
// says the membership is being destroyed (an organization already gone leaves nothing
// to check).
func (r *organizationMembershipResource) checkOrganization(ctx context.Context, diags *diag.Diagnostics, orgID string, removing bool) {
	at := path.Root("organization_id")
	org, _, err := r.Run().OrganizationAfterApply(ctx, orgID)
	if removing && framework.IsNotFound(err) {
		return
	}
	if err != nil {
		framework.AddLookupError(diags, at, "organization "+orgID, err)
		return
	}
	if v := rules.CheckSSO(org.Name, org.SSOEnabled); v != nil {
		framework.AddViolationAt(diags, v, at)
		return
	}
	r.CheckManage(ctx, diags, rules.ManageOrganizationMemberships, orgID, "", at)
}

// organizationMembershipFromAPI keeps email's spelling when the platform's equals it
// case-insensitively.
func organizationMembershipFromAPI(m *api.OrganizationMembership, email types.String) organizationMembershipModel {
	out := organizationMembershipModel{
		ID:             types.StringValue(m.OrganizationID + "/" + m.UserID),
		OrganizationID: types.StringValue(m.OrganizationID),
		Email:          types.StringValue(m.Email),
		Role:           types.StringValue(m.Role),
		UserID:         types.StringValue(m.UserID),
		Status:         types.StringValue(m.Status),
	}
	if sameEmail(email, out.Email) {
		out.Email = email
	}
	return out
}

// sameEmail compares two known emails case-insensitively (rules.NormalizeEmail).
func sameEmail(a, b types.String) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return a.Equal(b)
	}
	return rules.NormalizeEmail(a.ValueString()) == rules.NormalizeEmail(b.ValueString())
}

func organizationMembershipName(email string) string {
	return fmt.Sprintf("organization membership of %q", email)
}

// Identity is the membership's two ends: the organization and the user.
func (r *organizationMembershipResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "organization_id", Description: "The organization (org_…)."},
		{Name: "user_id", Description: "The member (usr_…)."},
	}}
}
