// Package rules decides every rule of the Flero platform, as numbered in PLATFORM.md
// (the product spec, "Rules"; ../shared/PLATFORM.md beside the repository).
//
// It does no I/O. The reference server calls it to enforce a rule on every request
// and the provider calls it to report the same rule at plan time, so the two can
// never disagree: a rule is written here once and nowhere else.
//
// Files by domain: credentials.go (rules 1, 3, 4, 5, 8, 12: scope, who sees, uses and
// changes a credential, where it may be used, what an update is), tenancy.go (rules 2,
// 6, 7, 9: plans, roles and who counts as an organization admin, SSO, deletions),
// visibility.go (10), sso_settings.go (11), tokens.go (13), invitations.go, names.go
// (unique names), formats.go (the format of every input), review.go (the wording of a
// scope change's or a removal's review), statements.go (rules as their refusals state
// them); rules.go holds the shared vocabulary (Violation, the enumerations, Actor).
//
// A refusal is a *Violation: a stable machine code, the kind of refusal (which the
// server maps to an HTTP status), the attribute it concerns and a sentence a person
// understands. A nil *Violation means the rule allows the action.
package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Kind classifies a refusal. The server maps it to an HTTP status; the provider
// maps it to an error diagnostic.
type Kind string

const (
	// KindForbidden: the caller lacks the right (HTTP 403).
	KindForbidden Kind = "forbidden"
	// KindInvalid: the request breaks a business rule on its own (HTTP 422).
	KindInvalid Kind = "invalid"
	// KindConflict: the request conflicts with the platform's current state (HTTP 409).
	KindConflict Kind = "conflict"
)

// Stable machine codes of rule violations. They are part of the API contract.
const (
	CodeScopeRequiresEnterprise = "scope_requires_enterprise"
	CodeDowngradeBlocked        = "plan_downgrade_blocked"
	CodeCredentialForbidden     = "credential_forbidden"
	CodeManageForbidden         = "forbidden"
	CodeLastAdmin               = "last_organization_admin"
	CodeSSOManaged              = "sso_managed_membership"
	CodeNotOrganizationMember   = "principal_not_in_organization"
	CodeOrganizationNotEmpty    = "organization_not_empty"
	CodeWorkspaceNotEmpty       = "workspace_not_empty"
	CodeInvalidValue            = "invalid_value"
)

// Violation is a rule's refusal.
type Violation struct {
	Code    string // stable machine code (Code* constants)
	Kind    Kind   // forbidden, invalid or conflict
	Field   string // the attribute the refusal concerns ("scope", "plan", "role", …); may be empty
	Message string // one or two sentences a person understands
}

func (v *Violation) Error() string { return v.Message }

