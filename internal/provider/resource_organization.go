package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigure   = (*organizationResource)(nil)
	_ resource.ResourceWithImportState = (*organizationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationResource)(nil)
)

// NewOrganizationResource is the flero_organization resource.
func NewOrganizationResource() resource.Resource { return &organizationResource{} }

type organizationResource struct {
	framework.ResourceWithConfigure
}

type organizationModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	AvatarURL   types.String `tfsdk:"avatar_url"`
	Plan        types.String `tfsdk:"plan"`
	SSOEnabled  types.Bool   `tfsdk:"sso_enabled"`
}

func (r *organizationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (r *organizationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "An organization: it holds workspaces and teams. The token that creates it becomes its admin. " +
			"An organization that still has workspaces cannot be deleted: the plan of its destroy fails naming those this run does not destroy.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("The organization's id (org_…)."),
			"name": schema.StringAttribute{
				Description: "Name, unique on the platform. A name an organization the token sees already holds is an error at plan, naming it and its import command.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"description": framework.OptionalString("Free-text description.", validators.Description()),
			"avatar_url":  framework.OptionalString("https:// URL of the organization's avatar.", validators.EmptyOr(validators.HTTPSURL())),
			"plan": schema.StringAttribute{
				Description: "Subscription plan: free, pro or enterprise. Default free. Organization-scoped credentials need enterprise, " +
					"and an organization holding some cannot leave enterprise.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(string(rules.PlanFree)),
				Validators: []validator.String{validators.OneOf(rules.Plans...)},
			},
			"sso_enabled": schema.BoolAttribute{
				Description: "Whether organization roles come from the identity provider. When true, organization memberships cannot be managed through the API.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(false),
			},
		},
	}
}

func (r *organizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	org, err := r.Client().Organizations.Create(ctx, api.CreateOrganizationRequest{
		Name:        plan.Name.ValueString(),
		Description: plan.Description.ValueString(),
		AvatarURL:   plan.AvatarURL.ValueString(),
		Plan:        plan.Plan.ValueString(),
		SSOEnabled:  plan.SSOEnabled.ValueBool(),
	})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), organizationName(plan.Name.ValueString()), err,
			[]uniqueValue{{Kind: rules.NameOrganization, Value: plan.Name.ValueString()}}, nil)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, organizationFromAPI(org), org.Version)
}

func (r *organizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	r.Run().RecordRefresh(state.ID.ValueString())
	org, err := r.Client().Organizations.Get(ctx, state.ID.ValueString())
	framework.ReadState(ctx, resp, organizationName(state.Name.ValueString()), err, func() (any, int64) { return organizationFromAPI(org), org.Version })
}

func (r *organizationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	org, err := r.Client().Organizations.Update(ctx, state.ID.ValueString(), api.UpdateOrganizationRequest{
		Name:        framework.ChangedString(plan.Name, state.Name),
		Description: framework.ChangedString(plan.Description, state.Description),
		AvatarURL:   framework.ChangedString(plan.AvatarURL, state.AvatarURL),
		Plan:        framework.ChangedString(plan.Plan, state.Plan),
		SSOEnabled:  framework.ChangedBool(plan.SSOEnabled, state.SSOEnabled),
	}, opts)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", organizationName(state.Name.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, organizationFromAPI(org), org.Version)
}

func (r *organizationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	err := r.Client().Organizations.Delete(ctx, state.ID.ValueString(), opts)
	framework.AddDeleteError(&resp.Diagnostics, organizationName(state.Name.ValueString()), err)
}

// ImportState accepts the organization's id (org_…) or its name (organizationImportForms).
func (r *organizationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	segs, err := organizationImportForms.Split("organization", req.ID)
	if err == nil && len(segs) != 1 {
		err = organizationImportForms.Error("organization", req.ID, `it has more than one part: write a "/" in the name as %2F`)
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	if !r.Configured(&resp.Diagnostics) {
		return
	}
	org, err := resolveOrganization(ctx, r.Client(), segs[0])
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "import", fmt.Sprintf("organization %q (by id or name)", segs[0].Value), err)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), org.ID)...)
}

