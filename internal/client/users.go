package client

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Me returns the token's user (GET /v1/me).
func (c *Client) Me(ctx context.Context) (*api.Me, error) {
	return get[api.Me](ctx, c, pathf("/v1/me"), nil)
}

// Access returns the caller's roles in an organization and, when workspaceID is
// not empty, in one of its workspaces (GET /v1/me/access).
func (c *Client) Access(ctx context.Context, orgID, workspaceID string) (*api.Access, error) {
	r := pathf("/v1/me/access")
	if strings.TrimSpace(orgID) == "" {
		r.err = errors.New("flero: Access: the organization id is empty")
	}
	q := url.Values{"organization_id": {orgID}}
	if workspaceID != "" {
		q.Set("workspace_id", workspaceID)
	}
	return get[api.Access](ctx, c, r, q)
}

// UsersService reads users (GET /v1/users…).
type UsersService struct{ c *Client }

// Get returns one user.
func (s *UsersService) Get(ctx context.Context, id string) (*api.User, error) {
	return get[api.User](ctx, s.c, pathf("/v1/users/%s", id), nil)
}

// GetByEmail returns the user with this email (case-insensitive) among those who
// share an organization with the caller, or ErrNotFound.
func (s *UsersService) GetByEmail(ctx context.Context, email string) (*api.User, error) {
	return findOne(ctx, s.c, pathf("/v1/users"), url.Values{"email": {email}}, "user with that email",
		func(u api.User) bool { return strings.EqualFold(u.Email, email) })
}

// AdminService is the platform administration API (platform admins only).
type AdminService struct{ c *Client }

// CreateUser creates an invited user.
func (s *AdminService) CreateUser(ctx context.Context, req api.CreateUserRequest) (*api.User, error) {
	return create[api.User](ctx, s.c, pathf("/v1/admin/users"), req)
}

// CreateToken mints an API token for a user. The token is in the answer only. Each call
// uses its own idempotency key, so a replay can only answer this call's own retry: the
// token was minted but its one answer was lost on the way. That token can never be used
// (nobody saw its secret), so CreateToken revokes it and mints another, up to
// tokenRemints times; after that it revokes the last one too and returns it (id, no
// secret) with ErrTokenAlreadyIssued. No token is left behind that nobody can use.
func (s *AdminService) CreateToken(ctx context.Context, userID string, req api.CreateTokenRequest) (*api.Token, error) {
	for attempt := 0; ; attempt++ {
		tok, err := create[api.Token](ctx, s.c, pathf("/v1/admin/users/%s/tokens", userID), req)
		if err != nil || !tok.AlreadyIssued {
			return tok, err
		}
		if err := s.c.Tokens.Revoke(ctx, tok.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return tok, fmt.Errorf("%w: token %s, and revoking it failed: %w", ErrTokenAlreadyIssued, tok.ID, err)
		}
		if attempt == tokenRemints {
			return tok, fmt.Errorf("%w: token %s (revoked; every answer of %d mints was lost)", ErrTokenAlreadyIssued, tok.ID, tokenRemints+1)
		}
	}
}

// tokenRemints bounds how many times CreateToken replaces a token whose answer was lost.
const tokenRemints = 3
