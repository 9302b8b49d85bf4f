package rules

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
// it must belong to the workspace's organization.
func CheckTeamInOrganization(orgName, teamID string, inOrganization bool) *Violation {
	if inOrganization {
		return nil
	}
	return violation(CodeNotOrganizationMember, KindInvalid, "team_id",
		"Team %s does not belong to organization %q: only its own teams can be given a role in its workspaces.", teamID, orgName)
}
