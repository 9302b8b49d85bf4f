package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// listPage reads one page of rows ordered by seq after the cursor `after`. keep, when
// not nil, filters rows in Go (rules decide visibility; SQL does not re-implement
// them). next is the seq to continue after, 0 on the last page.
func listPage[T any](t *Tx, query string, args []any, after int64, limit int, scan func(scanner) (T, int64, error), keep func(T) bool) (items []T, next int64, err error) {

	items = make([]T, 0, min(limit, 64))
	seqs := make([]int64, 0, min(limit, 64))
	batch := limit + 1
	for {
		a := append(append([]any{}, args...), after, batch)
		rows, err := t.query(query+" AND seq > ? ORDER BY seq LIMIT ?", a...)
		if err != nil {
			return nil, 0, err
		}
		n := 0
		for rows.Next() {
			n++
			item, seq, err := scan(rows)
			if err != nil {
				rows.Close()
				return nil, 0, err
			}
			after = seq
			if keep != nil && !keep(item) {
				continue
			}
			items = append(items, item)
			seqs = append(seqs, seq)
			if len(items) > limit {
				break
			}
		}
		if err := rows.Close(); err != nil {
			return nil, 0, err
		}
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		if len(items) > limit {
			return items[:limit], seqs[limit-1], nil
		}
		if n < batch {
			return items, 0, nil
		}
	}
}

// ---------------------------------------------------------------------------
// Users and tokens

// User is a platform user.
type User struct {
	api.User
	PlatformAdmin bool
}

const userCols = `seq, id, email, name, status, platform_admin, created_at`

func scanUser(r scanner) (User, int64, error) {
	var u User
	var seq, created int64
	err := r.Scan(&seq, &u.ID, &u.Email, &u.Name, &u.Status, &u.PlatformAdmin, &created)
	u.CreatedAt = toTime(created)
	return u, seq, err
}

