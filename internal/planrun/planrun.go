// Package planrun is the provider's per-run memory: one Run per configured provider
// instance (that is, per Terraform plan or apply walk), shared by every resource and
// data source of that run. A Run is two things:
//
//   - the Cache (this file, listing.go, admins.go): the read-through cache of the
//     looked-up questions of plan-time validation (who the token is, its access in an
//     organization or workspace, an organization, workspace or team by id, an
//     organization membership, an organization's admins) and of the refresh's reads,
//     each asked at most once per run: Terraform plans resources in parallel, and fifty
//     resources asking for the same organization make one GET. The cache forgets by
//     itself: the client reports each write (client.Client.OnWrite) and the cache drops
//     what it changed (invalidate.go);
//   - the Ledger (ledger.go, planned.go, deletions.go, admins.go): what this run plans,
//     the organizations it plans (an upgrade to enterprise in the same run, SSO being
//     switched on), the objects it creates whose ids are unknown, the admins it removes,
//     demotes or promotes (so that a plan removing every admin of an organization
//     fails even when each removal alone would leave one), the fates of the objects it
//     deletes or keeps.
//
// The questions that need both (an organization as it will be after this apply, the
// candidates of an unknown id, the last admin) are the Run's (run.go).
package planrun

import (
	"context"
	"errors"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// Fetchers are the API reads the cache makes. New wires them to a client; tests wire
// fakes.
type Fetchers struct {
	Me                     func(ctx context.Context) (*api.Me, error)
	Access                 func(ctx context.Context, orgID, workspaceID string) (*api.Access, error)
	Organization           func(ctx context.Context, id string) (*api.Organization, error)
	Workspace              func(ctx context.Context, id string) (*api.Workspace, error)
	Team                   func(ctx context.Context, id string) (*api.Team, error)
	OrganizationMembership func(ctx context.Context, orgID, userID string) (*api.OrganizationMembership, error)

	// The reads of a refresh (see listing.go): one object, and its whole collection.
	// A nil list fetcher reads one by one.
	WorkspaceMembership         func(ctx context.Context, wsID, principalType, principalID string) (*api.WorkspaceMembership, error)
	TeamMembership              func(ctx context.Context, teamID, userID string) (*api.TeamMembership, error)
	Credential                  func(ctx context.Context, id string) (*api.Credential, error)
	ListOrganizationMemberships func(ctx context.Context, orgID string) ([]api.OrganizationMembership, error)
	ListWorkspaceMemberships    func(ctx context.Context, wsID string) ([]api.WorkspaceMembership, error)
	ListTeamMemberships         func(ctx context.Context, teamID string) ([]api.TeamMembership, error)
	ListCredentials             func(ctx context.Context, orgID string) ([]api.Credential, error)
	ListWorkspaces              func(ctx context.Context, orgID string) ([]api.Workspace, error)
	ListTeams                   func(ctx context.Context, orgID string) ([]api.Team, error)
	// ListOrganizations lists the organizations the token can see (planned.go).
	ListOrganizations func(ctx context.Context) ([]api.Organization, error)
	// ListAuditEvents lists an organization's audit events (audit.go).
	ListAuditEvents func(ctx context.Context, orgID string, opts client.AuditListOptions) ([]api.AuditEvent, error)
	// Writes is the client's count of writes (client.Client.Writes); nil: none.
	Writes func() int64
	// Now is the clock of the listings' age; nil: time.Now.
	Now func() time.Time
}

// Cache is the run's read-through cache; it is safe for concurrent use.
type Cache struct {
	f Fetchers

	me         memo[struct{}, *api.Me]
	access     memo[[2]string, *api.Access]
	orgs       memo[string, *api.Organization]
	workspaces memo[string, *api.Workspace]
	teams      memo[string, *api.Team]
	orgMembers memo[[2]string, *api.OrganizationMembership]
	orgAdmins  memo[string, []api.OrganizationMembership]
	// inTeam: whether the token's user is a member of a team, by team id.
	inTeam      memo[string, bool]
	visibleOrgs memo[struct{}, []api.Organization]
	// rosters: who holds a role in an organization, as the provider's reviews read it
	// (Roster), by organization id.
	rosters memo[string, any]
	// roster: the pieces a roster is read from (roster.go).
	roster rosterPieces
	// credEvents: an organization's audit events of an action on its credentials
	// (CredentialEvents), by organization id and action.
	credEvents memo[[2]string, []api.AuditEvent]

	lsOrgMembers  listing[string, api.OrganizationMembership]
	lsWSMembers   listing[[2]string, api.WorkspaceMembership]
	lsTeamMembers listing[string, api.TeamMembership]
	lsCredentials listing[string, api.Credential]
	lsWorkspaces  listing[string, api.Workspace]
	lsTeams       listing[string, api.Team]
}

// New returns an empty run reading through c; its cache drops what each write of c
// changes (Cache.Wrote).
func New(c *client.Client) *Run {
	r := NewWithFetchers(Fetchers{
		Me:                     c.Me,
		Access:                 c.Access,
		Organization:           c.Organizations.Get,
		Workspace:              c.Workspaces.Get,
		Team:                   c.Teams.Get,
		OrganizationMembership: c.OrganizationMemberships.Get,

		WorkspaceMembership:         c.WorkspaceMemberships.Get,
		TeamMembership:              c.TeamMemberships.Get,
		Credential:                  c.Credentials.Get,
		ListOrganizationMemberships: c.OrganizationMemberships.List,
		ListWorkspaceMemberships:    c.WorkspaceMemberships.List,
		ListTeamMemberships:         c.TeamMemberships.List,
		ListCredentials: func(ctx context.Context, orgID string) ([]api.Credential, error) {
			return c.Credentials.ListByOrganization(ctx, orgID, client.CredentialListOptions{})
		},
		ListWorkspaces:    c.Workspaces.List,
		ListTeams:         c.Teams.List,
		ListOrganizations: c.Organizations.List,
		ListAuditEvents:   c.Audit.List,
		Writes:            c.Writes,
	})
	c.OnWrite(r.Cache.Wrote)
	return r
}

// NewWithFetchers returns an empty run reading through f. Nothing reports writes to
// its cache but the caller (Cache.Wrote).
func NewWithFetchers(f Fetchers) *Run {
	if f.Now == nil {
		f.Now = time.Now
	}
	if f.Writes == nil {
		f.Writes = func() int64 { return 0 }
	}
	return &Run{Cache: &Cache{f: f}, Ledger: newLedger()}
}

// Me is the token's user.
func (c *Cache) Me(ctx context.Context) (*api.Me, error) {
	return c.me.get(ctx, struct{}{}, c.f.Me)
}

// SetMe records the token's user (the provider reads it once when it is configured).
func (c *Cache) SetMe(me *api.Me) { c.me.set(struct{}{}, me) }

// Access is the token's roles in an organization and, when workspaceID is not empty,
// in one of its workspaces.
func (c *Cache) Access(ctx context.Context, orgID, workspaceID string) (*api.Access, error) {
	return c.access.get(ctx, [2]string{orgID, workspaceID}, func(ctx context.Context) (*api.Access, error) {
		return c.f.Access(ctx, orgID, workspaceID)
	})
}

// Actor is the token's Access as package rules sees it.
func (c *Cache) Actor(ctx context.Context, orgID, workspaceID string) (rules.Actor, error) {
	a, err := c.Access(ctx, orgID, workspaceID)
	if err != nil {
		return rules.Actor{}, err
	}
	return ActorFromAccess(a), nil
}

// ActorFromAccess converts the API's answer into the rules' actor.
func ActorFromAccess(a *api.Access) rules.Actor {
	return rules.Actor{
		UserID:         a.UserID,
		OrgRole:        rules.OrgRole(a.OrgRole),
		WorkspaceRole:  rules.WorkspaceRole(a.WorkspaceRole),
		InAnyWorkspace: a.InAnyWorkspace,
		APIKey:         a.APIKey,
	}
}

// Organization is an organization by id.
func (c *Cache) Organization(ctx context.Context, id string) (*api.Organization, error) {
	o, err := c.orgs.get(ctx, id, func(ctx context.Context) (*api.Organization, error) { return c.f.Organization(ctx, id) })
	return o, c.outOfReach(err)
}

// Workspace is a workspace by id.
func (c *Cache) Workspace(ctx context.Context, id string) (*api.Workspace, error) {
	ws, err := c.workspaces.get(ctx, id, func(ctx context.Context) (*api.Workspace, error) { return c.f.Workspace(ctx, id) })
	return ws, c.outOfReach(err)
}

// Team is a team by id.
func (c *Cache) Team(ctx context.Context, id string) (*api.Team, error) {
	return c.teams.get(ctx, id, func(ctx context.Context) (*api.Team, error) { return c.f.Team(ctx, id) })
}

// OrganizationMembership is a user's membership of an organization (client.ErrNotFound
// when the user is not a member).
func (c *Cache) OrganizationMembership(ctx context.Context, orgID, userID string) (*api.OrganizationMembership, error) {
	return c.orgMembers.get(ctx, [2]string{orgID, userID}, func(ctx context.Context) (*api.OrganizationMembership, error) {
		return c.f.OrganizationMembership(ctx, orgID, userID)
	})
}

// IsOrganizationMember reports whether the user belongs to the organization.
func (c *Cache) IsOrganizationMember(ctx context.Context, orgID, userID string) (bool, error) {
	_, err := c.OrganizationMembership(ctx, orgID, userID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, client.ErrNotFound):
		return false, nil
	}
	return false, err
}

