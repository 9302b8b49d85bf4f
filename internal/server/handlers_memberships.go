package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func listOrgMemberships(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if !rules.CanListOrganizationMembers(a) {
		return nil, &apiError{status: http.StatusNotFound, code: api.CodeNotFound,
			msg: fmt.Sprintf("The member list of organization %q was not found: only organization admins read it.", o.Name)}
	}
	email := rules.NormalizeEmail(c.query("email"))
	return listWith(c, func(after int64, limit int) ([]api.OrganizationMembership, int64, error) {
		return c.tx.ListOrganizationMemberships(o.ID, email, after, limit)
	})
}

// orgMembership loads a membership of the organization that the caller (actor a
// there) sees: others are not-found (rule 10).
func (c *call) orgMembership(orgID string, a rules.Actor, userID string) (api.OrganizationMembership, error) {
	if sees, err := c.seesMembersOf(orgID, a, userID); err != nil {
		return api.OrganizationMembership{}, err
	} else if !sees {
		return api.OrganizationMembership{}, notFound("Organization membership of user", userID)
	}
	m, err := c.tx.OrganizationMembership(orgID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return m, notFound("Organization membership of user", userID)
	}
	return m, err
}

func getOrgMembership(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.orgMembership(o.ID, a, c.path("user_id"))
	if err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}

