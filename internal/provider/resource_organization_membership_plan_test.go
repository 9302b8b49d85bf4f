package provider_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
)

// The last-admin check at plan time (rule 6), through ModifyPlan with a run cache over
// the fake platform (fakePlatform, helpers_test.go): acme (org_1) and its memberships;
// an organization other than acme and others is gone (404).

func orgMember(user, role, status string) api.OrganizationMembership {
	return api.OrganizationMembership{OrganizationID: "org_1", UserID: user, Email: user + "@example.com", Role: role, Status: status, Version: 1}
}

// memberState is a flero_organization_membership's state (or plan) in org_1.
func memberState(user, role string) map[string]tftypes.Value {
	return memberStateIn("org_1", user, role)
}

func memberStateIn(org, user, role string) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id": str(org + "/" + user), "organization_id": str(org), "email": str(user + "@example.com"),
		"role": str(role), "user_id": str(user), "status": str("active"),
	}
}

func withRole(m map[string]tftypes.Value, role tftypes.Value) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for k, v := range m {
		out[k] = v
	}
	out["role"] = role
	return out
}

// planMembership runs the membership's ModifyPlan. A direct ModifyPlan call has no
// framework private state (its type is internal to the framework), so a destroy's
// saving of the version read at plan time reports "Uninitialized ProviderData": that
// diagnostic is dropped, every other one is returned.
func planMembership(t *testing.T, run *planrun.Run, state, plan map[string]tftypes.Value, requiresReplace ...path.Path) diag.Diagnostics {
	t.Helper()
	var out diag.Diagnostics
	for _, d := range modifyPlanReplacing(t, fleroprovider.NewOrganizationMembershipResource(), run, state, plan, requiresReplace) {
		if d.Summary() != "Uninitialized ProviderData" {
			out = append(out, d)
		}
	}
	return out
}

func TestModifyPlan_lastAdminDemotedIsRefused(t *testing.T) {
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active"), orgMember("usr_m", "member", "active")}}
	state := memberState("usr_a", "admin")
	diags := planMembership(t, f.cache(), state, withRole(state, str("member")))
	requireOne(t, diags, diag.SeverityError, path.Root("role"), `Organization "acme" must keep at least one admin, and usr_a@example.com is its last admin`)
	if d := diags[0].Detail(); !strings.Contains(d, "Make another member an admin first") || strings.Contains(d, "removed block") {
		t.Fatalf("a demotion says what to do, and nothing about destroying: %s", d)
	}
	if n := f.lists.Load(); n != 1 {
		t.Fatalf("%d lists of the memberships, want 1", n)
	}
}

func TestModifyPlan_lastAdminRemovedIsRefused(t *testing.T) {
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active")}}
	diags := planMembership(t, f.cache(), memberState("usr_a", "admin"), nil)
	requireOne(t, diags, diag.SeverityError, path.Root("role"), "usr_a@example.com is its last admin")
	if d := diags[0].Detail(); !strings.Contains(d, "Make another member an admin first") || !strings.Contains(d, "lifecycle { destroy = false }") {
		t.Fatalf("a removal says what to do, also when the organization is destroyed too: %s", d)
	}
}

func TestModifyPlan_lastAdminReplacedIsRefused(t *testing.T) {
	// Another email replaces the membership: the old one is destroyed first.
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active")}}
	state := memberState("usr_a", "admin")
	plan := map[string]tftypes.Value{"organization_id": str("org_1"), "email": str("b@example.com"), "role": str("admin"), "id": unknown, "user_id": unknown, "status": unknown}
	diags := planMembership(t, f.cache(), state, plan, path.Root("email"))
	requireOne(t, diags, diag.SeverityError, path.Root("role"), "usr_a@example.com is its last admin")
}

func TestModifyPlan_anotherAdminRemainsIsFine(t *testing.T) {
	for name, other := range map[string]api.OrganizationMembership{
		"active":  orgMember("usr_b", "admin", "active"),
		"invited": orgMember("usr_b", "admin", "invited"), // the server counts an invited admin
	} {
		t.Run(name, func(t *testing.T) {
			f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active"), other}}
			run := f.cache()
			state := memberState("usr_a", "admin")
			if diags := planMembership(t, run, state, withRole(state, str("member"))); len(diags) != 0 {
				t.Fatalf("demoting one of two admins: %v", diags)
			}
			if diags := planMembership(t, f.cache(), state, nil); len(diags) != 0 {
				t.Fatalf("removing one of two admins: %v", diags)
			}
		})
	}
}

