package store

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/pgtest"
)

// TestPostgresWritersSerialisedAcrossStores: while one store (one server instance)
// holds a write transaction open, another store's write transaction on the same
// database waits for it (PostgreSQL shows it waiting on the advisory lock) and sees its
// commit when it runs: a read-check-write can never interleave with another instance's.
func TestPostgresWritersSerialisedAcrossStores(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	a, err := Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	inA, release, aDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		aDone <- a.Write(ctx, func(tx *Tx) error {
			close(inA)
			<-release
			o := api.Organization{Name: "first", Plan: "free"}
			return tx.InsertOrganization(&o)
		})
	}()
	<-inA
	var bRan atomic.Bool
	var bSawFirst bool
	bDone := make(chan error, 1)
	go func() {
		bDone <- b.Write(ctx, func(tx *Tx) error {
			bRan.Store(true)
			taken, err := tx.Taken("organization", "", "first", "")
			bSawFirst = taken
			return err
		})
	}()
	// Wait (no time limit: the test's own timeout) until PostgreSQL shows b's
	// transaction waiting for the advisory lock; b's function must not have run.
	for {
		if bRan.Load() {
			close(release)
			t.Fatal("a second store's write transaction ran while the first one was open")
		}
		var waiting int
		if err := a.r.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
	}
	close(release)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	if !bSawFirst {
		t.Error("the second transaction did not see the first one's commit")
	}
}

// TestPostgresStore runs the store's typed queries on PostgreSQL: what
// TestOpenMigrateReopen checks on SQLite, plus a constraint violation mapped to
// ErrConstraint and text PostgreSQL cannot store found nowhere.
func TestPostgresStore(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	s, err := Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Engine() != Postgres || !s.Shared() {
		t.Fatalf("engine %s", s.Engine())
	}
	token := NewToken()
	adminID, err := s.Bootstrap(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	var orgID string
	err = s.Write(ctx, func(tx *Tx) error {
		o := api.Organization{Name: "o", Plan: "free", SSOEnabled: true}
		if err := tx.InsertOrganization(&o); err != nil {
			return err
		}
		orgID = o.ID
		if err := tx.InsertOrganizationMembership(&api.OrganizationMembership{OrganizationID: o.ID, UserID: adminID, Role: "admin", Status: "active"}); err != nil {
			return err
		}
		w := api.Workspace{OrganizationID: o.ID, Name: "w"}
		if err := tx.InsertWorkspace(&w); err != nil {
			return err
		}
		c := Credential{Credential: api.Credential{WorkspaceID: w.ID, OrganizationID: o.ID, Name: "c", Type: "t", Scope: "workspace", OwnerID: adminID, Status: "active"}}
		return tx.InsertCredential(&c, map[string]string{"k": "secret"})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopened (another instance): the key kept in the database opens the sealed data.
	s, err = Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Read(ctx, func(tx *Tx) error {
		u, err := tx.UserByTokenHash(HashToken(token))
		if err != nil || u.ID != adminID || !u.PlatformAdmin {
			t.Errorf("user by token: %+v %v", u, err)
		}
		o, err := tx.Organization(orgID)
		if err != nil || !o.SSOEnabled {
			t.Errorf("organization: %+v %v", o, err)
		}
		orgs, _, err := tx.ListOrganizations(adminID, "", 0, 10, nil)
		if err != nil || len(orgs) != 1 {
			t.Errorf("organizations: %v %v", orgs, err)
		}
		ok, err := tx.MemberOfAny(adminID, []string{"org_x", orgID})
		if err != nil || !ok {
			t.Errorf("member of any: %v %v", ok, err)
		}
		if _, err := tx.UserByID("usr_\x00"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a NUL in an id: %v, want ErrNotFound", err)
		}
		ms, _, err := tx.ListOrganizationMemberships(orgID, "", 0, 10)
		if err != nil || len(ms) != 1 {
			t.Errorf("memberships: %v %v", ms, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, func(tx *Tx) error {
		o := api.Organization{Name: "o", Plan: "free"}
		return tx.InsertOrganization(&o)
	})
	if !errors.Is(err, ErrConstraint) {
		t.Errorf("a second organization named o: %v, want ErrConstraint", err)
	}
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Errorf("integrity %q %v", res, err)
	}
}
