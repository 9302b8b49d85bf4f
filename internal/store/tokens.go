package store

import (
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

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
		if err := t.touchAPIKey(id, at); err != nil {
			return err
		}
	}
	return nil
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
