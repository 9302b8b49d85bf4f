package planrun

import (
	"context"
	"errors"
	"slices"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The ledger of planned objects: the organizations, workspaces, teams and organization
// memberships this run creates or replaces, as planned, whose id is not known until
// apply. It is what an unknown id names in practice (PLATFORM.md, the "Unknown" tier):
// Terraform plans a resource after everything it references, so when a credential's
// workspace_id is unknown, the flero_workspace it comes from has already been planned
// and recorded here, with its organization, and that organization's plan with it.
//
// An unknown id may also come from elsewhere: a data source read at apply (Terraform
// defers a data source whose configuration is unknown or whose dependencies have
// changes, and then makes no call to the provider at plan time: there is no
// ValidateDataResourceConfig or ReadDataSource to notice in this process, and
// ValidateDataResourceConfig of the validate walk runs in another provider process),
// another provider configuration (another process, another cache), or another
// provider's resource. No signal tells those apart from the objects recorded here, so
// a verdict that every candidate breaks a rule is an error only when no existing
// object the token can see could pass either (MayPassElsewhere); an id that names an
// object the token cannot see fails at apply anyway (not found).

// Kind is the type of a planned object.
type Kind string

const (
	KindOrganization           Kind = "organization"
	KindWorkspace              Kind = "workspace"
	KindTeam                   Kind = "team"
	KindOrganizationMembership Kind = "organization membership"
)

// Planned is an object this run creates or replaces, as planned: its id is not known
// until apply.
type Planned struct {
	Kind Kind
	// Name is the planned name (an organization membership's email); "" when unknown.
	Name string
	// OrganizationID is the organization of a workspace, team or organization
	// membership; "" when not known until apply (then it is one of the organizations
	// planned with an unknown id, or one from elsewhere).
	OrganizationID string
	// Plan is an organization's planned plan; "" when unknown until apply.
	Plan string
	// SSOEnabled is an organization's planned SSO setting; nil when unknown.
	SSOEnabled *bool
}

// plannedKey is what makes two planned objects of a known name the same.
type plannedKey struct {
	kind        Kind
	name, orgID string
}

// RecordPlanned adds an object this run creates or replaces to the ledger. Terraform
// may plan the same instance more than once (a replacement is planned again as a
// create): an object with the same kind, name and organization as one recorded
// replaces it. An object whose name is unknown is always added. It takes constant
// time, whatever the ledger holds (an index by kind, name and organization).
func (l *Ledger) RecordPlanned(p Planned) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p.Name != "" {
		k := plannedKey{p.Kind, p.Name, p.OrganizationID}
		if i, ok := l.plannedAt[k]; ok {
			l.planned[p.Kind][i] = p
			return
		}
		l.plannedAt[k] = len(l.planned[p.Kind])
	}
	l.planned[p.Kind] = append(l.planned[p.Kind], p)
}

// PlannedNew is the ledger's objects of a kind, in the order they were recorded: the
// candidates for an unknown id of that kind. It costs the objects of that kind (a
// copy, the caller's own), not the whole ledger.
func (l *Ledger) PlannedNew(kind Kind) []Planned {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.planned[kind])
}

// OrgCandidate is an organization an id may name at apply, as it will be after this
// apply, with the token's role in it.
type OrgCandidate struct {
	// ID is the organization's id; "" for an organization this run creates.
	ID   string
	Name string
	// Plan is its plan after this apply; "" when not known until apply.
	Plan rules.Plan
	// SSOEnabled is its SSO setting after this apply; nil when not known until apply.
	SSOEnabled *bool
	// Actor is the token in the organization: the creator of a new organization is
	// its admin (the server makes it so).
	Actor rules.Actor
	// New: the organization is created by this run (Planned).
	New bool
	// planned is the ledger entry of a new organization, its index among the
	// organizations planned (its identity for Same).
	planned int
}

// Same reports whether two candidates are the same organization.
func (o OrgCandidate) Same(p OrgCandidate) bool {
	if o.New || p.New {
		return o.New && p.New && o.planned == p.planned
	}
	return o.ID == p.ID
}

// OrganizationCandidates is what an organization id names at apply: the organization
// itself when the id is known (as it will be after this apply), else every
// organization this run creates (none: the id may only come from elsewhere). The
// token's role is read once per run for a known organization.
func (r *Run) OrganizationCandidates(ctx context.Context, orgID string) ([]OrgCandidate, error) {
	if orgID != "" {
		org, unknownPlan, err := r.OrganizationAfterApply(ctx, orgID)
		if err != nil {
			return nil, err
		}
		actor, err := r.Actor(ctx, orgID, "")
		if err != nil {
			return nil, err
		}
		out := OrgCandidate{ID: org.ID, Name: org.Name, Plan: rules.Plan(org.Plan), Actor: actor}
		sso := org.SSOEnabled
		out.SSOEnabled = &sso
		if unknownPlan {
			out.Plan = ""
		}
		if p, ok := r.PlannedOrganization(orgID); ok && p.SSOEnabled == nil {
			out.SSOEnabled = nil
		}
		return []OrgCandidate{out}, nil
	}
	out := r.Ledger.newOrganizations()
	if len(out) == 0 {
		return nil, nil
	}
	me, err := r.Me(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Actor = rules.Actor{UserID: me.ID, OrgRole: rules.OrgRoleAdmin}
	}
	return out, nil
}

