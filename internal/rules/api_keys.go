package rules

import (
	"fmt"
	"time"
)

// Rule 14: Flero API keys. A key is created in an organization or in a workspace
// ("always at organization or workspace level, depending on where you generated
// them"): an organization key acts as an organization admin of that organization only,
// a workspace key as a workspace admin of that workspace only. Scope cannot be set on
// a key. A key has a name, an optional expiry, a last use and a creator; it is shown
// once, stored hashed, and revocable by the admins of where it lives.

// APIKeyReach is where a key lives: an organization key has OrganizationID only; a
// workspace key has WorkspaceID and, as OrganizationID, its workspace's organization.
type APIKeyReach struct {
	OrganizationID string
	WorkspaceID    string // "": an organization key
}

// Standing is what a caller is in an organization and, when asked, in one of its
// workspaces: the facts an Actor is made of.
type Standing struct {
	OrgMember      bool
	OrgRole        OrgRole
	WorkspaceRole  WorkspaceRole // in the workspace asked about
	InAnyWorkspace bool
	// Workspaces maps each workspace of the organization in which the caller has a
	// role of its own to that role (a workspace key: its workspace).
	Workspaces map[string]WorkspaceRole
}

// APIKeyStanding decides a key's reach (rule 14): its standing in organization orgID
// and, when wsID is set, in that workspace. An organization key is an organization
// admin of its organization and nothing elsewhere; a workspace key is a member of its
// workspace's organization (so it sees only its workspace, rule 10) and a workspace
// admin of its workspace only. Outside its organization a key is nobody (not-found).
func APIKeyStanding(k APIKeyReach, orgID, wsID string) Standing {
	if k.OrganizationID == "" || orgID != k.OrganizationID {
		return Standing{}
	}
	if k.WorkspaceID == "" {
		return Standing{OrgMember: true, OrgRole: OrgRoleAdmin, InAnyWorkspace: true}
	}
	s := Standing{OrgMember: true, OrgRole: OrgRoleMember, InAnyWorkspace: true,
		Workspaces: map[string]WorkspaceRole{k.WorkspaceID: WorkspaceRoleAdmin}}
	if wsID == k.WorkspaceID {
		s.WorkspaceRole = WorkspaceRoleAdmin
	}
	return s
}

// Actor is the standing as the rules' caller.
func (s Standing) Actor(id string) Actor {
	return Actor{UserID: id, OrgRole: s.OrgRole, WorkspaceRole: s.WorkspaceRole, InAnyWorkspace: s.InAnyWorkspace}
}

// CanManageAPIKey decides who creates, lists, reads and revokes the keys of a place
// (rule 14): the organization's admins for an organization key; for a workspace key,
// also that workspace's admins and owners. a is the caller's actor in the key's
// organization and, for a workspace key, in its workspace.
func CanManageAPIKey(a Actor, workspaceKey bool) bool {
	if a.OrgRole == OrgRoleAdmin {
		return true
	}
	return workspaceKey && a.WorkspaceRole.AtLeast(WorkspaceRoleAdmin)
}

// CheckManageAPIKey is CanManageAPIKey's refusal, worded for the caller.
func CheckManageAPIKey(a Actor, workspaceKey bool) *Violation {
	if CanManageAPIKey(a, workspaceKey) {
		return nil
	}
	if workspaceKey {
		return withAPIKeyReach(a, violation(CodeManageForbidden, KindForbidden, "",
			"Only workspace admins and owners (or organization admins) can manage a workspace's API keys; your role in the workspace is %s.", roleWords(a.WorkspaceRole)))
	}
	return withAPIKeyReach(a, violation(CodeManageForbidden, KindForbidden, "",
		"Only organization admins can manage an organization's API keys; your organization role is %s.", orgRoleWords(a.OrgRole)))
}

// CheckAPIKeyScopeAttribute refuses a scope given to a key: a key has no scope, it
// acts where it was created.
func CheckAPIKeyScopeAttribute(field string, given bool) *Violation {
	if !given {
		return nil
	}
	return invalid(field, "API keys have no %s: a key acts at the level where it is created (an organization key as an admin of that organization, "+
		"a workspace key as an admin of that workspace). Create the key in the organization or in the workspace instead.", field)
}

// ValidateAPIKeyExpiry checks a key's expiry: in the future (nil: never expires).
func ValidateAPIKeyExpiry(field string, expiresAt *time.Time, now time.Time) *Violation {
	return ValidateTokenExpiry(field, expiresAt, now)
}

// APIKeyExpiredMessage is the refusal of an expired key.
func APIKeyExpiredMessage(expiresAt time.Time) string {
	return fmt.Sprintf("The API key expired at %s: ask an admin of its organization or workspace for a new one.", expiresAt.UTC().Format(time.RFC3339))
}

// CheckAPIKeyCreatesOrganization refuses an organization's creation by a key: a key
// acts inside the organization or workspace it was created in, and nowhere else.
func CheckAPIKeyCreatesOrganization(byKey bool) *Violation {
	if !byKey {
		return nil
	}
	return violation(CodeManageForbidden, KindForbidden, "",
		"An API key acts only inside the organization or workspace it was created in; create organizations with a user's token.")
}

// checkAPIKeyPersonal refuses a personal credential to a key, as a creation or as a
// re-scope: a personal credential belongs to a person, and a key is none.
func checkAPIKeyPersonal(a Actor, scope Scope) *Violation {
	if !a.APIKey || scope != ScopePersonal {
		return nil
	}
	return violation(CodeCredentialForbidden, KindForbidden, "scope",
		"An API key cannot make a personal credential: a personal credential belongs to a person. Use scope %q or %q, or a user's token.", ScopeWorkspace, ScopeOrganization)
}

// APIKeyReachNote says where a key acts, for a refusal or a not-found met with it.
func APIKeyReachNote(k APIKeyReach) string {
	if k.WorkspaceID != "" {
		return fmt.Sprintf("The token is an API key of workspace %s: it acts as a workspace admin of that workspace only (rule 14).", k.WorkspaceID)
	}
	return fmt.Sprintf("The token is an API key of organization %s: it acts as an organization admin of that organization only (rule 14).", k.OrganizationID)
}

// withAPIKeyReach adds to a refusal met by a key that a key acts only where it was
// created.
func withAPIKeyReach(a Actor, v *Violation) *Violation {
	if v == nil || !a.APIKey {
		return v
	}
	v.Message += " The token is an API key: it acts only in the organization or workspace it was created in (rule 14)."
	return v
}

// ValidateRFC3339 checks a time written as RFC 3339, such as 2026-01-02T15:04:05Z.
func ValidateRFC3339(field, v string) *Violation {
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		return invalid(field, "%s must be an RFC 3339 time such as 2026-01-02T15:04:05Z, got %q.", field, v)
	}
	return nil
}

// DefaultAPIKeyTTL is how long an ephemeral key lives when no ttl is given.
const DefaultAPIKeyTTL = time.Hour

// APIKeyRenewAt is when a key that lives from mintedAt to expiresAt should be renewed:
// with a tenth of its life left (at most 5 minutes before its expiry), so that a
// renewal has time to land before the key is refused.
func APIKeyRenewAt(mintedAt, expiresAt time.Time) time.Time {
	margin := min(expiresAt.Sub(mintedAt)/10, 5*time.Minute)
	return expiresAt.Add(-margin)
}
