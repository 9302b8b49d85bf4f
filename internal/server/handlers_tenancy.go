package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// ---------------------------------------------------------------------------
// Users, access and tokens

func getMe(c *call) (*reply, error) {
	return ok(api.Me{User: c.user.User, PlatformAdmin: c.user.PlatformAdmin}, 0)
}

func getAccess(c *call) (*reply, error) {
	orgID, wsID := c.query("organization_id"), c.query("workspace_id")
	if orgID == "" {
		return nil, validate(&rules.Violation{Field: "organization_id", Message: "organization_id is required."})
	}
	o, _, err := c.org(orgID)
	if err != nil {
		return nil, err
	}
	if wsID != "" {
		ws, err := c.tx.Workspace(wsID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && ws.OrganizationID != o.ID) {
			return nil, workspaceNotFound(wsID)
		} else if err != nil {
			return nil, err
		}
	}
	roles, err := c.tx.Roles(c.user.ID, o.ID, wsID)
	if err != nil {
		return nil, err
	}
	// The caller's own roles, also in a workspace of the organization it does not see
	// (rule 10): none there. The plan of a personal credential's owner (rule 5) reads
	// it, and it tells nothing of the workspace.
	a := actor(c.user.ID, roles)
	return ok(api.Access{UserID: c.user.ID, OrganizationID: o.ID, OrgRole: string(a.OrgRole), WorkspaceID: wsID,
		WorkspaceRole: string(a.WorkspaceRole), InAnyWorkspace: a.InAnyWorkspace}, 0)
}

func listUsers(c *call) (*reply, error) {
	email := rules.NormalizeEmail(c.query("email"))
	var orgs []string
	if !c.user.PlatformAdmin {
		var err error
		if orgs, err = c.memberListOrgs(); err != nil {
			return nil, err
		}
	}
	return listWith(c, func(after int64, limit int) ([]api.User, int64, error) {
		users, next, err := c.tx.ListUsers(c.user.ID, c.user.PlatformAdmin, orgs, email, after, limit)
		out := make([]api.User, len(users))
		for i, u := range users {
			out[i] = u.User
		}
		return out, next, err
	})
}

func getUser(c *call) (*reply, error) {
	id := c.path("user_id")
	u, err := c.tx.UserByID(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("User", id)
	} else if err != nil {
		return nil, err
	}
	if u.ID != c.user.ID && !c.user.PlatformAdmin {
		orgs, err := c.memberListOrgs()
		if err != nil {
			return nil, err
		}
		shares, err := c.tx.MemberOfAny(u.ID, orgs)
		if err != nil {
			return nil, err
		}
		if !shares {
			return nil, notFound("User", id)
		}
	}
	return ok(u.User, 0)
}

func requirePlatformAdmin(c *call) error {
	if c.user.PlatformAdmin {
		return nil
	}
	return &apiError{status: http.StatusForbidden, code: api.CodeForbidden, msg: "Only platform admins can manage users and tokens."}
}

func adminCreateUser(c *call) (*reply, error) {
	if err := requirePlatformAdmin(c); err != nil {
		return nil, err
	}
	req, err := decode[api.CreateUserRequest](c)
	if err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateEmail("email", req.Email), optional("name", req.Name, rules.ValidateName)); err != nil {
		return nil, err
	}
	email := rules.NormalizeEmail(req.Email)
	if _, err := c.tx.UserByEmail(email); err == nil {
		return nil, conflict("email", "A user with email %q already exists.", email)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	u, err := c.tx.InsertUser(email, req.Name, string(rules.StatusInvited), false)
	if err != nil {
		return nil, err
	}
	if err := c.audit("created", "user", u.ID, "", "", nil); err != nil {
		return nil, err
	}
	return created(u.User, 0)
}

// ---------------------------------------------------------------------------
// Organizations

