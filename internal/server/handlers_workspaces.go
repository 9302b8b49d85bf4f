package server

import (
	"errors"
	"fmt"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

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
	c.revoked = true // its API keys went with it: the auth cache forgets them
	if err := c.audit("deleted", "workspace", ws.ID, o.ID, ws.ID, map[string]string{"name": ws.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// workspace loads a workspace of an organization the caller belongs to, with the
// caller's roles in it.
func (c *call) workspace(id string) (api.Workspace, api.Organization, rules.Actor, error) {
	ws, err := c.tx.Workspace(id)
	if errors.Is(err, store.ErrNotFound) {
		return ws, api.Organization{}, rules.Actor{}, notFound("Workspace", id)
	}
	if err != nil {
		return ws, api.Organization{}, rules.Actor{}, err
	}
	o, a, err := c.orgRoles(ws.OrganizationID, ws.ID)
	if errors.Is(err, errInvisible) || (err == nil && !rules.CanSeeWorkspace(a)) {
		err = workspaceNotFound(id)
	}
	return ws, o, a, err
}

// workspaceNotFound is the answer for a workspace that does not exist or that the
// caller does not see (rule 10): the same words either way.
func workspaceNotFound(id string) *apiError {
	e := notFound("Workspace", id)
	e.msg = fmt.Sprintf("Workspace %q was not found: it does not exist, or you are not assigned to it "+
		"(organization members who are not organization admins see only the workspaces they are assigned to, directly or through a team).", id)
	return e
}

// workspaceActors returns, for the caller in organization o (whose actor there is a),
// its actor in each workspace of o: its own roles there folded in (rule 4 and 10).
func (c *call) workspaceActors(orgID string, a rules.Actor) (func(wsID string) rules.Actor, error) {
	byWS, err := c.workspaceRolesInOrganization(orgID)
	if err != nil {
		return nil, err
	}
	actors := map[string]rules.Actor{}
	return func(wsID string) rules.Actor {
		if act, ok := actors[wsID]; ok {
			return act
		}
		act := actor(c.user.ID, store.Roles{OrgMember: true, OrgRole: string(a.OrgRole), WorkspaceRoles: byWS[wsID], InAnyWorkspace: len(byWS) > 0, APIKey: c.key != nil})
		actors[wsID] = act
		return act
	}, nil
}
