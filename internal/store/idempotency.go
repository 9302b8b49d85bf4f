package store

import (
	"errors"
)

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
