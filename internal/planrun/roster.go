package planrun

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// Roster is who holds a role in organization orgID (its workspaces and their
// memberships, its teams and their members, its members), read once per run by fetch:
// the review of every credential scope change of the organization needs all of it,
// and reading it per change made a plan cost changes × workspaces requests. A write to
// an organization, workspace, team or membership drops every roster (Cache.Wrote);
// the value is the caller's own type. fetch reads it through the roster's pieces
// below, which a write drops only where it changed them.
func (c *Cache) Roster(ctx context.Context, orgID string, fetch func(context.Context) (any, error)) (any, error) {
	return c.rosters.get(ctx, orgID, fetch)
}

// The roster's pieces, each read once per run and dropped only by the writes that
// change it (forgetRosterPieces): a roster read again after a write (Roster is
// dropped by any) lists again only what the write changed. The apply walk interleaves
// membership changes with the credentials' re-plans, each of which reads the roster:
// re-listing every workspace's memberships each time made a change of N objects cost
// changes × workspaces requests.
type rosterPieces struct {
	workspaces  memo[string, []api.Workspace]              // by organization
	teams       memo[string, []api.Team]                   // by organization
	members     memo[string, []api.OrganizationMembership] // by organization
	wsMembers   memo[string, []api.WorkspaceMembership]    // by workspace
	teamMembers memo[string, []api.TeamMembership]         // by team
}

// RosterWorkspaces is the organization's workspaces, for a roster.
func (c *Cache) RosterWorkspaces(ctx context.Context, orgID string) ([]api.Workspace, error) {
	return listOnce(ctx, &c.roster.workspaces, orgID, c.f.ListWorkspaces)
}

// RosterTeams is the organization's teams, for a roster.
func (c *Cache) RosterTeams(ctx context.Context, orgID string) ([]api.Team, error) {
	return listOnce(ctx, &c.roster.teams, orgID, c.f.ListTeams)
}

// RosterMembers is the organization's memberships, for a roster.
func (c *Cache) RosterMembers(ctx context.Context, orgID string) ([]api.OrganizationMembership, error) {
	return listOnce(ctx, &c.roster.members, orgID, c.f.ListOrganizationMemberships)
}

// RosterWorkspaceMemberships is a workspace's memberships, for a roster.
func (c *Cache) RosterWorkspaceMemberships(ctx context.Context, wsID string) ([]api.WorkspaceMembership, error) {
	return listOnce(ctx, &c.roster.wsMembers, wsID, c.f.ListWorkspaceMemberships)
}

// RosterTeamMemberships is a team's memberships, for a roster.
func (c *Cache) RosterTeamMemberships(ctx context.Context, teamID string) ([]api.TeamMembership, error) {
	return listOnce(ctx, &c.roster.teamMembers, teamID, c.f.ListTeamMemberships)
}

// need is a list fetcher, or one that fails when the cache has none.
func need[T any](f func(context.Context, string) ([]T, error)) func(context.Context, string) ([]T, error) {
	if f == nil {
		return func(context.Context, string) ([]T, error) {
			return nil, errors.New("planrun: no list fetcher for the roster")
		}
	}
	return f
}

// forgetRosterPieces drops the pieces a write may have changed: a workspace's or a
// team's membership, that workspace's or team's list; an organization membership's
// create or change, none: its answer is laid over the organization's members; a workspace's or team's change, the
// organizations' lists of them (and a deleted one's memberships; a deleted team's
// workspace roles go with it: every workspace's list). A credential's or API key's
// write, an organization's change of plan or single sign-on, none. Any other write
// (an organization membership's removal, whose user leaves its workspaces and teams;
// an organization's deletion; a write that failed, which may have been applied) drops
// them all, or, for a workspace's or team's, what a deletion would change.
func (c *Cache) forgetRosterPieces(w client.Write) {
	p := &c.roster
	switch w.Route {
	case client.RouteCredential, client.RouteWorkspaceCredentials, client.RouteOrganizationCredentials,
		client.RouteAPIKey, client.RouteWorkspaceAPIKeys, client.RouteOrganizationAPIKeys:
	case client.RouteWorkspaceMemberships, client.RouteWorkspaceMembership:
		p.wsMembers.forget(w.ID(0))
	case client.RouteTeamMemberships, client.RouteTeamMembership:
		p.teamMembers.forget(w.ID(0))
	case client.RouteOrganizationMemberships, client.RouteResendInvitation:
		if m, ok := w.Object.(*api.OrganizationMembership); ok {
			p.recordMember(m)
			return
		}
		p.members.forget(w.ID(0))
	case client.RouteOrganizationWorkspaces:
		p.workspaces.forget(w.ID(0))
	case client.RouteOrganizationTeams:
		p.teams.forget(w.ID(0))
	case client.RouteWorkspace:
		p.workspaces.forgetAll() // its organization is not in the route
		if !w.Succeeded() || w.Deleted() {
			p.wsMembers.forget(w.ID(0))
		}
	case client.RouteTeam:
		p.teams.forgetAll()
		if !w.Succeeded() || w.Deleted() {
			p.teamMembers.forget(w.ID(0))
			p.wsMembers.forgetAll()
		}
	case client.RouteOrganizationMembership:
		if m, ok := w.Object.(*api.OrganizationMembership); ok && w.Method == http.MethodPatch { // a change of role
			p.recordMember(m)
			return
		}
		p.forgetAll()
	case client.RouteOrganization:
		if w.Method == http.MethodPatch && w.Succeeded() { // its plan or single sign-on
			return
		}
		p.forgetAll()
	default:
		p.forgetAll()
	}
}

// recordMember lays a membership the provider has just created or changed over the
// organization's members, when read, instead of listing them again (a list of every
// member per change of role cost the apply of N changes N lists).
func (p *rosterPieces) recordMember(m *api.OrganizationMembership) {
	p.members.update(m.OrganizationID, func(ms []api.OrganizationMembership) []api.OrganizationMembership {
		out := slices.Clone(ms)
		for i := range out {
			if out[i].UserID == m.UserID {
				out[i] = *m
				return out
			}
		}
		return append(out, *m)
	})
}

func (p *rosterPieces) forgetAll() {
	p.workspaces.forgetAll()
	p.teams.forgetAll()
	p.members.forgetAll()
	p.wsMembers.forgetAll()
	p.teamMembers.forgetAll()
}

// listOnce is the list of key's pieces, read through m with list once per run (until
// a write drops it).
func listOnce[T any](ctx context.Context, m *memo[string, []T], key string, list func(context.Context, string) ([]T, error)) ([]T, error) {
	return m.get(ctx, key, func(ctx context.Context) ([]T, error) { return need(list)(ctx, key) })
}
