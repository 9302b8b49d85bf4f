package provider_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flero/terraform-provider-flero/internal/planrun"
	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
)

// These tests call ModifyPlan directly, with a run cache over a fake platform
// (fakePlatform, helpers_test.go): they
// show the plan-time warnings (which terraform-plugin-testing cannot assert) and
// that a no-change plan makes no look-up.

func TestModifyPlan_unknownOrganizationIsCheckedAtApply(t *testing.T) {
	f := &fakePlatform{}
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"organization_id": unknown, "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityWarning, path.Root("organization_id"), "will be checked at apply")
	if n := f.calls.Load(); n != 0 {
		t.Fatalf("%d look-ups for an unknown organization", n)
	}
}

func TestModifyPlan_ssoRefusesMembership(t *testing.T) {
	f := &fakePlatform{sso: true}
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"organization_id": str("org_1"), "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityError, path.Root("organization_id"), "single sign-on")
}

func TestModifyPlan_ssoPlannedInSameRunRefusesMembership(t *testing.T) {
	f := &fakePlatform{sso: false}
	run := f.cache()
	on := true
	run.RecordPlannedOrganization("org_1", planrun.PlannedOrganization{Plan: "pro", SSOEnabled: &on})
	diags := modifyPlan(t, fleroprovider.NewOrganizationMembershipResource(), run, nil, map[string]tftypes.Value{
		"organization_id": str("org_1"), "email": str("a@example.com"), "role": str("member"), "id": unknown, "user_id": unknown, "status": unknown,
	})
	requireOne(t, diags, diag.SeverityError, path.Root("organization_id"), "single sign-on")
}

func TestModifyPlan_noChangeMakesNoLookup(t *testing.T) {
	f := &fakePlatform{sso: true}
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
	f := &fakePlatform{}
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
	f := &fakePlatform{}
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
	f := &fakePlatform{}
	diags := modifyPlan(t, fleroprovider.NewTeamMembershipResource(), f.cache(), nil, map[string]tftypes.Value{
		"id": unknown, "team_id": str("team_1"), "user_id": str("usr_stranger"),
	})
	// The fake team lives in org_other (others), where usr_stranger is no member.
	requireOne(t, diags, diag.SeverityError, path.Root("user_id"), "User usr_stranger is not a member of organization")
}
