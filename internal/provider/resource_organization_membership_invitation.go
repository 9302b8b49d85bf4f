package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The pending invitation of an organization membership: when it was sent, when it
// expires, and whether the provider resends an expired one (resend_expired).

// invitationAttributes are added to flero_organization_membership's schema.
func invitationAttributes(attrs map[string]schema.Attribute) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs["invited_at"] = schema.StringAttribute{
		Description: "When the invitation was last sent (RFC 3339); empty for the organization's creator, who was never invited.",
		Computed:    true, PlanModifiers: keep,
	}
	attrs["invitation_expires_at"] = schema.StringAttribute{
		Description: "When the invitation stops being acceptable (RFC 3339; the platform's invitation TTL, 7 days by default, " +
			"after invited_at). An invitation that expired stays invited until it is resent.",
		Computed: true, PlanModifiers: keep,
	}
	attrs["resend_expired"] = schema.BoolAttribute{
		Description: "Resend the invitation on the next apply once it has expired while still invited (an in-place update " +
			"that changes invited_at and invitation_expires_at; nothing is planned while the invitation is valid or accepted). " +
			"Default false: an expired invitation is only a plan warning.",
		Optional: true, Computed: true, Default: booldefault.StaticBool(false),
	}
}

// withInvitation sets the invitation's times from m, and resend_expired from the
// configuration or state (false when unset, as on import).
func withInvitation(out organizationMembershipModel, m *api.OrganizationMembership, resend types.Bool) organizationMembershipModel {
	out.InvitedAt, out.InvitationExpiresAt = optionalTime(m.InvitedAt), optionalTime(m.InvitationExpiresAt)
	out.ResendExpired = resend
	if resend.IsNull() || resend.IsUnknown() {
		out.ResendExpired = types.BoolValue(false)
	}
	return out
}

func optionalTime(t *time.Time) types.String {
	if t == nil {
		return types.StringValue("")
	}
	return types.StringValue(t.UTC().Format(time.RFC3339Nano))
}

// invitationExpired reports whether state holds an invitation that expired now
// (rules.InvitationExpired) and when.
func invitationExpired(state organizationMembershipModel, now time.Time) (time.Time, bool) {
	exp, err := time.Parse(time.RFC3339Nano, state.InvitationExpiresAt.ValueString())
	if err != nil {
		return time.Time{}, false
	}
	return exp, rules.InvitationExpired(rules.MembershipStatus(state.Status.ValueString()), exp, now)
}

// planResend plans the resend of an expired invitation (resend_expired) as an update
// of its times, or warns that it expired. It runs on every plan of a membership that
// is kept, before anything else: the resend is the plan's only change when nothing
// else changes. Once resent, the invitation is valid again and nothing more is
// planned: never a perpetual diff.
func planResend(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state organizationMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	exp, expired := invitationExpired(state, time.Now())
	if !expired {
		return
	}
	if !plan.ResendExpired.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root("invitation_expires_at"), "Invitation expired",
			rules.InvitationExpiredMessage(state.OrganizationID.ValueString(), state.Email.ValueString(), exp))
		return
	}
	for _, p := range []path.Path{path.Root("invited_at"), path.Root("invitation_expires_at"), path.Root("status")} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, p, types.StringUnknown())...)
	}
}

// resendPlanned reports whether the plan resends the invitation (planResend).
func resendPlanned(plan organizationMembershipModel) bool {
	return plan.InvitedAt.IsUnknown()
}

// resend sends the invitation again and returns the membership as the platform has it.
func (r *organizationMembershipResource) resend(ctx context.Context, diags *diag.Diagnostics, orgID, userID, email string) *api.OrganizationMembership {
	m, err := r.Client().OrganizationMemberships.ResendInvitation(ctx, orgID, userID)
	if err != nil {
		diags.AddError("Cannot resend the invitation", "Resending the invitation of "+email+": "+err.Error())
		return nil
	}
	return m
}
