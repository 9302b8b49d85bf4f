package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestRemovalReviewReadsTheOrganizationsCredentialEventsOncePerRun: the reviews of
// several membership removals in one run read the organization's credential
// deletions and updates once (one list each), and each member's own creations once
// per removal, against the real server; the texts are those of a fresh read. A
// deletion of a credential through the run's client drops the lists: the next review
// sees it (a stale list would name the deleted credential as personal, as the token
// cannot read it). A write to something else keeps them.
func TestRemovalReviewReadsTheOrganizationsCredentialEventsOncePerRun(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	newClient := func(token string) *client.Client {
		c, err := client.New(client.Config{Endpoint: srv.URL, Token: token, PageSize: 500, RetryMax: -1, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := newClient(srv.AdminToken)
	org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "review-cache", Plan: "enterprise"})
	must(err)
	ws, err := admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "payments"})
	must(err)
	member := func(email, role string) (string, *client.Client) {
		id, token := srv.CreateUser(t, email)
		_, err := admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"})
		must(err)
		_, err = admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: id, Role: role})
		must(err)
		return id, newClient(token)
	}
	credential := func(c *client.Client, name, scope string) *api.Credential {
		cr, err := c.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: name, Type: "generic", Scope: scope, Data: map[string]string{"k": "v"}})
		must(err)
		return cr
	}
	aliceID, alice := member("alice@example.com", "admin") // may create a workspace-scoped credential
	bobID, bob := member("bob@example.com", "editor")
	carolID, _ := member("carol@example.com", "editor")
	a1 := credential(alice, "a1", "personal")
	a2 := credential(alice, "a2", "personal")
	newName := "a2-renamed"
	_, err = alice.Credentials.Update(ctx, a2.ID, api.UpdateCredentialRequest{Name: &newName}, client.WriteOptions{})
	must(err)
	a3 := credential(alice, "a3", "workspace") // the token reads it: not personal
	b1 := credential(bob, "b1", "personal")
	b2 := credential(bob, "b2", "personal")
	_, err = bob.Credentials.Update(ctx, b2.ID, api.UpdateCredentialRequest{Description: new(string)}, client.WriteOptions{})
	must(err) // an update that is no rename: b2 keeps its name
	must(bob.Credentials.Delete(ctx, b1.ID, client.WriteOptions{}))

	run := planrun.New(admin)
	const events = "/v1/organizations/{organization_id}/audit-events"
	review := func(userID string) []rules.PersonalCredential {
		t.Helper()
		creds, err := personalCredentialsOf(ctx, admin, run, org.ID, userID)
		must(err)
		return creds
	}
	pc := func(cr *api.Credential, name string) rules.PersonalCredential {
		return rules.PersonalCredential{Name: name, ID: cr.ID, WorkspaceName: "payments"}
	}
	srv.ResetCounters()
	if got, want := review(aliceID), []rules.PersonalCredential{pc(a1, "a1"), pc(a2, "")}; !reflect.DeepEqual(got, want) {
		t.Errorf("alice's personal credentials %+v, want %+v (a2 renamed: listed by id)", got, want)
	}
	if got, want := review(bobID), []rules.PersonalCredential{pc(b2, "b2")}; !reflect.DeepEqual(got, want) {
		t.Errorf("bob's personal credentials %+v, want %+v (b1 deleted)", got, want)
	}
	if got := review(carolID); len(got) != 0 {
		t.Errorf("carol's personal credentials %+v, want none", got)
	}
	// Two lists for the organization, one for each member's creations.
	if n := srv.Requests("GET", events); n != 2+3 {
		t.Fatalf("three removal reviews listed audit events %d times, want 5 (2 for the organization, 1 per member)", n)
	}

	// The run's client deletes a3: the lists are dropped, and alice's review does not
	// take a3, now unreadable, for a personal credential.
	must(admin.Credentials.Delete(ctx, a3.ID, client.WriteOptions{}))
	srv.ResetCounters()
	if got, want := review(aliceID), []rules.PersonalCredential{pc(a1, "a1"), pc(a2, "")}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a3's deletion, alice's personal credentials %+v, want %+v", got, want)
	}
	if n := srv.Requests("GET", events); n != 3 {
		t.Fatalf("after a credential's deletion the review listed audit events %d times, want 3 (the lists read again)", n)
	}

	// A write that records no credential event keeps them.
	_, err = admin.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "data"})
	must(err)
	srv.ResetCounters()
	review(carolID)
	if n := srv.Requests("GET", events); n != 1 {
		t.Fatalf("after a team's creation the review listed audit events %d times, want 1 (carol's creations)", n)
	}
}
