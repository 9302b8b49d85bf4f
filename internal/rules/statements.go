package rules

import "fmt"

// Statements of rules, in the words their refusals use. The provider's plan quotes
// them when a rule can only be checked at apply (an id is not known yet), so the
// plan's warning and the API's error at apply name the rule in the same words.

// ScopeRequiresEnterpriseRule is rule 1, as CheckScopeAllowed's refusal states it.
const ScopeRequiresEnterpriseRule = "Organization scope is available on the Enterprise plan only"

// CreateCredentialRule is rule 5 for creating a credential of the given scope, as
// CheckCredentialAction's refusal of ActionCreate states it.
func CreateCredentialRule(scope Scope) string {
	if CreateCredentialRole(scope) == WorkspaceRoleEditor {
		return "Creating a personal credential needs the editor role or above in its workspace"
	}
	article := "a"
	if scope == ScopeOrganization {
		article = "an"
	}
	return fmt.Sprintf("Creating %s %s-scoped credential needs the admin or owner role in its workspace (or organization admin)", article, scope)
}

// HiddenPersonalCredential explains why the provider keeps a credential that the
// token cannot see (rule 4: a personal credential is visible to its owner only).
func HiddenPersonalCredential(credName, credID, ownerID, tokenUserID string) string {
	return fmt.Sprintf("Credential %q (%s) is a personal credential of user %s, as recorded in the state, and the provider's token "+
		"acts as user %s: a personal credential is visible to its owner only, so the API answers not found to this token. "+
		"The provider keeps it in the state unchanged instead of planning to create it again (its name is taken in its workspace). "+
		"Plan with its owner's token to manage it; if its owner deleted it, remove it from the state (terraform state rm).",
		credName, credID, ownerID, tokenUserID)
}
