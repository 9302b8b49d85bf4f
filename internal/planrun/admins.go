package planrun

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// An organization always keeps at least one admin (rules.CheckLastAdmin): the server
// refuses to demote or remove its last one. At plan time, each membership that the
// plan removes or demotes while it is an admin asks PlanAdminRemoval, which reads the
// organization's admins once per run and records the removal, so that a plan that
// removes or demotes every admin fails at plan time even though each removal alone
// would leave another admin. The admins this run promotes (PlanAdminPromotion) count
// for the removals planned after them.

// errNoMembershipList: the cache has no list fetcher for organization memberships.
var errNoMembershipList = errors.New("planrun: no list of organization memberships to read the admins from")

// AdminRemoval is PlanAdminRemoval's answer.
type AdminRemoval struct {
	// Admin says the user is an admin of the organization now. When false the server
	// checks nothing (it checks only an admin's demotion or removal) and nothing was
	// recorded.
	Admin bool
	// OtherAdmins counts the organization's admins other than the user that this run
	// has not planned to remove or demote: rules.CheckLastAdmin's otherAdmins.
	OtherAdmins int
	// AlsoRemoved are the emails of the other admins this run planned to remove or
	// demote before this call, sorted.
	AlsoRemoved []string
}

// OrganizationAdmins is the organization's admins: every membership that counts as an
// admin (rules.IsOrganizationAdmin: its role, whatever its status; the server's
// store.CountOrganizationAdmins counts the same), sorted by user id. They are read once per run from
// the refresh's listing of the organization's memberships when one can answer (it
// holds the whole collection), else from one list. The slice is the caller's own.
func (c *Cache) OrganizationAdmins(ctx context.Context, orgID string) ([]api.OrganizationMembership, error) {
	admins, err := c.orgAdmins.get(ctx, orgID, func(ctx context.Context) ([]api.OrganizationMembership, error) {
		all, ok := c.lsOrgMembers.items(c.env(), orgID)
		if !ok {
			if c.f.ListOrganizationMemberships == nil {
				return nil, errNoMembershipList
			}
			var err error
			if all, err = c.f.ListOrganizationMemberships(ctx, orgID); err != nil {
				return nil, err
			}
		}
		admins := []api.OrganizationMembership{}
		for _, m := range all {
			if rules.IsOrganizationAdmin(rules.OrgRole(m.Role)) {
				admins = append(admins, m)
			}
		}
		slices.SortFunc(admins, func(a, b api.OrganizationMembership) int { return strings.Compare(a.UserID, b.UserID) })
		return admins, nil
	})
	return slices.Clone(admins), err
}

// PlanAdminRemoval records that this run plans to remove or demote the user's
// membership of the organization and answers, in the same step (one lock: concurrent
// plans see each other's removals), whether another admin remains: the organization's
// admins (OrganizationAdmins) minus this user and every admin recorded before. When
// a plan removes or demotes all the admins of an organization, every call but the
// last one of that organization sees an admin left (one whose removal is recorded
// later), and the last one sees none: exactly one of them is refused, whichever
// Terraform plans last. Recording the same user again changes nothing.
func (r *Run) PlanAdminRemoval(ctx context.Context, orgID, userID string) (AdminRemoval, error) {
	admins, err := r.OrganizationAdmins(ctx, orgID)
	if err != nil {
		return AdminRemoval{}, err
	}
	var out AdminRemoval
	for _, m := range admins {
		if m.UserID == userID {
			out.Admin = true
		}
	}
	if !out.Admin {
		return out, nil
	}

	r.Ledger.recordAdminRemoval(orgID, userID, admins, &out)
	return out, nil
}

// recordAdminRemoval records the user's removal or demotion (an admin of the
// organization, whose admins are admins) and counts, under the ledger's lock, the
// admins left and those removed before (PlanAdminRemoval).
func (l *Ledger) recordAdminRemoval(orgID, userID string, admins []api.OrganizationMembership, out *AdminRemoval) {
	l.mu.Lock()
	defer l.mu.Unlock()
	removed := l.removedAdmins[orgID]
	if removed == nil {
		removed = map[string]bool{}
		l.removedAdmins[orgID] = removed
	}
	removed[userID] = true
	for _, m := range admins {
		switch {
		case m.UserID == userID:
		case removed[m.UserID]:
			out.AlsoRemoved = append(out.AlsoRemoved, m.Email)
		default:
			out.OtherAdmins++
		}
	}
	if n := l.promotedBefore[[2]string{orgID, userID}]; n > 0 {
		for _, who := range l.promotedAdmins[orgID].order[:n] {
			if who != userID && !removed[who] {
				out.OtherAdmins++
			}
		}
	}
	sort.Strings(out.AlsoRemoved)
}

// PlanAdminPromotion records that this run makes a member (or a new membership, by
// email) an admin of the organization. who is the user's id, or its email for a
// membership this run creates.
//
// A demotion or removal counts the promotions only when Terraform applies them before
// it, that is when it depends on them (a reference or depends_on): Terraform then
// plans (refresh, then plan) and applies the demotion after the promotion. Two
// memberships that do not depend on each other are planned and applied in any order,
// at the same time. The provider cannot see the edges, so it counts the promotions
// planned before the demoted membership was refreshed (NoteAdminRefreshed): all of
// them when it depends on them; those it does not depend on are normally planned at
// the same time as it is refreshed and do not count (the plan refuses, and says to
// order them). A membership not refreshed in this walk (-refresh=false, a destroy)
// counts none.
func (l *Ledger) PlanAdminPromotion(orgID, who string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.promotedAdmins[orgID]
	if p == nil {
		p = &promotions{seen: map[string]bool{}}
		l.promotedAdmins[orgID] = p
	}
	if !p.seen[who] {
		p.seen[who] = true
		p.order = append(p.order, who)
	}
}

// promotions are an organization's promotions (PlanAdminPromotion), each once, in
// the order first planned: those planned before a membership's refresh are the first
// ones, and NoteAdminRefreshed records how many, instead of copying them.
type promotions struct {
	order []string
	seen  map[string]bool
}

// count is how many promotions were planned so far.
func (p *promotions) count() int {
	if p == nil {
		return 0
	}
	return len(p.order)
}

// NoteAdminRefreshed is called when the refresh of the user's membership of the
// organization starts: the promotions planned so far are those its demotion or removal
// may count (PlanAdminPromotion). It takes constant time: it records how many of
// the organization's promotions came before, not which.
func (l *Ledger) NoteAdminRefreshed(orgID, userID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.promotedBefore[[2]string{orgID, userID}] = l.promotedAdmins[orgID].count()
}