// ModifyPlan checks, at plan time, the token's right to change or delete the
// organization and the downgrade guard, and records the organization's planned plan and
// SSO setting for the resources planned after it.
func (r *organizationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if r.Run() == nil {
		return
	}
	if change != framework.Create {
		r.settleLastAdmins(ctx, req, resp, change == framework.Delete || change == framework.Replace)
	}
	if change == framework.NoChange {
		return
	}
	if change == framework.Create {
		// Creating an organization needs no right (its creator becomes its admin),
		// except to create it with SSO on (rule 11); its name must be free. The
		// run's ledger keeps it, with its planned plan and SSO setting, for the
		// resources planned after it whose organization_id is not known until apply.
		r.checkNameFree(ctx, req, resp, "")
		var plan organizationModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
		r.checkSSOSetting(ctx, &resp.Diagnostics, plan.Name.ValueString(), types.BoolValue(false), plan.SSOEnabled)
		p := planrun.Planned{Kind: planrun.KindOrganization, Name: knownString(plan.Name), Plan: knownString(plan.Plan)}
		if !plan.SSOEnabled.IsUnknown() {
			sso := plan.SSOEnabled.ValueBool()
			p.SSOEnabled = &sso
		}
		r.Run().RecordPlanned(p)
		return
	}
	var state organizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := state.ID.ValueString()

	if change == framework.Delete {
		r.Run().RecordDeletion(orgID)
		r.CheckManageToRemove(ctx, &resp.Diagnostics, rules.ManageOrganization, orgID, "", path.Root("id"))
		if !resp.Diagnostics.HasError() {
			checkOrganizationEmpty(ctx, &resp.Diagnostics, r.Client(), r.Run(), orgID, state.Name.ValueString())
		}
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, organizationName(state.Name.ValueString()), func(ctx context.Context) (int64, error) {
			o, err := r.Client().Organizations.Get(ctx, orgID)
			if err != nil {
				return 0, err
			}
			return o.Version, nil
		})
		return
	}

	var plan organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planned := planrun.PlannedOrganization{}
	if !plan.Plan.IsUnknown() {
		planned.Plan = plan.Plan.ValueString()
	}
	if !plan.SSOEnabled.IsUnknown() {
		sso := plan.SSOEnabled.ValueBool()
		planned.SSOEnabled = &sso
	}
	r.Run().RecordPlannedOrganization(orgID, planned)

	r.CheckManage(ctx, &resp.Diagnostics, rules.ManageOrganization, orgID, "", path.Root("id"))
	r.checkSSOSetting(ctx, &resp.Diagnostics, state.Name.ValueString(), state.SSOEnabled, plan.SSOEnabled)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Name.Equal(state.Name) {
		r.checkNameFree(ctx, req, resp, orgID)
	}

	// Rule 2: the downgrade guard.
	if plan.Plan.IsUnknown() {
		if state.Plan.ValueString() == string(rules.PlanEnterprise) {
			framework.WarnDependsOn(&resp.Diagnostics, path.Root("plan"),
				"the organization may leave the enterprise plan (it must hold no organization-scoped credential)", "its new plan")
		}
		return
	}
	from, to := rules.Plan(state.Plan.ValueString()), rules.Plan(plan.Plan.ValueString())
	if from != rules.PlanEnterprise || to == rules.PlanEnterprise {
		return
	}
	creds, err := r.Client().Credentials.ListByOrganization(ctx, orgID, client.CredentialListOptions{Scope: string(rules.ScopeOrganization)})
	if err != nil {
		framework.AddLookupError(&resp.Diagnostics, path.Root("plan"), "the organization-scoped credentials of "+organizationName(state.Name.ValueString()), err)
		return
	}
	// A credential this run deletes does not count: Terraform deletes it before it
	// updates the organization it depends on. Terraform plans a credential removed
	// from the configuration in no set order with this update: the plans not made yet
	// are waited for (planrun.Run.NotDeleted).
	name := map[string]string{}
	var ids []string
	for _, c := range creds {
		if c.Scope == string(rules.ScopeOrganization) {
			name[c.ID] = c.Name
			ids = append(ids, c.ID)
		}
	}
	var names []string
	for _, id := range r.Run().NotDeleted(ctx, ids) {
		names = append(names, name[id])
	}
	framework.AddViolation(&resp.Diagnostics, rules.CheckPlanChange(state.Name.ValueString(), from, to, names))
}

// checkSSOSetting reports at plan time a change of sso_enabled that the token may not
// make (rule 11, rules.CheckSSOSetting: platform admins only).
func (r *organizationResource) checkSSOSetting(ctx context.Context, diags *diag.Diagnostics, orgName string, from, to types.Bool) {
	if to.IsNull() || to.Equal(from) {
		return
	}
	me, err := r.Run().Me(ctx)
	if err != nil {
		framework.AddLookupError(diags, path.Root("sso_enabled"), "the provider's token", err)
		return
	}
	if to.IsUnknown() || from.IsUnknown() {
		if !me.PlatformAdmin {
			framework.WarnCheckedAtApply(diags, path.Root("sso_enabled"), strings.ToLower(rules.SSOSettingRule[:1])+rules.SSOSettingRule[1:])
		}
		return
	}
	framework.AddViolation(diags, rules.CheckSSOSetting(orgName, from.ValueBool(), to.ValueBool(), me.PlatformAdmin))
}

// checkNameFree reports at plan time a name that another organization holds (among
// those the token sees); self is the organization's own id ("" for a create).
func (r *organizationResource) checkNameFree(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, self string) {
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	checkNameFree(ctx, &resp.Diagnostics, r.Client(), r.Run(), uniqueValue{Kind: rules.NameOrganization, Value: name.ValueString()}, self)
}

// settleLastAdmins records whether this run deletes the organization and refuses, when
// it keeps it, the destroys of its last admin's membership planned before as left to
// its deletion (planrun.LeaveToOrganizationDelete: a destroy plan that targets the
// membership, or -refresh=false).
func (r *organizationResource) settleLastAdmins(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, deleted bool) {
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() || id.ValueString() == "" {
		return
	}
	left := r.Run().RecordOrganizationFate(id.ValueString(), deleted)
	if deleted || len(left) == 0 {
		return
	}
	var name types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
	for _, email := range left {
		v := *rules.CheckLastAdmin(name.ValueString(), email, 0)
		v.Message += " This plan destroys its membership and keeps the organization." + destroyTogetherHint
		framework.AddViolationAt(&resp.Diagnostics, &v, path.Root("id"))
	}
}

func organizationFromAPI(o *api.Organization) organizationModel {
	return organizationModel{
		ID:          types.StringValue(o.ID),
		Name:        types.StringValue(o.Name),
		Description: types.StringValue(o.Description),
		AvatarURL:   types.StringValue(o.AvatarURL),
		Plan:        types.StringValue(o.Plan),
		SSOEnabled:  types.BoolValue(o.SSOEnabled),
	}
}

func organizationName(name string) string { return fmt.Sprintf("organization %q", name) }

// Identity is the organization's id.
func (r *organizationResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "id", Description: "The organization's id (org_…)."},
	}}
}
