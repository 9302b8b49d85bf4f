package rules

import (
	"slices"
	"strings"
)

// Tenancy: organizations, workspaces, teams and memberships; rules 2, 6, 7 and 9 of
// PLATFORM.md.

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

// ViewAuditLog is reading an organization's audit log: organization admins only.
const ViewAuditLog ManageAction = "read the audit log"

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

// OrganizationAdminRoles are the organization roles that count as an admin of the
// organization for rule 6 ("an organization always keeps at least one admin";
// CheckLastAdmin's otherAdmins), whatever the membership's status: an invited admin
// counts. The server's store builds its count of admins from this list and the
// provider's plan (planrun) picks the admins with IsOrganizationAdmin, so both count
// the same people.
var OrganizationAdminRoles = []OrgRole{OrgRoleAdmin}

// IsOrganizationAdmin decides whether a membership of this role counts as an admin of
// its organization (OrganizationAdminRoles), whatever its status.
func IsOrganizationAdmin(role OrgRole) bool { return slices.Contains(OrganizationAdminRoles, role) }

// OrganizationAdminRoleNames is OrganizationAdminRoles as strings (for the store).
func OrganizationAdminRoleNames() []string {
	out := make([]string, len(OrganizationAdminRoles))
	for i, r := range OrganizationAdminRoles {
		out[i] = string(r)
	}
	return out
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
