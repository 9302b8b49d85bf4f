// Package planrun is the provider's per-run memory: one Cache per configured provider
// instance (that is, per Terraform plan or apply walk), shared by every resource and
// data source of that run.
//
// It answers the looked-up questions of plan-time validation (who the token is, its
// access in an organization or workspace, an organization, workspace or team by id, an
// organization membership, an organization's admins) at most once per run: Terraform
// plans resources in parallel, and fifty resources asking for the same organization make
// one GET. It also keeps the registry of planned organizations, so that a resource
// planned after an organization can see what that organization will be after this
// apply (an upgrade to enterprise in the same run, SSO being switched on), and the
// admins this run plans to remove or demote (admins.go), so that a plan removing every
// admin of an organization fails even when each removal alone would leave one.
package planrun

import (
	"context"
	"errors"
	"sync"
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
	// Writes is the client's count of writes (client.Client.Writes); nil: none.
	Writes func() int64
	// Now is the clock of the listings' age; nil: time.Now.
	Now func() time.Time
}

// PlannedOrganization is what an organization will be after this run's apply, as
// planned by the flero_organization resource.
type PlannedOrganization struct {
	Plan       string // "" when unknown at plan time
	SSOEnabled *bool  // nil when unknown at plan time
}

// Cache is safe for concurrent use.
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
	inTeam    memo[string, bool]
	plannedMu sync.RWMutex

	lsOrgMembers  listing[string, api.OrganizationMembership]
	lsWSMembers   listing[[2]string, api.WorkspaceMembership]
	lsTeamMembers listing[string, api.TeamMembership]
	lsCredentials listing[string, api.Credential]
	lsWorkspaces  listing[string, api.Workspace]
	lsTeams       listing[string, api.Team]
	plannedOrgs   map[string]PlannedOrganization
	// removedAdmins: the admins this run plans to remove or demote, by organization
	// then user (admins.go).
	removedAdmins map[string]map[string]bool
	// fates: what this run plans for each object, and what it refreshed (deletions.go).
	fates fates
	// promotedAdmins: the members this run makes admins, by organization then user
	// id (or email, for a membership it creates) (admins.go).
	promotedAdmins map[string]map[string]bool
	// promotedBefore: the promotions planned before a membership's refresh, by
	// organization and user (admins.go).
	promotedBefore map[[2]string]map[string]bool
	// planned: the ledger of objects this run creates or replaces (planned.go).
	planned      []Planned
	visibleOrgs  memo[struct{}, []api.Organization]
	deletedCreds map[string]map[string]bool
	// orgFates, leftToOrg: the last admin and the organization's own deletion
	// (planned.go); what the run refreshed is in fates (deletions.go).
	orgFates  map[string]bool
	leftToOrg map[string][]string
}

// New returns an empty cache reading through c.
func New(c *client.Client) *Cache {
	return NewWithFetchers(Fetchers{
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
		Writes:            c.Writes,
	})
}

