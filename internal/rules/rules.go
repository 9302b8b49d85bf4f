// Package rules decides every rule of the Flero platform (PLATFORM.md, rules 1–9).
//
// It does no I/O. The reference server calls it to enforce a rule on every request
// and the provider calls it to report the same rule at plan time, so the two can
// never disagree: a rule is written here once and nowhere else.
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
// Rule 1: organization scope is Enterprise-only.

// CheckScopeAllowed decides whether a credential in the named organization may have
// the given scope (on create, and on a change of scope).
func CheckScopeAllowed(orgName string, plan Plan, scope Scope) *Violation {
	if scope == ScopeOrganization && plan != PlanEnterprise {
		return violation(CodeScopeRequiresEnterprise, KindInvalid, "scope",
			"%s: organization %q is on the %s plan. "+
				"Upgrade the organization to enterprise, or use scope \"workspace\".", ScopeRequiresEnterpriseRule, orgName, plan)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Rule 2: downgrade guard.

// CheckPlanChange decides whether an organization may move from one plan to another
// while it holds the named organization-scoped credentials.
func CheckPlanChange(orgName string, from, to Plan, orgScopedCredentials []string) *Violation {
	if from != PlanEnterprise || to == PlanEnterprise || len(orgScopedCredentials) == 0 {
		return nil
	}
	return violation(CodeDowngradeBlocked, KindConflict, "plan",
		"Organization %q cannot leave the enterprise plan while it holds organization-scoped credentials: %s. "+
			"Narrow them to workspace scope (or delete them) in an earlier apply, then change the plan.",
		orgName, quoteList(orgScopedCredentials))
}

// ---------------------------------------------------------------------------
// Rule 3: scope changes are in-place; narrowing and widening.

// ScopeChange classifies a change of scope.
type ScopeChange int

const (
	ScopeUnchanged ScopeChange = iota
	ScopeNarrowing
	ScopeWidening
)

// ClassifyScopeChange says whether moving from one scope to another narrows or widens it.
func ClassifyScopeChange(from, to Scope) ScopeChange {
	switch {
	case to.width() < from.width():
		return ScopeNarrowing
	case to.width() > from.width():
		return ScopeWidening
	}
	return ScopeUnchanged
}

// The review of a scope change (who loses or gains access) is in review.go.

// ---------------------------------------------------------------------------
// Rules 4 and 5: who sees, uses and changes a credential.

// Credential is what the rules need to know about a credential.
type Credential struct {
	Name    string
	Scope   Scope
	OwnerID string
}

// CredentialAction is something done to a credential.
type CredentialAction string

const (
	ActionRead    CredentialAction = "read"
	ActionUse     CredentialAction = "use"
	ActionCreate  CredentialAction = "create"
	ActionEdit    CredentialAction = "edit"
	ActionRotate  CredentialAction = "rotate"
	ActionRescope CredentialAction = "rescope"
	ActionDelete  CredentialAction = "delete"
)

// CredentialActions lists every action in order.
var CredentialActions = []CredentialAction{ActionRead, ActionUse, ActionCreate, ActionEdit, ActionRotate, ActionRescope, ActionDelete}

// CanSeeCredential decides rule 4: who sees a credential. The actor's WorkspaceRole is
// its role in the credential's home workspace. Those who cannot see it get not-found.
func CanSeeCredential(a Actor, c Credential) bool {
	switch c.Scope {
	case ScopePersonal:
		return a.UserID != "" && a.UserID == c.OwnerID
	case ScopeWorkspace:
		return a.effectiveRole().AtLeast(WorkspaceRoleViewer)
	case ScopeOrganization:
		return a.OrgRole == OrgRoleAdmin || a.InAnyWorkspace || a.effectiveRole().AtLeast(WorkspaceRoleViewer)
	}
	return false
}

// CheckCredentialAction decides rule 5: whether the actor may do action to c. For
// ActionCreate, c describes the credential to be created (its scope, and the actor as
// owner). A nil result allows the action.
//
//   - use: whoever sees it (viewer or above for a workspace credential);
//   - create: a personal credential needs editor or above in the workspace; a
//     workspace or organization credential needs workspace admin or owner;
//   - edit, rotate, re-scope, delete: workspace admin or owner (organization admins act
//     as workspace admins); the owner of a personal credential may always manage it.
//
// Re-scoping must be allowed for the current scope and for the target scope: use
// CheckRescope.
func CheckCredentialAction(a Actor, action CredentialAction, c Credential) *Violation {
	role := a.effectiveRole()
	switch action {
	case ActionRead, ActionUse:
		if CanSeeCredential(a, c) {
			return nil
		}
		return violation(CodeCredentialForbidden, KindForbidden, "",
			"You cannot %s credential %q: it is not shared with you.", action, c.Name)
	case ActionCreate:
		if v := checkAPIKeyPersonal(a, c.Scope); v != nil {
			return v
		}
		need := WorkspaceRoleAdmin
		if c.Scope == ScopePersonal {
			need = WorkspaceRoleEditor
		}
		if role.AtLeast(need) {
			return nil
		}
		return violation(CodeCredentialForbidden, KindForbidden, "",
			"%s; your role is %s.", CreateCredentialRule(c.Scope), roleWords(role))
	case ActionEdit, ActionRotate, ActionRescope, ActionDelete:
		if !CanSeeCredential(a, c) {
			return violation(CodeCredentialForbidden, KindForbidden, "",
				"You cannot %s credential %q: it is not shared with you.", actionWords(action), c.Name)
		}
		if c.Scope == ScopePersonal && a.UserID == c.OwnerID {
			return nil
		}
		if role.AtLeast(WorkspaceRoleAdmin) {
			return nil
		}
		return violation(CodeCredentialForbidden, KindForbidden, "",
			"Only workspace admins and owners (or organization admins) can %s credential %q; your role in its workspace is %s.",
			actionWords(action), c.Name, roleWords(role))
	}
	return violation(CodeInvalidValue, KindInvalid, "", "Unknown credential action %q.", action)
}

// CheckRescope decides whether the actor may move c to scope to: it must be allowed to
// re-scope the credential as it is and to create one of the target scope.
func CheckRescope(a Actor, c Credential, to Scope) *Violation {
	if v := CheckCredentialAction(a, ActionRescope, c); v != nil {
		v.Field = "scope"
		return v
	}
	target := Credential{Name: c.Name, Scope: to, OwnerID: c.OwnerID}
	if v := checkAPIKeyPersonal(a, to); v != nil {
		return v
	}
	if to != ScopePersonal && !a.effectiveRole().AtLeast(WorkspaceRoleAdmin) {
		return violation(CodeCredentialForbidden, KindForbidden, "scope",
			"Only workspace admins and owners (or organization admins) can give credential %q %s scope; your role in its workspace is %s.",
			target.Name, to, roleWords(a.effectiveRole()))
	}
	return nil
}

// ---------------------------------------------------------------------------
// Rule 6: roles.

// ManageAction is a management action on the tenancy.
type ManageAction string

const (
	ManageOrganization            ManageAction = "manage the organization"
	ManageOrganizationMemberships ManageAction = "manage organization memberships"
	ManageTeams                   ManageAction = "manage teams"
	ManageWorkspaces              ManageAction = "create or delete workspaces"
	ManageWorkspaceSettings       ManageAction = "change workspace settings"
	ManageWorkspaceMemberships    ManageAction = "manage workspace memberships"
)

// CheckManage decides whether the actor may perform a management action (rule 6).
// Organization admins do everything; workspace admins and owners change their
// workspace's settings and memberships.
func CheckManage(a Actor, action ManageAction) *Violation {
	if a.OrgRole == OrgRoleAdmin {
		return nil
	}
	return withAPIKeyReach(a, checkManage(a, action))
}

func checkManage(a Actor, action ManageAction) *Violation {
	switch action {
	case ManageWorkspaceSettings, ManageWorkspaceMemberships:
		if a.WorkspaceRole.AtLeast(WorkspaceRoleAdmin) {
			return nil
		}
		return violation(CodeManageForbidden, KindForbidden, "",
			"Only workspace admins and owners (or organization admins) can %s; your role in the workspace is %s.",
			action, roleWords(a.WorkspaceRole))
	}
	return violation(CodeManageForbidden, KindForbidden, "",
		"Only organization admins can %s; your organization role is %s.", action, orgRoleWords(a.OrgRole))
}

// CheckLastAdmin decides whether an organization admin may be demoted or removed:
// an organization always keeps at least one admin. admin names the one being changed
// (an email); otherAdmins counts the admins other than that one, whatever their
// status (an invited admin counts).
func CheckLastAdmin(orgName, admin string, otherAdmins int) *Violation {
	if otherAdmins > 0 {
		return nil
	}
	return violation(CodeLastAdmin, KindConflict, "role",
		"Organization %q must keep at least one admin, and %s is its last admin: it cannot be demoted or removed. "+
			"Make another member an admin first.", orgName, admin)
}

// ---------------------------------------------------------------------------
// Rule 7: SSO.

// CheckSSO decides whether organization memberships may be created, changed or
// removed through the API.
func CheckSSO(orgName string, ssoEnabled bool) *Violation {
	if !ssoEnabled {
		return nil
	}
	return violation(CodeSSOManaged, KindConflict, "organization_id",
		"Organization %q uses single sign-on: its organization roles come from the identity provider and cannot be created, changed or removed through the API. "+
			"Manage them in the identity provider (workspace memberships can still be managed here).", orgName)
}

// CheckPrincipalInOrganization decides whether a user may be given a workspace or team
// membership: the user must belong to the organization.
func CheckPrincipalInOrganization(orgName, who string, isMember bool) *Violation {
	if isMember {
		return nil
	}
	return violation(CodeNotOrganizationMember, KindInvalid, "user_id",
		"User %s is not a member of organization %q: invite them to the organization first.", who, orgName)
}

// ---------------------------------------------------------------------------
// Rule 8: leaving an organization.

// StatusAfterOwnerLeft is the status a credential gets when its owner leaves the
// organization: personal credentials are deactivated, not deleted; others keep theirs.
func StatusAfterOwnerLeft(c Credential, current CredentialStatus) CredentialStatus {
	if c.Scope == ScopePersonal {
		return CredentialInactive
	}
	return current
}

// InactiveReason explains an inactive credential.
func InactiveReason(credName string) string {
	return fmt.Sprintf("Credential %q is inactive: it is a personal credential and its owner left the organization, "+
		"so it was deactivated (not deleted). Workflows cannot use it until it is re-created by a current member, "+
		"or deleted.", credName)
}

// ---------------------------------------------------------------------------
// Rule 9: nothing is lost silently.

// CheckDeleteOrganization refuses to delete an organization that still has workspaces.
func CheckDeleteOrganization(orgName string, workspaces []string) *Violation {
	if len(workspaces) == 0 {
		return nil
	}
	return violation(CodeOrganizationNotEmpty, KindConflict, "",
		"Organization %q still has workspaces: %s. Delete them first.", orgName, quoteList(workspaces))
}

// CheckDeleteWorkspace refuses to delete a workspace that still holds credentials.
func CheckDeleteWorkspace(workspaceName string, credentials []string) *Violation {
	if len(credentials) == 0 {
		return nil
	}
	return violation(CodeWorkspaceNotEmpty, KindConflict, "",
		"Workspace %q still holds credentials: %s. Delete or move them first.", workspaceName, quoteList(credentials))
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
