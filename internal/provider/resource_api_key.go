package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigValidators = (*apiKeyResource)(nil)
	_ resource.ResourceWithImportState      = (*apiKeyResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*apiKeyResource)(nil)
)

// NewAPIKeyResource is the flero_api_key resource.
func NewAPIKeyResource() resource.Resource { return &apiKeyResource{} }

type apiKeyResource struct {
	framework.ResourceWithConfigure
	framework.WithImportByID
}

type apiKeyModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	Name           types.String `tfsdk:"name"`
	ExpiresAt      types.String `tfsdk:"expires_at"`
	Keepers        types.Map    `tfsdk:"keepers"`
	Value          types.String `tfsdk:"value"`
	CreatedBy      types.String `tfsdk:"created_by"`
}

func (r *apiKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_key"
}

func (r *apiKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "A Flero API key (rule 14), created in an organization (it acts as an organization admin of that organization only) " +
			"or in a workspace (it acts as a workspace admin of that workspace only). A key has no scope: it acts where it is created. " +
			"The key's value is shown once, at creation, and the platform stores only its hash.\n\n" +
			"**The value lives in the Terraform state** (marked sensitive, but readable by anyone who can read the state). " +
			"To give a run a key without storing it anywhere, use the `flero_api_key` ephemeral resource instead (Terraform 1.10+, OpenTofu 1.11+): " +
			"it mints a short-lived key for the run and revokes it when the run ends.\n\n" +
			"Destroying the resource revokes the key. Changing `keepers` (or the key's place or expiry) replaces it: the old key is revoked and a new one created " +
			"(with `lifecycle { create_before_destroy = true }`, the new one is created first). After an import, `value` is null: the platform shows a key once.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("The key's id (key_…)."),
			"organization_id": schema.StringAttribute{
				Description:   "The organization the key is created in: it acts as an organization admin of this organization only. Exactly one of organization_id and workspace_id. Changing it replaces the key.",
				Optional:      true,
				PlanModifiers: replace,
			},
			"workspace_id": schema.StringAttribute{
				Description:   "The workspace the key is created in: it acts as a workspace admin of this workspace only. Exactly one of organization_id and workspace_id. Changing it replaces the key.",
				Optional:      true,
				PlanModifiers: replace,
			},
			"name": schema.StringAttribute{
				Description: "The key's name. Changing it renames the key in place.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"expires_at": schema.StringAttribute{
				Description:   "When the key expires, as an RFC 3339 time such as 2026-01-02T15:04:05Z; it must be in the future when the key is created. Unset: the key never expires. An expired key is refused by the platform. Changing it replaces the key.",
				Optional:      true,
				Validators:    []validator.String{validators.RFC3339()},
				PlanModifiers: replace,
			},
			"keepers": schema.MapAttribute{
				Description:   "Arbitrary values that, when changed, replace the key (a rotation): the old key is revoked and a new one created.",
				Optional:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"value": schema.StringAttribute{
				Description: "The key, to use as a provider's or a client's token. Sensitive, and stored in the Terraform state: " +
					"prefer the `flero_api_key` ephemeral resource, which never is. The platform shows it once: after an import it is null.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_by": schema.StringAttribute{
				Description:   "The user who created the key (through another key: the user who created that key).",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *apiKeyResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("organization_id"), path.MatchRoot("workspace_id")),
	}
}

func (r *apiKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	body := api.CreateAPIKeyRequest{Name: plan.Name.ValueString()}
	if !plan.ExpiresAt.IsNull() {
		t, _ := time.Parse(time.RFC3339, plan.ExpiresAt.ValueString()) // validated statically
		body.ExpiresAt = &t
	}
	k, err := createAPIKey(ctx, r.Client(), plan.OrganizationID, plan.WorkspaceID, body)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "create", apiKeyName(plan.Name.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, apiKeyFromAPI(k, plan), 0)
}

func (r *apiKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state apiKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	k, err := r.Client().APIKeys.Get(ctx, state.ID.ValueString())
	if err == nil && k.RevokedAt != nil {
		resp.State.RemoveResource(ctx) // revoked: the plan creates it again
		return
	}
	framework.ReadState(ctx, resp, apiKeyName(state.Name.ValueString()), err, func() (any, int64) { return apiKeyFromAPI(k, state), 0 })
}

func (r *apiKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state apiKeyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	k, err := r.Client().APIKeys.Update(ctx, state.ID.ValueString(), api.UpdateAPIKeyRequest{Name: framework.ChangedString(plan.Name, state.Name)})
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", apiKeyName(state.Name.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, apiKeyFromAPI(k, plan), 0)
}

func (r *apiKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state apiKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}
	err := r.Client().APIKeys.Revoke(ctx, state.ID.ValueString())
	framework.AddDeleteError(&resp.Diagnostics, apiKeyName(state.Name.ValueString()), err)
}

