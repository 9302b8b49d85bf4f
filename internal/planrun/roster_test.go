package planrun

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
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

// TestRosterPiecesListAgainOnlyWhatAWriteChanged: a roster read again after a write
// lists again only what the write changed: a workspace's membership, that workspace's
// memberships; a team's membership, that team's; an organization membership created
// or changed, nothing (its answer is laid over the members read); a credential's
// write, nothing. A
// removal from the organization (whose user leaves every workspace and team) lists
// everything again. Every workspace's memberships listed again after each membership
// change made the apply of a change of N objects cost changes × workspaces lists.
func TestRosterPiecesListAgainOnlyWhatAWriteChanged(t *testing.T) {
	ctx := context.Background()
	lists := map[string]int{}
	count := func(what string) { lists[what]++ }
	run := NewWithFetchers(Fetchers{
		ListWorkspaces: func(_ context.Context, org string) ([]api.Workspace, error) {
			count("workspaces " + org)
			return []api.Workspace{{ID: "ws_1"}, {ID: "ws_2"}, {ID: "ws_3"}}, nil
		},
		ListTeams: func(_ context.Context, org string) ([]api.Team, error) {
			count("teams " + org)
			return []api.Team{{ID: "team_1"}, {ID: "team_2"}}, nil
		},
		ListOrganizationMemberships: func(_ context.Context, org string) ([]api.OrganizationMembership, error) {
			count("members " + org)
			return nil, nil
		},
		ListWorkspaceMemberships: func(_ context.Context, ws string) ([]api.WorkspaceMembership, error) {
			count(ws)
			return nil, nil
		},
		ListTeamMemberships: func(_ context.Context, team string) ([]api.TeamMembership, error) {
			count(team)
			return nil, nil
		},
	})
	// A roster as the provider reads it: every piece.
	read := func() {
		t.Helper()
		_, err := run.Roster(ctx, "org_1", func(ctx context.Context) (any, error) {
			wss, err := run.RosterWorkspaces(ctx, "org_1")
			if err != nil {
				return nil, err
			}
			for _, ws := range wss {
				if _, err := run.RosterWorkspaceMemberships(ctx, ws.ID); err != nil {
					return nil, err
				}
			}
			teams, err := run.RosterTeams(ctx, "org_1")
			if err != nil {
				return nil, err
			}
			for _, tm := range teams {
				if _, err := run.RosterTeamMemberships(ctx, tm.ID); err != nil {
					return nil, err
				}
			}
			_, err = run.RosterMembers(ctx, "org_1")
			return nil, err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	all := []string{"workspaces org_1", "teams org_1", "members org_1", "ws_1", "ws_2", "ws_3", "team_1", "team_2"}
	read()
	read()
	for _, k := range all {
		if lists[k] != 1 {
			t.Fatalf("two reads listed %v, want each once", lists)
		}
	}
	for _, c := range []struct {
		w     client.Write
		again []string
	}{
		{client.Write{Method: "PATCH", Route: client.RouteWorkspaceMembership, IDs: []string{"ws_2", "user", "usr_1"}}, []string{"ws_2"}},
		{client.Write{Method: "POST", Route: client.RouteWorkspaceMemberships, IDs: []string{"ws_3"}}, []string{"ws_3"}},
		{client.Write{Method: "DELETE", Route: client.RouteTeamMembership, IDs: []string{"team_1", "usr_1"}}, []string{"team_1"}},
		{client.Write{Method: "PATCH", Route: client.RouteOrganizationMembership, IDs: []string{"org_1", "usr_1"},
			Object: &api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_1", Role: "admin"}}, nil}, // laid over the list
		{client.Write{Method: "POST", Route: client.RouteOrganizationMemberships, IDs: []string{"org_1"},
			Object: &api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_2", Role: "member"}}, nil},
		{client.Write{Method: "POST", Route: client.RouteOrganizationMemberships, IDs: []string{"org_1"}, Err: client.ErrNotFound}, []string{"members org_1"}},
		{client.Write{Method: "PATCH", Route: client.RouteWorkspace, IDs: []string{"ws_1"}}, []string{"workspaces org_1"}},
		{client.Write{Method: "DELETE", Route: client.RouteWorkspace, IDs: []string{"ws_1"}}, []string{"workspaces org_1", "ws_1"}},
		{client.Write{Method: "PATCH", Route: client.RouteTeam, IDs: []string{"team_2"}}, []string{"teams org_1"}},
		{client.Write{Method: "DELETE", Route: client.RouteTeam, IDs: []string{"team_2"}}, []string{"teams org_1", "team_2", "ws_1", "ws_2", "ws_3"}},
		{client.Write{Method: "PATCH", Route: client.RouteCredential, IDs: []string{"cred_1"}}, nil},
		{client.Write{Method: "PATCH", Route: client.RouteOrganization, IDs: []string{"org_1"}}, nil},
		{client.Write{Method: "DELETE", Route: client.RouteOrganizationMembership, IDs: []string{"org_1", "usr_1"}}, all},
		{client.Write{Method: "PATCH", Route: client.RouteWorkspaceMembership, IDs: []string{"ws_2", "user", "usr_1"}, Err: client.ErrNotFound}, []string{"ws_2"}},
	} {
		before := maps.Clone(lists)
		run.Wrote(ctx, c.w)
		read()
		if c.w.Object != nil {
			ms, _ := run.RosterMembers(ctx, "org_1")
			if want := *c.w.Object.(*api.OrganizationMembership); !slices.Contains(ms, want) {
				t.Fatalf("after %s %s the members are %+v, want %+v among them", c.w.Method, c.w.Route, ms, want)
			}
		}
		for _, k := range all {
			want := before[k]
			if slices.Contains(c.again, k) {
				want++
			}
			if lists[k] != want {
				t.Fatalf("after %s %s: %s listed %d times, want %d (%v)", c.w.Method, c.w.Route, k, lists[k], want, lists)
			}
		}
	}
}
