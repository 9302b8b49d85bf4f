package store

import (
	"github.com/flero/terraform-provider-flero/internal/api"
)

const wsCols = `seq, id, org_id, name, description, avatar_url, coalesce(custom_domain, ''), version, created_at, updated_at`

func scanWorkspace(r scanner) (api.Workspace, int64, error) {
	var w api.Workspace
	var seq, c, u int64
	err := r.Scan(&seq, &w.ID, &w.OrganizationID, &w.Name, &w.Description, &w.AvatarURL, &w.CustomDomain, &w.Version, &c, &u)
	w.CreatedAt, w.UpdatedAt = toTime(c), toTime(u)
	return w, seq, err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Workspace returns a workspace.
func (t *Tx) Workspace(id string) (api.Workspace, error) {
	return one(t, `SELECT `+wsCols+` FROM workspaces WHERE id = ?`, scanWorkspace, id)
}

// InsertWorkspace creates a workspace.
func (t *Tx) InsertWorkspace(w *api.Workspace) error {
	w.ID, w.Version = NewID("ws"), 1
	w.CreatedAt = toTime(now())
	w.UpdatedAt = w.CreatedAt
	_, err := t.exec(`INSERT INTO workspaces (id, org_id, name, description, avatar_url, custom_domain, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		w.ID, w.OrganizationID, w.Name, w.Description, w.AvatarURL, nullIfEmpty(w.CustomDomain), w.Version, w.CreatedAt.UnixNano(), w.UpdatedAt.UnixNano())
	return err
}

// UpdateWorkspace writes w and bumps its version.
func (t *Tx) UpdateWorkspace(w *api.Workspace) error {
	w.Version++
	w.UpdatedAt = toTime(now())
	return t.updated(t.exec(`UPDATE workspaces SET name=?, description=?, avatar_url=?, custom_domain=?, version=?, updated_at=? WHERE id=? AND version=?`,
		w.Name, w.Description, w.AvatarURL, nullIfEmpty(w.CustomDomain), w.Version, w.UpdatedAt.UnixNano(), w.ID, w.Version-1))
}

// DeleteWorkspace removes a workspace and its memberships (its credentials must be gone).
func (t *Tx) DeleteWorkspace(id string) error {
	return t.updated(t.exec(`DELETE FROM workspaces WHERE id = ?`, id))
}

// ListWorkspaces lists an organization's workspaces, optionally by name; keep, when
// not nil, decides which the caller sees.
func (t *Tx) ListWorkspaces(orgID, name string, after int64, limit int, keep func(api.Workspace) bool) ([]api.Workspace, int64, error) {
	q := `SELECT ` + wsCols + ` FROM workspaces WHERE org_id = ?`
	args := []any{orgID}
	if name != "" {
		q += ` AND name = ?`
		args = append(args, name)
	}
	return listPage(t, q, args, after, limit, scanWorkspace, keep)
}

// WorkspaceNames names the workspaces of an organization.
func (t *Tx) WorkspaceNames(orgID string) ([]string, error) {
	return t.strings(`SELECT name FROM workspaces WHERE org_id = ? ORDER BY name`, orgID)
}

// CountWorkspaces counts the workspaces of an organization.
func (t *Tx) CountWorkspaces(orgID string) (int, error) {
	var n int
	err := t.row(`SELECT count(*) FROM workspaces WHERE org_id = ?`, []any{orgID}, &n)
	return n, err
}