// ModifyPlan checks at plan time the token's right to create the key where it lives
// (rules.CheckManageAPIKey, with the token's reach when it is itself a key) and that
// its expiry is in the future.
func (r *apiKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if change != framework.Create && change != framework.Replace {
		return
	}
	var plan, state apiKeyModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkAPIKeyExpiry(&resp.Diagnostics, plan.ExpiresAt, path.Root("expires_at"))
	if r.Run() != nil {
		checkAPIKeyPlace(ctx, r.Run(), &resp.Diagnostics, plan.OrganizationID, plan.WorkspaceID)
	}
}

// checkAPIKeyExpiry refuses at plan an expiry that is not in the future.
func checkAPIKeyExpiry(diags *diag.Diagnostics, expiresAt types.String, at path.Path) {
	if expiresAt.IsNull() || expiresAt.IsUnknown() {
		return
	}
	t, err := time.Parse(time.RFC3339, expiresAt.ValueString())
	if err != nil {
		return // the static validator said it
	}
	framework.AddViolationAt(diags, rules.ValidateAPIKeyExpiry("expires_at", &t, time.Now()), at)
}

// checkAPIKeyPlace checks at plan the token's right to manage the keys of the
// organization or workspace (known ids only; an id known after apply is the
// platform's to judge).
func checkAPIKeyPlace(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, orgID, wsID types.String) {
	switch {
	case !orgID.IsNull() && !orgID.IsUnknown():
		at := path.Root("organization_id")
		if _, err := run.Organization(ctx, orgID.ValueString()); err != nil {
			framework.AddLookupError(diags, at, "organization "+orgID.ValueString(), err)
			return
		}
		actor, err := run.Actor(ctx, orgID.ValueString(), "")
		if err != nil {
			framework.AddLookupError(diags, at, "your access to organization "+orgID.ValueString(), err)
			return
		}
		framework.AddViolationAt(diags, rules.CheckManageAPIKey(actor, false), at)
	case !wsID.IsNull() && !wsID.IsUnknown():
		at := path.Root("workspace_id")
		ws, err := run.Workspace(ctx, wsID.ValueString())
		if err != nil {
			framework.AddLookupError(diags, at, "workspace "+wsID.ValueString(), err)
			return
		}
		actor, err := run.Actor(ctx, ws.OrganizationID, ws.ID)
		if err != nil {
			framework.AddLookupError(diags, at, fmt.Sprintf("your access to workspace %q", ws.Name), err)
			return
		}
		framework.AddViolationAt(diags, rules.CheckManageAPIKey(actor, true), at)
	}
}

func apiKeyName(name string) string { return fmt.Sprintf("API key %q", name) }

// apiKeyFromAPI is the key's state: what the platform answered, with what it does not
// keep or answer from prior (keepers; the value, shown once; the expiry as written when
// it is the same instant).
func apiKeyFromAPI(k *api.APIKey, prior apiKeyModel) apiKeyModel {
	m := apiKeyModel{
		ID:        types.StringValue(k.ID),
		Name:      types.StringValue(k.Name),
		CreatedBy: types.StringValue(k.CreatedBy),
		Keepers:   prior.Keepers,
		Value:     prior.Value,
		ExpiresAt: types.StringNull(),
	}
	if m.Keepers.IsUnknown() {
		m.Keepers = types.MapNull(types.StringType)
	}
	if k.Key != "" {
		m.Value = types.StringValue(k.Key)
	}
	if m.Value.IsUnknown() {
		m.Value = types.StringNull()
	}
	if k.WorkspaceID != "" {
		m.WorkspaceID, m.OrganizationID = types.StringValue(k.WorkspaceID), types.StringNull()
	} else {
		m.OrganizationID, m.WorkspaceID = types.StringValue(k.OrganizationID), types.StringNull()
	}
	if k.ExpiresAt != nil {
		m.ExpiresAt = types.StringValue(k.ExpiresAt.UTC().Format(time.RFC3339))
		if t, err := time.Parse(time.RFC3339, prior.ExpiresAt.ValueString()); err == nil && t.Equal(*k.ExpiresAt) {
			m.ExpiresAt = prior.ExpiresAt
		}
	}
	return m
}

// Identity is the key's id.
func (r *apiKeyResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "id", Description: "The key's id (key_…)."},
	}}
}
