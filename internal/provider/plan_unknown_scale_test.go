package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/planrun"
)

// unknownPrincipalRun is a run whose ledger plans organizations orgs, w workspaces
// and m organization memberships, all with ids unknown until apply (as a tenancy
// created in one apply), and the containers an unknown workspace id names.
func unknownPrincipalRun(t testing.TB, orgs []string, w, m int) (*planrun.Run, []planrun.Container) {
	ctx := context.Background()
	run := planrun.NewWithFetchers(planrun.Fetchers{
		Me: func(context.Context) (*api.Me, error) { return &api.Me{User: api.User{ID: "usr_me"}}, nil },
	})
	for _, o := range orgs {
		run.RecordPlanned(planrun.Planned{Kind: planrun.KindOrganization, Name: o, Plan: "enterprise"})
	}
	for i := range w {
		run.RecordPlanned(planrun.Planned{Kind: planrun.KindWorkspace, Name: fmt.Sprintf("ws-%d", i)})
	}
	for i := range m {
		run.RecordPlanned(planrun.Planned{Kind: planrun.KindOrganizationMembership, Name: fmt.Sprintf("u-%d@example.com", i)})
	}
	containers, err := run.ContainerCandidates(ctx, planrun.KindWorkspace, "")
	if err != nil {
		t.Fatal(err)
	}
	return run, containers
}

// TestUnknownPrincipalVerdicts: a workspace membership whose workspace and user are
// both planned in this run is judged by organization, and says what judging every
// pair said: nothing when one organization is planned; with two, the warning counts
// every pair (3 workspaces and 4 invitations in each of 2 organizations: 48 pairs,
// half of them across organizations) and names the first refusal.
func TestUnknownPrincipalVerdicts(t *testing.T) {
	ctx := context.Background()
	run, containers := unknownPrincipalRun(t, []string{"acme"}, 3, 4)
	var diags diag.Diagnostics
	decidePrincipalInOrganization(ctx, run, &diags, "workspace_id", containers, types.StringUnknown(), false)
	if len(diags) != 0 {
		t.Fatalf("one organization: %v, want nothing", diags)
	}
	run, containers = unknownPrincipalRun(t, []string{"acme", "beta"}, 3, 4)
	diags = nil
	decidePrincipalInOrganization(ctx, run, &diags, "workspace_id", containers, types.StringUnknown(), false)
	if len(diags) != 1 {
		t.Fatalf("two organizations: %v, want one warning", diags)
	}
	want := `which of the objects planned in this run workspace_id and user_id names: 24 of 48 break the rule ` +
		`(User the user invited as "u-0@example.com" is not a member of organization "acme": invite them to the organization first.)`
	if d := diags[0].Detail(); !strings.Contains(d, want) {
		t.Fatalf("the warning says\n%s\nwant it to contain\n%s", d, want)
	}
}

// TestUnknownPrincipalCostGrowsWithTheCandidatesNotThePairs: judging such a
// membership allocates about as much with 40 workspaces and 400 invitations as with
// 10 and 100 (it judged every pair, and worded every invitation: 16 times more for 4
// times the objects, per membership).
func TestUnknownPrincipalCostGrowsWithTheCandidatesNotThePairs(t *testing.T) {
	ctx := context.Background()
	allocs := func(w, m int) float64 {
		run, containers := unknownPrincipalRun(t, []string{"acme"}, w, m)
		return testing.AllocsPerRun(5, func() {
			var diags diag.Diagnostics
			decidePrincipalInOrganization(ctx, run, &diags, "workspace_id", containers, types.StringUnknown(), false)
		})
	}
	small, large := allocs(10, 100), allocs(40, 400)
	t.Logf("allocations per membership: %.0f at 10 workspaces and 100 invitations, %.0f at 40 and 400", small, large)
	if large > 2*small {
		t.Fatalf("allocations grow from %.0f to %.0f for 4 times the planned objects, want at most twice", small, large)
	}
}