func (t *Tx) oneUser(where string, args ...any) (User, error) {
	st, err := t.stmt(`SELECT ` + userCols + ` FROM users WHERE ` + where)
	if err != nil {
		return User{}, err
	}
	u, _, err := scanUser(st.QueryRowContext(t.ctx, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}

// UserByID returns a user.
func (t *Tx) UserByID(id string) (User, error) { return t.oneUser(`id = ?`, id) }

// UserByEmail returns the user with a normalised email.
func (t *Tx) UserByEmail(email string) (User, error) { return t.oneUser(`email = ?`, email) }

// UserByTokenHash returns the owner of a token.
func (t *Tx) UserByTokenHash(hash string) (User, error) {
	return t.oneUser(`id = (SELECT user_id FROM tokens WHERE hash = ?)`, hash)
}

// Token is a token's record; its secret is never stored, only its hash.
type Token struct {
	ID, UserID, Name, Description string
	CreatedAt                     time.Time
	ExpiresAt, LastUsedAt         time.Time // zero: never
}

// API is the token as the API shows it (without the secret).
func (k Token) API() api.Token {
	out := api.Token{ID: k.ID, UserID: k.UserID, Name: k.Name, Description: k.Description, CreatedAt: k.CreatedAt}
	if !k.ExpiresAt.IsZero() {
		e := k.ExpiresAt
		out.ExpiresAt = &e
	}
	if !k.LastUsedAt.IsZero() {
		l := k.LastUsedAt
		out.LastUsedAt = &l
	}
	return out
}

const tokenCols = `seq, id, user_id, name, description, created_at, expires_at, last_used_at`

func optTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return toTime(n)
}

func scanToken(r scanner) (Token, int64, error) {
	var k Token
	var seq, c, e, l int64
	err := r.Scan(&seq, &k.ID, &k.UserID, &k.Name, &k.Description, &c, &e, &l)
	k.CreatedAt, k.ExpiresAt, k.LastUsedAt = toTime(c), optTime(e), optTime(l)
	return k, seq, err
}

// TokenByHash returns the token with this hash.
func (t *Tx) TokenByHash(hash string) (Token, error) {
	return one(t, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, scanToken, hash)
}

// TokenByID returns a token.
func (t *Tx) TokenByID(id string) (Token, error) {
	return one(t, `SELECT `+tokenCols+` FROM tokens WHERE id = ?`, scanToken, id)
}

// ListTokens lists a user's tokens (every user's when userID is empty).
func (t *Tx) ListTokens(userID string, after int64, limit int) ([]Token, int64, error) {
	return listPage(t, `SELECT `+tokenCols+` FROM tokens WHERE (? = '' OR user_id = ?)`, []any{userID, userID}, after, limit, scanToken, nil)
}

// DeleteToken revokes a token: its hash is gone, so it authenticates no more.
func (t *Tx) DeleteToken(id string) error {
	return t.updated(t.exec(`DELETE FROM tokens WHERE id = ?`, id))
}

// TouchTokens records tokens' last uses (token id → time), never moving one back.
func (t *Tx) TouchTokens(used map[string]time.Time) error {
	for id, at := range used {
		if _, err := t.exec(`UPDATE tokens SET last_used_at = max(last_used_at, ?) WHERE id = ?`, at.UnixNano(), id); err != nil {
			return err
		}
	}
	return nil
}

// InsertUser creates a user; email must already be normalised.
func (t *Tx) InsertUser(email, name, status string, platformAdmin bool) (User, error) {
	u := User{User: api.User{ID: NewID("usr"), Email: email, Name: name, Status: status, CreatedAt: toTime(now())}, PlatformAdmin: platformAdmin}
	_, err := t.exec(`INSERT INTO users (id, email, name, status, platform_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Status, u.PlatformAdmin, u.CreatedAt.UnixNano())
	return u, err
}

// ActivateUser marks a user and their organization memberships active.
func (t *Tx) ActivateUser(id string) error {
	if _, err := t.exec(`UPDATE users SET status = 'active' WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := t.exec(`UPDATE org_memberships SET status = 'active', version = version + 1 WHERE user_id = ? AND status <> 'active'`, id)
	return err
}

// InsertToken stores a token's hash for a user (expiresAt zero: never) and returns the
// token's record.
func (t *Tx) InsertToken(userID, hash, name, description string, expiresAt time.Time) (Token, error) {
	k := Token{ID: NewID("tok"), UserID: userID, Name: name, Description: description, CreatedAt: toTime(now()), ExpiresAt: expiresAt}
	var exp int64
	if !expiresAt.IsZero() {
		exp = expiresAt.UnixNano()
	}
	_, err := t.exec(`INSERT INTO tokens (id, user_id, hash, name, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, userID, hash, name, description, k.CreatedAt.UnixNano(), exp)
	return k, err
}

// TokenExists reports whether a token hash is known.
func (t *Tx) TokenExists(hash string) (bool, error) {
	return t.exists(`SELECT 1 FROM tokens WHERE hash = ?`, hash)
}

// FirstPlatformAdmin returns the oldest platform admin (ErrNotFound on an empty database).
func (t *Tx) FirstPlatformAdmin() (User, error) {
	return t.oneUser(`platform_admin = 1 ORDER BY seq LIMIT 1`)
}

// MemberOfAny reports whether a user belongs to one of the organizations orgIDs.
func (t *Tx) MemberOfAny(userID string, orgIDs []string) (bool, error) {
	return t.exists(`SELECT 1 FROM org_memberships WHERE user_id = ? AND org_id IN (SELECT value FROM json_each(?)) LIMIT 1`, userID, jsonList(orgIDs))
}

// OrganizationRoles returns a user's role in each organization it belongs to.
func (t *Tx) OrganizationRoles(userID string) (map[string]string, error) {
	rows, err := t.query(`SELECT org_id, role FROM org_memberships WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var org, role string
		if err := rows.Scan(&org, &role); err != nil {
			return nil, err
		}
		out[org] = role
	}
	return out, rows.Err()
}

// jsonList encodes ids as a JSON array for json_each (one statement whatever the count).
func jsonList(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(ids) // strings always encode
	return string(b)
}

// ListUsers lists users, all of them or callerID and the members of the organizations
// orgIDs, optionally only the one with a (normalised) email.
func (t *Tx) ListUsers(callerID string, all bool, orgIDs []string, email string, after int64, limit int) ([]User, int64, error) {
	q := `SELECT ` + userCols + ` FROM users WHERE 1=1`
	var args []any
	if !all {
		q += ` AND (id = ? OR id IN (SELECT user_id FROM org_memberships WHERE org_id IN (SELECT value FROM json_each(?))))`
		args = append(args, callerID, jsonList(orgIDs))
	}
	if email != "" {
		q += ` AND email = ?`
		args = append(args, email)
	}
	return listPage(t, q, args, after, limit, scanUser, nil)
}

// ---------------------------------------------------------------------------
// Organizations

const orgCols = `seq, id, name, description, avatar_url, plan, sso_enabled, version, created_at, updated_at`

func scanOrg(r scanner) (api.Organization, int64, error) {
	var o api.Organization
	var seq, c, u int64
	err := r.Scan(&seq, &o.ID, &o.Name, &o.Description, &o.AvatarURL, &o.Plan, &o.SSOEnabled, &o.Version, &c, &u)
	o.CreatedAt, o.UpdatedAt = toTime(c), toTime(u)
	return o, seq, err
}

func one[T any](t *Tx, query string, scan func(scanner) (T, int64, error), args ...any) (T, error) {
	st, err := t.stmt(query)
	if err != nil {
		var zero T
		return zero, err
	}
	v, _, err := scan(st.QueryRowContext(t.ctx, args...))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return v, err
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

func (t *Tx) updated(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func (t *Tx) strings(query string, args ...any) ([]string, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// OrganizationScopedCredentialNames names the organization-scoped credentials of an organization.
func (t *Tx) OrganizationScopedCredentialNames(orgID string) ([]string, error) {
	return t.strings(`SELECT name FROM credentials WHERE org_id = ? AND scope = 'organization' ORDER BY name`, orgID)
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

// ---------------------------------------------------------------------------
// Organization memberships

const orgMemberCols = `m.seq, m.org_id, m.user_id, u.email, m.role, m.status, m.version, m.created_at`
const orgMemberFrom = ` FROM org_memberships m JOIN users u ON u.id = m.user_id `

func scanOrgMember(r scanner) (api.OrganizationMembership, int64, error) {
	var m api.OrganizationMembership
	var seq, c int64
	err := r.Scan(&seq, &m.OrganizationID, &m.UserID, &m.Email, &m.Role, &m.Status, &m.Version, &c)
	m.CreatedAt = toTime(c)
	return m, seq, err
}

// OrganizationMembership returns a user's membership of an organization.
func (t *Tx) OrganizationMembership(orgID, userID string) (api.OrganizationMembership, error) {
	return one(t, `SELECT `+orgMemberCols+orgMemberFrom+`WHERE m.org_id = ? AND m.user_id = ?`, scanOrgMember, orgID, userID)
}

// InsertOrganizationMembership creates a membership (version and time set here).
func (t *Tx) InsertOrganizationMembership(m *api.OrganizationMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	_, err := t.exec(`INSERT INTO org_memberships (org_id, user_id, role, status, version, created_at) VALUES (?,?,?,?,?,?)`,
		m.OrganizationID, m.UserID, m.Role, m.Status, m.Version, m.CreatedAt.UnixNano())
	return err
}

// UpdateOrganizationMembership writes the role and bumps the version.
func (t *Tx) UpdateOrganizationMembership(m *api.OrganizationMembership) error {
	m.Version++
	return t.updated(t.exec(`UPDATE org_memberships SET role = ?, status = ?, version = ? WHERE org_id = ? AND user_id = ? AND version = ?`,
		m.Role, m.Status, m.Version, m.OrganizationID, m.UserID, m.Version-1))
}

// DeleteOrganizationMembership removes a membership.
func (t *Tx) DeleteOrganizationMembership(orgID, userID string) error {
	return t.updated(t.exec(`DELETE FROM org_memberships WHERE org_id = ? AND user_id = ?`, orgID, userID))
}

// CountOrganizationAdmins counts the admins of an organization other than exceptUserID.
func (t *Tx) CountOrganizationAdmins(orgID, exceptUserID string) (int, error) {
	var n int
	err := t.row(`SELECT count(*) FROM org_memberships WHERE org_id = ? AND role = 'admin' AND user_id <> ?`, []any{orgID, exceptUserID}, &n)
	return n, err
}

// ListOrganizationMemberships lists an organization's memberships, optionally by email.
func (t *Tx) ListOrganizationMemberships(orgID, email string, after int64, limit int) ([]api.OrganizationMembership, int64, error) {
	// Wrapped so that listPage's "seq" is not ambiguous in the join.
	q := `SELECT * FROM (SELECT ` + orgMemberCols + orgMemberFrom + `WHERE m.org_id = ?`
	args := []any{orgID}
	if email != "" {
		q += ` AND u.email = ?`
		args = append(args, email)
	}
	q += `) WHERE 1=1`
	return listPage(t, q, args, after, limit, scanOrgMember, nil)
}

// RemoveUserFromOrganization deletes the user's team and workspace memberships in
// the organization (the organization membership itself is deleted separately).
func (t *Tx) RemoveUserFromOrganization(orgID, userID string) error {
	if _, err := t.exec(`DELETE FROM team_memberships WHERE user_id = ? AND team_id IN (SELECT id FROM teams WHERE org_id = ?)`, userID, orgID); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM workspace_memberships WHERE user_id = ? AND workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?)`, userID, orgID)
	return err
}

// ---------------------------------------------------------------------------
// Roles

// Roles is what the store knows of a user's standing in an organization.
type Roles struct {
	OrgMember      bool
	OrgRole        string   // admin | member | ""
	WorkspaceRoles []string // direct and through teams, in the workspace asked about
	InAnyWorkspace bool
}

const principalMatch = `((principal_type = 'user' AND principal_id = ?) OR (principal_type = 'team' AND principal_id IN (SELECT team_id FROM team_memberships WHERE user_id = ?)))`

// Roles returns a user's roles in an organization and, when wsID is set, in that workspace.
func (t *Tx) Roles(userID, orgID, wsID string) (Roles, error) {
	var r Roles
	err := t.row(`SELECT role FROM org_memberships WHERE org_id = ? AND user_id = ?`, []any{orgID, userID}, &r.OrgRole)
	switch {
	case err == nil:
		r.OrgMember = true
	case !errors.Is(err, ErrNotFound):
		return r, err
	}
	if wsID != "" {
		if r.WorkspaceRoles, err = t.strings(`SELECT role FROM workspace_memberships WHERE workspace_id = ? AND `+principalMatch, wsID, userID, userID); err != nil {
			return r, err
		}
	}
	if len(r.WorkspaceRoles) > 0 {
		r.InAnyWorkspace = true
	} else {
		r.InAnyWorkspace, err = t.exists(`SELECT 1 FROM workspace_memberships WHERE workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?) AND `+principalMatch+` LIMIT 1`, orgID, userID, userID)
	}
	return r, err
}

// WorkspaceRolesInOrganization returns a user's roles in every workspace of an organization.
func (t *Tx) WorkspaceRolesInOrganization(userID, orgID string) (map[string][]string, error) {
	rows, err := t.query(`SELECT workspace_id, role FROM workspace_memberships WHERE workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?) AND `+principalMatch, orgID, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var ws, role string
		if err := rows.Scan(&ws, &role); err != nil {
			return nil, err
		}
		out[ws] = append(out[ws], role)
	}
	return out, rows.Err()
}

// ---------------------------------------------------------------------------
// Workspaces

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

// CredentialNamesInWorkspace names the credentials whose home is a workspace.
func (t *Tx) CredentialNamesInWorkspace(wsID string) ([]string, error) {
	return t.strings(`SELECT name FROM credentials WHERE workspace_id = ? ORDER BY name`, wsID)
}

// ---------------------------------------------------------------------------
// Teams

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

// ---------------------------------------------------------------------------
// Team memberships

const teamMemberCols = `seq, team_id, user_id, version, created_at`

func scanTeamMember(r scanner) (api.TeamMembership, int64, error) {
	var m api.TeamMembership
	var seq, c int64
	err := r.Scan(&seq, &m.TeamID, &m.UserID, &m.Version, &c)
	m.CreatedAt = toTime(c)
	return m, seq, err
}

// TeamMembership returns a user's membership of a team.
func (t *Tx) TeamMembership(teamID, userID string) (api.TeamMembership, error) {
	return one(t, `SELECT `+teamMemberCols+` FROM team_memberships WHERE team_id = ? AND user_id = ?`, scanTeamMember, teamID, userID)
}

// InsertTeamMembership creates a team membership.
func (t *Tx) InsertTeamMembership(m *api.TeamMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	_, err := t.exec(`INSERT INTO team_memberships (team_id, user_id, version, created_at) VALUES (?,?,?,?)`, m.TeamID, m.UserID, m.Version, m.CreatedAt.UnixNano())
	return err
}

// DeleteTeamMembership removes a team membership.
func (t *Tx) DeleteTeamMembership(teamID, userID string) error {
	return t.updated(t.exec(`DELETE FROM team_memberships WHERE team_id = ? AND user_id = ?`, teamID, userID))
}

// ListTeamMemberships lists a team's memberships.
func (t *Tx) ListTeamMemberships(teamID string, after int64, limit int) ([]api.TeamMembership, int64, error) {
	return listPage(t, `SELECT `+teamMemberCols+` FROM team_memberships WHERE team_id = ?`, []any{teamID}, after, limit, scanTeamMember, nil)
}

// ---------------------------------------------------------------------------
// Workspace memberships

const wsMemberCols = `seq, workspace_id, principal_type, principal_id, role, version, created_at`

func scanWSMember(r scanner) (api.WorkspaceMembership, int64, error) {
	var m api.WorkspaceMembership
	var seq, c int64
	err := r.Scan(&seq, &m.WorkspaceID, &m.PrincipalType, &m.PrincipalID, &m.Role, &m.Version, &c)
	m.CreatedAt = toTime(c)
	return m, seq, err
}

// WorkspaceMembership returns a principal's membership of a workspace.
func (t *Tx) WorkspaceMembership(wsID, principalType, principalID string) (api.WorkspaceMembership, error) {
	return one(t, `SELECT `+wsMemberCols+` FROM workspace_memberships WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?`, scanWSMember, wsID, principalType, principalID)
}

// InsertWorkspaceMembership creates a workspace membership.
func (t *Tx) InsertWorkspaceMembership(m *api.WorkspaceMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	var userID, teamID any
	if m.PrincipalType == "team" {
		teamID = m.PrincipalID
	} else {
		userID = m.PrincipalID
	}
	_, err := t.exec(`INSERT INTO workspace_memberships (workspace_id, principal_type, principal_id, user_id, team_id, role, version, created_at) VALUES (?,?,?,?,?,?,?,?)`,
		m.WorkspaceID, m.PrincipalType, m.PrincipalID, userID, teamID, m.Role, m.Version, m.CreatedAt.UnixNano())
	return err
}

// UpdateWorkspaceMembership writes the role and bumps the version.
func (t *Tx) UpdateWorkspaceMembership(m *api.WorkspaceMembership) error {
	m.Version++
	return t.updated(t.exec(`UPDATE workspace_memberships SET role = ?, version = ? WHERE workspace_id = ? AND principal_type = ? AND principal_id = ? AND version = ?`,
		m.Role, m.Version, m.WorkspaceID, m.PrincipalType, m.PrincipalID, m.Version-1))
}

// DeleteWorkspaceMembership removes a workspace membership.
func (t *Tx) DeleteWorkspaceMembership(wsID, principalType, principalID string) error {
	return t.updated(t.exec(`DELETE FROM workspace_memberships WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?`, wsID, principalType, principalID))
}

// ListWorkspaceMemberships lists a workspace's memberships.
func (t *Tx) ListWorkspaceMemberships(wsID string, after int64, limit int) ([]api.WorkspaceMembership, int64, error) {
	return listPage(t, `SELECT `+wsMemberCols+` FROM workspace_memberships WHERE workspace_id = ?`, []any{wsID}, after, limit, scanWSMember, nil)
}

// ---------------------------------------------------------------------------
// Credentials

// Credential is a credential row; its data stays sealed until Data is called.
type Credential struct {
	api.Credential
	sealed []byte
}

const credCols = `seq, id, workspace_id, org_id, name, type, description, scope, owner_id, status, data, data_revision, version, created_at, updated_at`

func scanCred(r scanner) (Credential, int64, error) {
	var c Credential
	var seq, cr, up int64
	err := r.Scan(&seq, &c.ID, &c.WorkspaceID, &c.OrganizationID, &c.Name, &c.Type, &c.Description, &c.Scope, &c.OwnerID, &c.Status, &c.sealed, &c.DataRevision, &c.Version, &cr, &up)
	c.CreatedAt, c.UpdatedAt = toTime(cr), toTime(up)
	return c, seq, err
}

// Credential returns a credential.
func (t *Tx) Credential(id string) (Credential, error) {
	return one(t, `SELECT `+credCols+` FROM credentials WHERE id = ?`, scanCred, id)
}

// CredentialData decrypts a credential's data.
func (t *Tx) CredentialData(c Credential) (map[string]string, error) {
	plain, err := t.s.crypto.open(c.sealed, c.ID)
	if err != nil {
		return nil, errors.New("store: credential data cannot be decrypted")
	}
	var data map[string]string
	if err := json.Unmarshal(plain, &data); err != nil {
		return nil, errors.New("store: credential data is corrupt")
	}
	return data, nil
}

func (t *Tx) sealData(id string, data map[string]string) ([]byte, error) {
	plain, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	return t.s.crypto.seal(plain, id), nil
}

// InsertCredential creates a credential with its data sealed.
func (t *Tx) InsertCredential(c *Credential, data map[string]string) error {
	c.ID, c.Version, c.DataRevision = NewID("cred"), 1, 1
	c.CreatedAt = toTime(now())
	c.UpdatedAt = c.CreatedAt
	sealed, err := t.sealData(c.ID, data)
	if err != nil {
		return err
	}
	c.sealed = sealed
	_, err = t.exec(`INSERT INTO credentials (id, workspace_id, org_id, name, type, description, scope, owner_id, status, data, data_revision, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.ID, c.WorkspaceID, c.OrganizationID, c.Name, c.Type, c.Description, c.Scope, c.OwnerID, c.Status, sealed, c.DataRevision, c.Version, c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano())
	return err
}

// UpdateCredential writes c and bumps its version; non-nil data rotates the secret.
func (t *Tx) UpdateCredential(c *Credential, data map[string]string) error {
	if data != nil {
		sealed, err := t.sealData(c.ID, data)
		if err != nil {
			return err
		}
		c.sealed = sealed
		c.DataRevision++
	}
	c.Version++
	c.UpdatedAt = toTime(now())
	return t.updated(t.exec(`UPDATE credentials SET name=?, description=?, scope=?, status=?, data=?, data_revision=?, version=?, updated_at=? WHERE id=? AND version=?`,
		c.Name, c.Description, c.Scope, c.Status, c.sealed, c.DataRevision, c.Version, c.UpdatedAt.UnixNano(), c.ID, c.Version-1))
}

// DeleteCredential removes a credential and its usage records.
func (t *Tx) DeleteCredential(id string) error {
	return t.updated(t.exec(`DELETE FROM credentials WHERE id = ?`, id))
}

// ListCredentials lists credentials by home workspace (wsID) or organization
// (orgID, optionally one scope), keeping those keep accepts.
func (t *Tx) ListCredentials(orgID, wsID, scope string, after int64, limit int, keep func(Credential) bool) ([]Credential, int64, error) {
	q := `SELECT ` + credCols + ` FROM credentials WHERE 1=1`
	var args []any
	if orgID != "" {
		q += ` AND org_id = ?`
		args = append(args, orgID)
	}
	if wsID != "" {
		q += ` AND workspace_id = ?`
		args = append(args, wsID)
	}
	if scope != "" {
		q += ` AND scope = ?`
		args = append(args, scope)
	}
	return listPage(t, q, args, after, limit, scanCred, keep)
}

// PersonalCredentialsOwnedIn lists a user's personal credentials in an organization.
func (t *Tx) PersonalCredentialsOwnedIn(orgID, ownerID string) ([]Credential, error) {
	items, _, err := listPage(t, `SELECT `+credCols+` FROM credentials WHERE org_id = ? AND owner_id = ? AND scope = 'personal'`, []any{orgID, ownerID}, 0, 1<<30, scanCred, nil)
	return items, err
}

// InsertCredentialUse records that a workflow used a credential.
func (t *Tx) InsertCredentialUse(credID, wsID, workflow, userID string) error {
	_, err := t.exec(`INSERT INTO credential_uses (credential_id, workspace_id, workflow, user_id, used_at) VALUES (?,?,?,?,?)`, credID, wsID, workflow, userID, now())
	return err
}

// CredentialUsage aggregates a credential's uses since a time by workspace, workflow
// and user, with workspace names.
func (t *Tx) CredentialUsage(credID string, since time.Time) ([]api.CredentialUsage, error) {
	rows, err := t.query(`SELECT u.workspace_id, coalesce(w.name, ''), u.workflow, u.user_id, count(*), max(u.used_at)
		FROM credential_uses u LEFT JOIN workspaces w ON w.id = u.workspace_id
		WHERE u.credential_id = ? AND u.used_at >= ?
		GROUP BY u.workspace_id, u.workflow, u.user_id
		ORDER BY 2, 3, 4`, credID, since.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.CredentialUsage{}
	for rows.Next() {
		var u api.CredentialUsage
		var last int64
		if err := rows.Scan(&u.WorkspaceID, &u.WorkspaceName, &u.Workflow, &u.UserID, &u.Uses, &last); err != nil {
			return nil, err
		}
		u.LastUsedAt = toTime(last)
		out = append(out, u)
	}
	return out, rows.Err()
}

// ---------------------------------------------------------------------------
// Audit events

const auditCols = `seq, id, actor_id, action, entity_type, entity_id, org_id, workspace_id, time, details`

func scanAudit(r scanner) (api.AuditEvent, int64, error) {
	var e api.AuditEvent
	var seq, tm int64
	var details string
	err := r.Scan(&seq, &e.ID, &e.ActorID, &e.Action, &e.EntityType, &e.EntityID, &e.OrganizationID, &e.WorkspaceID, &tm, &details)
	e.Time = toTime(tm)
	if err == nil && details != "" {
		err = json.Unmarshal([]byte(details), &e.Details)
	}
	return e, seq, err
}

// InsertAuditEvent records an event (ID and time set here). Details must never hold a secret.
func (t *Tx) InsertAuditEvent(e *api.AuditEvent) error {
	e.ID, e.Time = NewID("evt"), toTime(now())
	var details string
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return err
		}
		details = string(b)
	}
	_, err := t.exec(`INSERT INTO audit_events (id, actor_id, action, entity_type, entity_id, org_id, workspace_id, time, details) VALUES (?,?,?,?,?,?,?,?,?)`,
		e.ID, e.ActorID, e.Action, e.EntityType, e.EntityID, e.OrganizationID, e.WorkspaceID, e.Time.UnixNano(), details)
	return err
}

// AuditFilter narrows an audit listing; empty fields match everything.
type AuditFilter struct {
	Action, EntityType, EntityID, WorkspaceID, ActorID string
	Since                                              time.Time
}

// ListAuditEvents lists an organization's events, oldest first.
func (t *Tx) ListAuditEvents(orgID string, f AuditFilter, after int64, limit int) ([]api.AuditEvent, int64, error) {
	q := `SELECT ` + auditCols + ` FROM audit_events WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{{"action", f.Action}, {"entity_type", f.EntityType}, {"entity_id", f.EntityID}, {"workspace_id", f.WorkspaceID}, {"actor_id", f.ActorID}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if !f.Since.IsZero() {
		q += ` AND time >= ?`
		args = append(args, f.Since.UnixNano())
	}
	return listPage(t, q, args, after, limit, scanAudit, nil)
}

// ---------------------------------------------------------------------------
// Idempotency keys

// Reply is a stored answer to a create, replayed for a retried Idempotency-Key.
type Reply struct {
	Fingerprint string
	Status      int
	ETag        string
	Body        []byte
}

// IdempotentReply returns the reply stored for a user's key.
func (t *Tx) IdempotentReply(userID, key string) (Reply, error) {
	var r Reply
	var sealed []byte
	err := t.row(`SELECT fingerprint, status, etag, body FROM idempotency_keys WHERE user_id = ? AND key = ?`, []any{userID, key}, &r.Fingerprint, &r.Status, &r.ETag, &sealed)
	if err != nil {
		return r, err
	}
	if r.Body, err = t.s.crypto.open(sealed, "idem:"+userID+":"+key); err != nil {
		return r, errors.New("store: stored reply cannot be decrypted")
	}
	return r, nil
}

// PutIdempotentReply stores the reply to a user's key (in the create's transaction).
func (t *Tx) PutIdempotentReply(userID, key string, r Reply) error {
	_, err := t.exec(`INSERT INTO idempotency_keys (user_id, key, fingerprint, status, etag, body, created_at) VALUES (?,?,?,?,?,?,?)`,
		userID, key, r.Fingerprint, r.Status, r.ETag, t.s.crypto.seal(r.Body, "idem:"+userID+":"+key), now())
	return err
}
