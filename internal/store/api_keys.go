package store

import (
	"strings"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// APIKey is a Flero API key's record (rule 14); its secret is never stored, only its
// hash (HashToken, as a user token's).
type APIKey struct {
	ID, OrganizationID, WorkspaceID, Name, CreatedBy string
	CreatedAt                                        time.Time
	ExpiresAt, LastUsedAt, RevokedAt                 time.Time // zero: never
}

// APIKeyPrefix starts every API key's id ("key_…").
const APIKeyPrefix = "key"

// API is the key as the API shows it (without the secret).
func (k APIKey) API() api.APIKey {
	out := api.APIKey{ID: k.ID, OrganizationID: k.OrganizationID, WorkspaceID: k.WorkspaceID, Name: k.Name, CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt}
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	out.ExpiresAt, out.LastUsedAt, out.RevokedAt = opt(k.ExpiresAt), opt(k.LastUsedAt), opt(k.RevokedAt)
	return out
}

const apiKeyCols = `seq, id, org_id, coalesce(workspace_id, ''), name, created_by, created_at, expires_at, last_used_at, revoked_at`

func scanAPIKey(r scanner) (APIKey, int64, error) {
	var k APIKey
	var seq, c, e, l, rv int64
	err := r.Scan(&seq, &k.ID, &k.OrganizationID, &k.WorkspaceID, &k.Name, &k.CreatedBy, &c, &e, &l, &rv)
	k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt = toTime(c), optTime(e), optTime(l), optTime(rv)
	return k, seq, err
}

// APIKeyByHash returns the key with this hash (revoked or not).
func (t *Tx) APIKeyByHash(hash string) (APIKey, error) {
	return one(t, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = ?`, scanAPIKey, hash)
}

// APIKeyByID returns a key.
func (t *Tx) APIKeyByID(id string) (APIKey, error) {
	return one(t, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`, scanAPIKey, id)
}

// ListAPIKeys lists an organization's own keys (wsID empty) or a workspace's keys,
// revoked ones included.
func (t *Tx) ListAPIKeys(orgID, wsID string, after int64, limit int) ([]APIKey, int64, error) {
	if wsID == "" {
		return listPage(t, `SELECT `+apiKeyCols+` FROM api_keys WHERE org_id = ? AND workspace_id IS NULL`, []any{orgID}, after, limit, scanAPIKey, nil)
	}
	return listPage(t, `SELECT `+apiKeyCols+` FROM api_keys WHERE workspace_id = ?`, []any{wsID}, after, limit, scanAPIKey, nil)
}

// InsertAPIKey stores a key's hash (wsID empty: an organization key; expiresAt zero:
// never) and returns the key's record.
func (t *Tx) InsertAPIKey(orgID, wsID, hash, name, createdBy string, expiresAt time.Time) (APIKey, error) {
	k := APIKey{ID: NewID(APIKeyPrefix), OrganizationID: orgID, WorkspaceID: wsID, Name: name, CreatedBy: createdBy, CreatedAt: toTime(now()), ExpiresAt: expiresAt}
	var exp int64
	if !expiresAt.IsZero() {
		exp = expiresAt.UnixNano()
	}
	var ws any
	if wsID != "" {
		ws = wsID
	}
	_, err := t.exec(`INSERT INTO api_keys (id, org_id, workspace_id, hash, name, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, orgID, ws, hash, name, createdBy, k.CreatedAt.UnixNano(), exp)
	return k, err
}

// UpdateAPIKey stores a key's name and expiry (zero: never).
func (t *Tx) UpdateAPIKey(k APIKey) error {
	var exp int64
	if !k.ExpiresAt.IsZero() {
		exp = k.ExpiresAt.UnixNano()
	}
	return t.updated(t.exec(`UPDATE api_keys SET name = ?, expires_at = ? WHERE id = ? AND revoked_at = 0`, k.Name, exp, k.ID))
}

// RevokeAPIKey marks a key revoked at at; it authenticates no more.
func (t *Tx) RevokeAPIKey(id string, at time.Time) error {
	return t.updated(t.exec(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, at.UnixNano(), id))
}

// touchAPIKey records a key's last use (a token id that is no key's changes nothing).
func (t *Tx) touchAPIKey(id string, at time.Time) error {
	if !strings.HasPrefix(id, APIKeyPrefix+"_") {
		return nil
	}
	_, err := t.exec(`UPDATE api_keys SET last_used_at = max(last_used_at, ?) WHERE id = ?`, at.UnixNano(), id)
	return err
}

// ListOrganizationsWithID lists the one organization a key reaches, as
// ListOrganizations does for a user.
func (t *Tx) ListOrganizationsWithID(orgID, name string, after int64, limit int, keep func(api.Organization) bool) ([]api.Organization, int64, error) {
	q := `SELECT ` + orgCols + ` FROM organizations WHERE id = ?`
	args := []any{orgID}
	if name != "" {
		q += ` AND name = ?`
		args = append(args, name)
	}
	return listPage(t, q, args, after, limit, scanOrg, keep)
}
