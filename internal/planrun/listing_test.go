package planrun

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// members is a fake organization membership API: a set of members per organization,
// with counters of GETs and lists.
type members struct {
	mu      sync.Mutex
	byOrg   map[string]map[string]string // org -> user -> role
	gets    atomic.Int64
	lists   atomic.Int64
	listErr error
	writes  atomic.Int64
	now     time.Time
}

func newMembers(org string, n int) *members {
	m := &members{byOrg: map[string]map[string]string{org: {}}, now: time.Unix(1_700_000_000, 0)}
	for i := range n {
		m.byOrg[org][fmt.Sprintf("usr_%03d", i)] = "member"
	}
	return m
}

func (m *members) fetchers() Fetchers {
	return Fetchers{
		OrganizationMembership: func(_ context.Context, org, user string) (*api.OrganizationMembership, error) {
			m.gets.Add(1)
			m.mu.Lock()
			defer m.mu.Unlock()
			role, ok := m.byOrg[org][user]
			if !ok {
				return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
			}
			return &api.OrganizationMembership{OrganizationID: org, UserID: user, Role: role, Version: 1}, nil
		},
		ListOrganizationMemberships: func(_ context.Context, org string) ([]api.OrganizationMembership, error) {
			m.lists.Add(1)
			if m.listErr != nil {
				return nil, m.listErr
			}
			m.mu.Lock()
			defer m.mu.Unlock()
			var out []api.OrganizationMembership
			for user, role := range m.byOrg[org] {
				out = append(out, api.OrganizationMembership{OrganizationID: org, UserID: user, Role: role, Version: 1})
			}
			return out, nil
		},
		Writes: m.writes.Load,
		Now: func() time.Time {
			m.mu.Lock()
			defer m.mu.Unlock()
			return m.now
		},
	}
}

func (m *members) set(org, user, role string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if role == "" {
		delete(m.byOrg[org], user)
		return
	}
	m.byOrg[org][user] = role
}

func (m *members) advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
}

func readAll(t *testing.T, c *Run, org string, n int) {
	t.Helper()
	for i := range n {
		user := fmt.Sprintf("usr_%03d", i)
		got, err := c.ReadOrganizationMembership(context.Background(), org, user)
		if err != nil {
			t.Fatalf("read %s: %v", user, err)
		}
		if got.UserID != user || got.OrganizationID != org {
			t.Fatalf("read %s: got %+v", user, got)
		}
	}
}

func TestListingFirstReadIsAGetThenOneListServesTheRest(t *testing.T) {
	m := newMembers("org_1", 300)
	c := NewWithFetchers(m.fetchers())

	if _, err := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_000"); err != nil {
		t.Fatal(err)
	}
	if g, l := m.gets.Load(), m.lists.Load(); g != 1 || l != 0 {
		t.Fatalf("after one read: %d GETs, %d lists; want 1 GET and no list", g, l)
	}
	readAll(t, c, "org_1", 300)
	if g, l := m.gets.Load(), m.lists.Load(); g != 1 || l != 1 {
		t.Fatalf("after 301 reads: %d GETs, %d lists; want 1 GET and 1 list", g, l)
	}
}

func TestListingMissingObjectReadsOnItsOwn(t *testing.T) {
	m := newMembers("org_1", 5)
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 5) // 1 GET + 1 list

	_, err := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_gone")
	if !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("a member the listing lacks: got %v, want the GET's not-found", err)
	}
	if g := m.gets.Load(); g != 2 {
		t.Fatalf("%d GETs, want 2 (the first read and the missing member)", g)
	}
}

func TestListingAnswersAreCopies(t *testing.T) {
	m := newMembers("org_1", 3)
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 3)
	got, _ := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_001")
	got.Role = "changed by the caller"
	again, _ := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_001")
	if again.Role != "member" {
		t.Fatalf("a caller's change leaked into the listing: %q", again.Role)
	}
}

