package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/pgtest"
	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

const raceClients = 16

// twoInstances starts two servers on one PostgreSQL database.
func twoInstances(t *testing.T) (a, b *testserver.Server) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	a = testserver.Start(t, testserver.WithDatabase(dsn))
	b = testserver.Start(t, testserver.WithDatabase(dsn))
	return a, b
}

// via is the same caller, through another instance.
func (a *as) via(srv *testserver.Server) *as {
	c := *a
	c.srv = srv
	return &c
}

// storm runs fn for every client at once (released together) and waits.
func storm(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// TestTwoInstancesRaceForNames: 16 clients, half through each of two instances on one
// PostgreSQL database, create the same organization and workspace names at once:
// exactly one wins each name, the others are refused (409), nothing fails.
func TestTwoInstancesRaceForNames(t *testing.T) {
	srvA, srvB := twoInstances(t)
	adm := admin(t, srvA)
	org := create[api.Organization](adm, "/v1/organizations", api.CreateOrganizationRequest{Name: "race-names"})
	for round := range 6 {
		orgName, wsName := fmt.Sprintf("race-org-%d", round), fmt.Sprintf("race-ws-%d", round)
		var orgStatus, wsStatus [raceClients]int
		storm(raceClients, func(i int) {
			c := adm.via([]*testserver.Server{srvA, srvB}[i%2])
			if i%4 < 2 {
				orgStatus[i] = c.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: orgName}).status
			} else {
				wsStatus[i] = c.do("POST", "/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: wsName}).status
			}
		})
		for what, st := range map[string][raceClients]int{orgName: orgStatus, wsName: wsStatus} {
			won, lost := 0, 0
			for _, s := range st {
				switch s {
				case 0:
				case http.StatusCreated:
					won++
				case http.StatusConflict:
					lost++
				default:
					t.Errorf("%s: status %d", what, s)
				}
			}
			if won != 1 || lost != raceClients/2-1 {
				t.Errorf("%s: %d created, %d refused; want exactly 1 and %d (statuses %v)", what, won, lost, raceClients/2-1, st)
			}
		}
	}
	var list api.Page[api.Workspace]
	adm.via(srvB).do("GET", "/v1/organizations/"+org.ID+"/workspaces?limit=100", nil).want(200).into(&list)
	if len(list.Items) != 6 {
		t.Errorf("%d workspaces, want 6 (one per name)", len(list.Items))
	}
}

// TestTwoInstancesRaceToDemoteAdmins: an organization's four admins each try to demote
// themselves four times at once (16 clients, If-Match on the version they read, half
// through each instance): each admin is demoted at most once (one winner), exactly three
// are, and a reader through both instances never sees the organization without an
// admin.
func TestTwoInstancesRaceToDemoteAdmins(t *testing.T) {
	srvA, srvB := twoInstances(t)
	db, err := store.Open(srvA.DBPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for round := range 6 {
		nAdmins := 2 + 2*(round%2) // with two, both race for the last admin
		owner := user(t, srvA, fmt.Sprintf("owner-%d@example.com", round))
		org := create[api.Organization](owner, "/v1/organizations", api.CreateOrganizationRequest{Name: fmt.Sprintf("race-admins-%d", round)})
		admins := []*as{owner}
		for k := 1; k < nAdmins; k++ {
			u := user(t, srvA, fmt.Sprintf("admin-%d-%d@example.com", round, k))
			create[api.OrganizationMembership](owner, "/v1/organizations/"+org.ID+"/memberships",
				api.CreateOrganizationMembershipRequest{Email: fmt.Sprintf("admin-%d-%d@example.com", round, k), Role: "admin"})
			admins = append(admins, u)
		}
		versions := make([]int64, len(admins))
		for k, u := range admins {
			versions[k] = get[api.OrganizationMembership](u, "/v1/organizations/"+org.ID+"/memberships/"+u.id).Version
		}

		stop := make(chan struct{})
		watched := make(chan int, 1)
		go func() { // the watcher: a snapshot of the database always shows an admin
			reads := 0
			defer func() { watched <- reads }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := dbAdmins(db, org.ID)
				reads++
				if err != nil || n == 0 {
					t.Errorf("watcher: %d admins (%v)", n, err)
					return
				}
			}
		}()

		var status [raceClients]int
		storm(raceClients, func(i int) {
			k := i % len(admins)
			c := admins[k].via([]*testserver.Server{srvA, srvB}[(i/len(admins))%2])
			status[i] = c.do("PATCH", "/v1/organizations/"+org.ID+"/memberships/"+c.id, map[string]string{"role": "member"}, ifMatch(versions[k])...).status
		})
		close(stop)
		if reads := <-watched; reads == 0 {
			t.Error("the watcher read nothing")
		}

		demoted := 0
		for k := range admins {
			won := 0
			for i := k; i < raceClients; i += len(admins) {
				switch status[i] {
				case http.StatusOK:
					won++
				case http.StatusConflict, http.StatusPreconditionFailed, http.StatusForbidden:
				default:
					t.Errorf("round %d admin %d: status %d", round, k, status[i])
				}
			}
			if won > 1 {
				t.Errorf("round %d admin %d: demoted %d times; want one winner", round, k, won)
			}
			demoted += won
		}
		if n, err := dbAdmins(db, org.ID); err != nil || n != 1 || demoted != nAdmins-1 {
			t.Errorf("round %d: %d demotions succeeded, %d admins left (%v); want %d and 1 (statuses %v)", round, demoted, n, err, nAdmins-1, status)
		}
	}
}

