package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var _ action.ActionWithConfigure = (*invitationResendAction)(nil)

// NewInvitationResendAction is the flero_invitation_resend action ("view and resend
// pending invitations").
func NewInvitationResendAction() action.Action { return &invitationResendAction{} }

type invitationResendAction struct {
	framework.ActionWithConfigure
}

type invitationResendModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Email          types.String `tfsdk:"email"`
}

func (a *invitationResendAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_invitation_resend"
}

func (a *invitationResendAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Resends a pending organization invitation (organization admins): a new invited_at and expiry. Fails when " +
			"the person already accepted it. Terraform >= 1.14.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{Description: "The organization (org_…).", Required: true},
			"email": schema.StringAttribute{Description: "The invited person's email (case-insensitive).", Required: true,
				Validators: []validator.String{validators.Email()}},
		},
	}
}

func (a *invitationResendAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg invitationResendModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !a.Configured(&resp.Diagnostics) {
		return
	}
	orgID, email := cfg.OrganizationID.ValueString(), cfg.Email.ValueString()
	m, err := a.Client().OrganizationMemberships.GetByEmail(ctx, orgID, email)
	if err == nil {
		m, err = a.Client().OrganizationMemberships.ResendInvitation(ctx, orgID, m.UserID)
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "resend", "the invitation of "+email+" to organization "+orgID, err)
		return
	}
	if resp.SendProgress != nil && m.InvitationExpiresAt != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: "Invitation of " + email + " resent; it expires at " + m.InvitationExpiresAt.UTC().Format("2006-01-02T15:04:05Z07:00")})
	}
}