func TestModifyPlan_allAdminsRemovedInOnePlan(t *testing.T) {
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active"), orgMember("usr_b", "admin", "active"), orgMember("usr_m", "member", "active")}}
	run := f.cache()
	if diags := planMembership(t, run, memberState("usr_a", "admin"), nil); len(diags) != 0 {
		t.Fatalf("the first removal still leaves usr_b: %v", diags)
	}
	stateB := memberState("usr_b", "admin")
	diags := planMembership(t, run, stateB, withRole(stateB, str("member")))
	requireOne(t, diags, diag.SeverityError, path.Root("role"), "This plan also removes or demotes its other admins (usr_a@example.com)")
	if n := f.lists.Load(); n != 1 {
		t.Fatalf("%d lists of the memberships in one run, want 1", n)
	}
}

// TestModifyPlan_allAdminsRemovedConcurrently: Terraform plans in parallel; whatever
// the order, exactly one of the removals fails the plan.
func TestModifyPlan_allAdminsRemovedConcurrently(t *testing.T) {
	const n = 6
	for round := range 10 {
		f := &fakePlatform{}
		for i := range n {
			f.members = append(f.members, orgMember(fmt.Sprintf("usr_%d", i), "admin", "active"))
		}
		run := f.cache()
		var refused atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				state := memberState(fmt.Sprintf("usr_%d", i), "admin")
				plan := map[string]tftypes.Value(nil) // removed
				if i%2 == 1 {
					plan = withRole(state, str("member")) // demoted
				}
				for _, d := range planMembership(t, run, state, plan) {
					if d.Severity() == diag.SeverityError && strings.Contains(d.Detail(), "is its last admin") {
						refused.Add(1)
					} else {
						t.Errorf("unexpected diagnostic: %s: %s", d.Summary(), d.Detail())
					}
				}
			}()
		}
		wg.Wait()
		if got := refused.Load(); got != 1 {
			t.Fatalf("round %d: %d refusals, want exactly 1", round, got)
		}
	}
}

func TestModifyPlan_membersAndPromotionsNeedNoAdminLookup(t *testing.T) {
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active"), orgMember("usr_m", "member", "active")}}
	run := f.cache()
	if diags := planMembership(t, run, memberState("usr_m", "member"), nil); len(diags) != 0 {
		t.Fatalf("removing a member: %v", diags)
	}
	stateM := memberState("usr_m", "member")
	if diags := planMembership(t, run, stateM, withRole(stateM, str("admin"))); len(diags) != 0 {
		t.Fatalf("promoting a member: %v", diags)
	}
	// A change of the email's case only sends nothing: nothing to check.
	stateA := memberState("usr_a", "admin")
	caseOnly := withRole(stateA, str("admin"))
	caseOnly["email"] = str("USR_A@example.com")
	if diags := planMembership(t, run, stateA, caseOnly); len(diags) != 0 {
		t.Fatalf("an email case change: %v", diags)
	}
	if n := f.lists.Load(); n != 0 {
		t.Fatalf("%d lists of the memberships for no admin removed or demoted", n)
	}
}

func TestModifyPlan_adminNoLongerAdminOnThePlatform(t *testing.T) {
	// The state says admin, the platform says member (a plan with -refresh=false): the
	// server checks nothing, nor does the plan.
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "member", "active")}}
	if diags := planMembership(t, f.cache(), memberState("usr_a", "admin"), nil); len(diags) != 0 {
		t.Fatalf("%v", diags)
	}
}

func TestModifyPlan_lastAdminOfAnOrganizationAlreadyGone(t *testing.T) {
	f := &fakePlatform{}
	if diags := planMembership(t, f.cache(), memberStateIn("org_gone", "usr_a", "admin"), nil); len(diags) != 0 {
		t.Fatalf("an organization already gone leaves nothing to check: %v", diags)
	}
}

func TestModifyPlan_demotionToAnUnknownRoleIsCheckedAtApply(t *testing.T) {
	f := &fakePlatform{members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active")}}
	state := memberState("usr_a", "admin")
	diags := planMembership(t, f.cache(), state, withRole(state, unknown))
	requireOne(t, diags, diag.SeverityWarning, path.Root("role"), "keeps another admin if usr_a@example.com is demoted")
	if n := f.lists.Load(); n != 0 {
		t.Fatalf("%d lists for a role not known until apply", n)
	}
}

func TestModifyPlan_ssoRefusalComesBeforeTheLastAdmin(t *testing.T) {
	// The server checks SSO before the last admin: one error, SSO's.
	f := &fakePlatform{sso: true, members: []api.OrganizationMembership{orgMember("usr_a", "admin", "active")}}
	state := memberState("usr_a", "admin")
	diags := planMembership(t, f.cache(), state, withRole(state, str("member")))
	requireOne(t, diags, diag.SeverityError, path.Root("organization_id"), "single sign-on")
}
