package server_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestTokenCreateReplayReturnsNoSecret: the idempotency store keeps the token's id,
// never the token; a replay of the create says the token was already issued and
// gives its id, not the secret.
func TestTokenCreateReplayReturnsNoSecret(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	u := user(t, srv, "holder@example.com")
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	req := api.CreateTokenRequest{Name: "ci", Description: "pipeline", ExpiresAt: &expires}
	path := "/v1/admin/users/" + u.id + "/tokens"

	var first api.Token
	a.do("POST", path, req, "Idempotency-Key", "mint-1").want(http.StatusCreated).into(&first)
	if first.Token == "" || first.ID == "" || first.Name != "ci" || first.ExpiresAt == nil || !first.ExpiresAt.Equal(expires) || first.AlreadyIssued {
		t.Fatalf("created token: %+v", first)
	}
	r := a.do("POST", path, req, "Idempotency-Key", "mint-1").want(http.StatusOK)
	if bytes.Contains(r.body, []byte(first.Token)) {
		t.Fatalf("the replay holds the secret: %s", r.body)
	}
	if r.hdr.Get(api.HeaderIdempotentReplay) != "true" {
		t.Errorf("the replay is not marked as one")
	}
	var again api.Token
	r.into(&again)
	if again.ID != first.ID || !again.AlreadyIssued || again.Token != "" || again.Name != "ci" {
		t.Errorf("replay: %+v", again)
	}
	// What the store keeps for the key, decrypted, holds the id and no secret.
	err := srv.Store().Read(context.Background(), func(tx *store.Tx) error {
		rep, err := tx.IdempotentReply(srv.AdminUserID, "mint-1")
		if err != nil {
			return err
		}
		if bytes.Contains(rep.Body, []byte(first.Token)) || !bytes.Contains(rep.Body, []byte(first.ID)) {
			t.Errorf("stored reply: %s", rep.Body)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another body with the same key is still refused.
	a.do("POST", path, api.CreateTokenRequest{Name: "other"}, "Idempotency-Key", "mint-1").wantErr(422, api.CodeIdempotencyReused)
	// An expiry in the past is refused on its field.
	past := time.Now().Add(-time.Minute)
	e := a.do("POST", path, api.CreateTokenRequest{ExpiresAt: &past}).wantErr(422, api.CodeValidation)
	if len(e.Fields) != 1 || e.Fields[0].Path != "expires_at" {
		t.Errorf("fields: %+v", e.Fields)
	}
}

// TestTokensListRevokeExpire: a user lists and revokes its tokens (a platform admin
// anyone's); a revoked or expired token is a 401 at once, although the server caches
// the tokens it has seen.
func TestTokensListRevokeExpire(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	u := user(t, srv, "lister@example.com")
	other := user(t, srv, "other@example.com")
	mint := func(name string, expires *time.Time) api.Token {
		return create[api.Token](a, "/v1/admin/users/"+u.id+"/tokens", api.CreateTokenRequest{Name: name, ExpiresAt: expires})
	}
	ci := mint("ci", nil)
	ciAs := &as{t: t, srv: srv, token: ci.Token, id: u.id}
	get[api.Me](ciAs, "/v1/me") // used (and cached)

	var page api.Page[api.Token]
	ciAs.do("GET", "/v1/tokens", nil).want(200).into(&page)
	var listed *api.Token
	for i := range page.Items {
		if page.Items[i].Token != "" {
			t.Fatalf("a list holds a secret: %+v", page.Items[i])
		}
		if page.Items[i].ID == ci.ID {
			listed = &page.Items[i]
		}
	}
	if len(page.Items) != 2 || listed == nil || listed.Name != "ci" || listed.CreatedAt.IsZero() || listed.LastUsedAt == nil || listed.ExpiresAt != nil {
		t.Fatalf("the user's tokens: %+v", page.Items)
	}
	// Someone else's tokens are not-found; a platform admin sees them.
	other.do("GET", "/v1/tokens?user_id="+u.id, nil).wantErr(404, api.CodeNotFound)
	other.do("DELETE", "/v1/tokens/"+ci.ID, nil).wantErr(404, api.CodeNotFound)
	a.do("GET", "/v1/tokens?user_id="+u.id, nil).want(200).into(&page)
	if len(page.Items) != 2 {
		t.Errorf("platform admin's list of the user's tokens: %+v", page.Items)
	}

	// Revoked by its user: refused at once, cached or not.
	spare := mint("spare", nil)
	spareAs := &as{t: t, srv: srv, token: spare.Token, id: u.id}
	get[api.Me](spareAs, "/v1/me")
	ciAs.do("DELETE", "/v1/tokens/"+spare.ID, nil).want(204)
	spareAs.do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	get[api.Me](ciAs, "/v1/me") // the others still work
	// Revoked by a platform admin, too.
	a.do("DELETE", "/v1/tokens/"+ci.ID, nil).want(204)
	ciAs.do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	a.do("DELETE", "/v1/tokens/"+ci.ID, nil).wantErr(404, api.CodeNotFound)

	// Expired: accepted (and cached) before its expiry, refused once it has passed.
	soon := time.Now().Add(1500 * time.Millisecond)
	short := mint("short", &soon)
	shortAs := &as{t: t, srv: srv, token: short.Token, id: u.id}
	if r := shortAs.do("GET", "/v1/me", nil); time.Now().Before(soon) && r.status != 200 {
		t.Fatalf("a token before its expiry: %d %s", r.status, r.body)
	}
	time.Sleep(time.Until(soon) + 10*time.Millisecond)
	e := shortAs.do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	if !bytes.Contains([]byte(e.Message), []byte("expired")) {
		t.Errorf("the refusal does not say the token expired: %s", e.Message)
	}
}
