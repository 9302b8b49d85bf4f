package store

import (
	"github.com/flero/terraform-provider-flero/internal/api"
)

const orgCols = `seq, id, name, description, avatar_url, plan, sso_enabled, version, created_at, updated_at`

func scanOrg(r scanner) (api.Organization, int64, error) {
	var o api.Organization
	var seq, c, u int64
	err := r.Scan(&seq, &o.ID, &o.Name, &o.Description, &o.AvatarURL, &o.Plan, &o.SSOEnabled, &o.Version, &c, &u)
	o.CreatedAt, o.UpdatedAt = toTime(c), toTime(u)
	return o, seq, err
}

// Organization returns an organization.
func (t *Tx) Organization(id string) (api.Organization, error) {
	return one(t, `SELECT `+orgCols+` FROM organizations WHERE id = ?`, scanOrg, id)
}

// InsertOrganization creates an organization (ID, times and version are set here).
func (t *Tx) InsertOrganization(o *api.Organization) error {
	o.ID, o.Version = NewID("org"), 1
	o.CreatedAt = toTime(now())
	o.UpdatedAt = o.CreatedAt
	_, err := t.exec(`INSERT INTO organizations (id, name, description, avatar_url, plan, sso_enabled, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		o.ID, o.Name, o.Description, o.AvatarURL, o.Plan, o.SSOEnabled, o.Version, o.CreatedAt.UnixNano(), o.UpdatedAt.UnixNano())
	return err
}

// UpdateOrganization writes o and bumps its version.
func (t *Tx) UpdateOrganization(o *api.Organization) error {
	o.Version++
	o.UpdatedAt = toTime(now())
	return t.updated(t.exec(`UPDATE organizations SET name=?, description=?, avatar_url=?, plan=?, sso_enabled=?, version=?, updated_at=? WHERE id=? AND version=?`,
		o.Name, o.Description, o.AvatarURL, o.Plan, o.SSOEnabled, o.Version, o.UpdatedAt.UnixNano(), o.ID, o.Version-1))
}

// DeleteOrganization removes an organization with its teams and memberships (its
// workspaces must be gone).
func (t *Tx) DeleteOrganization(id string) error {
	return t.updated(t.exec(`DELETE FROM organizations WHERE id = ?`, id))
}

// ListOrganizations lists the organizations a user belongs to, optionally by exact
// name; keep, when not nil, filters them.
func (t *Tx) ListOrganizations(userID, name string, after int64, limit int, keep func(api.Organization) bool) ([]api.Organization, int64, error) {
	q := `SELECT ` + orgCols + ` FROM organizations WHERE id IN (SELECT org_id FROM org_memberships WHERE user_id = ?)`
	args := []any{userID}
	if name != "" {
		q += ` AND name = ?`
		args = append(args, name)
	}
	return listPage(t, q, args, after, limit, scanOrg, keep)
}
