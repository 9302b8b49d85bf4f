package planrun

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// orgWith is a fake organization membership list: acme (org_1) holds the given
// memberships; any other organization is not found.
type orgWith struct {
	lists   atomic.Int64
	members []api.OrganizationMembership
}

func (o *orgWith) fetchers() Fetchers {
	return Fetchers{
		ListOrganizationMemberships: func(_ context.Context, org string) ([]api.OrganizationMembership, error) {
			o.lists.Add(1)
			if org != "org_1" {
				return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
			}
			return slices.Clone(o.members), nil
		},
	}
}

func membership(user, role, status string) api.OrganizationMembership {
	return api.OrganizationMembership{OrganizationID: "org_1", UserID: user, Email: user + "@example.com", Role: role, Status: status}
}

func TestOrganizationAdminsCountsInvitedAdminsAndIsReadOnce(t *testing.T) {
	o := &orgWith{members: []api.OrganizationMembership{
		membership("usr_b", "admin", "active"),
		membership("usr_m", "member", "active"),
		membership("usr_a", "admin", "invited"), // the server counts an invited admin
	}}
	c := NewWithFetchers(o.fetchers())
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			admins, err := c.OrganizationAdmins(context.Background(), "org_1")
			if err != nil {
				t.Error(err)
				return
			}
			var ids []string
			for _, m := range admins {
				ids = append(ids, m.UserID)
			}
			if !slices.Equal(ids, []string{"usr_a", "usr_b"}) {
				t.Errorf("admins %v, want usr_a (invited) and usr_b, sorted", ids)
			}
			admins[0].UserID = "scribbled" // the caller's own copy
		}()
	}
	wg.Wait()
	if n := o.lists.Load(); n != 1 {
		t.Fatalf("20 callers made %d lists, want 1", n)
	}

	// A membership written by the provider drops the admins: read again when needed.
	c.forgetOrganizationMembership("org_1", "usr_m")
	if _, err := c.OrganizationAdmins(context.Background(), "org_1"); err != nil {
		t.Fatal(err)
	}
	if n := o.lists.Load(); n != 2 {
		t.Fatalf("after a membership change: %d lists, want 2", n)
	}
	// A membership the provider creates or changes, or a removal it made, is laid
	// over the admins read: no list.
	ids := func() []string {
		t.Helper()
		admins, err := c.OrganizationAdmins(context.Background(), "org_1")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range admins {
			out = append(out, m.UserID)
		}
		return out
	}
	c.recordOrganizationMembership(&api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_n", Role: "member"})
	if got := ids(); !slices.Equal(got, []string{"usr_a", "usr_b"}) {
		t.Fatalf("after a member's creation the admins are %v, want usr_a and usr_b", got)
	}
	c.recordOrganizationMembership(&api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_ab", Role: "admin"})
	if got := ids(); !slices.Equal(got, []string{"usr_a", "usr_ab", "usr_b"}) {
		t.Fatalf("after a promotion the admins are %v, want usr_a, usr_ab and usr_b, sorted", got)
	}
	c.recordOrganizationMembership(&api.OrganizationMembership{OrganizationID: "org_1", UserID: "usr_a", Role: "member"})
	c.recordOrganizationMembershipRemoval("org_1", "usr_b")
	if got := ids(); !slices.Equal(got, []string{"usr_ab"}) {
		t.Fatalf("after a demotion and a removal the admins are %v, want usr_ab", got)
	}
	if n := o.lists.Load(); n != 2 {
		t.Fatalf("after memberships written with their answer: %d lists, want 2", n)
	}
}

func TestOrganizationAdminsReusesTheRefreshListing(t *testing.T) {
	m := newMembers("org_1", 3)
	m.set("org_1", "usr_001", "admin")
	c := NewWithFetchers(m.fetchers())
	readAll(t, c, "org_1", 3) // the refresh: one GET, then one list
	if n := m.lists.Load(); n != 1 {
		t.Fatalf("the refresh made %d lists, want 1", n)
	}
	admins, err := c.OrganizationAdmins(context.Background(), "org_1")
	if err != nil {
		t.Fatal(err)
	}
	if len(admins) != 1 || admins[0].UserID != "usr_001" {
		t.Fatalf("admins %+v", admins)
	}
	if n := m.lists.Load(); n != 1 {
		t.Fatalf("the admins were listed again (%d lists) although the refresh's listing holds them", n)
	}

	// A listing written since is not used: the admins are listed.
	c2 := NewWithFetchers(m.fetchers())
	readAll(t, c2, "org_1", 3)
	m.writes.Add(1)
	if _, err := c2.OrganizationAdmins(context.Background(), "org_1"); err != nil {
		t.Fatal(err)
	}
	if n := m.lists.Load(); n != 3 {
		t.Fatalf("after a write: %d lists in all, want 3 (two refreshes, one admins list)", n)
	}
}

func TestOrganizationAdminsErrors(t *testing.T) {
	o := &orgWith{}
	c := NewWithFetchers(o.fetchers())
	if _, err := c.PlanAdminRemoval(context.Background(), "org_gone", "usr_a"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("an organization that is gone: %v, want not found", err)
	}
	if _, err := c.OrganizationAdmins(context.Background(), "org_gone"); !errors.Is(err, client.ErrNotFound) || o.lists.Load() != 1 {
		t.Fatalf("not found is kept for the run: %v after %d lists", err, o.lists.Load())
	}
	if _, err := NewWithFetchers(Fetchers{}).OrganizationAdmins(context.Background(), "org_1"); err == nil {
		t.Fatal("no list fetcher: want an error, not an organization without admins")
	}
}

func TestPlanAdminRemoval(t *testing.T) {
	o := &orgWith{members: []api.OrganizationMembership{
		membership("usr_a", "admin", "active"),
		membership("usr_b", "admin", "invited"),
		membership("usr_m", "member", "active"),
	}}
	c := NewWithFetchers(o.fetchers())
	ctx := context.Background()

	got, err := c.PlanAdminRemoval(ctx, "org_1", "usr_m")
	if err != nil || got.Admin || got.OtherAdmins != 0 || got.AlsoRemoved != nil {
		t.Fatalf("a member: %+v %v (nothing to check, nothing recorded)", got, err)
	}
	got, err = c.PlanAdminRemoval(ctx, "org_1", "usr_a")
	if err != nil || !got.Admin || got.OtherAdmins != 1 || got.AlsoRemoved != nil {
		t.Fatalf("first admin removed: %+v %v, want usr_b (invited) left", got, err)
	}
	got, err = c.PlanAdminRemoval(ctx, "org_1", "usr_b")
	if err != nil || !got.Admin || got.OtherAdmins != 0 || !slices.Equal(got.AlsoRemoved, []string{"usr_a@example.com"}) {
		t.Fatalf("second admin removed: %+v %v, want none left, usr_a also removed", got, err)
	}
	// Planned again (the apply walk plans an update again): same answer, no new list.
	got, err = c.PlanAdminRemoval(ctx, "org_1", "usr_b")
	if err != nil || got.OtherAdmins != 0 || len(got.AlsoRemoved) != 1 {
		t.Fatalf("planned again: %+v %v", got, err)
	}
	if n := o.lists.Load(); n != 1 {
		t.Fatalf("%d lists, want 1", n)
	}
}

// TestPlanAdminRemovalConcurrent: Terraform plans resources in parallel; when every
// admin is removed, exactly one of them sees no admin left, whatever the order.
func TestPlanAdminRemovalConcurrent(t *testing.T) {
	for round := range 20 {
		const n = 8
		o := &orgWith{}
		for i := range n {
			o.members = append(o.members, membership(fmt.Sprintf("usr_%d", i), "admin", "active"))
		}
		o.members = append(o.members, membership("usr_keep", "member", "active"))
		c := NewWithFetchers(o.fetchers())
		var last atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := c.PlanAdminRemoval(context.Background(), "org_1", fmt.Sprintf("usr_%d", i))
				if err != nil {
					t.Error(err)
					return
				}
				if got.OtherAdmins == 0 {
					last.Add(1)
					if len(got.AlsoRemoved) != n-1 {
						t.Errorf("the last removal names %d other removed admins, want %d", len(got.AlsoRemoved), n-1)
					}
				}
			}()
		}
		wg.Wait()
		if got := last.Load(); got != 1 {
			t.Fatalf("round %d: %d removals saw no admin left, want exactly 1", round, got)
		}
	}
}

