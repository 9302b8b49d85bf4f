// Package api is the wire contract of the Flero platform API, version 1: the JSON
// shapes of every request and response, the error envelope and its machine codes,
// and the headers both sides use. The reference server encodes these types and the
// client decodes them, so the two cannot drift apart. openapi.yaml in this folder
// documents the same contract for people and other tools.
package api

import "time"

// Headers of the contract.
const (
	HeaderAuthorization      = "Authorization"
	HeaderIdempotencyKey     = "Idempotency-Key"
	HeaderIdempotentReplay   = "Idempotent-Replayed" // "true" on a replayed create
	HeaderETag               = "ETag"
	HeaderIfMatch            = "If-Match"
	HeaderRetryAfter         = "Retry-After"
	HeaderRateLimitLimit     = "X-RateLimit-Limit"     // requests allowed per window
	HeaderRateLimitRemaining = "X-RateLimit-Remaining" // requests left in the window
	HeaderRateLimitReset     = "X-RateLimit-Reset"     // seconds until the window resets
	HeaderRequestID          = "X-Request-Id"
)

// BasePath prefixes every route.
const BasePath = "/v1"

// Generic machine error codes. Rule violations use the codes of package rules.
const (
	CodeUnauthorized       = "unauthorized"           // 401: missing or unknown token
	CodeForbidden          = "forbidden"              // 403: not allowed
	CodeNotFound           = "not_found"              // 404 (also another tenant's object)
	CodeMethodNotAllowed   = "method_not_allowed"     // 405
	CodeConflict           = "conflict"               // 409: e.g. a name already taken
	CodeIdempotencyReused  = "idempotency_key_reused" // 422: same key, another body
	CodePreconditionFailed = "precondition_failed"    // 412: If-Match is stale
	CodeValidation         = "validation_failed"      // 400/422: bad input, see Fields
	CodeBadRequest         = "bad_request"            // 400: malformed JSON, unknown field, too large
	CodeRateLimited        = "rate_limited"           // 429
	CodeInternal           = "internal_error"         // 500
	CodeUnavailable        = "unavailable"            // 503 (also injected faults)
)

// ErrorResponse is the one error shape of the API.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody carries a stable machine code, a human message and, for validation and
// rule errors, the offending field paths.
type ErrorBody struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Fields    []FieldError `json:"fields,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
}

// FieldError names one offending field (a JSON path such as "scope" or "data.token").
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Page is one page of a list. NextCursor is empty on the last page. Lists take
// ?limit= (1–500, default 100) and ?cursor=.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// ---------------------------------------------------------------------------
// Users and tokens

// User is a person on the platform.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Status    string    `json:"status"` // invited | active
	CreatedAt time.Time `json:"created_at"`
}

// Me is GET /v1/me: the token's user.
type Me struct {
	User
	PlatformAdmin bool         `json:"platform_admin"`
	APIKey        *APIKeyReach `json:"api_key,omitempty"` // the caller is a Flero API key (rule 14)
}

// CreateUserRequest is POST /v1/admin/users (platform admins only).
type CreateUserRequest struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

// CreateTokenRequest is POST /v1/admin/users/{user_id}/tokens (platform admins only).
type CreateTokenRequest struct {
	Name        string     `json:"name,omitempty"`
	Description string     `json:"description,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"` // nil: never expires
}

// Token is an API token (rule 13). Token, the secret, is in the answer to its creation
// only: never again, and not in the replay of that creation (AlreadyIssued is true
// there instead). Lists (GET /v1/tokens) carry everything but the secret.
type Token struct {
	ID            string     `json:"id"`
	UserID        string     `json:"user_id"`
	Name          string     `json:"name"`
	Description   string     `json:"description"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     *time.Time `json:"expires_at,omitempty"`
	LastUsedAt    *time.Time `json:"last_used_at,omitempty"`
	Token         string     `json:"token,omitempty"`
	AlreadyIssued bool       `json:"already_issued,omitempty"`
}

// Access is GET /v1/me/access?organization_id=…[&workspace_id=…]: the caller's roles,
// which the provider feeds to package rules at plan time.
type Access struct {
	UserID         string `json:"user_id"`
	OrganizationID string `json:"organization_id"`
	OrgRole        string `json:"organization_role"` // admin | member | ""
	WorkspaceID    string `json:"workspace_id,omitempty"`
	WorkspaceRole  string `json:"workspace_role,omitempty"` // strongest direct or team role, "" if none
	InAnyWorkspace bool   `json:"in_any_workspace"`
	// APIKey: the caller is a Flero API key (rule 14); OwnerID is then the user who owns
	// what it creates (the key's creator), else the caller.
	APIKey  bool   `json:"api_key,omitempty"`
	OwnerID string `json:"owner_id,omitempty"`
}