func TestListingIsDroppedAfterAWriteAndTheCollectionReadOneByOne(t *testing.T) {
	m := newMembers("org_1", 10)
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 10) // 1 GET + 1 list
	m.set("org_1", "usr_004", "admin")
	m.writes.Add(1) // the client wrote

	got, err := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_004")
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != "admin" {
		t.Fatalf("read after a write answered from the old listing: role %q", got.Role)
	}
	readAll(t, c, "org_1", 10)
	if g, l := m.gets.Load(), m.lists.Load(); g != 1+1+10 || l != 1 {
		t.Fatalf("%d GETs, %d lists; want 12 GETs (one by one after the write) and still 1 list", g, l)
	}
}

func TestListingWrittenWhileListingIsNotUsed(t *testing.T) {
	m := newMembers("org_1", 4)
	f := m.fetchers()
	list := f.ListOrganizationMemberships
	f.ListOrganizationMemberships = func(ctx context.Context, org string) ([]api.OrganizationMembership, error) {
		out, err := list(ctx, org)
		m.set("org_1", "usr_002", "admin") // someone wrote through this client meanwhile
		m.writes.Add(1)
		return out, err
	}
	c := NewWithFetchers(f)
	if _, err := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_000"); err != nil {
		t.Fatal(err)
	}
	got, err := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_002") // lists, then a write lands
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != "admin" {
		t.Fatalf("answered from a listing begun before a write: role %q", got.Role)
	}
}

func TestListingOlderThanMaxAgeIsListedAgain(t *testing.T) {
	m := newMembers("org_1", 3)
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 3)
	m.set("org_1", "usr_001", "admin") // changed outside the provider
	m.advance(listingMaxAge / 2)
	if got, _ := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_001"); got.Role != "member" {
		t.Fatalf("within max age the listing answers: got role %q", got.Role)
	}
	m.advance(listingMaxAge)
	if got, _ := c.ReadOrganizationMembership(context.Background(), "org_1", "usr_001"); got.Role != "admin" {
		t.Fatalf("an old listing answered: role %q", got.Role)
	}
	if l := m.lists.Load(); l != 2 {
		t.Fatalf("%d lists, want 2", l)
	}
}

func TestListingFailureFallsBackToOneByOne(t *testing.T) {
	m := newMembers("org_1", 20)
	m.listErr = &client.APIError{Status: 403, Code: api.CodeForbidden}
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 20)
	if g, l := m.gets.Load(), m.lists.Load(); g != 20 || l != 1 {
		t.Fatalf("%d GETs, %d lists; want 20 GETs and the one failed list, not a list per read", g, l)
	}
}

func TestListingWithoutAListFetcherReadsOneByOne(t *testing.T) {
	m := newMembers("org_1", 5)
	f := m.fetchers()
	f.ListOrganizationMemberships = nil
	c := NewWithFetchers(f)
	readAll(t, c, "org_1", 5)
	if g := m.gets.Load(); g != 5 {
		t.Fatalf("%d GETs, want 5", g)
	}
}

func TestListingConcurrentReadersShareOneList(t *testing.T) {
	const n = 200
	m := newMembers("org_1", n)
	c := NewWithFetchers(m.fetchers())
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("usr_%03d", i)
			got, err := c.ReadOrganizationMembership(context.Background(), "org_1", user)
			if err == nil && got.UserID != user {
				err = fmt.Errorf("read %s got %s", user, got.UserID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if l := m.lists.Load(); l != 1 {
		t.Fatalf("%d lists for %d concurrent readers, want 1", l, n)
	}
	if g := m.gets.Load(); g != 1 {
		// The first read is a GET; readers racing it can make the second-read
		// decision only once.
		t.Fatalf("%d GETs, want 1", g)
	}
}

func TestListingCollectionsAreSeparate(t *testing.T) {
	m := newMembers("org_1", 4)
	m.byOrg["org_2"] = map[string]string{"usr_000": "admin", "usr_001": "admin"}
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 4)
	got, err := c.ReadOrganizationMembership(context.Background(), "org_2", "usr_000")
	if err != nil || got.Role != "admin" || got.OrganizationID != "org_2" {
		t.Fatalf("org_2's member read %+v, %v", got, err)
	}
	if g := m.gets.Load(); g != 2 {
		t.Fatalf("%d GETs, want 2: each collection's first read is a GET", g)
	}
}
