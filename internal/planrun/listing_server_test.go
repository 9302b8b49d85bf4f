package planrun

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestListingAnswersEqualTheGETs reads every kind of object of a tenancy through a
// run's listings against the real server, and checks each answer is exactly the
// object's own GET: a refresh from listings writes the same state as one GET per
// object. It also counts the requests.
func TestListingAnswersEqualTheGETs(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: srv.AdminToken, PageSize: 500, RetryMax: -1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "listing", Plan: "enterprise"})
	must(err)
	var wss []*api.Workspace
	var teams []*api.Team
	for i := range 3 {
		ws, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: fmt.Sprintf("ws-%d", i), Description: "d"})
		must(err)
		wss = append(wss, ws)
		tm, err := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: fmt.Sprintf("team-%d", i)})
		must(err)
		teams = append(teams, tm)
	}
	var users []string
	for i := range 6 {
		uid, _ := srv.CreateUser(t, fmt.Sprintf("u%d@example.com", i))
		_, err := c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: fmt.Sprintf("u%d@example.com", i), Role: "member"})
		must(err)
		users = append(users, uid)
	}
	_, err = c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "invited@example.com", Role: "member"})
	must(err)
	for i, ws := range wss {
		for _, u := range users[:4] {
			_, err := c.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: u, Role: "editor"})
			must(err)
		}
		_, err := c.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{TeamID: teams[i].ID, Role: "viewer"})
		must(err)
		for j, scope := range []string{"personal", "workspace", "organization"} {
			_, err := c.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{
				Name: fmt.Sprintf("cred-%d-%d", i, j), Type: "generic", Scope: scope, Data: map[string]string{"k": "v"}})
			must(err)
		}
	}
	for _, tm := range teams {
		for _, u := range users[:3] {
			_, err := c.TeamMemberships.Create(ctx, tm.ID, api.CreateTeamMembershipRequest{UserID: u})
			must(err)
		}
	}

	// What a refresh reads, in the shape of the provider's Reads.
	type read struct {
		name string
		get  func() (any, error) // the object's own GET
		run  func(*Run) (any, error)
	}
	var reads []read
	add := func(name string, get func() (any, error), run func(*Run) (any, error)) {
		reads = append(reads, read{name, get, run})
	}
	oms, err := c.OrganizationMemberships.List(ctx, org.ID)
	must(err)
	for _, m := range oms {
		add("organization membership "+m.UserID,
			func() (any, error) { return c.OrganizationMemberships.Get(ctx, org.ID, m.UserID) },
			func(r *Run) (any, error) { return r.ReadOrganizationMembership(ctx, org.ID, m.UserID) })
	}
	creds, err := c.Credentials.ListByOrganization(ctx, org.ID, client.CredentialListOptions{})
	must(err)
	if len(creds) != 9 {
		t.Fatalf("%d credentials listed, want 9 (the admin sees its own personal ones)", len(creds))
	}
	for _, cr := range creds {
		add("credential "+cr.Name,
			func() (any, error) { return c.Credentials.Get(ctx, cr.ID) },
			func(r *Run) (any, error) { return r.ReadCredential(ctx, org.ID, cr.ID) })
	}
	for _, ws := range wss {
		add("workspace "+ws.Name,
			func() (any, error) { return c.Workspaces.Get(ctx, ws.ID) },
			func(r *Run) (any, error) { return r.ReadWorkspace(ctx, org.ID, ws.ID) })
		wms, err := c.WorkspaceMemberships.List(ctx, ws.ID)
		must(err)
		for _, m := range wms {
			add("workspace membership "+m.PrincipalID,
				func() (any, error) { return c.WorkspaceMemberships.Get(ctx, ws.ID, m.PrincipalType, m.PrincipalID) },
				func(r *Run) (any, error) {
					return r.ReadWorkspaceMembership(ctx, ws.ID, m.PrincipalType, m.PrincipalID)
				})
		}
	}
	for _, tm := range teams {
		add("team "+tm.Name,
			func() (any, error) { return c.Teams.Get(ctx, tm.ID) },
			func(r *Run) (any, error) { return r.ReadTeam(ctx, org.ID, tm.ID) })
		for _, u := range users[:3] {
			add("team membership "+u,
				func() (any, error) { return c.TeamMemberships.Get(ctx, tm.ID, u) },
				func(r *Run) (any, error) { return r.ReadTeamMembership(ctx, tm.ID, u) })
		}
	}
	// Objects that are gone read as not found, listing or not.
	add("deleted team membership",
		func() (any, error) { return c.TeamMemberships.Get(ctx, teams[0].ID, users[5]) },
		func(r *Run) (any, error) { return r.ReadTeamMembership(ctx, teams[0].ID, users[5]) })

	run := New(c)
	srv.ResetCounters()
	for _, rd := range reads {
		got, gotErr := rd.run(run)
		want, wantErr := rd.get()
		if errShape(gotErr) != errShape(wantErr) {
			t.Errorf("%s: run read error %v, GET error %v", rd.name, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: run read %+v, GET %+v", rd.name, got, want)
		}
	}
	// Every read was paired with a GET of ours: subtract those.
	runRequests := srv.TotalRequests() - int64(len(reads))
	t.Logf("%d objects read through the run with %d requests", len(reads), runRequests)
	// Collections: 1 organization's memberships, 1 organization's credentials,
	// workspaces and teams, 3 workspaces' and 3 teams' memberships: a GET and a list
	// each, plus the GET of the deleted membership (missing from its listing).
	if want := int64(2*(4+3+3) + 1); runRequests != want {
		t.Errorf("%d requests for %d reads, want %d", runRequests, len(reads), want)
	}
}

// errShape is an error without its request id.
func errShape(err error) string {
	if err == nil {
		return "<nil>"
	}
	if ae, ok := client.AsAPIError(err); ok {
		return fmt.Sprintf("%d %s %s", ae.Status, ae.Code, ae.Message)
	}
	return err.Error()
}
