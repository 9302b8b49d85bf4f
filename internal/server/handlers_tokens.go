package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// Tokens (rule 13): minted by platform admins, listed and revoked by their user or a
// platform admin. The secret is in the creation's answer only: the idempotency store
// keeps the token's id, and a replay says the token was already issued.

// storedToken is what the idempotency store keeps of a token creation.
type storedToken struct {
	ID string `json:"id"`
}

func adminCreateToken(c *call) (*reply, error) {
	if err := requirePlatformAdmin(c); err != nil {
		return nil, err
	}
	id := c.path("user_id")
	req, err := decode[api.CreateTokenRequest](c)
	if err != nil {
		return nil, err
	}
	if err := validate(optional("name", req.Name, rules.ValidateName), rules.ValidateDescription("description", req.Description),
		rules.ValidateTokenExpiry("expires_at", req.ExpiresAt, time.Now())); err != nil {
		return nil, err
	}
	u, err := c.tx.UserByID(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("User", id)
	} else if err != nil {
		return nil, err
	}
	var expires time.Time
	if req.ExpiresAt != nil {
		expires = req.ExpiresAt.UTC()
	}
	secret := store.NewToken()
	k, err := c.tx.InsertToken(u.ID, store.HashToken(secret), req.Name, req.Description, expires)
	if err != nil {
		return nil, err
	}
	if err := c.audit("token_created", "user", u.ID, "", "", map[string]string{"token_id": k.ID}); err != nil {
		return nil, err
	}
	out := k.API()
	out.Token = secret
	rep, err := created(out, 0)
	if err != nil {
		return nil, err
	}
	rep.stored, err = json.Marshal(storedToken{ID: k.ID})
	return rep, err
}

// replayCreateToken answers a retried token creation: the token exists, and its secret
// was shown once, in the first answer.
func replayCreateToken(c *call, stored []byte) (*reply, error) {
	var st storedToken
	if err := json.Unmarshal(stored, &st); err != nil || st.ID == "" {
		return nil, fmt.Errorf("stored token reply: %w", err)
	}
	out := api.Token{ID: st.ID, UserID: c.path("user_id")}
	if k, err := c.tx.TokenByID(st.ID); err == nil {
		out = k.API()
	} else if !errors.Is(err, store.ErrNotFound) { // revoked since: its id is all there is
		return nil, err
	}
	out.AlreadyIssued = true
	return ok(out, 0)
}

// listTokens lists the tokens of ?user_id= (the caller's by
// default); someone else's are not-found unless the caller is a platform admin.
func listTokens(c *call) (*reply, error) {
	owner := c.query("user_id")
	if owner == "" {
		owner = c.user.ID
	}
	if !rules.CanManageToken(c.user.ID, c.user.PlatformAdmin, owner) {
		return nil, notFound("User", owner)
	}
	return listWith(c, func(after int64, limit int) ([]api.Token, int64, error) {
		items, next, err := c.tx.ListTokens(owner, after, limit)
		out := make([]api.Token, len(items))
		for i, k := range items {
			if at, ok := c.s.used.peek(k.ID); ok && at.After(k.LastUsedAt) {
				k.LastUsedAt = at // used since the last write stored it
			}
			out[i] = k.API()
		}
		return out, next, err
	})
}

func revokeToken(c *call) (*reply, error) {
	id := c.path("token_id")
	k, err := c.tx.TokenByID(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !rules.CanManageToken(c.user.ID, c.user.PlatformAdmin, k.UserID)) {
		return nil, &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: fmt.Sprintf("Token %q was not found (or is already revoked).", id)}
	} else if err != nil {
		return nil, err
	}
	if err := c.tx.DeleteToken(k.ID); err != nil {
		return nil, err
	}
	c.revoked = true
	if err := c.audit("token_revoked", "user", k.UserID, "", "", map[string]string{"token_id": k.ID}); err != nil {
		return nil, err
	}
	return noContent()
}