func violation(code string, kind Kind, field, format string, args ...any) *Violation {
	return &Violation{Code: code, Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ---------------------------------------------------------------------------
// Enumerations

// Plan is an organization's subscription plan.
type Plan string

const (
	PlanFree       Plan = "free"
	PlanPro        Plan = "pro"
	PlanEnterprise Plan = "enterprise"
)

// Plans lists the valid plans in order.
var Plans = []string{string(PlanFree), string(PlanPro), string(PlanEnterprise)}

// Scope says who may use a credential.
type Scope string

const (
	ScopePersonal     Scope = "personal"
	ScopeWorkspace    Scope = "workspace"
	ScopeOrganization Scope = "organization"
)

// Scopes lists the valid scopes from narrowest to widest.
var Scopes = []string{string(ScopePersonal), string(ScopeWorkspace), string(ScopeOrganization)}

// DefaultScope is the scope of a credential created without one.
const DefaultScope = ScopeWorkspace

func (s Scope) width() int {
	switch s {
	case ScopePersonal:
		return 1
	case ScopeWorkspace:
		return 2
	case ScopeOrganization:
		return 3
	}
	return 0
}

// OrgRole is a role in an organization.
type OrgRole string

const (
	OrgRoleNone   OrgRole = ""
	OrgRoleMember OrgRole = "member"
	OrgRoleAdmin  OrgRole = "admin"
)

// OrgRoles lists the valid organization roles.
var OrgRoles = []string{string(OrgRoleAdmin), string(OrgRoleMember)}

// WorkspaceRole is a role in a workspace, from weakest to strongest.
type WorkspaceRole string

const (
	WorkspaceRoleNone   WorkspaceRole = ""
	WorkspaceRoleViewer WorkspaceRole = "viewer"
	WorkspaceRoleEditor WorkspaceRole = "editor"
	WorkspaceRoleAdmin  WorkspaceRole = "admin"
	WorkspaceRoleOwner  WorkspaceRole = "owner"
)

// WorkspaceRoles lists the valid workspace roles from weakest to strongest.
var WorkspaceRoles = []string{string(WorkspaceRoleViewer), string(WorkspaceRoleEditor), string(WorkspaceRoleAdmin), string(WorkspaceRoleOwner)}

func (r WorkspaceRole) rank() int {
	switch r {
	case WorkspaceRoleViewer:
		return 1
	case WorkspaceRoleEditor:
		return 2
	case WorkspaceRoleAdmin:
		return 3
	case WorkspaceRoleOwner:
		return 4
	}
	return 0
}

// AtLeast reports whether r is floor or stronger.
func (r WorkspaceRole) AtLeast(floor WorkspaceRole) bool {
	return r.rank() >= floor.rank() && r.rank() > 0
}

// MembershipStatus is the status of a user or an organization membership.
type MembershipStatus string

const (
	StatusInvited MembershipStatus = "invited"
	StatusActive  MembershipStatus = "active"
)

// CredentialStatus is a credential's status.
type CredentialStatus string

const (
	CredentialActive   CredentialStatus = "active"
	CredentialInactive CredentialStatus = "inactive"
)

// PrincipalType names who a workspace membership is for.
type PrincipalType string

const (
	PrincipalUser PrincipalType = "user"
	PrincipalTeam PrincipalType = "team"
)

// OneOf reports whether v is one of the allowed values, and a violation on field if not.
func OneOf(field, v string, allowed []string) *Violation {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = fmt.Sprintf("%q", a)
	}
	return violation(CodeInvalidValue, KindInvalid, field, "%s must be one of %s, got %q.", field, strings.Join(q, ", "), v)
}

// ---------------------------------------------------------------------------
// Who the caller is

// Actor is what the rules need to know about the caller relative to one
// organization and, for workspace-level decisions, one workspace.
type Actor struct {
	UserID string
	// OrgRole is the caller's role in the organization (OrgRoleNone if not a member).
	OrgRole OrgRole
	// WorkspaceRole is the caller's own role in the workspace in question, direct or
	// through a team (WorkspaceRoleNone if none). Use EffectiveWorkspaceRole to fold
	// in the organization role.
	WorkspaceRole WorkspaceRole
	// InAnyWorkspace: the caller is a member of at least one workspace of the
	// organization (decides the use of organization-scoped credentials).
	InAnyWorkspace bool
	// APIKey: the caller is a Flero API key (rule 14), which owns nothing personal.
	APIKey bool
}

// EffectiveWorkspaceRole is the strongest of the given roles (a direct membership and
// those of the caller's teams), with organization admins acting as workspace admins
// (rule 6).
func EffectiveWorkspaceRole(orgRole OrgRole, roles ...WorkspaceRole) WorkspaceRole {
	best := WorkspaceRoleNone
	if orgRole == OrgRoleAdmin {
		best = WorkspaceRoleAdmin
	}
	for _, r := range roles {
		if r.rank() > best.rank() {
			best = r
		}
	}
	return best
}

func (a Actor) effectiveRole() WorkspaceRole {
	return EffectiveWorkspaceRole(a.OrgRole, a.WorkspaceRole)
}

// ---------------------------------------------------------------------------

func quoteList(items []string) string {
	sorted := append([]string(nil), items...)
	sort.Strings(sorted)
	const shown = 10
	extra := 0
	if len(sorted) > shown {
		extra = len(sorted) - shown
		sorted = sorted[:shown]
	}
	q := make([]string, len(sorted))
	for i, s := range sorted {
		q[i] = fmt.Sprintf("%q", s)
	}
	out := strings.Join(q, ", ")
	if extra > 0 {
		out += fmt.Sprintf(" and %d more", extra)
	}
	return out
}

func roleWords(r WorkspaceRole) string {
	if r == WorkspaceRoleNone {
		return "none (not a member)"
	}
	return string(r)
}

func orgRoleWords(r OrgRole) string {
	if r == OrgRoleNone {
		return "none (not a member)"
	}
	return string(r)
}

func actionWords(a CredentialAction) string {
	if a == ActionRescope {
		return "re-scope"
	}
	return string(a)
}
