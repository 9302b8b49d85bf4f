package store

import (
	"github.com/flero/terraform-provider-flero/internal/api"
)

const teamCols = `seq, id, org_id, name, description, avatar_url, version, created_at, updated_at`

func scanTeam(r scanner) (api.Team, int64, error) {
	var w api.Team
	var seq, c, u int64
	err := r.Scan(&seq, &w.ID, &w.OrganizationID, &w.Name, &w.Description, &w.AvatarURL, &w.Version, &c, &u)
	w.CreatedAt, w.UpdatedAt = toTime(c), toTime(u)
	return w, seq, err
}

// Team returns a team.
func (t *Tx) Team(id string) (api.Team, error) {
	return one(t, `SELECT `+teamCols+` FROM teams WHERE id = ?`, scanTeam, id)
}

// InsertTeam creates a team.
func (t *Tx) InsertTeam(w *api.Team) error {
	w.ID, w.Version = NewID("team"), 1
	w.CreatedAt = toTime(now())
	w.UpdatedAt = w.CreatedAt
	_, err := t.exec(`INSERT INTO teams (id, org_id, name, description, avatar_url, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
		w.ID, w.OrganizationID, w.Name, w.Description, w.AvatarURL, w.Version, w.CreatedAt.UnixNano(), w.UpdatedAt.UnixNano())
	return err
}

// UpdateTeam writes w and bumps its version.
func (t *Tx) UpdateTeam(w *api.Team) error {
	w.Version++
	w.UpdatedAt = toTime(now())
	return t.updated(t.exec(`UPDATE teams SET name=?, description=?, avatar_url=?, version=?, updated_at=? WHERE id=? AND version=?`,
		w.Name, w.Description, w.AvatarURL, w.Version, w.UpdatedAt.UnixNano(), w.ID, w.Version-1))
}

// DeleteTeam removes a team, its memberships and its workspace memberships.
func (t *Tx) DeleteTeam(id string) error {
	return t.updated(t.exec(`DELETE FROM teams WHERE id = ?`, id))
}

// ListTeams lists an organization's teams, optionally by exact name; keep, when not
// nil, filters them.
func (t *Tx) ListTeams(orgID, name string, after int64, limit int, keep func(api.Team) bool) ([]api.Team, int64, error) {
	q := `SELECT ` + teamCols + ` FROM teams WHERE org_id = ?`
	args := []any{orgID}
	if name != "" {
		q += ` AND name = ?`
		args = append(args, name)
	}
	return listPage(t, q, args, after, limit, scanTeam, keep)
}
