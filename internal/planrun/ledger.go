package planrun

import "sync"

// Ledger is what this run plans: the organizations it changes (below), the objects it
// creates whose ids are not known until apply (planned.go), the admins it removes, demotes or promotes (admins.go), the fates of
// the objects it deletes or keeps and what it refreshed (deletions.go). It reads
// nothing; it is safe for concurrent use.
type Ledger struct {
	mu          sync.RWMutex
	plannedOrgs map[string]PlannedOrganization
	// removedAdmins: the admins this run plans to remove or demote, by organization
	// then user (admins.go).
	removedAdmins map[string]map[string]bool
	// promotedAdmins: the members this run makes admins (user id, or email for a
	// membership it creates), by organization, in the order first promoted
	// (admins.go).
	promotedAdmins map[string]*promotions
	// promotedBefore: how many of the organization's promotions were planned before a
	// membership's refresh (the first ones of its promotions' order), by organization
	// and user (admins.go).
	promotedBefore map[[2]string]int
	// planned: the objects this run creates or replaces, by kind, in the order
	// recorded; plannedAt: where in planned[kind] is the one of a known name, by kind,
	// name and organization (planned.go).
	planned   map[Kind][]Planned
	plannedAt map[plannedKey]int
	// orgFates, leftToOrg: the last admin and the organization's own deletion
	// (planned.go); what the run refreshed is in fates (deletions.go).
	orgFates  map[string]bool
	leftToOrg map[string][]string
	// fates: what this run plans for each object, and what it refreshed (deletions.go).
	fates fates
}

func newLedger() *Ledger {
	return &Ledger{plannedOrgs: map[string]PlannedOrganization{}, removedAdmins: map[string]map[string]bool{},
		promotedAdmins: map[string]*promotions{}, promotedBefore: map[[2]string]int{},
		planned: map[Kind][]Planned{}, plannedAt: map[plannedKey]int{}}
}

// PlannedOrganization is what an organization will be after this run's apply, as
// planned by the flero_organization resource.
type PlannedOrganization struct {
	Plan       string // "" when unknown at plan time
	SSOEnabled *bool  // nil when unknown at plan time
}

// RecordPlannedOrganization records what the organization will be after this apply.
func (l *Ledger) RecordPlannedOrganization(id string, p PlannedOrganization) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.plannedOrgs[id] = p
}

// PlannedOrganization is what this run plans for the organization, if the
// organization is managed (and changed) in this run.
func (l *Ledger) PlannedOrganization(id string) (PlannedOrganization, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	p, ok := l.plannedOrgs[id]
	return p, ok
}
