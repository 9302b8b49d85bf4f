package planrun

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// The ledger's costs do not grow with what it holds (RecordPlanned, PlannedNew,
// NoteAdminRefreshed): over a run that plans N objects they used to copy or scan the
// whole ledger per call, N² over the run. The tests below pin the behaviour against
// the former algorithms (a scan, a copy); BenchmarkLedger shows the cost per call at
// 1,000 and 10,000 entries:
//
//	go test ./internal/planrun -run '^$' -bench Ledger -benchmem

// naiveLedger is the former ledger of planned objects and promotions: a slice
// scanned per call, a set copied per refresh.
type naiveLedger struct {
	planned  []Planned
	promoted map[string]map[string]bool
	before   map[[2]string]map[string]bool
}

func (n *naiveLedger) record(p Planned) {
	if p.Name != "" {
		for i, q := range n.planned {
			if q.Kind == p.Kind && q.Name == p.Name && q.OrganizationID == p.OrganizationID {
				n.planned[i] = p
				return
			}
		}
	}
	n.planned = append(n.planned, p)
}

func (n *naiveLedger) plannedNew(kind Kind) []Planned {
	var out []Planned
	for _, p := range n.planned {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// TestLedgerIndexesAnswerAsTheScans: a random run of plans (names drawn from a small
// pool, so that replacements happen; some unknown) gives, for every kind, the same
// candidates in the same order as the former scan; promotions and refreshes give
// every removal the same count of other admins as the former copies.
func TestLedgerIndexesAnswerAsTheScans(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []Kind{KindOrganization, KindWorkspace, KindTeam, KindOrganizationMembership}
	l, n := newLedger(), &naiveLedger{}
	for i := range 3000 {
		p := Planned{Kind: kinds[rng.IntN(len(kinds))], OrganizationID: []string{"", "org_1", "org_2"}[rng.IntN(3)], Plan: fmt.Sprint(i)}
		if rng.IntN(5) > 0 {
			p.Name = fmt.Sprintf("name-%d", rng.IntN(200))
		}
		l.RecordPlanned(p)
		n.record(p)
	}
	for _, k := range kinds {
		got, want := l.PlannedNew(k), n.plannedNew(k)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %d candidates, the scan %d (or not in the same order)", k, len(got), len(want))
		}
	}
	orgs := l.newOrganizations()
	if len(orgs) != len(n.plannedNew(KindOrganization)) {
		t.Fatalf("%d new organizations, want %d", len(orgs), len(n.plannedNew(KindOrganization)))
	}
	for i := range orgs {
		for j := range orgs {
			if orgs[i].Same(orgs[j]) != (i == j) {
				t.Fatalf("new organizations %d and %d: Same %v", i, j, orgs[i].Same(orgs[j]))
			}
		}
	}
	if got := l.PlannedNew(KindTeam); len(got) > 0 {
		got[0].Name = "changed by the caller"
		if l.PlannedNew(KindTeam)[0].Name == "changed by the caller" {
			t.Fatal("PlannedNew's slice is the ledger's own")
		}
	}

	// Promotions and refreshes, then each user's removal, in two organizations.
	n.promoted, n.before = map[string]map[string]bool{}, map[[2]string]map[string]bool{}
	users := func() string { return fmt.Sprintf("usr_%d", rng.IntN(40)) }
	for range 2000 {
		org := []string{"org_1", "org_2"}[rng.IntN(2)]
		switch who := users(); rng.IntN(2) {
		case 0:
			l.PlanAdminPromotion(org, who)
			if n.promoted[org] == nil {
				n.promoted[org] = map[string]bool{}
			}
			n.promoted[org][who] = true
		case 1:
			l.NoteAdminRefreshed(org, who)
			c := map[string]bool{}
			for k := range n.promoted[org] {
				c[k] = true
			}
			n.before[[2]string{org, who}] = c
		}
	}
	var admins []api.OrganizationMembership
	for i := range 40 {
		admins = append(admins, api.OrganizationMembership{UserID: fmt.Sprintf("usr_%d", i), Email: fmt.Sprintf("u%d@example.com", i)})
	}
	for _, org := range []string{"org_1", "org_2"} {
		removed := map[string]bool{}
		for i := range 40 {
			user := fmt.Sprintf("usr_%d", i)
			var got AdminRemoval
			l.recordAdminRemoval(org, user, admins, &got)
			removed[user] = true
			want := 0
			for _, m := range admins {
				if !removed[m.UserID] {
					want++
				}
			}
			for who := range n.before[[2]string{org, user}] {
				if who != user && !removed[who] {
					want++
				}
			}
			if got.OtherAdmins != want || len(got.AlsoRemoved) != i {
				t.Fatalf("%s, removing %s: %d other admins, %d also removed; want %d, %d", org, user, got.OtherAdmins, len(got.AlsoRemoved), want, i)
			}
		}
	}
}

// TestNoteAdminRefreshedCopiesNothing: noting a refresh costs no allocation, however
// many promotions the organization has (it copied them all, once per membership's
// refresh).
func TestNoteAdminRefreshedCopiesNothing(t *testing.T) {
	l := newLedger()
	for i := range 1000 {
		l.PlanAdminPromotion("org_1", fmt.Sprintf("usr_%d", i))
	}
	l.NoteAdminRefreshed("org_1", "usr_x")
	if a := testing.AllocsPerRun(100, func() { l.NoteAdminRefreshed("org_1", "usr_x") }); a != 0 {
		t.Fatalf("NoteAdminRefreshed allocates %.0f times with 1,000 promotions, want 0", a)
	}
}

// BenchmarkLedger: one call of each with a ledger of 1,000 and of 10,000 entries (a
// tenth of them organizations' workspaces, the rest memberships; as many promotions).
// The time per call is flat in the entries but for PlannedNew, which copies the
// objects of its kind (the candidates, 100 and 1,000 workspaces).
func BenchmarkLedger(b *testing.B) {
	for _, size := range []int{1000, 10000} {
		l := newLedger()
		for i := range size {
			kind := KindOrganizationMembership
			if i%10 == 0 {
				kind = KindWorkspace
			}
			l.RecordPlanned(Planned{Kind: kind, Name: fmt.Sprintf("n-%d", i), OrganizationID: "org_1"})
			l.PlanAdminPromotion("org_1", fmt.Sprintf("usr_%d", i))
		}
		b.Run(fmt.Sprintf("RecordPlanned/entries=%d", size), func(b *testing.B) {
			for i := 0; b.Loop(); i++ { // replaces one of the last entries: the former scan's worst case
				l.RecordPlanned(Planned{Kind: KindOrganizationMembership, Name: fmt.Sprintf("n-%d", size-1-i%9), OrganizationID: "org_1"})
			}
		})
		b.Run(fmt.Sprintf("PlannedNew/entries=%d", size), func(b *testing.B) {
			for b.Loop() {
				l.PlannedNew(KindWorkspace)
			}
		})
		b.Run(fmt.Sprintf("PlannedNewOrganization/entries=%d", size), func(b *testing.B) {
			for b.Loop() {
				l.PlannedNew(KindOrganization)
			}
		})
		b.Run(fmt.Sprintf("NoteAdminRefreshed/entries=%d", size), func(b *testing.B) {
			for b.Loop() {
				l.NoteAdminRefreshed("org_1", "usr_1")
			}
		})
	}
}