// ---------------------------------------------------------------------------
// Organizations

// Organization holds workspaces and teams.
type Organization struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	AvatarURL   string    `json:"avatar_url"`
	Plan        string    `json:"plan"` // free | pro | enterprise
	SSOEnabled  bool      `json:"sso_enabled"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CreateOrganizationRequest is POST /v1/organizations. The caller becomes its admin.
type CreateOrganizationRequest struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	AvatarURL   string `json:"avatar_url,omitempty"`
	Plan        string `json:"plan,omitempty"` // default free
	SSOEnabled  bool   `json:"sso_enabled,omitempty"`
}

// UpdateOrganizationRequest is PATCH /v1/organizations/{id}: nil fields are unchanged.
type UpdateOrganizationRequest struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	AvatarURL   *string `json:"avatar_url,omitempty"`
	Plan        *string `json:"plan,omitempty"`
	SSOEnabled  *bool   `json:"sso_enabled,omitempty"`
}

// OrganizationMembership is a user's membership of an organization.
type OrganizationMembership struct {
	OrganizationID string    `json:"organization_id"`
	UserID         string    `json:"user_id"`
	Email          string    `json:"email"`
	Role           string    `json:"role"`   // admin | member
	Status         string    `json:"status"` // invited | active
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	// InvitedAt is when the invitation was (last) sent; nil for an organization's
	// creator, who was never invited. InvitationExpiresAt is when it stops being
	// acceptable: present while the membership is invited (rules.InvitationExpired).
	InvitedAt           *time.Time `json:"invited_at,omitempty"`
	InvitationExpiresAt *time.Time `json:"invitation_expires_at,omitempty"`
}

// CreateOrganizationMembershipRequest is POST /v1/organizations/{id}/memberships: it
// invites by email (creating the user, status invited, when new).
type CreateOrganizationMembershipRequest struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// UpdateOrganizationMembershipRequest is PATCH /v1/organizations/{id}/memberships/{user_id}.
type UpdateOrganizationMembershipRequest struct {
	Role *string `json:"role,omitempty"`
}

// ---------------------------------------------------------------------------
// Workspaces and teams

// Workspace lives in an organization.
type Workspace struct {
	ID             string    `json:"id"`
	OrganizationID string    `json:"organization_id"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	AvatarURL      string    `json:"avatar_url"`
	CustomDomain   string    `json:"custom_domain"` // "" when none
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// CreateWorkspaceRequest is POST /v1/organizations/{org_id}/workspaces.
type CreateWorkspaceRequest struct {
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	AvatarURL    string `json:"avatar_url,omitempty"`
	CustomDomain string `json:"custom_domain,omitempty"`
}

// UpdateWorkspaceRequest is PATCH /v1/workspaces/{id}. An empty string clears
// custom_domain, avatar_url and description.
type UpdateWorkspaceRequest struct {
	Name         *string `json:"name,omitempty"`
	Description  *string `json:"description,omitempty"`
	AvatarURL    *string `json:"avatar_url,omitempty"`
	CustomDomain *string `json:"custom_domain,omitempty"`
}

// Team lives in an organization.
type Team struct {
	ID             string    `json:"id"`
	OrganizationID string    `json:"organization_id"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	AvatarURL      string    `json:"avatar_url"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// CreateTeamRequest is POST /v1/organizations/{org_id}/teams.
type CreateTeamRequest struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	AvatarURL   string `json:"avatar_url,omitempty"`
}

// UpdateTeamRequest is PATCH /v1/teams/{id}.
type UpdateTeamRequest struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	AvatarURL   *string `json:"avatar_url,omitempty"`
}

