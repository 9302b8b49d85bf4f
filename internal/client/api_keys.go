package client

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// ErrAPIKeyAlreadyIssued: every answer of a key creation was lost, so nobody saw the
// secret of the keys it minted (a secret is shown once). Create revoked them; create
// the key again.
var ErrAPIKeyAlreadyIssued = errors.New("flero: the API key's answer was lost and its secret is shown once; the minted key was revoked, create it again")

// APIKeysService manages Flero API keys (rule 14): created in an organization or in a
// workspace, listed, read, renewed and revoked by the admins of where they live.
type APIKeysService struct{ c *Client }

// CreateInOrganization creates an organization key. The secret (Key) is in the answer
// only.
func (s *APIKeysService) CreateInOrganization(ctx context.Context, orgID string, req api.CreateAPIKeyRequest) (*api.APIKey, error) {
	return s.create(ctx, pathf(RouteOrganizationAPIKeys, orgID), req)
}

// CreateInWorkspace creates a workspace key. The secret (Key) is in the answer only.
func (s *APIKeysService) CreateInWorkspace(ctx context.Context, wsID string, req api.CreateAPIKeyRequest) (*api.APIKey, error) {
	return s.create(ctx, pathf(RouteWorkspaceAPIKeys, wsID), req)
}

// create is AdminService.CreateToken's answer to a lost answer: a replay has no
// secret, so the minted key is revoked and another minted, a few times at most.
func (s *APIKeysService) create(ctx context.Context, p route, req api.CreateAPIKeyRequest) (*api.APIKey, error) {
	for attempt := 0; ; attempt++ {
		k, err := create[api.APIKey](ctx, s.c, p, req)
		if err != nil || !k.AlreadyIssued {
			return k, err
		}
		if err := s.Revoke(ctx, k.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return k, fmt.Errorf("%w: key %s, and revoking it failed: %w", ErrAPIKeyAlreadyIssued, k.ID, err)
		}
		if attempt == tokenRemints {
			return k, fmt.Errorf("%w: key %s (revoked; every answer of %d mints was lost)", ErrAPIKeyAlreadyIssued, k.ID, tokenRemints+1)
		}
	}
}

// Get returns one key, without its secret (a revoked key too, with RevokedAt).
func (s *APIKeysService) Get(ctx context.Context, id string) (*api.APIKey, error) {
	return get[api.APIKey](ctx, s.c, pathf(RouteAPIKey, id), nil)
}

// ListInOrganization returns an organization's own keys, revoked ones included.
func (s *APIKeysService) ListInOrganization(ctx context.Context, orgID string) ([]api.APIKey, error) {
	return list[api.APIKey](ctx, s.c, pathf(RouteOrganizationAPIKeys, orgID), nil)
}

// ListInWorkspace returns a workspace's keys, revoked ones included.
func (s *APIKeysService) ListInWorkspace(ctx context.Context, wsID string) ([]api.APIKey, error) {
	return list[api.APIKey](ctx, s.c, pathf(RouteWorkspaceAPIKeys, wsID), nil)
}

// AllInWorkspace iterates a workspace's keys.
func (s *APIKeysService) AllInWorkspace(ctx context.Context, wsID string) iter.Seq2[api.APIKey, error] {
	return all[api.APIKey](ctx, s.c, pathf(RouteWorkspaceAPIKeys, wsID), nil)
}

// Update renames a key or moves its expiry (a renewal); nil fields are unchanged.
func (s *APIKeysService) Update(ctx context.Context, id string, req api.UpdateAPIKeyRequest) (*api.APIKey, error) {
	return update[api.APIKey](ctx, s.c, pathf(RouteAPIKey, id), req, WriteOptions{})
}

// Revoke revokes a key: it is refused from then on. An already revoked key is
// ErrNotFound.
func (s *APIKeysService) Revoke(ctx context.Context, id string) error {
	return remove(ctx, s.c, pathf(RouteAPIKey, id), WriteOptions{})
}