// NewWithFetchers returns an empty cache reading through f.
func NewWithFetchers(f Fetchers) *Cache {
	if f.Now == nil {
		f.Now = time.Now
	}
	if f.Writes == nil {
		f.Writes = func() int64 { return 0 }
	}
	return &Cache{f: f, plannedOrgs: map[string]PlannedOrganization{}, removedAdmins: map[string]map[string]bool{}, promotedAdmins: map[string]map[string]bool{},
		promotedBefore: map[[2]string]map[string]bool{}}
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

// ForgetOrganization drops what the cache knows about an organization (after the
// provider changed or deleted it), including the token's access in it.
func (c *Cache) ForgetOrganization(id string) {
	c.orgs.forget(id)
	c.access.forgetWhere(func(k [2]string) bool { return k[0] == id })
	c.orgMembers.forgetWhere(func(k [2]string) bool { return k[0] == id })
	c.orgAdmins.forget(id)
}

// ForgetWorkspace drops a workspace and the token's access in it.
func (c *Cache) ForgetWorkspace(id string) {
	c.workspaces.forget(id)
	c.access.forgetWhere(func(k [2]string) bool { return k[1] == id })
}

// RecordWorkspace keeps a workspace the provider has just read, created or changed,
// so that the plan-time checks of the resources in it need no request.
func (c *Cache) RecordWorkspace(ws *api.Workspace) { c.workspaces.set(ws.ID, ws) }

// RecordTeam keeps a team the provider has just read, created or changed.
func (c *Cache) RecordTeam(t *api.Team) { c.teams.set(t.ID, t) }

// ForgetTeam drops a team.
func (c *Cache) ForgetTeam(id string) { c.teams.forget(id) }

// ForgetOrganizationMembership drops a membership, the organization's admins and,
// when it may be the token's own, the token's access in the organization.
func (c *Cache) ForgetOrganizationMembership(orgID, userID string) {
	c.orgMembers.forget([2]string{orgID, userID})
	c.orgAdmins.forget(orgID)
	if c.mayBeMe(userID) {
		c.access.forgetWhere(func(k [2]string) bool { return k[0] == orgID })
	}
}

// RecordOrganizationMembership keeps a membership the provider has just created, so
// that checking later in the run that its user belongs to the organization costs no
// request; the organization's admins are dropped (read again when next needed) and,
// when it may be the token's own, so is the token's access in the organization.
func (c *Cache) RecordOrganizationMembership(m *api.OrganizationMembership) {
	c.orgMembers.set([2]string{m.OrganizationID, m.UserID}, m)
	c.orgAdmins.forget(m.OrganizationID)
	if c.mayBeMe(m.UserID) {
		c.access.forgetWhere(func(k [2]string) bool { return k[0] == m.OrganizationID })
	}
}

// ForgetAccess drops every cached access answer.
func (c *Cache) ForgetAccess() { c.access.forgetAll() }

// ForgetAccessOfUser drops every cached access answer when the user may be the
// token's user: after a change of that user's team or workspace membership. Other
// users' memberships do not change the token's access.
func (c *Cache) ForgetAccessOfUser(userID string) {
	if c.mayBeMe(userID) {
		// What the token's user's teams are first, its access second: a team's
		// workspace membership written in between then reads the teams again (and
		// finds the new one), instead of trusting an old "not in the team" and keeping
		// an access answer fetched after the access was dropped.
		c.inTeam.forgetAll()
		c.ForgetAccess()
	}
}

// ForgetTeamAccess drops every cached access answer after a change of a team's
// membership of a workspace, when the token's user may be in the team: its role in
// the workspace may have changed, and so may the "in any workspace" flag of every
// answer in the organization. A change that gives or takes a role to a team the
// token's user is not in changes nothing of the token's access. Whether it is in the
// team is read once per run (one GET of its membership of the team; again after a
// change of its own memberships), and only when an answer would be dropped; a read
// that fails, or a token's user not known, counts as "may be".
func (c *Cache) ForgetTeamAccess(ctx context.Context, teamID string) {
	// Nothing to forget (a destroy, say), nothing to read.
	if !c.access.empty() && c.mayBeInTeam(ctx, teamID) {
		c.ForgetAccess()
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

// knownMe is the token's user if the cache already holds it (nil otherwise): it never
// reads.
func (c *Cache) knownMe() *api.Me {
	me, _ := c.me.peek(struct{}{})
	return me
}

// RecordPlannedOrganization records what the organization will be after this apply.
func (c *Cache) RecordPlannedOrganization(id string, p PlannedOrganization) {
	c.plannedMu.Lock()
	defer c.plannedMu.Unlock()
	c.plannedOrgs[id] = p
}

// PlannedOrganization is what this run plans for the organization, if the
// organization is managed (and changed) in this run.
func (c *Cache) PlannedOrganization(id string) (PlannedOrganization, bool) {
	c.plannedMu.RLock()
	defer c.plannedMu.RUnlock()
	p, ok := c.plannedOrgs[id]
	return p, ok
}

// OrganizationAfterApply is the organization as it will be after this apply: the
// current organization with the planned plan and SSO setting laid over it. unknownPlan
// is true when this run changes the plan to a value not known until apply.
func (c *Cache) OrganizationAfterApply(ctx context.Context, id string) (org *api.Organization, unknownPlan bool, err error) {
	cur, err := c.Organization(ctx, id)
	if err != nil {
		return nil, false, err
	}
	out := *cur
	if p, ok := c.PlannedOrganization(id); ok {
		if p.Plan == "" {
			unknownPlan = true
		} else {
			out.Plan = p.Plan
		}
		if p.SSOEnabled != nil {
			out.SSOEnabled = *p.SSOEnabled
		}
	}
	return &out, unknownPlan, nil
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
// answer is also kept for the run's plan-time checks (RecordWorkspace).
func (c *Cache) ReadWorkspace(ctx context.Context, orgID, id string) (*api.Workspace, error) {
	ws, err := c.lsWorkspaces.read(ctx, c.env(), orgID, id,
		func(ctx context.Context) (*api.Workspace, error) { return c.f.Workspace(ctx, id) },
		bind(c.f.ListWorkspaces, orgID),
		func(w *api.Workspace) string { return w.ID })
	if err == nil {
		c.RecordWorkspace(ws)
	}
	return ws, err
}

// ReadTeam is a team by id; orgID is its organization as last known. The answer is
// also kept for the run's plan-time checks (RecordTeam).
func (c *Cache) ReadTeam(ctx context.Context, orgID, id string) (*api.Team, error) {
	t, err := c.lsTeams.read(ctx, c.env(), orgID, id,
		func(ctx context.Context) (*api.Team, error) { return c.f.Team(ctx, id) },
		bind(c.f.ListTeams, orgID),
		func(t *api.Team) string { return t.ID })
	if err == nil {
		c.RecordTeam(t)
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