// TeamMembership is a user's membership of a team.
type TeamMembership struct {
	TeamID    string    `json:"team_id"`
	UserID    string    `json:"user_id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateTeamMembershipRequest is POST /v1/teams/{id}/memberships.
type CreateTeamMembershipRequest struct {
	UserID string `json:"user_id"`
}

// WorkspaceMembership gives a user or a team a role in a workspace. It is addressed as
// /v1/workspaces/{id}/memberships/{principal_type}/{principal_id}.
type WorkspaceMembership struct {
	WorkspaceID   string    `json:"workspace_id"`
	PrincipalType string    `json:"principal_type"` // user | team
	PrincipalID   string    `json:"principal_id"`
	Role          string    `json:"role"` // viewer | editor | admin | owner
	Version       int64     `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
}

// CreateWorkspaceMembershipRequest is POST /v1/workspaces/{id}/memberships: exactly
// one of UserID and TeamID.
type CreateWorkspaceMembershipRequest struct {
	UserID string `json:"user_id,omitempty"`
	TeamID string `json:"team_id,omitempty"`
	Role   string `json:"role"`
}

// UpdateWorkspaceMembershipRequest is PATCH …/memberships/{principal_type}/{principal_id}.
type UpdateWorkspaceMembershipRequest struct {
	Role *string `json:"role,omitempty"`
}

// ---------------------------------------------------------------------------
// Credentials

// Credential is a third-party secret that workflows use. Its data is write-only:
// no response ever carries it. DataRevision counts the times the data was set, so a
// rotation is visible without revealing anything.
type Credential struct {
	ID             string    `json:"id"`
	WorkspaceID    string    `json:"workspace_id"`
	OrganizationID string    `json:"organization_id"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	Description    string    `json:"description"`
	Scope          string    `json:"scope"` // personal | workspace | organization
	OwnerID        string    `json:"owner_id"`
	Status         string    `json:"status"` // active | inactive
	DataRevision   int64     `json:"data_revision"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// CreateCredentialRequest is POST /v1/workspaces/{ws_id}/credentials.
type CreateCredentialRequest struct {
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Description string            `json:"description,omitempty"`
	Scope       string            `json:"scope,omitempty"` // default workspace
	Data        map[string]string `json:"data"`
}

// UpdateCredentialRequest is PATCH /v1/credentials/{id}. Data, when given, rotates
// the secret. Data is omitted only when nil: an empty map is sent as {} and refused
// (a rotation to nothing), never dropped into a PATCH that rotates nothing.
type UpdateCredentialRequest struct {
	Name        *string           `json:"name,omitempty"`
	Description *string           `json:"description,omitempty"`
	Scope       *string           `json:"scope,omitempty"`
	Data        map[string]string `json:"data,omitzero"`
}

// RecordUseRequest is POST /v1/credentials/{id}/uses: a workflow used the credential.
type RecordUseRequest struct {
	Workflow    string `json:"workflow"`
	WorkspaceID string `json:"workspace_id"`
	RunID       string `json:"run_id,omitempty"` // the workflow's run, when known
}

// CredentialUsage is one row of GET /v1/credentials/{id}/usage?since_days=30: uses
// aggregated by workspace, workflow, run and user.
type CredentialUsage struct {
	WorkspaceID   string    `json:"workspace_id"`
	WorkspaceName string    `json:"workspace_name"`
	Workflow      string    `json:"workflow"`
	RunID         string    `json:"run_id,omitempty"` // "" for uses recorded without a run
	UserID        string    `json:"user_id"`
	Uses          int       `json:"uses"`
	LastUsedAt    time.Time `json:"last_used_at"`
}

// CredentialUsageList is the answer of GET /v1/credentials/{id}/usage.
type CredentialUsageList struct {
	SinceDays int               `json:"since_days"`
	Items     []CredentialUsage `json:"items"`
}

// CredentialTestResult is POST /v1/credentials/{id}/test.
type CredentialTestResult struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// ---------------------------------------------------------------------------
// Audit

// AuditEvent records every change and every credential use. Details never hold a
// secret.
type AuditEvent struct {
	ID             string            `json:"id"`
	ActorID        string            `json:"actor_id"`
	ActorEmail     string            `json:"actor_email,omitempty"` // the actor's email when the actor is a user
	Action         string            `json:"action"`                // created | updated | deleted | used | …
	EntityType     string            `json:"entity_type"`           // organization | workspace | credential | …
	EntityID       string            `json:"entity_id"`
	OrganizationID string            `json:"organization_id,omitempty"`
	WorkspaceID    string            `json:"workspace_id,omitempty"`
	Time           time.Time         `json:"time"`
	Details        map[string]string `json:"details,omitempty"`
}
