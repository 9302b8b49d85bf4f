package server

import (
	"errors"
	"net/http"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func getMe(c *call) (*reply, error) {
	me := api.Me{User: c.user.User, PlatformAdmin: c.user.PlatformAdmin}
	if c.key != nil {
		me.APIKey = &api.APIKeyReach{ID: c.key.ID, OrganizationID: c.key.OrganizationID, WorkspaceID: c.key.WorkspaceID}
	}
	return ok(me, 0)
}

func getAccess(c *call) (*reply, error) {
	orgID, wsID := c.query("organization_id"), c.query("workspace_id")
	if orgID == "" {
		return nil, validate(rules.Required("organization_id"))
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
	roles, err := c.roles(o.ID, wsID)
	if err != nil {
		return nil, err
	}
	// The caller's own roles, also in a workspace of the organization it does not see
	// (rule 10): none there. The plan of a personal credential's owner (rule 5) reads
	// it, and it tells nothing of the workspace.
	a := actor(c.user.ID, roles)
	return ok(api.Access{UserID: c.user.ID, OrganizationID: o.ID, OrgRole: string(a.OrgRole), WorkspaceID: wsID,
		WorkspaceRole: string(a.WorkspaceRole), InAnyWorkspace: a.InAnyWorkspace, APIKey: a.APIKey, OwnerID: c.ownerID()}, 0)
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
