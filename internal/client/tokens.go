package client

import (
	"context"
	"errors"
	"net/url"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// ErrTokenAlreadyIssued: every answer of a token creation was lost, so nobody saw the
// secret of the tokens it minted (a secret is shown once). CreateToken revoked them;
// create the token again.
var ErrTokenAlreadyIssued = errors.New("flero: the token's answer was lost and its secret is shown once; the minted token was revoked, create it again")

// TokensService lists and revokes API tokens (GET /v1/tokens, DELETE /v1/tokens/{id}):
// one's own, or any user's for a platform admin. Tokens are minted by
// AdminService.CreateToken.
type TokensService struct{ c *Client }

// List returns the tokens of a user (the caller's when userID is empty), without
// their secrets.
func (s *TokensService) List(ctx context.Context, userID string) ([]api.Token, error) {
	var q url.Values
	if userID != "" {
		q = url.Values{"user_id": {userID}}
	}
	return list[api.Token](ctx, s.c, pathf("/v1/tokens"), q)
}

// Revoke revokes a token: it is refused from then on.
func (s *TokensService) Revoke(ctx context.Context, id string) error {
	return remove(ctx, s.c, pathf("/v1/tokens/%s", id), WriteOptions{})
}
