package client

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// CredentialsService manages credentials. Their data is write-only: it is sent on
// create and on rotation (Update with Data) and never comes back.
type CredentialsService struct{ c *Client }

// CredentialListOptions filters ListByOrganization.
type CredentialListOptions struct {
	// Scope keeps only credentials of this scope (personal, workspace or
	// organization); "" keeps all.
	Scope string
}

// Create creates a credential in a workspace; the caller becomes its owner.
func (s *CredentialsService) Create(ctx context.Context, wsID string, req api.CreateCredentialRequest) (*api.Credential, error) {
	return create[api.Credential](ctx, s.c, pathf(RouteWorkspaceCredentials, wsID), req)
}

// Get returns one credential (without its data).
func (s *CredentialsService) Get(ctx context.Context, id string) (*api.Credential, error) {
	return get[api.Credential](ctx, s.c, pathf(RouteCredential, id), nil)
}

// GetByName returns the credential with this name whose home is this workspace, or
// ErrNotFound.
func (s *CredentialsService) GetByName(ctx context.Context, wsID, name string) (*api.Credential, error) {
	return findOne(ctx, s.c, pathf(RouteWorkspaceCredentials, wsID), url.Values{"name": {name}},
		"credential named "+quote(name), func(c api.Credential) bool { return c.Name == name })
}

// List returns the credentials the caller sees whose home is this workspace.
func (s *CredentialsService) List(ctx context.Context, wsID string) ([]api.Credential, error) {
	return list[api.Credential](ctx, s.c, pathf(RouteWorkspaceCredentials, wsID), nil)
}

// All iterates the credentials of a workspace.
func (s *CredentialsService) All(ctx context.Context, wsID string) iter.Seq2[api.Credential, error] {
	return all[api.Credential](ctx, s.c, pathf(RouteWorkspaceCredentials, wsID), nil)
}

// ListByOrganization returns the credentials the caller sees in an organization.
func (s *CredentialsService) ListByOrganization(ctx context.Context, orgID string, opts CredentialListOptions) ([]api.Credential, error) {
	return list[api.Credential](ctx, s.c, pathf(RouteOrganizationCredentials, orgID), opts.query())
}

// AllByOrganization iterates the credentials the caller sees in an organization.
func (s *CredentialsService) AllByOrganization(ctx context.Context, orgID string, opts CredentialListOptions) iter.Seq2[api.Credential, error] {
	return all[api.Credential](ctx, s.c, pathf(RouteOrganizationCredentials, orgID), opts.query())
}

func (o CredentialListOptions) query() url.Values {
	if o.Scope == "" {
		return nil
	}
	return url.Values{"scope": {o.Scope}}
}

// Update changes a credential; req.Data, when set, rotates the secret.
func (s *CredentialsService) Update(ctx context.Context, id string, req api.UpdateCredentialRequest, opts WriteOptions) (*api.Credential, error) {
	return update[api.Credential](ctx, s.c, pathf(RouteCredential, id), req, opts)
}

// Delete deletes a credential.
func (s *CredentialsService) Delete(ctx context.Context, id string, opts WriteOptions) error {
	return remove(ctx, s.c, pathf(RouteCredential, id), opts)
}

// RecordUse records that a workflow used the credential. Like a create it carries
// an Idempotency-Key, so a retry never counts a second use.
func (s *CredentialsService) RecordUse(ctx context.Context, id string, req api.RecordUseRequest) error {
	_, err := create[struct{}](ctx, s.c, pathf(routeCredentialUses, id), req)
	return err
}

// Usage returns the credential's uses aggregated by workspace, workflow and user
// over the last sinceDays days (0: the server's default, 30).
func (s *CredentialsService) Usage(ctx context.Context, id string, sinceDays int) (*api.CredentialUsageList, error) {
	var q url.Values
	if sinceDays > 0 {
		q = url.Values{"since_days": {strconv.Itoa(sinceDays)}}
	}
	return get[api.CredentialUsageList](ctx, s.c, pathf(routeCredentialUsage, id), q)
}

// Test asks the platform to check the credential against its service.
func (s *CredentialsService) Test(ctx context.Context, id string) (*api.CredentialTestResult, error) {
	return action[api.CredentialTestResult](ctx, s.c, pathf(routeCredentialTest, id), struct{}{})
}
