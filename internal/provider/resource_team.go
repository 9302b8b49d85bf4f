package provider

import (
	"context"
	"fmt"

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
	_ resource.ResourceWithConfigure   = (*teamResource)(nil)
	_ resource.ResourceWithImportState = (*teamResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*teamResource)(nil)
)

// NewTeamResource is the flero_team resource.
func NewTeamResource() resource.Resource { return &teamResource{} }

type teamResource struct {
	framework.ResourceWithConfigure
}

type teamModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	AvatarURL      types.String `tfsdk:"avatar_url"`
}

func (r *teamResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (r *teamResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A team of an organization: a group of its members that can be given workspace roles together.",
		Attributes: map[string]schema.Attribute{
			"id": framework.IDAttribute("The team's id (team_…)."),
			"organization_id": schema.StringAttribute{
				Description:   "The organization the team belongs to. Changing it replaces the team.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Description: "Name, unique in the organization. A name another team holds is an error at plan, naming it and its import command.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"description": framework.OptionalString("Free-text description.", validators.Description()),
			"avatar_url":  framework.OptionalString("https:// URL of the team's avatar.", validators.EmptyOr(validators.HTTPSURL())),
		},
	}
}

func (r *teamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	ws, err := r.Client().Teams.Create(ctx, plan.OrganizationID.ValueString(), api.CreateTeamRequest{
		Name:        plan.Name.ValueString(),
		Description: plan.Description.ValueString(),
		AvatarURL:   plan.AvatarURL.ValueString(),
	})
	if err != nil {
		addCreateError(ctx, &resp.Diagnostics, r.Client(), teamName(plan.Name.ValueString()), err, []uniqueValue{teamUnique(plan)}, nil)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, teamFromAPI(ws), ws.Version)
}

func (r *teamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	ws, err := r.Run().ReadTeam(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
	framework.ReadState(ctx, resp, teamName(state.Name.ValueString()), err, func() (any, int64) { return teamFromAPI(ws), ws.Version })
}

func (r *teamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	ws, err := r.Client().Teams.Update(ctx, state.ID.ValueString(), api.UpdateTeamRequest{
		Name:        framework.ChangedString(plan.Name, state.Name),
		Description: framework.ChangedString(plan.Description, state.Description),
		AvatarURL:   framework.ChangedString(plan.AvatarURL, state.AvatarURL),
	}, opts)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "update", teamName(state.Name.ValueString()), err)
		return
	}
	framework.SetState(ctx, &resp.Diagnostics, &resp.State, resp.Private, teamFromAPI(ws), ws.Version)
}

func (r *teamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	opts, diags := framework.WriteOptions(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.Configured(&resp.Diagnostics) {
		return
	}

	err := r.Client().Teams.Delete(ctx, state.ID.ValueString(), opts)
	framework.AddDeleteError(&resp.Diagnostics, teamName(state.Name.ValueString()), err)
}

// ModifyPlan checks at plan time that the token may create, change or delete the team
// (organization admins only).
func (r *teamResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	change := framework.ChangeOf(req, resp)
	if change == framework.NoChange || r.Run() == nil {
		return
	}
	var plan, state teamModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgPath := path.Root("organization_id")

	switch change {
	case framework.Update:
		r.CheckManage(ctx, &resp.Diagnostics, rules.ManageTeams, state.OrganizationID.ValueString(), "", path.Root("id"))
		if !resp.Diagnostics.HasError() && !plan.Name.Equal(state.Name) {
			checkNameFree(ctx, &resp.Diagnostics, r.Client(), r.Run(), teamUnique(plan), state.ID.ValueString())
		}
	case framework.Delete:
		r.Run().RecordDeletion(state.ID.ValueString())
		r.CheckManageToRemove(ctx, &resp.Diagnostics, rules.ManageTeams, state.OrganizationID.ValueString(), "", orgPath)
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, teamName(state.Name.ValueString()), func(ctx context.Context) (int64, error) {
			t, err := r.Run().ReadTeam(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
			if err != nil {
				return 0, err
			}
			return t.Version, nil
		})
	case framework.Replace:
		r.Run().RecordDeletion(state.ID.ValueString())
		r.CheckManageToRemove(ctx, &resp.Diagnostics, rules.ManageTeams, state.OrganizationID.ValueString(), "", orgPath)
		fallthrough
	case framework.Create:
		checkCreateIn(ctx, r.Run(), &resp.Diagnostics, &r.ResourceWithConfigure, rules.ManageTeams, plan.OrganizationID)
		recordPlanned(r.Run(), planrun.KindTeam, plan.Name, plan.OrganizationID)
		if !plan.OrganizationID.IsUnknown() && !plan.OrganizationID.IsNull() {
			checkNameFree(ctx, &resp.Diagnostics, r.Client(), r.Run(), teamUnique(plan), state.ID.ValueString())
		}
	}
}

// teamUnique is a team's name, unique in its organization.
func teamUnique(m teamModel) uniqueValue {
	return uniqueValue{Kind: rules.NameTeam, Parent: m.OrganizationID.ValueString(), Value: m.Name.ValueString()}
}

func teamFromAPI(w *api.Team) teamModel {
	return teamModel{
		ID:             types.StringValue(w.ID),
		OrganizationID: types.StringValue(w.OrganizationID),
		Name:           types.StringValue(w.Name),
		Description:    types.StringValue(w.Description),
		AvatarURL:      types.StringValue(w.AvatarURL),
	}
}

func teamName(name string) string { return fmt.Sprintf("team %q", name) }

// ImportState accepts its id (team_…) or <organization>/<team_name> (see teamImportForms).
func (r *teamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	teamImport.importState(ctx, &r.ResourceWithConfigure, req, resp)
}

// Identity is the team's organization and id.
func (r *teamResource) Identity() framework.Identity {
	return framework.Identity{Attributes: []framework.IdentityAttribute{
		{Name: "organization_id", Description: "The team's organization (org_…)."},
		{Name: "id", Description: "The team's id (team_…)."},
	}}
}
