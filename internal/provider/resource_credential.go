package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigure        = (*credentialResource)(nil)
	_ resource.ResourceWithConfigValidators = (*credentialResource)(nil)
	_ resource.ResourceWithImportState      = (*credentialResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*credentialResource)(nil)
)

// NewCredentialResource is the flero_credential resource.
func NewCredentialResource() resource.Resource {
	return &credentialResource{}
}

type credentialResource struct {
	framework.ResourceWithConfigure
}

type credentialModel struct {
	ID             types.String `tfsdk:"id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Type           types.String `tfsdk:"type"`
	Description    types.String `tfsdk:"description"`
	Scope          types.String `tfsdk:"scope"`
	Data           types.Map    `tfsdk:"data"`
	DataWO         types.Map    `tfsdk:"data_wo"`
	DataWOVersion  types.Int64  `tfsdk:"data_wo_version"`
	OwnerID        types.String `tfsdk:"owner_id"`
	Status         types.String `tfsdk:"status"`
}

func (r *credentialResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_credential"
}

func (r *credentialResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A credential: a third-party secret that workflows use. It lives in a home workspace and carries a scope " +
			"(personal, workspace or organization) that says who may use it; changing the scope edits the credential in place " +
			"(workflows reference it by id), and the plan warns who loses or gains it. " +
			"The secret is write-only: give it once, as data_wo with data_wo_version (never stored in the plan or the state), " +
			"or as data (sensitive, kept in the state); a new credential needs it. It is never read back, so an imported or adopted credential " +
			"may leave both out: its secret then stays as it is on the platform and the plan is empty. Adding data_wo with a data_wo_version " +
			"(or data) to an adopted credential sends the secret at the next apply: a rotation.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("The credential's id (cred_…)."),
			"workspace_id": schema.StringAttribute{
				Description:   "The credential's home workspace. Changing it replaces the credential.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"organization_id": schema.StringAttribute{
				Description:   "The organization of the home workspace.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Description: "Name, unique in the workspace.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"type": schema.StringAttribute{
				Description:   "The service the secret is for, a lower-case identifier such as \"slack_bot\". The API cannot change it: changing it replaces the credential.",
				Required:      true,
				Validators:    []validator.String{validators.CredentialType()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description": framework.OptionalString("Free-text description.", validators.Description()),
			"scope": schema.StringAttribute{
				Description: "Who may use the credential: personal (its owner only), workspace (members of its home workspace; the default) " +
					"or organization (members of every workspace of the organization; Enterprise plan only). " +
					"Changing it is an in-place update, never a replacement; the plan warns which workspaces and workflows lose or gain access.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(string(rules.DefaultScope)),
				Validators: []validator.String{validators.OneOf(rules.Scopes...)},
			},
			"data": schema.MapAttribute{
				Description: "The secret, as a map of strings, for Terraform versions without write-only attributes. Sensitive, but kept in the state: " +
					"prefer data_wo. Changing it sends the new secret (a rotation). At most one of data and data_wo. Not readable from the API: " +
					"after an import it is empty until the next apply sends it.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				Validators:  []validator.Map{validators.CredentialData()},
			},
			"data_wo": schema.MapAttribute{
				Description: "The secret, as a map of strings, write-only (Terraform >= 1.11): sent to Flero, never stored in the plan or the state. " +
					"It is sent on create and whenever data_wo_version changes; changing data_wo alone does nothing. At most one of data and data_wo; a new credential needs one of them.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				WriteOnly:   true,
				Validators:  []validator.Map{validators.CredentialData()},
			},
			"data_wo_version": schema.Int64Attribute{
				Description: "Version of data_wo, required with it. Change it (for example, increment it) to send data_wo again: that rotates the secret. " +
					"After an import it is empty, so the first apply sends data_wo.",
				Optional:      true,
				PlanModifiers: []planmodifier.Int64{secretOnCreate{}},
			},
			"owner_id": schema.StringAttribute{
				Description:   "The user who created the credential (the provider's token).",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Description: "active, or inactive: a personal credential whose owner left the organization is deactivated (not deleted); " +
					"the plan then warns why. When the provider's own user left the organization, the platform no longer shows them the credential: " +
					"the provider keeps it in the state as inactive; remove it from the configuration to forget it.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// ConfigValidators: the secret is given at most once, and data_wo with its version. A
// new credential must give it (secretOnCreate); an adopted one may leave it out.
func (r *credentialResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("data"), path.MatchRoot("data_wo")),
		resourcevalidator.RequiredTogether(path.MatchRoot("data_wo"), path.MatchRoot("data_wo_version")),
	}
}

func (r *credentialResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan credentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	secret, writeOnly := r.secret(ctx, req.Config, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	cred, err := r.Client().Credentials.Create(ctx, plan.WorkspaceID.ValueString(), api.CreateCredentialRequest{
		Name:        plan.Name.ValueString(),
		Type:        plan.Type.ValueString(),
		Description: plan.Description.ValueString(),
		Scope:       plan.Scope.ValueString(),
		Data:        secret,
	})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), credentialName(plan.Name.ValueString()), err,
			[]uniqueValue{credentialUnique(plan)}, nil, credentialPaths(writeOnly))
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, credentialFromAPI(cred, plan), cred.Version)
}

func (r *credentialResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state credentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	r.Run().RecordRefresh(state.ID.ValueString()) // its plan follows in this walk (planrun.AwaitFates)
	cred, err := r.Run().ReadCredential(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
	if framework.IsNotFound(err) {
		if r.ownerLeftOrganization(ctx, state) {
			// Rule 8: the token's user left the organization, which hides it and all
			// it holds, and their personal credentials there were deactivated, not
			// deleted. Keep the credential as inactive (the plan warns why) rather than
			// planning to create it again where the user no longer belongs.
			state.Status = types.StringValue(string(rules.StatusAfterOwnerLeft(credentialRule(state), rules.CredentialStatus(state.Status.ValueString()))))
			resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
			return
		}
		if me, hidden := r.hiddenFromToken(ctx, state); hidden {
			// Rule 4: another user's personal credential is not-found to this token.
			// Keep it as the state holds it (never plan to create it again: its
			// name is taken in its workspace) and say why.
			resp.Diagnostics.AddWarning("Credential kept in state: not visible to this token",
				rules.HiddenPersonalCredential(state.Name.ValueString(), state.ID.ValueString(), state.OwnerID.ValueString(), me))
			return
		}
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", credentialName(state.Name.ValueString()), err)
		return
	}
	// The secret is never returned: data and data_wo_version keep what the state holds
	// (null after an import).
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, credentialFromAPI(cred, state), cred.Version)
}

// ownerLeftOrganization reports whether a credential that reads as not found is a
// personal credential of the token's user in an organization the user no longer
// belongs to (the organization reads as not found too).
func (r *credentialResource) ownerLeftOrganization(ctx context.Context, state credentialModel) bool {
	run := r.Run()
	if run == nil || state.Scope.ValueString() != string(rules.ScopePersonal) || state.OrganizationID.ValueString() == "" {
		return false
	}
	me, err := run.Me(ctx)
	if err != nil || me.ID != state.OwnerID.ValueString() {
		return false
	}
	_, err = run.Organization(ctx, state.OrganizationID.ValueString())
	return framework.IsNotFound(err)
}

// hiddenFromToken reports whether a credential the API answers not-found is hidden
// from the token rather than gone: a personal credential whose owner (as the state
// records it) is not the token's user is invisible to it (rule 4). When the token may
// read the organization's audit log (organization admins) and it records the
// credential's deletion, or when its workspace is not found, it is gone. me is the
// token's user id.
func (r *credentialResource) hiddenFromToken(ctx context.Context, state credentialModel) (me string, hidden bool) {
	run := r.Run()
	if run == nil || state.Scope.ValueString() != string(rules.ScopePersonal) || state.OwnerID.ValueString() == "" {
		return "", false
	}
	u, err := run.Me(ctx)
	if err != nil || u.ID == state.OwnerID.ValueString() {
		return "", false
	}
	if _, err := run.Workspace(ctx, state.WorkspaceID.ValueString()); framework.IsNotFound(err) {
		return u.ID, false // its workspace is gone (or hidden from the token, which then cannot manage it anyway)
	}
	if orgID := state.OrganizationID.ValueString(); orgID != "" {
		deleted, err := r.Client().Audit.List(ctx, orgID, client.AuditListOptions{Action: "deleted", EntityType: "credential", EntityID: state.ID.ValueString()})
		if err == nil && len(deleted) > 0 {
			return u.ID, false
		}
	}
	return u.ID, true
}

func (r *credentialResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state credentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	update := api.UpdateCredentialRequest{
		Name:        framework.ChangedString(plan.Name, state.Name),
		Description: framework.ChangedString(plan.Description, state.Description),
		Scope:       framework.ChangedString(plan.Scope, state.Scope),
	}
	writeOnly := !plan.DataWOVersion.IsNull()
	if rotates(plan, state) {
		update.Data, writeOnly = r.secret(ctx, req.Config, plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	id := state.ID.ValueString()
	var cred *api.Credential
	var err error
	if update.Name == nil && update.Description == nil && update.Scope == nil && update.Data == nil {
		// Nothing the API holds changes (for example data_wo_version removed with
		// data_wo): refresh instead of sending an empty change.
		cred, err = r.Client().Credentials.Get(ctx, id)
	} else {
		cred, err = r.Client().Credentials.Update(ctx, id, update, opts)
	}
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", credentialName(state.Name.ValueString()), err, credentialPaths(writeOnly))
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, credentialFromAPI(cred, plan), cred.Version)
}

func (r *credentialResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state credentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	err := r.Client().Credentials.Delete(ctx, state.ID.ValueString(), opts)
	framework.AddDeleteError(&resp.Diagnostics, credentialName(state.Name.ValueString()), err)
}

// secret is the secret to send: data from the plan, or else data_wo from the
// configuration (write-only values are only ever in the configuration). writeOnly
// tells which of the two it is.
func (r *credentialResource) secret(ctx context.Context, config tfsdk.Config, plan credentialModel, diags *diag.Diagnostics) (secret map[string]string, writeOnly bool) {
	value := plan.Data
	at := path.Root("data")
	if value.IsNull() {
		writeOnly, at = true, path.Root("data_wo")
		diags.Append(config.GetAttribute(ctx, at, &value)...)
		if diags.HasError() {
			return nil, writeOnly
		}
	}
	if value.IsNull() || value.IsUnknown() {
		diags.AddAttributeError(at, "Secret not known",
			"The credential's secret (data or data_wo) must be known when the change is applied.")
		return nil, writeOnly
	}
	secret = map[string]string{}
	diags.Append(value.ElementsAs(ctx, &secret, false)...)
	return secret, writeOnly
}

// rotates reports whether the plan sends the secret again: data changed, or
// data_wo_version changed (data_wo itself is never in the plan or the state).
func rotates(plan, state credentialModel) bool {
	if !plan.Data.IsNull() {
		return !plan.Data.Equal(state.Data)
	}
	return !plan.DataWOVersion.IsNull() && !plan.DataWOVersion.Equal(state.DataWOVersion)
}

// credentialFromAPI is the state of a credential: what the API returns, with the
// attributes the API never returns (the secret and its version) taken from prior,
// the plan or the state.
func credentialFromAPI(c *api.Credential, prior credentialModel) credentialModel {
	data := prior.Data
	if data.IsUnknown() {
		data = types.MapNull(types.StringType)
	}
	return credentialModel{
		ID:             types.StringValue(c.ID),
		WorkspaceID:    types.StringValue(c.WorkspaceID),
		OrganizationID: types.StringValue(c.OrganizationID),
		Name:           types.StringValue(c.Name),
		Type:           types.StringValue(c.Type),
		Description:    types.StringValue(c.Description),
		Scope:          types.StringValue(c.Scope),
		Data:           data,
		DataWO:         types.MapNull(types.StringType),
		DataWOVersion:  prior.DataWOVersion,
		OwnerID:        types.StringValue(c.OwnerID),
		Status:         types.StringValue(c.Status),
	}
}

// credentialPaths maps the API's field paths to attributes: the API's "data" is the
// data_wo attribute when the secret is given write-only.
func credentialPaths(writeOnly bool) framework.PathFunc {
	return func(field string) (path.Path, bool) {
		p, ok := framework.DefaultPath(field)
		if !ok || !writeOnly {
			return p, ok
		}
		if field == "data" {
			return path.Root("data_wo"), true
		}
		if key, ok := strings.CutPrefix(field, "data."); ok {
			return path.Root("data_wo").AtMapKey(key), true
		}
		return p, true
	}
}

func credentialName(name string) string { return fmt.Sprintf("credential %q", name) }

// ImportState accepts its id (cred_…), <workspace_id>/<credential_name> or <organization>/<workspace_name>/<credential_name> (see credentialImportForms).
func (r *credentialResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	credentialImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
}

// Identity is the credential's home workspace and id.
func (r *credentialResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "workspace_id", Description: "The credential's home workspace (ws_…)."},
		{Name: "id", Description: "The credential's id (cred_…)."},
	}}
}
