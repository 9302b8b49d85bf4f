package rules

import "strings"

// Rules the reference server needed beyond the first set (additive).

// CodeCredentialInactive refuses the use of an inactive credential.
const CodeCredentialInactive = "credential_inactive"

// ViewAuditLog is reading an organization's audit log: organization admins only.
const ViewAuditLog ManageAction = "read the audit log"

// CheckCredentialActive decides whether a credential can be used (rule 8: a personal
// credential whose owner left the organization is inactive).
func CheckCredentialActive(credName string, status CredentialStatus) *Violation {
	if status == CredentialActive {
		return nil
	}
	return violation(CodeCredentialInactive, KindConflict, "", "%s", InactiveReason(credName))
}

// CheckTeamInOrganization decides whether a team may be given a workspace membership:
// it must belong to the workspace's organization. team names it (an id, or words such
// as `team "platform"`). A team belongs to one organization for good: it cannot be
// invited into another, so the refusal says so instead of suggesting an invitation.
func CheckTeamInOrganization(orgName, team string, inOrganization bool) *Violation {
	if inOrganization {
		return nil
	}
	return violation(CodeNotOrganizationMember, KindInvalid, "team_id",
		"Team %s belongs to another organization than this workspace's (%q). A team belongs to one organization "+
			"and can be given a role only in that organization's workspaces. "+
			"Give the role to a team of organization %q, or to the people directly.", strings.TrimPrefix(team, "team "), orgName, orgName)
}
