package rules

// Credentials: rules 1, 3, 4, 5, 8 and 12 of PLATFORM.md.

import "fmt"

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
	// WorkspaceID is its home workspace (where it may be used: UsableIn); only the rule
	// of credential use (CheckCredentialUse, KeepsUse) reads it.
	WorkspaceID string
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

// CreateCredentialRole is the create threshold of rule 5: the least role in its home
// workspace (organization admins act as workspace admins) that creates a credential of
// scope, or gives an existing one that scope: editor for a personal credential, admin
// for a workspace or organization credential. CheckCredentialAction (create),
// CheckRescope and CreateCredentialRule (its words) all read it.
func CreateCredentialRole(scope Scope) WorkspaceRole {
	if scope == ScopePersonal {
		return WorkspaceRoleEditor
	}
	return WorkspaceRoleAdmin
}

// CredentialUpdate is what an update of a credential changes.
type CredentialUpdate struct {
	Profile bool // its name or description
	Data    bool // its secret: new data is sent
	Scope   bool // its scope
}

// CredentialUpdateActions are the actions of rule 5 an update is checked as.
type CredentialUpdateActions struct {
	Edit    bool // ActionEdit (CheckCredentialAction)
	Rotate  bool // ActionRotate (CheckCredentialAction)
	Rescope bool // ActionRescope (CheckRescope)
}

// ClassifyCredentialUpdate decides what an update of a credential is, for rule 5: an
// edit when it changes the name or description, and also when it neither rotates nor
// re-scopes (an update that changes nothing is checked as an edit); a rotation when it
// sends new data; a re-scope when it changes the scope. One update may be several.
func ClassifyCredentialUpdate(u CredentialUpdate) CredentialUpdateActions {
	return CredentialUpdateActions{
		Edit:    u.Profile || (!u.Data && !u.Scope),
		Rotate:  u.Data,
		Rescope: u.Scope,
	}
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
		if role.AtLeast(CreateCredentialRole(c.Scope)) {
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
	if !a.effectiveRole().AtLeast(CreateCredentialRole(to)) {
		return violation(CodeCredentialForbidden, KindForbidden, "scope",
			"Only workspace admins and owners (or organization admins) can give credential %q %s scope; your role in its workspace is %s.",
			target.Name, to, roleWords(a.effectiveRole()))
	}
	return nil
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

// CodeCredentialInactive refuses the use of an inactive credential.
const CodeCredentialInactive = "credential_inactive"

// CheckCredentialActive decides whether a credential can be used (rule 8: a personal
// credential whose owner left the organization is inactive).
func CheckCredentialActive(credName string, status CredentialStatus) *Violation {
	if status == CredentialActive {
		return nil
	}
	return violation(CodeCredentialInactive, KindConflict, "", "%s", InactiveReason(credName))
}

// ---------------------------------------------------------------------------
// Rule 12: credential use. A use is recorded only for a workspace in which the caller
// has a role and where the credential is visible (rule 4), so the usage that the scope
// review reads cannot be forged.

// CheckCredentialUse decides whether the caller may record a use of c (c.WorkspaceID:
// its home workspace) in workspace wsID: the caller works there (a role), c may be
// used there (UsableIn) and the caller sees it (CanSeeCredential). inWorkspace is the
// caller's actor in that workspace (its own roles there, its organization role in the
// credential's organization); exists says the workspace exists in the credential's
// organization. A workspace that does not exist is refused in the same words as one in
// which the caller has no role.
func CheckCredentialUse(inWorkspace Actor, c Credential, wsID string, exists bool) *Violation {
	if !exists || !inWorkspace.effectiveRole().AtLeast(WorkspaceRoleViewer) {
		return violation(CodeCredentialForbidden, KindForbidden, "workspace_id",
			"You have no role in workspace %s: a use of credential %q can only be recorded for a workspace you work in. "+
				"Record it for the workspace whose workflow used the credential, with a token of that workspace's members.", wsID, c.Name)
	}
	if !UsableIn(c.Scope, c.WorkspaceID, wsID, exists) {
		return invalid("workspace_id",
			"Credential %q (scope %s) cannot be used in workspace %s: it is usable only in its home workspace, or in every workspace of its organization when organization-scoped.",
			c.Name, c.Scope, wsID)
	}
	if !CanSeeCredential(inWorkspace, c) {
		return violation(CodeCredentialForbidden, KindForbidden, "",
			"You cannot use credential %q: it is not shared with you.", c.Name)
	}
	return nil
}

// UsableIn decides where a credential may be used (rules 3 and 12): in its home
// workspace, or in any workspace of its organization (sameOrganization) when it is
// organization-scoped. Who may use it there is rule 4 (CanSeeCredential); both make
// CheckCredentialUse, which the server enforces and the scope review's KeepsUse asks.
func UsableIn(scope Scope, homeWorkspaceID, workspaceID string, sameOrganization bool) bool {
	return workspaceID == homeWorkspaceID || (scope == ScopeOrganization && sameOrganization)
}