// knownMe is the token's user if the cache already holds it (nil otherwise): it never
// reads.
func (c *Cache) knownMe() *api.Me {
	me, _ := c.me.peek(struct{}{})
	return me
}

// The reads of a refresh: each answers like the API's GET of the object, from a
// listing of its collection when the run reads several objects of it (listing.go).

func (c *Cache) env() listingEnv { return listingEnv{now: c.f.Now, writes: c.f.Writes} }

// ReadOrganizationMembership is a user's membership of an organization.
func (c *Cache) ReadOrganizationMembership(ctx context.Context, orgID, userID string) (*api.OrganizationMembership, error) {
	return c.lsOrgMembers.read(ctx, c.env(), orgID, userID,
		func(ctx context.Context) (*api.OrganizationMembership, error) {
			return c.f.OrganizationMembership(ctx, orgID, userID)
		},
		bind(c.f.ListOrganizationMemberships, orgID),
		func(m *api.OrganizationMembership) string { return m.UserID })
}

// ReadWorkspaceMembership is a user's or a team's membership of a workspace.
func (c *Cache) ReadWorkspaceMembership(ctx context.Context, wsID, principalType, principalID string) (*api.WorkspaceMembership, error) {
	return c.lsWSMembers.read(ctx, c.env(), wsID, [2]string{principalType, principalID},
		func(ctx context.Context) (*api.WorkspaceMembership, error) {
			return c.f.WorkspaceMembership(ctx, wsID, principalType, principalID)
		},
		bind(c.f.ListWorkspaceMemberships, wsID),
		func(m *api.WorkspaceMembership) [2]string { return [2]string{m.PrincipalType, m.PrincipalID} })
}