func createOrgMembership(c *call) (*reply, error) {
	req, err := decode[api.CreateOrganizationMembershipRequest](c)
	if err != nil {
		return nil, err
	}
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageOrganizationMemberships)); err != nil {
		return nil, err
	}
	if err := check(rules.CheckSSO(o.Name, o.SSOEnabled)); err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateEmail("email", req.Email), rules.OneOf("role", req.Role, rules.OrgRoles)); err != nil {
		return nil, err
	}
	email := rules.NormalizeEmail(req.Email)
	u, err := c.tx.UserByEmail(email)
	if errors.Is(err, store.ErrNotFound) {
		if u, err = c.tx.InsertUser(email, "", string(rules.StatusInvited), false); err == nil {
			err = c.audit("created", "user", u.ID, "", "", nil)
		}
	}
	if err != nil {
		return nil, err
	}
	if _, err := c.tx.OrganizationMembership(o.ID, u.ID); err == nil {
		return nil, conflict("email", "%s is already a member of organization %q.", email, o.Name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	m := api.OrganizationMembership{OrganizationID: o.ID, UserID: u.ID, Email: u.Email, Role: req.Role, Status: u.Status}
	c.invite(&m)
	if err := c.tx.InsertOrganizationMembership(&m); err != nil {
		return nil, err
	}
	if err := c.audit("created", "organization_membership", u.ID, o.ID, "", map[string]string{"role": m.Role}); err != nil {
		return nil, err
	}
	return created(m, m.Version)
}

func updateOrgMembership(c *call) (*reply, error) {
	req, err := decode[api.UpdateOrganizationMembershipRequest](c)
	if err != nil {
		return nil, err
	}
	o, m, err := c.changeOrgMembership()
	if err != nil {
		return nil, err
	}
	if req.Role != nil {
		if err := validate(rules.OneOf("role", *req.Role, rules.OrgRoles)); err != nil {
			return nil, err
		}
	}
	if req.Role == nil || *req.Role == m.Role {
		return ok(m, m.Version)
	}
	if m.Role == string(rules.OrgRoleAdmin) {
		others, err := c.tx.CountOrganizationAdmins(o.ID, m.UserID, rules.OrganizationAdminRoleNames())
		if err != nil {
			return nil, err
		}
		if err := check(rules.CheckLastAdmin(o.Name, m.Email, others)); err != nil {
			return nil, err
		}
	}
	from := m.Role
	m.Role = *req.Role
	if err := c.tx.UpdateOrganizationMembership(&m); err != nil {
		return nil, err
	}
	if err := c.audit("updated", "organization_membership", m.UserID, o.ID, "", map[string]string{"role": from + " -> " + m.Role}); err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}

func deleteOrgMembership(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.orgMembership(o.ID, a, c.path("user_id"))
	if err != nil {
		return nil, err
	}
	if m.UserID != c.user.ID { // anyone may leave; removing others is for admins
		if err := check(rules.CheckManage(a, rules.ManageOrganizationMemberships)); err != nil {
			return nil, err
		}
	}
	if err := check(rules.CheckSSO(o.Name, o.SSOEnabled)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(m.Version); err != nil {
		return nil, err
	}
	if m.Role == string(rules.OrgRoleAdmin) {
		others, err := c.tx.CountOrganizationAdmins(o.ID, m.UserID, rules.OrganizationAdminRoleNames())
		if err != nil {
			return nil, err
		}
		if err := check(rules.CheckLastAdmin(o.Name, m.Email, others)); err != nil {
			return nil, err
		}
	}
	// Rule 8: leaving removes the user's team and workspace memberships in the
	// organization and deactivates their personal credentials there.
	if err := c.tx.RemoveUserFromOrganization(o.ID, m.UserID); err != nil {
		return nil, err
	}
	creds, err := c.tx.PersonalCredentialsOwnedIn(o.ID, m.UserID)
	if err != nil {
		return nil, err
	}
	for _, cr := range creds {
		status := rules.StatusAfterOwnerLeft(ruleCred(cr), rules.CredentialStatus(cr.Status))
		if string(status) == cr.Status {
			continue
		}
		cr.Status = string(status)
		if err := c.tx.UpdateCredential(&cr, nil); err != nil {
			return nil, err
		}
		if err := c.audit("deactivated", "credential", cr.ID, o.ID, cr.WorkspaceID, map[string]string{"reason": "owner left the organization"}); err != nil {
			return nil, err
		}
	}
	if err := c.tx.DeleteOrganizationMembership(o.ID, m.UserID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "organization_membership", m.UserID, o.ID, "", nil); err != nil {
		return nil, err
	}
	return noContent()
}

func listTeamMemberships(c *call) (*reply, error) {
	t, _, _, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	return listWith(c, func(after int64, limit int) ([]api.TeamMembership, int64, error) {
		return c.tx.ListTeamMemberships(t.ID, after, limit)
	})
}

func (c *call) teamMembership(teamID, userID string) (api.TeamMembership, error) {
	m, err := c.tx.TeamMembership(teamID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return m, notFound("Team membership of user", userID)
	}
	return m, err
}

func getTeamMembership(c *call) (*reply, error) {
	t, _, _, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.teamMembership(t.ID, c.path("user_id"))
	if err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}

// isOrgMember reports whether a user id names a member of an organization.
func (c *call) isOrgMember(orgID, userID string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	_, err := c.tx.OrganizationMembership(orgID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func createTeamMembership(c *call) (*reply, error) {
	req, err := decode[api.CreateTeamMembershipRequest](c)
	if err != nil {
		return nil, err
	}
	t, o, a, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if req.UserID == "" {
		return nil, validate(rules.Required("user_id"))
	}
	member, err := c.isOrgMember(o.ID, req.UserID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckPrincipalInOrganization(o.Name, req.UserID, member)); err != nil {
		return nil, err
	}
	if _, err := c.tx.TeamMembership(t.ID, req.UserID); err == nil {
		return nil, conflict("user_id", "User %s is already a member of team %q.", req.UserID, t.Name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	m := api.TeamMembership{TeamID: t.ID, UserID: req.UserID}
	if err := c.tx.InsertTeamMembership(&m); err != nil {
		return nil, err
	}
	if err := c.audit("created", "team_membership", t.ID+"/"+m.UserID, o.ID, "", nil); err != nil {
		return nil, err
	}
	return created(m, m.Version)
}

func deleteTeamMembership(c *call) (*reply, error) {
	t, o, a, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.teamMembership(t.ID, c.path("user_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(m.Version); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteTeamMembership(t.ID, m.UserID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "team_membership", t.ID+"/"+m.UserID, o.ID, "", nil); err != nil {
		return nil, err
	}
	return noContent()
}

func listWorkspaceMemberships(c *call) (*reply, error) {
	ws, _, _, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	return listWith(c, func(after int64, limit int) ([]api.WorkspaceMembership, int64, error) {
		return c.tx.ListWorkspaceMemberships(ws.ID, after, limit)
	})
}

func (c *call) workspaceMembership(wsID string) (api.WorkspaceMembership, error) {
	pt, pid := c.path("principal_type"), c.path("principal_id")
	if pt != string(rules.PrincipalUser) && pt != string(rules.PrincipalTeam) {
		return api.WorkspaceMembership{}, notFound("Workspace membership", pt+"/"+pid)
	}
	m, err := c.tx.WorkspaceMembership(wsID, pt, pid)
	if errors.Is(err, store.ErrNotFound) {
		return m, notFound("Workspace membership", pt+"/"+pid)
	}
	return m, err
}

func getWorkspaceMembership(c *call) (*reply, error) {
	ws, _, _, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.workspaceMembership(ws.ID)
	if err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}

func createWorkspaceMembership(c *call) (*reply, error) {
	req, err := decode[api.CreateWorkspaceMembershipRequest](c)
	if err != nil {
		return nil, err
	}
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaceMemberships)); err != nil {
		return nil, err
	}
	var vs []*rules.Violation
	if (req.UserID == "") == (req.TeamID == "") {
		vs = append(vs, &rules.Violation{Field: "user_id", Message: "Exactly one of user_id and team_id must be set."})
	}
	vs = append(vs, rules.OneOf("role", req.Role, rules.WorkspaceRoles))
	if err := validate(vs...); err != nil {
		return nil, err
	}
	m := api.WorkspaceMembership{WorkspaceID: ws.ID, Role: req.Role}
	if req.UserID != "" {
		member, err := c.isOrgMember(o.ID, req.UserID)
		if err != nil {
			return nil, err
		}
		if err := check(rules.CheckPrincipalInOrganization(o.Name, req.UserID, member)); err != nil {
			return nil, err
		}
		m.PrincipalType, m.PrincipalID = string(rules.PrincipalUser), req.UserID
	} else {
		t, err := c.tx.Team(req.TeamID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err := check(rules.CheckTeamInOrganization(o.Name, req.TeamID, err == nil && t.OrganizationID == o.ID)); err != nil {
			return nil, err
		}
		m.PrincipalType, m.PrincipalID = string(rules.PrincipalTeam), req.TeamID
	}
	if _, err := c.tx.WorkspaceMembership(ws.ID, m.PrincipalType, m.PrincipalID); err == nil {
		return nil, conflict(m.PrincipalType+"_id", "%s %s already has a role in workspace %q.", m.PrincipalType, m.PrincipalID, ws.Name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := c.tx.InsertWorkspaceMembership(&m); err != nil {
		return nil, err
	}
	if err := c.audit("created", "workspace_membership", m.PrincipalType+"/"+m.PrincipalID, o.ID, ws.ID, map[string]string{"role": m.Role}); err != nil {
		return nil, err
	}
	return created(m, m.Version)
}

func updateWorkspaceMembership(c *call) (*reply, error) {
	req, err := decode[api.UpdateWorkspaceMembershipRequest](c)
	if err != nil {
		return nil, err
	}
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.workspaceMembership(ws.ID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaceMemberships)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(m.Version); err != nil {
		return nil, err
	}
	if req.Role == nil {
		return ok(m, m.Version)
	}
	if err := validate(rules.OneOf("role", *req.Role, rules.WorkspaceRoles)); err != nil {
		return nil, err
	}
	if *req.Role == m.Role {
		return ok(m, m.Version)
	}
	from := m.Role
	m.Role = *req.Role
	if err := c.tx.UpdateWorkspaceMembership(&m); err != nil {
		return nil, err
	}
	if err := c.audit("updated", "workspace_membership", m.PrincipalType+"/"+m.PrincipalID, o.ID, ws.ID, map[string]string{"role": from + " -> " + m.Role}); err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}

func deleteWorkspaceMembership(c *call) (*reply, error) {
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.workspaceMembership(ws.ID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaceMemberships)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(m.Version); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteWorkspaceMembership(ws.ID, m.PrincipalType, m.PrincipalID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "workspace_membership", m.PrincipalType+"/"+m.PrincipalID, o.ID, ws.ID, nil); err != nil {
		return nil, err
	}
	return noContent()
}

// changeOrgMembership loads the organization membership of the request's path for a
// change (an update or a resend): visible to the caller, the caller may manage the
// organization's memberships (rule 6), not under SSO (rule 7), and If-Match holds.
func (c *call) changeOrgMembership() (api.Organization, api.OrganizationMembership, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return o, api.OrganizationMembership{}, err
	}
	m, err := c.orgMembership(o.ID, a, c.path("user_id"))
	if err != nil {
		return o, m, err
	}
	if err := check(rules.CheckManage(a, rules.ManageOrganizationMemberships)); err != nil {
		return o, m, err
	}
	if err := check(rules.CheckSSO(o.Name, o.SSOEnabled)); err != nil {
		return o, m, err
	}
	return o, m, c.ifMatch(m.Version)
}
