package store

import (
	"fmt"
)

// NamesIn returns the names of the rows of a kind under a parent ("organization":
// every organization; "workspace", "team": an organization's; "credential": a
// workspace's), except the row exceptID.
func (t *Tx) NamesIn(kind, parentID, exceptID string) ([]string, error) {
	switch kind {
	case "organization":
		return t.strings(`SELECT name FROM organizations WHERE id <> ?`, exceptID)
	case "workspace":
		return t.strings(`SELECT name FROM workspaces WHERE org_id = ? AND id <> ?`, parentID, exceptID)
	case "team":
		return t.strings(`SELECT name FROM teams WHERE org_id = ? AND id <> ?`, parentID, exceptID)
	case "credential":
		return t.strings(`SELECT name FROM credentials WHERE workspace_id = ? AND id <> ?`, parentID, exceptID)
	}
	return nil, fmt.Errorf("store: unknown kind %q", kind)
}

// Taken reports whether a name (or another unique value) is used by another row.
// kind is one of "organization", "workspace", "team", "credential", "domain".
func (t *Tx) Taken(kind, parentID, value, exceptID string) (bool, error) {
	var q string
	switch kind {
	case "organization":
		q = `SELECT 1 FROM organizations WHERE name = ? AND id <> ? AND ? = ''`
	case "workspace":
		q = `SELECT 1 FROM workspaces WHERE name = ? AND id <> ? AND org_id = ?`
	case "team":
		q = `SELECT 1 FROM teams WHERE name = ? AND id <> ? AND org_id = ?`
	case "credential":
		q = `SELECT 1 FROM credentials WHERE name = ? AND id <> ? AND workspace_id = ?`
	case "domain":
		q = `SELECT 1 FROM workspaces WHERE custom_domain = ? AND id <> ? AND ? = ''`
	default:
		return false, fmt.Errorf("store: unknown kind %q", kind)
	}
	return t.exists(q, value, exceptID, parentID)
}