// ReadTeamMembership is a user's membership of a team.
func (c *Cache) ReadTeamMembership(ctx context.Context, teamID, userID string) (*api.TeamMembership, error) {
	return c.lsTeamMembers.read(ctx, c.env(), teamID, userID,
		func(ctx context.Context) (*api.TeamMembership, error) { return c.f.TeamMembership(ctx, teamID, userID) },
		bind(c.f.ListTeamMemberships, teamID),
		func(m *api.TeamMembership) string { return m.UserID })
}

// ReadCredential is a credential by id; orgID is its organization as last known
// ("" reads it on its own).
func (c *Cache) ReadCredential(ctx context.Context, orgID, id string) (*api.Credential, error) {
	return c.lsCredentials.read(ctx, c.env(), orgID, id,
		func(ctx context.Context) (*api.Credential, error) { return c.f.Credential(ctx, id) },
		bind(c.f.ListCredentials, orgID),
		func(cr *api.Credential) string { return cr.ID })
}

// ReadWorkspace is a workspace by id; orgID is its organization as last known. The
// answer is also kept for the run's plan-time checks.
func (c *Cache) ReadWorkspace(ctx context.Context, orgID, id string) (*api.Workspace, error) {
	ws, err := c.lsWorkspaces.read(ctx, c.env(), orgID, id,
		func(ctx context.Context) (*api.Workspace, error) { return c.f.Workspace(ctx, id) },
		bind(c.f.ListWorkspaces, orgID),
		func(w *api.Workspace) string { return w.ID })
	if err == nil {
		c.workspaces.set(ws.ID, ws)
	}
	return ws, err
}

// ReadTeam is a team by id; orgID is its organization as last known. The answer is
// also kept for the run's plan-time checks.
func (c *Cache) ReadTeam(ctx context.Context, orgID, id string) (*api.Team, error) {
	t, err := c.lsTeams.read(ctx, c.env(), orgID, id,
		func(ctx context.Context) (*api.Team, error) { return c.f.Team(ctx, id) },
		bind(c.f.ListTeams, orgID),
		func(t *api.Team) string { return t.ID })
	if err == nil {
		c.teams.set(t.ID, t)
	}
	return t, err
}

// bind fixes a list fetcher's parent id (nil stays nil: no listing).
func bind[V any](list func(context.Context, string) ([]V, error), parent string) func(context.Context) ([]V, error) {
	if list == nil {
		return nil
	}
	return func(ctx context.Context) ([]V, error) { return list(ctx, parent) }
}
