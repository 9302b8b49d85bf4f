package store

import (
	"database/sql"
	"errors"

	"github.com/flero/terraform-provider-flero/internal/api"
)

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
	if args, err = t.args(args); err != nil {
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

// InsertUser creates a user; email must already be normalised.
func (t *Tx) InsertUser(email, name, status string, platformAdmin bool) (User, error) {
	u := User{User: api.User{ID: NewID("usr"), Email: email, Name: name, Status: status, CreatedAt: toTime(now())}, PlatformAdmin: platformAdmin}
	_, err := t.exec(`INSERT INTO users (id, email, name, status, platform_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Status, u.PlatformAdmin, u.CreatedAt.UnixNano())
	return u, err
}

// ActivateUser marks a user active and accepts their pending invitations that have not
// expired (an expired one stays invited until it is resent: rules.InvitationExpired).
func (t *Tx) ActivateUser(id string) error {
	if _, err := t.exec(`UPDATE users SET status = 'active' WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := t.exec(`UPDATE org_memberships SET status = 'active', version = version + 1
		WHERE user_id = ? AND status <> 'active' AND (invitation_expires_at = 0 OR invitation_expires_at > ?)`, id, now())
	return err
}

// FirstPlatformAdmin returns the oldest platform admin (ErrNotFound on an empty database).
func (t *Tx) FirstPlatformAdmin() (User, error) {
	return t.oneUser(`platform_admin = 1 ORDER BY seq LIMIT 1`)
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
