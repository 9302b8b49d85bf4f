package store

import (
	"context"
	"errors"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// BootstrapEmail is the email of the first user of a new database.
const BootstrapEmail = "admin@flero.local"

// Bootstrap makes sure token belongs to a platform admin. On a new database it creates
// the first user (a platform admin, active) with that token. On a database that has
// users, a token already known is left alone and an unknown one is added to the first
// platform admin. It returns that admin's id.
func (s *Store) Bootstrap(ctx context.Context, token string) (userID string, err error) {
	hash := HashToken(token)
	err = s.Write(ctx, func(tx *Tx) error {
		if u, err := tx.UserByTokenHash(hash); err == nil {
			userID = u.ID
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		admin, err := tx.FirstPlatformAdmin()
		if errors.Is(err, ErrNotFound) {
			admin, err = tx.InsertUser(BootstrapEmail, "Platform admin", "active", true)
			if err == nil {
				err = tx.InsertAuditEvent(&api.AuditEvent{ActorID: admin.ID, Action: "created", EntityType: "user", EntityID: admin.ID})
			}
		}
		if err != nil {
			return err
		}
		userID = admin.ID
		if _, err := tx.InsertToken(admin.ID, hash, "bootstrap", "bootstrap", time.Time{}); err != nil {
			return err
		}
		return tx.InsertAuditEvent(&api.AuditEvent{ActorID: admin.ID, Action: "token_created", EntityType: "user", EntityID: admin.ID})
	})
	return userID, err
}

// HasUsers reports whether the database has any user.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var has bool
	err := s.Read(ctx, func(tx *Tx) error {
		var err error
		has, err = tx.exists(`SELECT 1 FROM users LIMIT 1`)
		return err
	})
	return has, err
}

// IssueToken creates the user with a normalised email if needed (active, so it can be
// used at once) and returns the user's id and a new token. It is the offline path used
// by `flero-server token create` and the test server; the API path is
// POST /v1/admin/users/{id}/tokens.
func (s *Store) IssueToken(ctx context.Context, email, name, description string) (userID, token string, err error) {
	token = NewToken()
	err = s.Write(ctx, func(tx *Tx) error {
		u, err := tx.UserByEmail(email)
		if errors.Is(err, ErrNotFound) {
			if u, err = tx.InsertUser(email, name, "active", false); err == nil {
				err = tx.InsertAuditEvent(&api.AuditEvent{ActorID: u.ID, Action: "created", EntityType: "user", EntityID: u.ID})
			}
		} else if err == nil && u.Status != "active" {
			err = tx.ActivateUser(u.ID)
		}
		if err != nil {
			return err
		}
		userID = u.ID
		if _, err := tx.InsertToken(u.ID, HashToken(token), "", description, time.Time{}); err != nil {
			return err
		}
		return tx.InsertAuditEvent(&api.AuditEvent{ActorID: u.ID, Action: "token_created", EntityType: "user", EntityID: u.ID})
	})
	if err != nil {
		return "", "", err
	}
	return userID, token, nil
}