// dbAdmins counts an organization's admins in one read transaction (a snapshot).
func dbAdmins(db *store.Store, orgID string) (int, error) {
	n := 0
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		ms, _, err := tx.ListOrganizationMemberships(orgID, "", 0, 100)
		for _, m := range ms {
			if m.Role == "admin" {
				n++
			}
		}
		return err
	})
	return n, err
}

// TestTwoInstancesIdempotentRetriesMakeOneObject: 16 clients send the same create with
// the same Idempotency-Key at once, half to each instance (retries that land on another
// instance while the first attempt is in flight), for several keys: every answer is a
// 201 for the same object, and each key made exactly one object.
func TestTwoInstancesIdempotentRetriesMakeOneObject(t *testing.T) {
	srvA, srvB := twoInstances(t)
	adm := admin(t, srvA)
	org := create[api.Organization](adm, "/v1/organizations", api.CreateOrganizationRequest{Name: "race-idem"})
	const keys = 8
	for key := range keys {
		var ids [raceClients]string
		var status [raceClients]int
		storm(raceClients, func(i int) {
			c := adm.via([]*testserver.Server{srvA, srvB}[i%2])
			var ws api.Workspace
			r := c.do("POST", "/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: fmt.Sprintf("idem-%d", key)},
				"Idempotency-Key", fmt.Sprintf("race-key-%d", key))
			status[i] = r.status
			if r.status == http.StatusCreated {
				r.into(&ws)
				ids[i] = ws.ID
			}
		})
		for i := range raceClients {
			if status[i] != http.StatusCreated || ids[i] != ids[0] {
				t.Errorf("key %d: answers %v ids %v; want 201 for one object every time", key, status, ids)
				break
			}
		}
	}
	var list api.Page[api.Workspace]
	adm.via(srvB).do("GET", "/v1/organizations/"+org.ID+"/workspaces?limit=100", nil).want(200).into(&list)
	if len(list.Items) != keys {
		t.Errorf("%d workspaces for %d keys; want one each", len(list.Items), keys)
	}
}

// TestTwoInstancesRaceDowngradeAgainstOrganizationCredentials: while 8 clients create
// organization-scoped credentials (enterprise only) through both instances, 8 others
// downgrade the organization to pro: never a pro organization holding an
// organization-scoped credential (the downgrade guard holds), whichever wins.
func TestTwoInstancesRaceDowngradeAgainstOrganizationCredentials(t *testing.T) {
	srvA, srvB := twoInstances(t)
	adm := admin(t, srvA)
	downgraded := 0
	for round := range 6 {
		org := create[api.Organization](adm, "/v1/organizations", api.CreateOrganizationRequest{Name: fmt.Sprintf("race-plan-%d", round), Plan: "enterprise"})
		ws := create[api.Workspace](adm, "/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "w"})
		var status [raceClients]int
		storm(raceClients, func(i int) {
			c := adm.via([]*testserver.Server{srvA, srvB}[(i/2)%2])
			if i%2 == 0 {
				status[i] = c.do("PATCH", "/v1/organizations/"+org.ID, map[string]string{"plan": "pro"}).status
			} else {
				status[i] = c.do("POST", "/v1/workspaces/"+ws.ID+"/credentials", api.CreateCredentialRequest{
					Name: fmt.Sprintf("shared-%d", i), Type: "slack", Scope: "organization", Data: map[string]string{"k": "v"}}).status
			}
		})
		for i, s := range status {
			if s >= 500 || s == 0 {
				t.Errorf("round %d client %d: status %d", round, i, s)
			}
		}
		final := get[api.Organization](adm.via(srvB), "/v1/organizations/"+org.ID)
		var creds api.Page[api.Credential]
		adm.via(srvA).do("GET", "/v1/organizations/"+org.ID+"/credentials?scope=organization&limit=100", nil).want(200).into(&creds)
		if final.Plan != "enterprise" {
			downgraded++
			if len(creds.Items) > 0 {
				t.Errorf("round %d: plan %s with %d organization-scoped credentials (statuses %v)", round, final.Plan, len(creds.Items), status)
			}
		}
	}
	t.Logf("%d of 6 rounds ended downgraded", downgraded)
}

// TestTwoInstancesRevocationReachesTheOther: a token revoked through one instance is
// refused at once by the other, which had just accepted it (no instance trusts a
// cache of tokens in a shared database).
func TestTwoInstancesRevocationReachesTheOther(t *testing.T) {
	srvA, srvB := twoInstances(t)
	u := user(t, srvA, "revoked@example.com")
	u.via(srvB).do("GET", "/v1/me", nil).want(200)
	u.via(srvA).do("GET", "/v1/me", nil).want(200)
	var page api.Page[api.Token]
	u.via(srvA).do("GET", "/v1/tokens", nil).want(200).into(&page)
	if len(page.Items) != 1 {
		t.Fatalf("%d tokens", len(page.Items))
	}
	u.via(srvA).do("DELETE", "/v1/tokens/"+page.Items[0].ID, nil).want(204)
	u.via(srvB).do("GET", "/v1/me", nil).want(401)
	u.via(srvB).do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "after-revocation"}).want(401)
}