func listOrganizations(c *call) (*reply, error) {
	name := c.query("name")
	return listWith(c, func(after int64, limit int) ([]api.Organization, int64, error) {
		return c.tx.ListOrganizations(c.user.ID, "", after, limit, byName(name, func(o api.Organization) string { return o.Name }, nil))
	})
}

func createOrganization(c *call) (*reply, error) {
	req, err := decode[api.CreateOrganizationRequest](c)
	if err != nil {
		return nil, err
	}
	if req.Plan == "" {
		req.Plan = string(rules.PlanFree)
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateDescription("description", req.Description),
		optional("avatar_url", req.AvatarURL, rules.ValidateHTTPSURL), rules.OneOf("plan", req.Plan, rules.Plans)); err != nil {
		return nil, err
	}
	if err := check(rules.CheckSSOSetting(req.Name, false, req.SSOEnabled, c.user.PlatformAdmin)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameOrganization, "", req.Name, ""); err != nil {
		return nil, err
	}
	o := api.Organization{Name: req.Name, Description: req.Description, AvatarURL: req.AvatarURL, Plan: req.Plan, SSOEnabled: req.SSOEnabled}
	if err := c.tx.InsertOrganization(&o); err != nil {
		return nil, err
	}
	m := api.OrganizationMembership{OrganizationID: o.ID, UserID: c.user.ID, Email: c.user.Email, Role: string(rules.OrgRoleAdmin), Status: string(rules.StatusActive)}
	if err := c.tx.InsertOrganizationMembership(&m); err != nil {
		return nil, err
	}
	var details map[string]string
	if o.SSOEnabled {
		details = map[string]string{"sso_enabled": "true"}
	}
	if err := c.audit("created", "organization", o.ID, o.ID, "", details); err != nil {
		return nil, err
	}
	if err := c.audit("created", "organization_membership", c.user.ID, o.ID, "", map[string]string{"role": m.Role}); err != nil {
		return nil, err
	}
	return created(o, o.Version)
}

func getOrganization(c *call) (*reply, error) {
	o, _, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	return ok(o, o.Version)
}

