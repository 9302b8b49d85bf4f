package planrun

import "sync"

// The fate of objects in this run. Rule 9 refuses to delete an organization that
// still has workspaces, or a workspace that still holds credentials; the objects this
// same run destroys do not count, since Terraform deletes them first (the apply
// destroys a dependent before what it depends on). Each plan records the fate of its
// object: deleted (a destroy, or a replacement, which destroys the object it
// replaces) or kept (any other plan). The plan of a workspace's or an organization's
// deletion then decides with what it knows:
//
//   - what this run deletes does not count; what it keeps does;
//   - in `terraform destroy` (Terraform's destroy plan) a dependent's destroy is
//     planned before the destroy of what it depends on, so an object whose fate is
//     not recorded yet is not destroyed by this run;
//   - in a normal plan (resources removed from the configuration) Terraform plans the
//     destroys in no set order: an object not recorded yet may still be. A normal plan
//     refreshes each object before planning it, so the object being deleted was read
//     in this run (RecordRefresh) exactly when the order is not guaranteed.
//
// A name held by an object this run deletes is not reported as taken either.

// Fate is what this run plans for an object.
type Fate int

const (
	// FateUnknown: nothing planned for the object so far.
	FateUnknown Fate = iota
	// FateDeleted: the run plans to delete it.
	FateDeleted
	// FateKept: the run plans it and keeps it.
	FateKept
)

// fates is the run's record of planned fates and refreshed objects; its zero value is
// empty.
type fates struct {
	mu        sync.RWMutex
	planned   map[string]Fate
	refreshed map[string]bool
}

// RecordDeletion records that this run plans to delete the object with this id.
func (l *Ledger) RecordDeletion(id string) { l.fates.set(id, FateDeleted) }

// RecordKept records that this run plans the object with this id and keeps it.
func (l *Ledger) RecordKept(id string) { l.fates.set(id, FateKept) }

// PlannedDeletion reports whether this run planned, so far, to delete the object.
func (l *Ledger) PlannedDeletion(id string) bool { return l.FateOf(id) == FateDeleted }

// FateOf is what this run planned, so far, for the object.
func (l *Ledger) FateOf(id string) Fate {
	l.fates.mu.RLock()
	defer l.fates.mu.RUnlock()
	return l.fates.planned[id]
}

// RecordRefresh records that this run read (refreshed) the object with this id.
func (l *Ledger) RecordRefresh(id string) {
	l.fates.mu.Lock()
	defer l.fates.mu.Unlock()
	if l.fates.refreshed == nil {
		l.fates.refreshed = map[string]bool{}
	}
	l.fates.refreshed[id] = true
}

// Refreshed reports whether this run read the object (see the comment above: a
// deletion planned for an object refreshed in the same run is planned in no set
// order with the deletions of its dependents).
func (l *Ledger) Refreshed(id string) bool {
	l.fates.mu.RLock()
	defer l.fates.mu.RUnlock()
	return l.fates.refreshed[id]
}

func (f *fates) set(id string, fate Fate) {
	if id == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.planned == nil {
		f.planned = map[string]Fate{}
	}
	if f.planned[id] != FateDeleted { // a replacement is planned once more, as a create
		f.planned[id] = fate
	}
}
