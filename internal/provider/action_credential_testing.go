package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
)

var _ action.ActionWithConfigure = (*credentialTestAction)(nil)

// NewCredentialTestAction is the flero_credential_test action: the platform's "Test"
// button ("always click Test after a scope change").
func NewCredentialTestAction() action.Action { return &credentialTestAction{} }

type credentialTestAction struct {
	framework.ActionWithConfigure
}

type credentialTestModel struct {
	CredentialID types.String `tfsdk:"credential_id"`
}

func (a *credentialTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_credential_test"
}

func (a *credentialTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Runs the platform's credential test (the Test button: the credential is active, usable by the token in " +
			"its scope, and its data is present) and fails with the platform's message when it does not pass. Trigger it " +
			"after a scope change or a rotation with an action_trigger (events = [after_update]) in the credential's " +
			"lifecycle block, or invoke it with terraform apply -invoke=action.flero_credential_test.<name>. Terraform >= 1.14.",
		Attributes: map[string]schema.Attribute{
			"credential_id": schema.StringAttribute{Description: "The credential to test (cred_…).", Required: true},
		},
	}
}

func (a *credentialTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg credentialTestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !a.Configured(&resp.Diagnostics) {
		return
	}
	id := cfg.CredentialID.ValueString()
	res, err := a.Client().Credentials.Test(ctx, id)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "test", "credential "+id, err)
		return
	}
	if !res.OK {
		resp.Diagnostics.AddAttributeError(path.Root("credential_id"), "Credential test failed", res.Message)
		return
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: "Credential test passed: " + res.Message})
	}
}