func updateOrganization(c *call) (*reply, error) {
	req, err := decode[api.UpdateOrganizationRequest](c)
	if err != nil {
		return nil, err
	}
	id := c.path("organization_id")
	ssoOnly := req.Name == nil && req.Description == nil && req.AvatarURL == nil && req.Plan == nil && req.SSOEnabled != nil
	var (
		o api.Organization
		a rules.Actor
	)
	if c.user.PlatformAdmin && ssoOnly {
		// The operator switches SSO on any organization (rule 11), member or not.
		if o, err = c.tx.Organization(id); errors.Is(err, store.ErrNotFound) {
			return nil, notFound("Organization", id)
		} else if err != nil {
			return nil, err
		}
	} else {
		if o, a, err = c.org(id); err != nil {
			return nil, err
		}
		if err := check(rules.CheckManage(a, rules.ManageOrganization)); err != nil {
			return nil, err
		}
	}
	if req.SSOEnabled != nil {
		if err := check(rules.CheckSSOSetting(o.Name, o.SSOEnabled, *req.SSOEnabled, c.user.PlatformAdmin)); err != nil {
			return nil, err
		}
	}
	if err := c.ifMatch(o.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{req.Name, req.Description, req.AvatarURL}
	vs := patch.violations()
	if req.Plan != nil {
		vs = append(vs, rules.OneOf("plan", *req.Plan, rules.Plans))
	}
	if err := validate(vs...); err != nil {
		return nil, err
	}
	var ch changes
	if err := c.applyProfile(profile{rules.NameOrganization, "", o.ID, &o.Name, &o.Description, &o.AvatarURL}, patch, &ch); err != nil {
		return nil, err
	}
	if req.Plan != nil && *req.Plan != o.Plan {
		names, err := c.tx.OrganizationScopedCredentialNames(o.ID)
		if err != nil {
			return nil, err
		}
		if err := check(rules.CheckPlanChange(o.Name, rules.Plan(o.Plan), rules.Plan(*req.Plan), names)); err != nil {
			return nil, err
		}
		o.Plan = *req.Plan
		ch.add("plan")
	}
	details := map[string]string{}
	if req.SSOEnabled != nil && *req.SSOEnabled != o.SSOEnabled {
		details["sso_enabled"] = fmt.Sprintf("%t -> %t", o.SSOEnabled, *req.SSOEnabled)
		o.SSOEnabled = *req.SSOEnabled
		ch.add("sso_enabled")
	}
	if len(ch) == 0 {
		return ok(o, o.Version)
	}
	if err := c.tx.UpdateOrganization(&o); err != nil {
		return nil, err
	}
	for k, v := range ch.details() {
		details[k] = v
	}
	if err := c.audit("updated", "organization", o.ID, o.ID, "", details); err != nil {
		return nil, err
	}
	return ok(o, o.Version)
}

func deleteOrganization(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageOrganization)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(o.Version); err != nil {
		return nil, err
	}
	names, err := c.tx.WorkspaceNames(o.ID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckDeleteOrganization(o.Name, names)); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteOrganization(o.ID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "organization", o.ID, o.ID, "", map[string]string{"name": o.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// ---------------------------------------------------------------------------
// Organization memberships

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
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	m, err := c.orgMembership(o.ID, a, c.path("user_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageOrganizationMemberships)); err != nil {
		return nil, err
	}
	if err := check(rules.CheckSSO(o.Name, o.SSOEnabled)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(m.Version); err != nil {
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
		others, err := c.tx.CountOrganizationAdmins(o.ID, m.UserID)
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
		others, err := c.tx.CountOrganizationAdmins(o.ID, m.UserID)
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

// ---------------------------------------------------------------------------
// Workspaces

func listWorkspaces(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	actorIn, err := c.workspaceActors(o.ID, a)
	if err != nil {
		return nil, err
	}
	name := c.query("name")
	return listWith(c, func(after int64, limit int) ([]api.Workspace, int64, error) {
		return c.tx.ListWorkspaces(o.ID, "", after, limit, byName(name, func(ws api.Workspace) string { return ws.Name },
			func(ws api.Workspace) bool { return rules.CanSeeWorkspace(actorIn(ws.ID)) }))
	})
}

func createWorkspace(c *call) (*reply, error) {
	req, err := decode[api.CreateWorkspaceRequest](c)
	if err != nil {
		return nil, err
	}
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaces)); err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateDescription("description", req.Description),
		optional("avatar_url", req.AvatarURL, rules.ValidateHTTPSURL), optional("custom_domain", req.CustomDomain, rules.ValidateDomain)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameWorkspace, o.ID, req.Name, ""); err != nil {
		return nil, err
	}
	if req.CustomDomain != "" {
		if err := c.taken(rules.NameCustomDomain, "", req.CustomDomain, ""); err != nil {
			return nil, err
		}
	}
	ws := api.Workspace{OrganizationID: o.ID, Name: req.Name, Description: req.Description, AvatarURL: req.AvatarURL, CustomDomain: req.CustomDomain}
	if err := c.tx.InsertWorkspace(&ws); err != nil {
		return nil, err
	}
	if err := c.audit("created", "workspace", ws.ID, o.ID, ws.ID, nil); err != nil {
		return nil, err
	}
	return created(ws, ws.Version)
}

func getWorkspace(c *call) (*reply, error) {
	ws, _, _, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	return ok(ws, ws.Version)
}

func updateWorkspace(c *call) (*reply, error) {
	req, err := decode[api.UpdateWorkspaceRequest](c)
	if err != nil {
		return nil, err
	}
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaceSettings)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(ws.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{req.Name, req.Description, req.AvatarURL}
	vs := patch.violations()
	if req.CustomDomain != nil {
		vs = append(vs, optional("custom_domain", *req.CustomDomain, rules.ValidateDomain))
	}
	if err := validate(vs...); err != nil {
		return nil, err
	}
	var ch changes
	if err := c.applyProfile(profile{rules.NameWorkspace, o.ID, ws.ID, &ws.Name, &ws.Description, &ws.AvatarURL}, patch, &ch); err != nil {
		return nil, err
	}
	if req.CustomDomain != nil && *req.CustomDomain != ws.CustomDomain {
		if *req.CustomDomain != "" {
			if err := c.taken(rules.NameCustomDomain, "", *req.CustomDomain, ws.ID); err != nil {
				return nil, err
			}
		}
		ws.CustomDomain = *req.CustomDomain
		ch.add("custom_domain")
	}
	if len(ch) == 0 {
		return ok(ws, ws.Version)
	}
	if err := c.tx.UpdateWorkspace(&ws); err != nil {
		return nil, err
	}
	if err := c.audit("updated", "workspace", ws.ID, o.ID, ws.ID, ch.details()); err != nil {
		return nil, err
	}
	return ok(ws, ws.Version)
}

func deleteWorkspace(c *call) (*reply, error) {
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageWorkspaces)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(ws.Version); err != nil {
		return nil, err
	}
	names, err := c.tx.CredentialNamesInWorkspace(ws.ID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckDeleteWorkspace(ws.Name, names)); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteWorkspace(ws.ID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "workspace", ws.ID, o.ID, ws.ID, map[string]string{"name": ws.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// ---------------------------------------------------------------------------
// Teams

func listTeams(c *call) (*reply, error) {
	o, _, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	name := c.query("name")
	return listWith(c, func(after int64, limit int) ([]api.Team, int64, error) {
		return c.tx.ListTeams(o.ID, "", after, limit, byName(name, func(t api.Team) string { return t.Name }, nil))
	})
}

func createTeam(c *call) (*reply, error) {
	req, err := decode[api.CreateTeamRequest](c)
	if err != nil {
		return nil, err
	}
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateDescription("description", req.Description),
		optional("avatar_url", req.AvatarURL, rules.ValidateHTTPSURL)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameTeam, o.ID, req.Name, ""); err != nil {
		return nil, err
	}
	t := api.Team{OrganizationID: o.ID, Name: req.Name, Description: req.Description, AvatarURL: req.AvatarURL}
	if err := c.tx.InsertTeam(&t); err != nil {
		return nil, err
	}
	if err := c.audit("created", "team", t.ID, o.ID, "", nil); err != nil {
		return nil, err
	}
	return created(t, t.Version)
}

func getTeam(c *call) (*reply, error) {
	t, _, _, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	return ok(t, t.Version)
}

func updateTeam(c *call) (*reply, error) {
	req, err := decode[api.UpdateTeamRequest](c)
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
	if err := c.ifMatch(t.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{req.Name, req.Description, req.AvatarURL}
	if err := validate(patch.violations()...); err != nil {
		return nil, err
	}
	var ch changes
	if err := c.applyProfile(profile{rules.NameTeam, o.ID, t.ID, &t.Name, &t.Description, &t.AvatarURL}, patch, &ch); err != nil {
		return nil, err
	}
	if len(ch) == 0 {
		return ok(t, t.Version)
	}
	if err := c.tx.UpdateTeam(&t); err != nil {
		return nil, err
	}
	if err := c.audit("updated", "team", t.ID, o.ID, "", ch.details()); err != nil {
		return nil, err
	}
	return ok(t, t.Version)
}

func deleteTeam(c *call) (*reply, error) {
	t, o, a, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(t.Version); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteTeam(t.ID); err != nil { // cascades to its team and workspace memberships
		return nil, err
	}
	if err := c.audit("deleted", "team", t.ID, o.ID, "", map[string]string{"name": t.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// ---------------------------------------------------------------------------
// Team memberships

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
		return nil, validate(&rules.Violation{Field: "user_id", Message: "user_id is required."})
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

// ---------------------------------------------------------------------------
// Workspace memberships

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
