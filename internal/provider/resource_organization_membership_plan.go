package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// ModifyPlan refuses at plan time a membership change in an organization that uses
// single sign-on (rule 7, as the organization will be after this apply) or that the
// token may not manage (rule 6), and the removal or demotion of the organization's last
// admin (rule 6, counting the other admins this plan removes or demotes).
func (r *organizationMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planResend(ctx, req, resp)
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
		return // a change of the email's case or a resend only: no role changes
	}
	if promotes(change, plan, state) && !plan.OrganizationID.IsUnknown() {
		who := plan.UserID.ValueString()
		if change != framework.Update {
			who = rules.NormalizeEmail(plan.Email.ValueString())
		}
		r.Run().PlanAdminPromotion(plan.OrganizationID.ValueString(), who)
	}

	if change == framework.Delete || change == framework.Replace {
		r.checkOrganization(ctx, &resp.Diagnostics, state.OrganizationID.ValueString(), true)
		if !resp.Diagnostics.HasError() && state.Role.ValueString() == string(rules.OrgRoleAdmin) {
			// A replacement destroys the old membership first (Terraform's default
			// order): the same refusal as a delete.
			var leave framework.PrivateSetter
			// The flag recorded by an earlier read, or this walk's refresh of the
			// organization (Terraform 1.12+ may not read an imported membership again).
			orgManaged := privateFlag(ctx, req.Private, privateOrganizationManaged) || r.Run().Refreshed(state.OrganizationID.ValueString())
			if change == framework.Delete && orgManaged {
				leave = resp.Private
			}
			r.checkLastAdmin(ctx, &resp.Diagnostics, state, true, leave)
		}
	}
	if change == framework.Delete {
		if !resp.Diagnostics.HasError() {
			r.reviewRemoval(ctx, &resp.Diagnostics, state) // rule 8: the personal credentials it deactivates
		}
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, organizationMembershipName(state.Email.ValueString()), func(ctx context.Context) (int64, error) {
			m, err := r.Run().ReadOrganizationMembership(ctx, state.OrganizationID.ValueString(), state.UserID.ValueString())
			if err != nil {
				return 0, err
			}
			return m.Version, nil
		})
		return
	}
	switch {
	case plan.OrganizationID.IsUnknown():
		decideInOrganization(ctx, r.Run(), &resp.Diagnostics, path.Root("organization_id"),
			"the organization does not use single sign-on and the token may manage its memberships", ssoVerdict)
	case !plan.OrganizationID.IsNull():
		r.checkOrganization(ctx, &resp.Diagnostics, plan.OrganizationID.ValueString(), false)
		if change == framework.Create && !plan.Email.IsUnknown() {
			checkAbsent(ctx, &resp.Diagnostics, r.Client(), path.Root("email"), organizationMembershipHolder(plan), func(ctx context.Context, c *client.Client) error {
				_, err := c.OrganizationMemberships.GetByEmail(ctx, plan.OrganizationID.ValueString(), plan.Email.ValueString())
				return err
			})
		}
	}
	if change == framework.Create || change == framework.Replace {
		recordPlanned(r.Run(), planrun.KindOrganizationMembership, plan.Email, plan.OrganizationID)
		if resp.Private != nil { // nil only when ModifyPlan is called outside the framework (unit tests)
			managed := plan.OrganizationID.IsUnknown() || r.Run().Refreshed(plan.OrganizationID.ValueString())
			r.recordOrganizationManaged(ctx, &resp.Diagnostics, resp.Private, managed)
		}
	}
	if change == framework.Update && !resp.Diagnostics.HasError() && state.Role.ValueString() == string(rules.OrgRoleAdmin) {
		switch {
		case plan.Role.IsUnknown():
			framework.WarnDependsOn(&resp.Diagnostics, path.Root("role"),
				fmt.Sprintf("organization %s keeps another admin if %s is demoted", state.OrganizationID.ValueString(), state.Email.ValueString()), "the new role")
		case plan.Role.ValueString() != string(rules.OrgRoleAdmin):
			r.checkLastAdmin(ctx, &resp.Diagnostics, state, false, nil)
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
//
// A destroy of the last admin whose organization is one of this configuration's (leave
// is its planned private state; nil otherwise) is no error when the same run deletes
// the organization: the destroy is left to the organization's deletion
// (planrun.LeaveToOrganizationDelete), which deletes its memberships, and Delete then
// accepts the platform's refusal. Terraform plans and applies the membership's destroy
// before the organization's when both are destroyed (terraform destroy, or both removed
// from the configuration), so the organization's fate is known here only when its
// plan came first (the membership alone removed from the configuration: no edge
// orders them). When it has not come yet, the destroy is left to it and the
// organization's plan settles it: an error there if the organization is kept. An
// organization outside this configuration is never planned: the error, here.
func (r *organizationMembershipResource) checkLastAdmin(ctx context.Context, diags *diag.Diagnostics, state organizationMembershipModel, removing bool, leave framework.PrivateSetter) {
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
	if leave != nil {
		if r.Run().LeaveToOrganizationDelete(orgID, email, true) {
			diags.Append(leave.SetKey(ctx, privateLeftToOrganization, []byte(`true`))...)
			return
		}
	}
	refusal := *v
	if len(got.AlsoRemoved) > 0 {
		refusal.Message += fmt.Sprintf(" This plan also removes or demotes its other admins (%s): keep one of them an admin, "+
			"or make another member an admin in an earlier apply.", strings.Join(got.AlsoRemoved, ", "))
	}
	switch {
	case removing && leave != nil:
		refusal.Message += destroyTogetherHint
	case removing:
		refusal.Message += " To stop managing the membership without removing it, forget it instead of destroying it " +
			"(a removed block with lifecycle { destroy = false }, or terraform state rm)."
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

// promotes reports whether the plan makes its user an admin: a new admin membership, or
// a member's promoted.
func promotes(change framework.Change, plan, state organizationMembershipModel) bool {
	if plan.Role.ValueString() != string(rules.OrgRoleAdmin) {
		return false
	}
	return change == framework.Create || change == framework.Replace ||
		(change == framework.Update && state.Role.ValueString() != string(rules.OrgRoleAdmin))
}
