package api

import "time"

// CreateAPIKeyRequest is POST /v1/organizations/{organization_id}/api-keys and
// POST /v1/workspaces/{workspace_id}/api-keys (rule 14). A key has no scope: a body
// with "scope" is refused (422 validation_failed) with the reason.
type CreateAPIKeyRequest struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"` // nil: never expires
}

// UpdateAPIKeyRequest is PATCH /v1/api-keys/{api_key_id}: a new name or expiry (an
// ephemeral key's renewal). A revoked key cannot be changed.
type UpdateAPIKeyRequest struct {
	Name      *string    `json:"name,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// APIKey is a Flero API key (rule 14). Key, the secret, is in the answer to its
// creation only (AlreadyIssued is true in a replay of that creation instead).
type APIKey struct {
	ID             string     `json:"id"`
	OrganizationID string     `json:"organization_id"`
	WorkspaceID    string     `json:"workspace_id,omitempty"` // "": an organization key
	Name           string     `json:"name"`
	CreatedBy      string     `json:"created_by"` // the user (or key) that created it
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      *time.Time `json:"expires_at,omitempty"`
	LastUsedAt     *time.Time `json:"last_used_at,omitempty"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	Key            string     `json:"key,omitempty"`
	AlreadyIssued  bool       `json:"already_issued,omitempty"`
}

// APIKeyReach is, in GET /v1/me, the key the caller authenticated with (nil for a
// user token): where it acts.
type APIKeyReach struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	WorkspaceID    string `json:"workspace_id,omitempty"`
}
