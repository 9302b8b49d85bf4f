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
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ resource.ResourceWithConfigure   = (*workspaceResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*workspaceResource)(nil)
)

// NewWorkspaceResource is the flero_workspace resource.
func NewWorkspaceResource() resource.Resource { return &workspaceResource{} }

type workspaceResource struct {
	framework.ResourceWithConfigure
}

type workspaceModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	AvatarURL      types.String `tfsdk:"avatar_url"`
	CustomDomain   types.String `tfsdk:"custom_domain"`
}

func (r *workspaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (r *workspaceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A workspace of an organization: where credentials live and workflows run. " +
			"A workspace that still holds credentials cannot be deleted: the plan of its destroy fails naming those this run does not destroy " +
			"(made outside this configuration, or kept by it).",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("The workspace's id (ws_…)."),
			"organization_id": schema.StringAttribute{
				Description:   "The organization the workspace belongs to. Changing it replaces the workspace.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Description: "Name, unique in the organization. A name another workspace holds is an error at plan, naming it and its import command.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"description":   framework.OptionalString("Free-text description.", validators.Description()),
			"avatar_url":    framework.OptionalString("https:// URL of the workspace's avatar.", validators.EmptyOr(validators.HTTPSURL())),
			"custom_domain": framework.OptionalString("Custom domain such as flows.example.com, unique on the platform. A domain another workspace of the organization holds is an error at plan.", validators.EmptyOr(validators.Domain())),
		},
	}
}

func (r *workspaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	ws, err := r.Client().Workspaces.Create(ctx, plan.OrganizationID.ValueString(), api.CreateWorkspaceRequest{
		Name:         plan.Name.ValueString(),
		Description:  plan.Description.ValueString(),
		AvatarURL:    plan.AvatarURL.ValueString(),
		CustomDomain: plan.CustomDomain.ValueString(),
	})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), workspaceName(plan.Name.ValueString()), err, workspaceUnique(plan), nil)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, workspaceFromAPI(ws), ws.Version)
}

func (r *workspaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	r.Run().RecordRefresh(state.ID.ValueString())
	ws, err := r.Run().ReadWorkspace(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
	framework.ReadState(ctx, resp, workspaceName(state.Name.ValueString()), err, func() (any, int64) { return workspaceFromAPI(ws), ws.Version })
}

func (r *workspaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	ws, err := r.Client().Workspaces.Update(ctx, state.ID.ValueString(), api.UpdateWorkspaceRequest{
		Name:         framework.ChangedString(plan.Name, state.Name),
		Description:  framework.ChangedString(plan.Description, state.Description),
		AvatarURL:    framework.ChangedString(plan.AvatarURL, state.AvatarURL),
		CustomDomain: framework.ChangedString(plan.CustomDomain, state.CustomDomain),
	}, opts)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", workspaceName(state.Name.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, workspaceFromAPI(ws), ws.Version)
}

func (r *workspaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	err := r.Client().Workspaces.Delete(ctx, state.ID.ValueString(), opts)
	framework.AddDeleteError(&resp.Diagnostics, workspaceName(state.Name.ValueString()), err)
}

// ModifyPlan checks at plan time that the token may create, change or delete the
// workspace (organization admin; workspace admins and owners may change its settings).
func (r *workspaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if r.Run() == nil {
		return
	}
	var plan, state workspaceModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if change == framework.NoChange || change == framework.Update {
		r.Run().RecordKept(state.ID.ValueString()) // rule 9: its organization keeps it
	}
	if change == framework.NoChange {
		return
	}
	orgPath := path.Root("organization_id")

	switch change {
	case framework.Update:
		r.CheckManage(ctx, &resp.Diagnostics, rules.ManageWorkspaceSettings, state.OrganizationID.ValueString(), state.ID.ValueString(), path.Root("id"))
		if !resp.Diagnostics.HasError() {
			r.checkUnique(ctx, &resp.Diagnostics, changedOnly(plan, state), state.ID.ValueString())
		}
	case framework.Delete:
		r.Run().RecordDeletion(state.ID.ValueString())
		r.CheckManageToRemove(ctx, &resp.Diagnostics, rules.ManageWorkspaces, state.OrganizationID.ValueString(), "", orgPath)
		if !resp.Diagnostics.HasError() {
			checkWorkspaceEmpty(ctx, &resp.Diagnostics, r.Client(), r.Run(), state.ID.ValueString(), state.Name.ValueString())
		}
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, workspaceName(state.Name.ValueString()), func(ctx context.Context) (int64, error) {
			ws, err := r.Run().ReadWorkspace(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
			if err != nil {
				return 0, err
			}
			return ws.Version, nil
		})
	case framework.Replace:
		r.Run().RecordDeletion(state.ID.ValueString())
		r.CheckManageToRemove(ctx, &resp.Diagnostics, rules.ManageWorkspaces, state.OrganizationID.ValueString(), "", orgPath)
		fallthrough
	case framework.Create:
		checkCreateIn(ctx, r.Run(), &resp.Diagnostics, &r.ResourceWithConfigure, rules.ManageWorkspaces, plan.OrganizationID)
		recordPlanned(r.Run(), planrun.KindWorkspace, plan.Name, plan.OrganizationID)
		if !plan.OrganizationID.IsUnknown() && !plan.OrganizationID.IsNull() {
			r.checkUnique(ctx, &resp.Diagnostics, plan, state.ID.ValueString())
		}
	}
}

func workspaceFromAPI(w *api.Workspace) workspaceModel {
	return workspaceModel{
		ID:             types.StringValue(w.ID),
		OrganizationID: types.StringValue(w.OrganizationID),
		Name:           types.StringValue(w.Name),
		Description:    types.StringValue(w.Description),
		AvatarURL:      types.StringValue(w.AvatarURL),
		CustomDomain:   types.StringValue(w.CustomDomain),
	}
}

// workspaceUnique is what must be unique in a workspace: its name in its organization
// and its custom domain on the platform (looked for in its organization).
func workspaceUnique(m workspaceModel) []uniqueValue {
	org := m.OrganizationID.ValueString()
	return []uniqueValue{
		{Kind: rules.NameWorkspace, Parent: org, Value: m.Name.ValueString()},
		{Kind: rules.NameCustomDomain, Parent: org, Value: m.CustomDomain.ValueString()},
	}
}

// checkUnique reports at plan time a name or custom domain that another workspace
// holds; self is the workspace's own id ("" for a create).
func (r *workspaceResource) checkUnique(ctx context.Context, diags *diag.Diagnostics, m workspaceModel, self string) {
	for _, v := range workspaceUnique(m) {
		checkNameFree(ctx, diags, r.Client(), r.Run(), v, self)
	}
}

// changedOnly keeps the unique values an update changes (the others are already the
// workspace's own).
func changedOnly(plan, state workspaceModel) workspaceModel {
	if plan.Name.Equal(state.Name) {
		plan.Name = types.StringNull()
	}
	if plan.CustomDomain.Equal(state.CustomDomain) {
		plan.CustomDomain = types.StringNull()
	}
	return plan
}

func workspaceName(name string) string { return fmt.Sprintf("workspace %q", name) }

// ImportState accepts its id (ws_…) or <organization>/<workspace_name> (see workspaceImportForms).
func (r *workspaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	workspaceImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
}

// Identity is the workspace's organization and id.
func (r *workspaceResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "organization_id", Description: "The workspace's organization (org_…)."},
		{Name: "id", Description: "The workspace's id (ws_…)."},
	}}
}
