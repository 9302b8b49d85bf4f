package planrun

import "sync"

// Deletions planned in this run. Rule 9 refuses to delete an organization that still
// has workspaces, or a workspace that still holds credentials; the objects this same
// run destroys do not count, since Terraform deletes them first (a credential's state
// records its dependency on its workspace, and Terraform plans and applies the
// destroy of a dependent before the destroy of what it depends on). Each destroy (and
// each replacement, which destroys the object it replaces) records the object's id
// when it is planned; the plan of the workspace or organization then counts only what
// this run has not planned to delete. A name held by an object this run deletes is
// not reported as taken either.

// deletions is the set of object ids this run plans to delete; its zero value is empty.
type deletions struct {
	mu  sync.RWMutex
	ids map[string]bool
}

// RecordDeletion records that this run plans to delete the object with this id.
func (c *Cache) RecordDeletion(id string) {
	if id == "" {
		return
	}
	c.deleted.mu.Lock()
	defer c.deleted.mu.Unlock()
	if c.deleted.ids == nil {
		c.deleted.ids = map[string]bool{}
	}
	c.deleted.ids[id] = true
}

// PlannedDeletion reports whether this run planned, so far, to delete the object.
func (c *Cache) PlannedDeletion(id string) bool {
	c.deleted.mu.RLock()
	defer c.deleted.mu.RUnlock()
	return c.deleted.ids[id]
}
