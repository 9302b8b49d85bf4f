package store

import (
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
)

const orgMemberCols = `m.seq, m.org_id, m.user_id, u.email, m.role, m.status, m.version, m.created_at, m.invited_at, m.invitation_expires_at`

const orgMemberFrom = ` FROM org_memberships m JOIN users u ON u.id = m.user_id `

func scanOrgMember(r scanner) (api.OrganizationMembership, int64, error) {
	var m api.OrganizationMembership
	var seq, c, invited, expires int64
	err := r.Scan(&seq, &m.OrganizationID, &m.UserID, &m.Email, &m.Role, &m.Status, &m.Version, &c, &invited, &expires)
	m.CreatedAt = toTime(c)
	m.InvitedAt, m.InvitationExpiresAt = optTimePtr(invited), optTimePtr(expires)
	return m, seq, err
}

// OrganizationMembership returns a user's membership of an organization.
func (t *Tx) OrganizationMembership(orgID, userID string) (api.OrganizationMembership, error) {
	return one(t, `SELECT `+orgMemberCols+orgMemberFrom+`WHERE m.org_id = ? AND m.user_id = ?`, scanOrgMember, orgID, userID)
}

// InsertOrganizationMembership creates a membership (version and time set here; the
// invitation's times, when set, as given).
func (t *Tx) InsertOrganizationMembership(m *api.OrganizationMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	_, err := t.exec(`INSERT INTO org_memberships (org_id, user_id, role, status, version, created_at, invited_at, invitation_expires_at) VALUES (?,?,?,?,?,?,?,?)`,
		m.OrganizationID, m.UserID, m.Role, m.Status, m.Version, m.CreatedAt.UnixNano(), optNanos(m.InvitedAt), optNanos(m.InvitationExpiresAt))
	return err
}

// UpdateOrganizationMembership writes the role and bumps the version.
func (t *Tx) UpdateOrganizationMembership(m *api.OrganizationMembership) error {
	m.Version++
	return t.updated(t.exec(`UPDATE org_memberships SET role = ?, status = ?, version = ? WHERE org_id = ? AND user_id = ? AND version = ?`,
		m.Role, m.Status, m.Version, m.OrganizationID, m.UserID, m.Version-1))
}

// DeleteOrganizationMembership removes a membership.
func (t *Tx) DeleteOrganizationMembership(orgID, userID string) error {
	return t.updated(t.exec(`DELETE FROM org_memberships WHERE org_id = ? AND user_id = ?`, orgID, userID))
}

// CountOrganizationAdmins counts the memberships of an organization, other than
// exceptUserID's, whose role is one of adminRoles (whatever their status): the rule of
// who counts as an admin is the caller's (rules.OrganizationAdminRoleNames); none
// counts nobody.
func (t *Tx) CountOrganizationAdmins(orgID, exceptUserID string, adminRoles []string) (int, error) {
	if len(adminRoles) == 0 {
		return 0, nil
	}
	args := []any{orgID, exceptUserID}
	for _, r := range adminRoles {
		args = append(args, r)
	}
	var n int
	err := t.row(`SELECT count(*) FROM org_memberships WHERE org_id = ? AND user_id <> ? AND role IN (?`+
		strings.Repeat(", ?", len(adminRoles)-1)+`)`, args, &n)
	return n, err
}

// ListOrganizationMemberships lists an organization's memberships, optionally by email.
func (t *Tx) ListOrganizationMemberships(orgID, email string, after int64, limit int) ([]api.OrganizationMembership, int64, error) {
	// Wrapped so that listPage's "seq" is not ambiguous in the join.
	q := `SELECT * FROM (SELECT ` + orgMemberCols + orgMemberFrom + `WHERE m.org_id = ?`
	args := []any{orgID}
	if email != "" {
		q += ` AND u.email = ?`
		args = append(args, email)
	}
	q += `) AS om WHERE 1=1`
	return listPage(t, q, args, after, limit, scanOrgMember, nil)
}

