package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The review of a change that takes or gives access to a credential: every change of
// a credential's scope is an in-place update with a warning on scope, worded by
// rules.DescribeScopeChange, that says who loses access (narrowing: the workflows
// that used the credential recently and will lose it, the workspaces, teams and
// people that lose it) or who gains it (widening: the workspaces, teams and people);
// destroying a credential that workflows used recently gets the same list
// (rules.DescribeCredentialDeletion). Who is affected is decided by rules.Shift, with
// the rules the server enforces, from facts read through the API: the organization's
// workspaces, each workspace's memberships, the teams and their members, and the
// organization's members (their emails and roles). A fact the token may not read
// (the member list is for organization admins) is named in the review as not counted.

// scopeReviewDays is how far back the review looks for the credential's usage.
const scopeReviewDays = 30

// scopeChange is a planned change of a credential's scope.
type scopeChange struct {
	CredentialID   string
	CredentialName string
	From, To       rules.Scope
	OrganizationID string
	WorkspaceID    string // the home workspace
	OwnerID        string
}

// scopeChangeFacts gathers what the review needs: the home workspace's name (through
// the run cache), the credential's recent usage when it narrows, and who moves across
// the change (the organization's people, gatherPeople). An unchanged scope reads
// nothing.
func scopeChangeFacts(ctx context.Context, c *client.Client, run *planrun.Run, ch scopeChange) (rules.ScopeChangeFacts, error) {
	f := rules.ScopeChangeFacts{
		CredentialName:  ch.CredentialName,
		From:            ch.From,
		To:              ch.To,
		HomeWorkspaceID: ch.WorkspaceID,
		OwnerID:         ch.OwnerID,
		UsageWindow:     fmt.Sprintf("%d days", scopeReviewDays),
	}
	direction := rules.ClassifyScopeChange(ch.From, ch.To)
	if direction == rules.ScopeUnchanged {
		return f, nil
	}
	ws, err := run.Workspace(ctx, ch.WorkspaceID)
	if err != nil {
		return f, fmt.Errorf("reading the home workspace %s: %w", ch.WorkspaceID, err)
	}
	f.HomeWorkspaceName = ws.Name
	if direction == rules.ScopeNarrowing {
		if f.RecentUsage, err = recentUsage(ctx, c, ch.CredentialID); err != nil {
			return f, err
		}
	}
	orgID := ch.OrganizationID
	if orgID == "" {
		orgID = ws.OrganizationID
	}
	p, err := gatherPeople(ctx, run, orgID, ch.WorkspaceID)
	if err != nil {
		return f, err
	}
	f.Shift = p.shift(ch.From, ch.To, ch.WorkspaceID, ch.OwnerID)
	f.OwnerName = p.names[ch.OwnerID]
	return f, nil
}

// recentUsage is the credential's usage over the review's window.
func recentUsage(ctx context.Context, c *client.Client, credentialID string) ([]rules.Usage, error) {
	usage, err := c.Credentials.Usage(ctx, credentialID, scopeReviewDays)
	if err != nil {
		return nil, fmt.Errorf("reading the credential's usage over the last %d days: %w", scopeReviewDays, err)
	}
	out := make([]rules.Usage, 0, len(usage.Items))
	for _, u := range usage.Items {
		out = append(out, rules.Usage{WorkspaceID: u.WorkspaceID, WorkspaceName: u.WorkspaceName, Workflow: u.Workflow, UserID: u.UserID, Uses: u.Uses})
	}
	return out, nil
}

// people is who holds a role in an organization, as the token sees it.
type people struct {
	workspaces map[string]string // id → name
	members    []rules.Member
	teams      []rules.TeamAccess
	names      map[string]string // user id → email (or id when not readable)
	unread     string
}

func (p *people) shift(from, to rules.Scope, homeID, ownerID string) rules.Audience {
	a := rules.Shift(from, to, homeID, ownerID, p.workspaces, p.members, p.teams)
	a.Unread = p.unread
	return a
}

// roster is what gatherPeople reads of an organization, once per run (planrun's
// Roster): its workspaces and their memberships, its teams and the members of those
// with a workspace role, and its members (membersErr: the member list's error).
type roster struct {
	workspaces  []api.Workspace
	wsMembers   map[string][]api.WorkspaceMembership
	teams       []api.Team
	teamMembers map[string][]api.TeamMembership
	members     []api.OrganizationMembership
	membersErr  error
}

// readRoster reads the roster of organization orgID through the run's pieces of
// rosters (planrun.Cache.RosterWorkspaces and the others): after a write, only what
// it changed is listed again. The lists are the run's: read, never changed.
func readRoster(ctx context.Context, run *planrun.Run, orgID string) (*roster, error) {
	r := &roster{wsMembers: map[string][]api.WorkspaceMembership{}, teamMembers: map[string][]api.TeamMembership{}}
	var err error
	if r.workspaces, err = run.RosterWorkspaces(ctx, orgID); err != nil {
		return nil, fmt.Errorf("listing the organization's workspaces: %w", err)
	}
	withRole := map[string]bool{}
	for _, w := range r.workspaces {
		ms, err := run.RosterWorkspaceMemberships(ctx, w.ID)
		if err != nil {
			return nil, fmt.Errorf("listing the memberships of workspace %q: %w", w.Name, err)
		}
		r.wsMembers[w.ID] = ms
		for _, m := range ms {
			if m.PrincipalType == client.PrincipalTeam {
				withRole[m.PrincipalID] = true
			}
		}
	}
	if r.teams, err = run.RosterTeams(ctx, orgID); err != nil {
		return nil, fmt.Errorf("listing the organization's teams: %w", err)
	}
	for _, t := range r.teams {
		if !withRole[t.ID] {
			continue // a team without a workspace role gives its members nothing
		}
		tm, err := run.RosterTeamMemberships(ctx, t.ID)
		if err != nil {
			return nil, fmt.Errorf("listing the members of team %q: %w", t.Name, err)
		}
		r.teamMembers[t.ID] = tm
	}
	r.members, r.membersErr = run.RosterMembers(ctx, orgID)
	if r.membersErr != nil && !client.IsNotFound(r.membersErr) && !errors.Is(r.membersErr, client.ErrForbidden) {
		return nil, fmt.Errorf("listing the organization's members: %w", r.membersErr)
	}
	return r, nil
}