func TestPlanAdminRemovalKeepsOrganizationsApart(t *testing.T) {
	o := &orgWith{members: []api.OrganizationMembership{membership("usr_a", "admin", "active"), membership("usr_b", "admin", "active")}}
	f := o.fetchers()
	list := f.ListOrganizationMemberships
	f.ListOrganizationMemberships = func(ctx context.Context, org string) ([]api.OrganizationMembership, error) {
		return list(ctx, "org_1") // org_2 has the same admins
	}
	c := NewWithFetchers(f)
	if got, _ := c.PlanAdminRemoval(context.Background(), "org_1", "usr_a"); got.OtherAdmins != 1 {
		t.Fatalf("org_1: %+v", got)
	}
	if got, _ := c.PlanAdminRemoval(context.Background(), "org_2", "usr_b"); got.OtherAdmins != 1 || got.AlsoRemoved != nil {
		t.Fatalf("a removal in org_1 counted in org_2: %+v", got)
	}
}

// TestPlanAdminRemovalCountsPromotionsPlannedBeforeTheRefresh: a promotion planned
// before the demoted membership's refresh started (the demotion depends on it) counts
// as another admin; one planned after (no order between them) does not, nor does any
// when the membership was not refreshed in this walk.
func TestPlanAdminRemovalCountsPromotionsPlannedBeforeTheRefresh(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps func(c *Run)
		want  int
	}{
		{"promotion before the refresh", func(c *Run) {
			c.PlanAdminPromotion("org_1", "usr_m")
			c.NoteAdminRefreshed("org_1", "usr_b")
		}, 1},
		{"promotion after the refresh", func(c *Run) {
			c.NoteAdminRefreshed("org_1", "usr_b")
			c.PlanAdminPromotion("org_1", "usr_m")
		}, 0},
		{"not refreshed", func(c *Run) { c.PlanAdminPromotion("org_1", "usr_m") }, 0},
		{"promotion of another organization", func(c *Run) {
			c.PlanAdminPromotion("org_2", "usr_m")
			c.NoteAdminRefreshed("org_1", "usr_b")
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &orgWith{members: []api.OrganizationMembership{membership("usr_b", "admin", "active"), membership("usr_m", "member", "active")}}
			c := NewWithFetchers(o.fetchers())
			tc.steps(c)
			got, err := c.PlanAdminRemoval(context.Background(), "org_1", "usr_b")
			if err != nil {
				t.Fatal(err)
			}
			if !got.Admin || got.OtherAdmins != tc.want {
				t.Errorf("%+v, want %d other admins", got, tc.want)
			}
		})
	}
}
