package planrun

import (
	"context"
	"slices"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The cache forgets by itself. New registers Wrote with the client (client.OnWrite):
// every write the provider makes, whatever resource makes it, ends with Wrote, which
// drops what the write may have changed, and keeps what its answer says when that is
// cheaper than reading it again (a workspace, team or organization membership just
// created or changed). The refresh's listings need no call: they compare the
// client's count of writes (client.Client.Writes, listing.go).
//
// A write that failed may still have been applied (its answer lost): it drops the
// same, or, when only its answer would say which object it wrote, more.

// Wrote drops what a write of the client changed (see above). It is the hook New
// registers; a cache built on fetchers (NewWithFetchers) is told by its caller.
func (c *Cache) Wrote(ctx context.Context, w client.Write) {
	switch w.Route {
	case client.RouteCredential, client.RouteWorkspaceCredentials, client.RouteOrganizationCredentials,
		client.RouteAPIKey, client.RouteWorkspaceAPIKeys, client.RouteOrganizationAPIKeys:
	default: // who holds a role may have changed
		c.rosters.forgetAll()
	}
	c.forgetRosterPieces(w)
	if !keepsCredentialEvents(w.Route) {
		c.credEvents.forgetAll()
	}
	switch w.Route {
	case client.RouteOrganizations: // a create: the token is the new organization's admin
		c.forgetAccess()
	case client.RouteOrganization:
		c.forgetOrganization(w.ID(0))

	case client.RouteOrganizationWorkspaces, client.RouteWorkspace:
		if w.Route == client.RouteWorkspace {
			c.forgetWorkspace(w.ID(0))
		}
		if ws, ok := w.Object.(*api.Workspace); ok {
			c.recordWorkspace(ws)
		}
	case client.RouteOrganizationTeams, client.RouteTeam:
		if w.Route == client.RouteTeam {
			c.forgetTeam(w.ID(0))
		}
		if t, ok := w.Object.(*api.Team); ok {
			c.recordTeam(t)
		}

	case client.RouteOrganizationMemberships: // a create
		if m, ok := w.Object.(*api.OrganizationMembership); ok {
			c.recordOrganizationMembership(m)
		} else {
			c.forgetOrganizationMemberships(w.ID(0))
		}
	case client.RouteOrganizationMembership, client.RouteResendInvitation:
		switch m, ok := w.Object.(*api.OrganizationMembership); {
		case ok && w.Route == client.RouteOrganizationMembership: // a change of role
			c.recordOrganizationMembership(m)
		case w.Succeeded() && w.Deleted():
			c.recordOrganizationMembershipRemoval(w.ID(0), w.ID(1))
		default:
			c.forgetOrganizationMembership(w.ID(0), w.ID(1))
		}

	case client.RouteTeamMemberships: // a create: the user's workspace roles through the team
		if m, ok := w.Object.(*api.TeamMembership); ok {
			c.forgetAccessOfUser(m.UserID)
		} else {
			c.forgetAccessOfAnyUser()
		}
	case client.RouteTeamMembership:
		c.forgetAccessOfUser(w.ID(1))

	case client.RouteWorkspaceMemberships: // a create
		if m, ok := w.Object.(*api.WorkspaceMembership); ok {
			c.forgetPrincipalAccess(ctx, m.PrincipalType, m.PrincipalID)
		} else {
			c.forgetAccess()
		}
	case client.RouteWorkspaceMembership:
		c.forgetPrincipalAccess(ctx, w.ID(1), w.ID(2))
	}
}

// forgetPrincipalAccess drops the token's cached access when a change of a workspace
// membership may have changed it: the membership of the token's own user, or of a
// team the token's user may be in; none for another user or team.
func (c *Cache) forgetPrincipalAccess(ctx context.Context, principalType, principalID string) {
	if principalType == client.PrincipalTeam {
		c.forgetTeamAccess(ctx, principalID)
		return
	}
	c.forgetAccessOfUser(principalID)
}

// forgetOrganizationMemberships drops every membership of the organization, its admins
// and the token's access in it: after a create whose answer was lost (whose user is
// not known).
func (c *Cache) forgetOrganizationMemberships(orgID string) {
	c.orgMembers.forgetWhere(func(k [2]string) bool { return k[0] == orgID })
	c.orgAdmins.forget(orgID)
	c.access.forgetWhere(func(k [2]string) bool { return k[0] == orgID })
}

// forgetAccessOfAnyUser is forgetAccessOfUser for a user not known (a create whose
// answer was lost): it may be the token's.
func (c *Cache) forgetAccessOfAnyUser() {
	c.inTeam.forgetAll()
	c.forgetAccess()
}

// forgetOrganization drops what the cache knows about an organization (after the
// provider changed or deleted it), including the token's access in it.
func (c *Cache) forgetOrganization(id string) {
	c.orgs.forget(id)
	c.access.forgetWhere(func(k [2]string) bool { return k[0] == id })
	c.orgMembers.forgetWhere(func(k [2]string) bool { return k[0] == id })
	c.orgAdmins.forget(id)
}

// forgetWorkspace drops a workspace and the token's access in it.
func (c *Cache) forgetWorkspace(id string) {
	c.workspaces.forget(id)
	c.access.forgetWhere(func(k [2]string) bool { return k[1] == id })
}

// recordWorkspace keeps a workspace the provider has just read, created or changed,
// so that the plan-time checks of the resources in it need no request.
func (c *Cache) recordWorkspace(ws *api.Workspace) { c.workspaces.set(ws.ID, ws) }

// recordTeam keeps a team the provider has just read, created or changed.
func (c *Cache) recordTeam(t *api.Team) { c.teams.set(t.ID, t) }

// forgetTeam drops a team.
func (c *Cache) forgetTeam(id string) { c.teams.forget(id) }

// forgetOrganizationMembership drops a membership, the organization's admins and,
// when it may be the token's own, the token's access in the organization.
func (c *Cache) forgetOrganizationMembership(orgID, userID string) {
	c.orgMembers.forget([2]string{orgID, userID})
	c.orgAdmins.forget(orgID)
	if c.mayBeMe(userID) {
		c.access.forgetWhere(func(k [2]string) bool { return k[0] == orgID })
	}
}

// recordOrganizationMembership keeps a membership the provider has just created or
// changed, so that checking later in the run that its user belongs to the
// organization costs no request; the organization's admins, when read, are updated
// with it (a list of every member, read again after each change of role, cost the
// apply of N changes N lists); when it may be the token's own, the token's access in
// the organization is dropped.
func (c *Cache) recordOrganizationMembership(m *api.OrganizationMembership) {
	c.orgMembers.set([2]string{m.OrganizationID, m.UserID}, m)
	c.orgAdmins.update(m.OrganizationID, func(admins []api.OrganizationMembership) []api.OrganizationMembership {
		return withMembership(admins, m.UserID, m, func(m *api.OrganizationMembership) bool {
			return rules.IsOrganizationAdmin(rules.OrgRole(m.Role))
		})
	})
	if c.mayBeMe(m.UserID) {
		c.access.forgetWhere(func(k [2]string) bool { return k[0] == m.OrganizationID })
	}
}

// recordOrganizationMembershipRemoval is forgetOrganizationMembership after a
// removal the platform applied: the user is no longer among the admins, when read.
func (c *Cache) recordOrganizationMembershipRemoval(orgID, userID string) {
	c.orgMembers.forget([2]string{orgID, userID})
	c.orgAdmins.update(orgID, func(admins []api.OrganizationMembership) []api.OrganizationMembership {
		return withMembership(admins, userID, nil, nil)
	})
	if c.mayBeMe(userID) {
		c.access.forgetWhere(func(k [2]string) bool { return k[0] == orgID })
	}
}

// withMembership is a new list of memberships (sorted by user id when ms is): ms
// without the user's, then m in its place (by user id) when m is not nil and keep
// keeps it.
func withMembership(ms []api.OrganizationMembership, userID string, m *api.OrganizationMembership, keep func(*api.OrganizationMembership) bool) []api.OrganizationMembership {
	out := make([]api.OrganizationMembership, 0, len(ms)+1)
	for _, x := range ms {
		if x.UserID != userID {
			out = append(out, x)
		}
	}
	if m != nil && keep(m) {
		i, _ := slices.BinarySearchFunc(out, m.UserID, func(x api.OrganizationMembership, id string) int { return strings.Compare(x.UserID, id) })
		out = slices.Insert(out, i, *m)
	}
	return out
}

// forgetAccess drops every cached access answer.
func (c *Cache) forgetAccess() { c.access.forgetAll() }

// forgetAccessOfUser drops every cached access answer when the user may be the
// token's user: after a change of that user's team or workspace membership. Other
// users' memberships do not change the token's access.
func (c *Cache) forgetAccessOfUser(userID string) {
	if c.mayBeMe(userID) {
		// What the token's user's teams are first, its access second: a team's
		// workspace membership written in between then reads the teams again (and
		// finds the new one), instead of trusting an old "not in the team" and keeping
		// an access answer fetched after the access was dropped.
		c.inTeam.forgetAll()
		c.forgetAccess()
	}
}

// forgetTeamAccess drops every cached access answer after a change of a team's
// membership of a workspace, when the token's user may be in the team: its role in
// the workspace may have changed, and so may the "in any workspace" flag of every
// answer in the organization. A change that gives or takes a role to a team the
// token's user is not in changes nothing of the token's access. Whether it is in the
// team is read once per run (one GET of its membership of the team; again after a
// change of its own memberships), and only when an answer would be dropped; a read
// that fails, or a token's user not known, counts as "may be".
func (c *Cache) forgetTeamAccess(ctx context.Context, teamID string) {
	// Nothing to forget (a destroy, say), nothing to read.
	if !c.access.empty() && c.mayBeInTeam(ctx, teamID) {
		c.forgetAccess()
	}
}

func (c *Cache) mayBeInTeam(ctx context.Context, teamID string) bool {
	me := c.knownMe()
	if me == nil || c.f.TeamMembership == nil {
		return true
	}
	in, err := c.inTeam.get(ctx, teamID, func(ctx context.Context) (bool, error) {
		_, err := c.f.TeamMembership(ctx, teamID, me.ID)
		if client.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	return err != nil || in
}

// mayBeMe reports whether userID may be the token's user: it is, or the token's user
// is not known yet.
func (c *Cache) mayBeMe(userID string) bool {
	me := c.knownMe()
	return me == nil || me.ID == userID
}
