package rules

// Rule 12: credential use. A use is recorded only for a workspace in which the caller
// has a role and where the credential is visible (rule 4), so the usage that the scope
// review reads cannot be forged.

// CheckCredentialUse decides whether the caller may record a use of c in workspace
// wsID. inWorkspace is the caller's actor in that workspace (its own roles there, its
// organization role in the credential's organization); exists says the workspace
// exists in the credential's organization, home that it is the credential's home
// workspace. A workspace that does not exist is refused in the same words as one in
// which the caller has no role.
func CheckCredentialUse(inWorkspace Actor, c Credential, wsID string, exists, home bool) *Violation {
	if !exists || !inWorkspace.effectiveRole().AtLeast(WorkspaceRoleViewer) {
		return violation(CodeCredentialForbidden, KindForbidden, "workspace_id",
			"You have no role in workspace %s: a use of credential %q can only be recorded for a workspace you work in. "+
				"Record it for the workspace whose workflow used the credential, with a token of that workspace's members.", wsID, c.Name)
	}
	if !home && c.Scope != ScopeOrganization {
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