// gatherPeople says who holds a role in the organization relative to the home
// workspace, from the organization's roster (read once per run): its workspaces and
// their memberships, its teams and their members, and its members with their
// organization roles and emails. The member list is readable by organization admins
// only: without it, the people with a workspace role are counted by id and
// organization admins are not counted, and the review says so.
func gatherPeople(ctx context.Context, run *planrun.Run, orgID, homeID string) (*people, error) {
	v, err := run.Roster(ctx, orgID, func(ctx context.Context) (any, error) { return readRoster(ctx, run, orgID) })
	if err != nil {
		return nil, err
	}
	r := v.(*roster)
	p := &people{workspaces: map[string]string{}, names: map[string]string{}}
	type access struct {
		home rules.WorkspaceRole
		any  bool
	}
	users, teams := map[string]*access{}, map[string]*access{}
	at := func(m map[string]*access, id string) *access {
		if m[id] == nil {
			m[id] = &access{}
		}
		return m[id]
	}
	for _, w := range r.workspaces {
		p.workspaces[w.ID] = w.Name
		for _, m := range r.wsMembers[w.ID] {
			a := at(users, m.PrincipalID)
			if m.PrincipalType == client.PrincipalTeam {
				a = at(teams, m.PrincipalID)
			}
			a.any = true
			if w.ID == homeID {
				a.home = rules.WorkspaceRole(m.Role)
			}
		}
	}
	for _, t := range r.teams {
		ta := at(teams, t.ID)
		p.teams = append(p.teams, rules.TeamAccess{Name: t.Name, HomeRole: ta.home, InAnyWorkspace: ta.any})
		if !ta.any {
			continue // a team without a workspace role gives its members nothing
		}
		for _, m := range r.teamMembers[t.ID] {
			ua := at(users, m.UserID)
			ua.any = true
			ua.home = rules.EffectiveWorkspaceRole(rules.OrgRoleNone, ua.home, ta.home)
		}
	}
	orgRoles := map[string]rules.OrgRole{}
	if r.membersErr != nil { // not found or forbidden (readRoster)
		p.unread = "the organization's member list, readable by organization admins only: people are named by id, organization admins are not counted"
	} else {
		for _, m := range r.members {
			p.names[m.UserID] = m.Email
			orgRoles[m.UserID] = rules.OrgRole(m.Role)
			at(users, m.UserID)
		}
	}
	for id, a := range users {
		name := p.names[id]
		if name == "" {
			name = id
		}
		p.members = append(p.members, rules.Member{Name: name, Actor: rules.Actor{UserID: id, OrgRole: orgRoles[id], WorkspaceRole: a.home, InAnyWorkspace: a.any}})
	}
	return p, nil
}

// scopeChangeWarning is the plan's warning on scope for the change the facts
// describe; ok is false when the scope does not change.
func scopeChangeWarning(f rules.ScopeChangeFacts) (d diag.Diagnostic, ok bool) {
	summary, detail, ok := rules.DescribeScopeChange(f)
	if !ok {
		return nil, false
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("scope"), summary, detail), true
}

// reviewScopeChange adds the review of a scope change to diags. A failed look-up does
// not block the plan (the change itself is allowed): it becomes a warning that the
// review is incomplete.
func reviewScopeChange(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Run, ch scopeChange) {
	f, err := scopeChangeFacts(ctx, c, run, ch)
	if err != nil {
		diags.AddAttributeWarning(path.Root("scope"), "Scope change not reviewed",
			fmt.Sprintf("The scope of credential %q changes from %s to %s, in place, but the provider could not say who loses or gains it: %s",
				ch.CredentialName, ch.From, ch.To, err))
		return
	}
	if d, ok := scopeChangeWarning(f); ok {
		diags.Append(d)
	}
}

// reviewDeletion adds the review of destroying a credential that workflows used
// recently (rules.DescribeCredentialDeletion): who loses it. A credential nobody
// used, or a look-up that fails, says nothing (the deletion itself is allowed).
func reviewDeletion(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Run, m credentialModel) {
	usage, err := recentUsage(ctx, c, m.ID.ValueString())
	if err != nil || len(usage) == 0 {
		return
	}
	f := rules.DeletionFacts{CredentialName: m.Name.ValueString(), Scope: rules.Scope(m.Scope.ValueString()),
		RecentUsage: usage, UsageWindow: fmt.Sprintf("%d days", scopeReviewDays)}
	wsID := m.WorkspaceID.ValueString()
	if ws, err := run.Workspace(ctx, wsID); err == nil {
		f.HomeWorkspaceName = ws.Name
		if p, err := gatherPeople(ctx, run, ws.OrganizationID, wsID); err == nil {
			f.Losing = p.shift(f.Scope, "", wsID, m.OwnerID.ValueString())
		}
	}
	if summary, detail, ok := rules.DescribeCredentialDeletion(f); ok {
		diags.AddAttributeWarning(path.Root("id"), summary, detail)
	}
}