// newOrganizations is the organizations this run creates, as candidates without
// their actor.
func (l *Ledger) newOrganizations() []OrgCandidate {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []OrgCandidate
	for i, p := range l.planned[KindOrganization] {
		out = append(out, OrgCandidate{Name: p.Name, Plan: rules.Plan(p.Plan), SSOEnabled: p.SSOEnabled, New: true, planned: i})
	}
	return out
}

// Container is a workspace or team an id may name at apply, with its organization.
type Container struct {
	// ID is its id; "" for one this run creates.
	ID   string
	Name string
	Org  OrgCandidate
}

// ContainerCandidates is what a workspace or team id (kind) names at apply: the
// object itself when the id is known (with its organization), else every object of
// that kind this run creates, once per organization it may be in (none: the id may
// only come from elsewhere).
func (r *Run) ContainerCandidates(ctx context.Context, kind Kind, id string) ([]Container, error) {
	if id != "" {
		var orgID, name string
		switch kind {
		case KindWorkspace:
			ws, err := r.Workspace(ctx, id)
			if err != nil {
				return nil, err
			}
			orgID, name = ws.OrganizationID, ws.Name
		case KindTeam:
			t, err := r.Team(ctx, id)
			if err != nil {
				return nil, err
			}
			orgID, name = t.OrganizationID, t.Name
		default:
			return nil, errors.New("planrun: no container of kind " + string(kind))
		}
		orgs, err := r.OrganizationCandidates(ctx, orgID)
		if err != nil {
			return nil, err
		}
		return []Container{{ID: id, Name: name, Org: orgs[0]}}, nil
	}
	// The organizations are looked up once per organization id: the objects planned
	// mostly share one.
	var out []Container
	byOrg := map[string][]OrgCandidate{}
	for _, p := range r.PlannedNew(kind) {
		orgs, seen := byOrg[p.OrganizationID]
		if !seen {
			var err error
			if orgs, err = r.OrganizationCandidates(ctx, p.OrganizationID); err != nil {
				return nil, err
			}
			byOrg[p.OrganizationID] = orgs
		}
		for _, o := range orgs {
			out = append(out, Container{Name: p.Name, Org: o})
		}
	}
	return out, nil
}

// VisibleOrganizations is every existing organization the token can see, as it will be
// after this apply, with the token's role in each (read once per run): the
// organizations an unknown id may name when it comes from elsewhere.
func (r *Run) VisibleOrganizations(ctx context.Context) ([]OrgCandidate, error) {
	orgs, err := r.Cache.visibleOrganizations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OrgCandidate, 0, len(orgs))
	for _, o := range orgs {
		cands, err := r.OrganizationCandidates(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, cands...)
	}
	return out, nil
}

// visibleOrganizations is every organization the token can see, listed once per run.
func (c *Cache) visibleOrganizations(ctx context.Context) ([]api.Organization, error) {
	if c.f.ListOrganizations == nil {
		return nil, errors.New("planrun: no list of organizations")
	}
	return c.visibleOrgs.get(ctx, struct{}{}, c.f.ListOrganizations)
}

// The last admin and the organization's own deletion. An organization always keeps an
// admin (rules.CheckLastAdmin), and deleting the organization deletes its memberships.
// When a run destroys an organization and the membership of its last admin, Terraform
// plans and applies the membership's destroy first (a destroy of what depends on the
// organization comes before the organization's), so the membership's plan cannot
// know yet whether the organization goes too. It asks LeaveToOrganizationDelete: when
// the organization's fate is not known yet, the membership is recorded as left to the
// organization's deletion, and the organization's plan, planned after it, settles it
// (RecordOrganizationFate): deleted, nothing to say; kept, an error on the
// organization that names the membership.

// LeaveToOrganizationDelete asks whether the destroy of the membership of email, the
// last admin of organization orgID, may be left to the organization's deletion: yes
// when this run deletes the organization (its plan came first); no when this run keeps
// it; when the organization's plan has not come yet, yes if mayWait (the membership is
// recorded, and the organization's plan settles it), no otherwise.
func (l *Ledger) LeaveToOrganizationDelete(orgID, email string, mayWait bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if deleted, known := l.orgFates[orgID]; known {
		return deleted
	}
	if !mayWait {
		return false
	}
	if l.leftToOrg == nil {
		l.leftToOrg = map[string][]string{}
	}
	l.leftToOrg[orgID] = append(l.leftToOrg[orgID], email)
	return true
}

// RecordOrganizationFate records whether this run deletes the organization and returns
// the emails of the last admins whose membership's destroy was left to that deletion
// before (LeaveToOrganizationDelete), sorted: when the organization is kept, the plan
// must refuse them.
func (l *Ledger) RecordOrganizationFate(orgID string, deleted bool) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.orgFates == nil {
		l.orgFates = map[string]bool{}
	}
	l.orgFates[orgID] = deleted
	left := slices.Clone(l.leftToOrg[orgID])
	slices.Sort(left)
	return left
}