// RemoveUserFromOrganization deletes the user's team and workspace memberships in
// the organization (the organization membership itself is deleted separately).
func (t *Tx) RemoveUserFromOrganization(orgID, userID string) error {
	if _, err := t.exec(`DELETE FROM team_memberships WHERE user_id = ? AND team_id IN (SELECT id FROM teams WHERE org_id = ?)`, userID, orgID); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM workspace_memberships WHERE user_id = ? AND workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?)`, userID, orgID)
	return err
}

// MemberOfAny reports whether a user belongs to one of the organizations orgIDs.
func (t *Tx) MemberOfAny(userID string, orgIDs []string) (bool, error) {
	return t.exists(`SELECT 1 FROM org_memberships WHERE user_id = ? AND org_id IN (SELECT value FROM json_each(?)) LIMIT 1`, userID, jsonList(orgIDs))
}

const teamMemberCols = `seq, team_id, user_id, version, created_at`

func scanTeamMember(r scanner) (api.TeamMembership, int64, error) {
	var m api.TeamMembership
	var seq, c int64
	err := r.Scan(&seq, &m.TeamID, &m.UserID, &m.Version, &c)
	m.CreatedAt = toTime(c)
	return m, seq, err
}

// TeamMembership returns a user's membership of a team.
func (t *Tx) TeamMembership(teamID, userID string) (api.TeamMembership, error) {
	return one(t, `SELECT `+teamMemberCols+` FROM team_memberships WHERE team_id = ? AND user_id = ?`, scanTeamMember, teamID, userID)
}

// InsertTeamMembership creates a team membership.
func (t *Tx) InsertTeamMembership(m *api.TeamMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	_, err := t.exec(`INSERT INTO team_memberships (team_id, user_id, version, created_at) VALUES (?,?,?,?)`, m.TeamID, m.UserID, m.Version, m.CreatedAt.UnixNano())
	return err
}

// DeleteTeamMembership removes a team membership.
func (t *Tx) DeleteTeamMembership(teamID, userID string) error {
	return t.updated(t.exec(`DELETE FROM team_memberships WHERE team_id = ? AND user_id = ?`, teamID, userID))
}

// ListTeamMemberships lists a team's memberships.
func (t *Tx) ListTeamMemberships(teamID string, after int64, limit int) ([]api.TeamMembership, int64, error) {
	return listPage(t, `SELECT `+teamMemberCols+` FROM team_memberships WHERE team_id = ?`, []any{teamID}, after, limit, scanTeamMember, nil)
}

const wsMemberCols = `seq, workspace_id, principal_type, principal_id, role, version, created_at`

func scanWSMember(r scanner) (api.WorkspaceMembership, int64, error) {
	var m api.WorkspaceMembership
	var seq, c int64
	err := r.Scan(&seq, &m.WorkspaceID, &m.PrincipalType, &m.PrincipalID, &m.Role, &m.Version, &c)
	m.CreatedAt = toTime(c)
	return m, seq, err
}

// WorkspaceMembership returns a principal's membership of a workspace.
func (t *Tx) WorkspaceMembership(wsID, principalType, principalID string) (api.WorkspaceMembership, error) {
	return one(t, `SELECT `+wsMemberCols+` FROM workspace_memberships WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?`, scanWSMember, wsID, principalType, principalID)
}

// InsertWorkspaceMembership creates a workspace membership.
func (t *Tx) InsertWorkspaceMembership(m *api.WorkspaceMembership) error {
	m.Version, m.CreatedAt = 1, toTime(now())
	var userID, teamID any
	if m.PrincipalType == "team" {
		teamID = m.PrincipalID
	} else {
		userID = m.PrincipalID
	}
	_, err := t.exec(`INSERT INTO workspace_memberships (workspace_id, principal_type, principal_id, user_id, team_id, role, version, created_at) VALUES (?,?,?,?,?,?,?,?)`,
		m.WorkspaceID, m.PrincipalType, m.PrincipalID, userID, teamID, m.Role, m.Version, m.CreatedAt.UnixNano())
	return err
}

// UpdateWorkspaceMembership writes the role and bumps the version.
func (t *Tx) UpdateWorkspaceMembership(m *api.WorkspaceMembership) error {
	m.Version++
	return t.updated(t.exec(`UPDATE workspace_memberships SET role = ?, version = ? WHERE workspace_id = ? AND principal_type = ? AND principal_id = ? AND version = ?`,
		m.Role, m.Version, m.WorkspaceID, m.PrincipalType, m.PrincipalID, m.Version-1))
}

// DeleteWorkspaceMembership removes a workspace membership.
func (t *Tx) DeleteWorkspaceMembership(wsID, principalType, principalID string) error {
	return t.updated(t.exec(`DELETE FROM workspace_memberships WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?`, wsID, principalType, principalID))
}

// ListWorkspaceMemberships lists a workspace's memberships.
func (t *Tx) ListWorkspaceMemberships(wsID string, after int64, limit int) ([]api.WorkspaceMembership, int64, error) {
	return listPage(t, `SELECT `+wsMemberCols+` FROM workspace_memberships WHERE workspace_id = ?`, []any{wsID}, after, limit, scanWSMember, nil)
}
