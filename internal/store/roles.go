package store

import (
	"errors"
)

// Roles is what the store knows of a user's standing in an organization.
type Roles struct {
	OrgMember      bool
	OrgRole        string   // admin | member | ""
	WorkspaceRoles []string // direct and through teams, in the workspace asked about
	InAnyWorkspace bool
	APIKey         bool // the caller is a Flero API key: its reach, not a user's memberships
}

const principalMatch = `((principal_type = 'user' AND principal_id = ?) OR (principal_type = 'team' AND principal_id IN (SELECT team_id FROM team_memberships WHERE user_id = ?)))`

// Roles returns a user's roles in an organization and, when wsID is set, in that workspace.
func (t *Tx) Roles(userID, orgID, wsID string) (Roles, error) {
	var r Roles
	err := t.row(`SELECT role FROM org_memberships WHERE org_id = ? AND user_id = ?`, []any{orgID, userID}, &r.OrgRole)
	switch {
	case err == nil:
		r.OrgMember = true
	case !errors.Is(err, ErrNotFound):
		return r, err
	}
	if wsID != "" {
		if r.WorkspaceRoles, err = t.strings(`SELECT role FROM workspace_memberships WHERE workspace_id = ? AND `+principalMatch, wsID, userID, userID); err != nil {
			return r, err
		}
	}
	if len(r.WorkspaceRoles) > 0 {
		r.InAnyWorkspace = true
	} else {
		r.InAnyWorkspace, err = t.exists(`SELECT 1 FROM workspace_memberships WHERE workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?) AND `+principalMatch+` LIMIT 1`, orgID, userID, userID)
	}
	return r, err
}

// WorkspaceRolesInOrganization returns a user's roles in every workspace of an organization.
func (t *Tx) WorkspaceRolesInOrganization(userID, orgID string) (map[string][]string, error) {
	rows, err := t.query(`SELECT workspace_id, role FROM workspace_memberships WHERE workspace_id IN (SELECT id FROM workspaces WHERE org_id = ?) AND `+principalMatch, orgID, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var ws, role string
		if err := rows.Scan(&ws, &role); err != nil {
			return nil, err
		}
		out[ws] = append(out[ws], role)
	}
	return out, rows.Err()
}

// OrganizationRoles returns a user's role in each organization it belongs to.
func (t *Tx) OrganizationRoles(userID string) (map[string]string, error) {
	rows, err := t.query(`SELECT org_id, role FROM org_memberships WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var org, role string
		if err := rows.Scan(&org, &role); err != nil {
			return nil, err
		}
		out[org] = role
	}
	return out, rows.Err()
}
