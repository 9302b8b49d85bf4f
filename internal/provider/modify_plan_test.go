package provider_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
)

// These tests call ModifyPlan directly, with a run cache over fake look-ups: they
// show the plan-time warnings (which terraform-plugin-testing cannot assert) and
// that a no-change plan makes no look-up.

type fakeAPI struct {
	calls atomic.Int64
	sso   bool
}

func (f *fakeAPI) cache() *planrun.Cache {
	return planrun.NewWithFetchers(planrun.Fetchers{
		Access: func(_ context.Context, org, ws string) (*api.Access, error) {
			f.calls.Add(1)
			return &api.Access{UserID: "usr_me", OrganizationID: org, WorkspaceID: ws, OrgRole: "admin"}, nil
		},
		Organization: func(_ context.Context, id string) (*api.Organization, error) {
			f.calls.Add(1)
			return &api.Organization{ID: id, Name: "acme", Plan: "pro", SSOEnabled: f.sso}, nil
		},
		Workspace: func(_ context.Context, id string) (*api.Workspace, error) {
			f.calls.Add(1)
			return &api.Workspace{ID: id, OrganizationID: "org_1", Name: "prod"}, nil
		},
		Team: func(_ context.Context, id string) (*api.Team, error) {
			f.calls.Add(1)
			return &api.Team{ID: id, OrganizationID: "org_other", Name: "outsiders"}, nil
		},
		OrganizationMembership: func(_ context.Context, org, user string) (*api.OrganizationMembership, error) {
			f.calls.Add(1)
			if user == "usr_stranger" {
				return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
			}
			return &api.OrganizationMembership{OrganizationID: org, UserID: user}, nil
		},
	})
}

// modifyPlan runs r's ModifyPlan for a change from state to plan (nil means null:
// create or destroy). Attributes left out are null.
func modifyPlan(t *testing.T, r resource.Resource, run *planrun.Cache, state, plan map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	return modifyPlanReplacing(t, r, run, state, plan, nil)
}

// modifyPlanReplacing is modifyPlan after the attribute plan modifiers asked to
// replace the resource for the attributes requiresReplace (none: no replacement).
func modifyPlanReplacing(t *testing.T, r resource.Resource, run *planrun.Cache, state, plan map[string]tftypes.Value, requiresReplace path.Paths) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	r.(resource.ResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{ProviderData: &framework.ProviderData{Run: run}}, &resource.ConfigureResponse{})
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	value := func(m map[string]tftypes.Value) tftypes.Value {
		if m == nil {
			return tftypes.NewValue(typ, nil)
		}
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			if v, ok := m[name]; ok {
				vals[name] = v
			} else {
				vals[name] = tftypes.NewValue(at, nil)
			}
		}
		return tftypes.NewValue(typ, vals)
	}
	req := resource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: sr.Schema, Raw: value(plan)},
		Plan:   tfsdk.Plan{Schema: sr.Schema, Raw: value(plan)},
		State:  tfsdk.State{Schema: sr.Schema, Raw: value(state)},
	}
	resp := resource.ModifyPlanResponse{Plan: req.Plan, RequiresReplace: requiresReplace}
	r.(resource.ResourceWithModifyPlan).ModifyPlan(ctx, req, &resp)
	return resp.Diagnostics
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var unknown = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

func requireOne(t *testing.T, diags diag.Diagnostics, severity diag.Severity, at path.Path, contains string) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %d: %v", len(diags), diags)
	}
	d := diags[0]
	wp, ok := d.(diag.DiagnosticWithPath)
	if d.Severity() != severity || !ok || !wp.Path().Equal(at) || !strings.Contains(d.Summary()+" "+d.Detail(), contains) {
		t.Fatalf("want a %v on %s containing %q, got %v %q: %s", severity, at, contains, d.Severity(), d.Summary(), d.Detail())
	}
}

func TestModifyPlan_unknownOrganizationIsCheckedAtApply(t *testing.T) {
	f := &fakeAPI{}
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"organization_id": unknown, "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityWarning, path.Root("organization_id"), "will be checked at apply")
	if n := f.calls.Load(); n != 0 {
		t.Fatalf("%d look-ups for an unknown organization", n)
	}
}

func TestModifyPlan_ssoRefusesMembership(t *testing.T) {
	f := &fakeAPI{sso: true}
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"organization_id": str("org_1"), "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityError, path.Root("organization_id"), "single sign-on")
}

func TestModifyPlan_ssoPlannedInSameRunRefusesMembership(t *testing.T) {
	f := &fakeAPI{sso: false}
	run := f.cache()
	on := true
	run.RecordPlannedOrganization("org_1", planrun.PlannedOrganization{Plan: "pro", SSOEnabled: &on})
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), run, nil, map[string]tftypes.Value{
		"organization_id": str("org_1"), "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityError, path.Root("organization_id"), "single sign-on")
}

func TestModifyPlan_noChangeMakesNoLookup(t *testing.T) {
	f := &fakeAPI{sso: true}
	m := map[string]tftypes.Value{
		"id": str("org_1/usr_1"), "organization_id": str("org_1"), "email": str("a@example.com"), "role": str("member"), "user_id": str("usr_1"), "status": str("active"),
	}
	if diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), f.cache(), m, m); len(diags) != 0 {
		t.Fatalf("a no-change plan reported %v", diags)
	}
	if n := f.calls.Load(); n != 0 {
		t.Fatalf("a no-change plan made %d look-ups", n)
	}
}

func TestModifyPlan_workspaceMembershipUnknownIDs(t *testing.T) {
	f := &fakeAPI{}
	diags := modifyPlan(t, fleroprovider.NewWorkspaceMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"id": unknown, "workspace_id": unknown, "user_id": str("usr_1"), "role": str("viewer"),
	})
	requireOne(t, diags, diag.SeverityWarning, path.Root("workspace_id"), "checked at apply")

	diags = modifyPlan(t, fleroprovider.NewWorkspaceMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"id": unknown, "workspace_id": str("ws_1"), "user_id": unknown, "role": str("viewer"),
	})
	requireOne(t, diags, diag.SeverityWarning, path.Root("user_id"), "checked at apply")
}

func TestModifyPlan_teamFromAnotherOrganization(t *testing.T) {
	f := &fakeAPI{}
	diags := modifyPlan(t, fleroprovider.NewWorkspaceMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"id": unknown, "workspace_id": str("ws_1"), "team_id": str("team_9"), "role": str("viewer"),
	})
	requireOne(t, diags, diag.SeverityError, path.Root("team_id"), `Team "outsiders" (team_9) belongs to another organization than this workspace's ("acme")`)
	// A team cannot be invited: the error says a team belongs to one organization.
	for _, d := range diags {
		if !strings.Contains(d.Detail(), "A team belongs to one organization") || strings.Contains(d.Detail(), "invite") {
			t.Fatalf("the error does not say why: %s", d.Detail())
		}
	}
}

func TestModifyPlan_userNotInOrganization(t *testing.T) {
	f := &fakeAPI{}
	diags := modifyPlan(t, fleroprovider.NewTeamMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"id": unknown, "team_id": str("team_1"), "user_id": str("usr_stranger"),
	})
	// The fake team lives in org_other; the fake organization is "acme".
	requireOne(t, diags, diag.SeverityError, path.Root("user_id"), "User usr_stranger is not a member of organization")
}
