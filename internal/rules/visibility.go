package rules

// Rule 10: workspace visibility. An organization member who is not an organization
// admin sees only the workspaces they are assigned to (directly or through a team),
// those workspaces' memberships and credentials (rule 4); the organization's member
// list and every other workspace are not-found for them. Organization admins see
// everything.

// CanSeeWorkspace decides whether the actor sees a workspace; the actor's
// WorkspaceRole is its own role there (direct or through a team). Those who cannot
// see it get not-found, for the workspace and for everything read through it (its
// memberships, its credential list, the token's access in it).
func CanSeeWorkspace(a Actor) bool {
	return a.OrgRole == OrgRoleAdmin || (a.OrgRole != OrgRoleNone && a.WorkspaceRole != WorkspaceRoleNone)
}

// CanListOrganizationMembers decides whether the actor reads an organization's member
// list: organization admins only.
func CanListOrganizationMembers(a Actor) bool { return a.OrgRole == OrgRoleAdmin }

// CanSeeOrganizationMember decides whether the actor sees one member of the
// organization (a membership read by user id, a user looked up by id or email):
// organization admins see everyone, everyone sees themself, and a workspace admin or
// owner sees the organization's members, since managing their workspace's
// memberships (rule 6) means finding the people to add and checking that they belong
// to the organization. workspaceRoles are the actor's own roles in the
// organization's workspaces (any workspace, direct or through a team).
func CanSeeOrganizationMember(a Actor, userID string, workspaceRoles []WorkspaceRole) bool {
	if a.OrgRole == OrgRoleNone {
		return false
	}
	if a.OrgRole == OrgRoleAdmin || (a.UserID != "" && a.UserID == userID) {
		return true
	}
	for _, r := range workspaceRoles {
		if r.AtLeast(WorkspaceRoleAdmin) {
			return true
		}
	}
	return false
}
