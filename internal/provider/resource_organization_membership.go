package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	// Pending invitation (resource_organization_membership_invitation.go).
	InvitedAt           types.String `tfsdk:"invited_at"`
	InvitationExpiresAt types.String `tfsdk:"invitation_expires_at"`
	ResendExpired       types.Bool   `tfsdk:"resend_expired"`
}

func (r *organizationMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_membership"
}

func (r *organizationMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A person's membership of an organization, invited by email. Organizations with single sign-on " +
			"(sso_enabled) refuse memberships managed through the API. An organization always keeps at least one admin " +
			"(invited admins count): the plan refuses to destroy or demote its last admin, counting the other admins the " +
			"same plan destroys or demotes. Removing a membership deactivates the personal credentials the person owns in the " +
			"organization: the plan warns, naming them.",
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
	invitationAttributes(resp.Schema.Attributes)
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
		addCreateError(ctx, &resp.Diagnostics, r.Client(), organizationMembershipName(plan.Email.ValueString()), err, nil, organizationMembershipHolder(plan))
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, withInvitation(organizationMembershipFromAPI(m, plan.Email), m, plan.ResendExpired), m.Version)
}

func (r *organizationMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	r.Run().NoteAdminRefreshed(state.OrganizationID.ValueString(), state.UserID.ValueString())
	m, err := r.Run().ReadOrganizationMembership(ctx, state.OrganizationID.ValueString(), state.UserID.ValueString())
	framework.ReadState(ctx, resp, organizationMembershipName(state.Email.ValueString()), err, func() (any, int64) {
		return withInvitation(organizationMembershipFromAPI(m, state.Email), m, state.ResendExpired), m.Version
	})
	if err == nil {
		// Terraform refreshes the organization before the memberships that refer to it,
		// but a membership removed from the configuration (an orphan) is read in no set
		// order with it: a read never clears the flag an earlier walk recorded.
		managed := r.Run().Refreshed(state.OrganizationID.ValueString()) || privateFlag(ctx, req.Private, privateOrganizationManaged)
		r.recordOrganizationManaged(ctx, &resp.Diagnostics, resp.Private, managed)
	}
}

// recordOrganizationManaged keeps in the private state whether the membership's
// organization is one of this configuration's (refreshed or planned in the same walk):
// a destroy plan, which refreshes nothing, reads it (checkLastAdmin).
func (r *organizationMembershipResource) recordOrganizationManaged(ctx context.Context, diags *diag.Diagnostics, p framework.PrivateSetter, managed bool) {
	diags.Append(p.SetKey(ctx, privateOrganizationManaged, []byte(fmt.Sprint(managed)))...)
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

	if plan.Role.Equal(state.Role) && !resendPlanned(plan) {
		// Only the email's case (or resend_expired) changed: nothing to send, keep the
		// configuration's spelling.
		plan.Status, plan.InvitedAt, plan.InvitationExpiresAt = state.Status, state.InvitedAt, state.InvitationExpiresAt
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	var m *api.OrganizationMembership
	if !plan.Role.Equal(state.Role) {
		var err error
		m, err = r.Client().OrganizationMemberships.Update(ctx, orgID, userID, api.UpdateOrganizationMembershipRequest{
			Role: framework.ChangedString(plan.Role, state.Role),
		}, opts)
		if err != nil {
			framework.AddAPIError(&resp.Diagnostics, "update", organizationMembershipName(state.Email.ValueString()), err)
			return
		}
	}
	if resendPlanned(plan) {
		if m = r.resend(ctx, &resp.Diagnostics, orgID, userID, state.Email.ValueString()); m == nil {
			return
		}
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, withInvitation(organizationMembershipFromAPI(m, plan.Email), m, plan.ResendExpired), m.Version)
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
	if isLastAdminRefusal(err) && leftToOrganization(ctx, req.Private) {
		// The plan left it to the organization's deletion, which Terraform applies
		// next: the membership stays on the platform until then (the organization keeps
		// its admin, and deleting it deletes the membership), and leaves the state.
		resp.Diagnostics.AddWarning("Membership left to the organization's deletion",
			fmt.Sprintf("%s is the last admin of organization %s, which the platform keeps while the organization exists. "+
				"This run deletes the organization, and the membership with it; if that deletion fails, the membership stays "+
				"on the platform with the organization.", state.Email.ValueString(), state.OrganizationID.ValueString()))
		return
	}
	framework.AddDeleteError(&resp.Diagnostics, organizationMembershipName(state.Email.ValueString()), err)
}

// ImportState accepts the organization (id or name) and the member (email or user id):
// organizationMembershipImportForms.
func (r *organizationMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	organizationMembershipImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
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

// destroyTogetherHint ends the refusal to destroy the last admin of an organization of
// this configuration that the plan keeps.
const destroyTogetherHint = " To remove the organization with its memberships, destroy them in one run (terraform destroy): " +
	"the membership of its last admin is then left to the organization's deletion."

// privateLeftToOrganization is the private state key of a destroy planned as left to the
// organization's deletion (checkLastAdmin).
const privateLeftToOrganization = "left_to_organization"

// privateOrganizationManaged is the private state key that says whether the
// membership's organization is one of this configuration's (recordOrganizationManaged).
const privateOrganizationManaged = "organization_managed"

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

func leftToOrganization(ctx context.Context, p framework.PrivateGetter) bool {
	return privateFlag(ctx, p, privateLeftToOrganization)
}

// privateFlag reads a true/false key of the private state (absent: false).
func privateFlag(ctx context.Context, p framework.PrivateGetter, key string) bool {
	b, diags := p.GetKey(ctx, key)
	return !diags.HasError() && string(b) == "true"
}

// isLastAdminRefusal reports whether the platform refused to remove the last admin.
func isLastAdminRefusal(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.Code == rules.CodeLastAdmin
}
