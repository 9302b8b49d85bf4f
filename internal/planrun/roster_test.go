package planrun

import (
	"context"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// TestRosterReadOncePerRunUntilWhoHoldsARoleChanges: an organization's roster is read
// once for every review of the run; a credential's or API key's write keeps it, a
// write to a membership, team, workspace or organization drops it.
func TestRosterReadOncePerRunUntilWhoHoldsARoleChanges(t *testing.T) {
	ctx := context.Background()
	run := NewWithFetchers(Fetchers{})
	reads := 0
	fetch := func(context.Context) (any, error) { reads++; return reads, nil }
	get := func() any {
		t.Helper()
		v, err := run.Roster(ctx, "org_1", fetch)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	get()
	get()
	if reads != 1 {
		t.Fatalf("two reviews read the roster %d times, want 1", reads)
	}
	for _, w := range []client.Write{
		{Method: "PATCH", Route: client.RouteCredential, IDs: []string{"cred_1"}},
		{Method: "POST", Route: client.RouteWorkspaceCredentials, IDs: []string{"ws_1"}},
		{Method: "DELETE", Route: client.RouteAPIKey, IDs: []string{"key_1"}},
	} {
		run.Wrote(ctx, w)
		get()
		if reads != 1 {
			t.Fatalf("after %s %s the roster was read again (%d reads)", w.Method, w.Route, reads)
		}
	}
	for i, w := range []client.Write{
		{Method: "PATCH", Route: client.RouteWorkspaceMembership, IDs: []string{"ws_1", "user", "usr_1"}},
		{Method: "POST", Route: client.RouteTeamMemberships, IDs: []string{"team_1"}},
		{Method: "DELETE", Route: client.RouteOrganizationMembership, IDs: []string{"org_1", "usr_1"}},
		{Method: "POST", Route: client.RouteOrganizationWorkspaces, IDs: []string{"org_1"}},
		{Method: "DELETE", Route: client.RouteTeam, IDs: []string{"team_1"}},
	} {
		run.Wrote(ctx, w)
		if got := get(); got != i+2 {
			t.Fatalf("after %s %s the review read roster %v, want a new read (%d)", w.Method, w.Route, got, i+2)
		}
	}
}
