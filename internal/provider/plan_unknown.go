package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The third tier of plan-time validation (PLATFORM.md, "Unknown"): an id not known
// until apply is decided by the objects this run plans (planrun's ledger, planned.go),
// each candidate judged by the same functions of package rules the server calls, and
// framework.DecideUnknown says an error, nothing or one warning.

// decideInOrganization decides a rule for an organization id that is not known until
// apply: verdict judges one organization the id may name (a new one, whose creator,
// the token, is its admin; or, asked only when every candidate breaks the rule, an
// existing one the token can see).
func decideInOrganization(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, at path.Path, rule string, verdict func(planrun.OrgCandidate) framework.Verdict) {
	orgs, err := run.OrganizationCandidates(ctx, "")
	if err != nil {
		framework.AddLookupError(diags, at, "the organizations planned in this run", err)
		return
	}
	u := framework.Unknown{At: at, Rule: rule}
	for _, o := range orgs {
		u.Verdicts = append(u.Verdicts, verdict(o))
	}
	decideWithExisting(ctx, run, diags, u, verdict)
}

// decideWithExisting decides u, where an object not planned in this run may pass the
// rule if one of the existing organizations the token can see passes existing.
func decideWithExisting(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, u framework.Unknown, existing func(planrun.OrgCandidate) framework.Verdict) {
	u.MayPassElsewhere = func() bool {
		visible, err := run.VisibleOrganizations(ctx)
		if err != nil {
			return true // not known: the warning, never a false error
		}
		for _, o := range visible {
			if existing(o).Violation == nil {
				return true
			}
		}
		return false
	}
	framework.DecideUnknown(diags, u)
}

// containerCandidates is what a workspace or team id names at apply: the object when
// the id is known, else those this run creates. A failed look-up is an error on at.
func containerCandidates(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, at path.Path, kind planrun.Kind, id types.String) ([]planrun.Container, bool) {
	if id.IsNull() {
		return nil, false
	}
	cands, err := run.ContainerCandidates(ctx, kind, id.ValueString())
	if err != nil {
		framework.AddLookupError(diags, at, fmt.Sprintf("%s %s", kind, id.ValueString()), err)
		return nil, false
	}
	return cands, true
}

// decideInContainer decides a rule for a workspace or team id that is not known until
// apply (kind), by the objects of that kind this run creates. An existing one the
// token can see may pass when the token is its organization's admin, or may hold a
// role in one of its workspaces (best case: owner).
func decideInContainer(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, at path.Path, kind planrun.Kind, rule string, verdict func(planrun.Container) framework.Verdict) {
	cands, ok := containerCandidates(ctx, run, diags, at, kind, types.StringUnknown())
	if !ok {
		return
	}
	u := framework.Unknown{At: at, Rule: rule}
	for _, c := range cands {
		u.Verdicts = append(u.Verdicts, verdict(c))
	}
	decideWithExisting(ctx, run, diags, u, func(o planrun.OrgCandidate) framework.Verdict {
		if o.Actor.InAnyWorkspace {
			o.Actor.WorkspaceRole = rules.WorkspaceRoleOwner
		}
		return verdict(planrun.Container{ID: "existing", Name: "an existing " + string(kind), Org: o})
	})
}

// plannedOrgWords names an organization in a verdict that depends on it.
func plannedOrgWords(o planrun.OrgCandidate) string {
	if o.New {
		return fmt.Sprintf("organization %q planned in this run", o.Name)
	}
	return fmt.Sprintf("organization %q", o.Name)
}

// ssoVerdict is rule 7 then rule 6 for an organization membership change in o.
func ssoVerdict(o planrun.OrgCandidate) framework.Verdict {
	if o.SSOEnabled == nil {
		return framework.Verdict{DependsOn: "the sso_enabled of " + plannedOrgWords(o)}
	}
	if v := rules.CheckSSO(o.Name, *o.SSOEnabled); v != nil {
		return framework.Verdict{Violation: v}
	}
	return framework.Verdict{Violation: rules.CheckManage(o.Actor, rules.ManageOrganizationMemberships)}
}

// manageVerdict is rule 6 for action in a workspace or team c (a workspace this run
// creates gives the token no role of its own in it).
func manageVerdict(action rules.ManageAction) func(planrun.Container) framework.Verdict {
	return func(c planrun.Container) framework.Verdict {
		return framework.Verdict{Violation: rules.CheckManage(c.Org.Actor, action)}
	}
}

// principalCandidate is a user or team an id may name at apply, with the
// organization it belongs to.
type principalCandidate struct {
	who string
	// invited is the email of a user this run invites ("" for a team): who is then
	// worded only when a refusal names it (words).
	invited string
	org     planrun.OrgCandidate
}

// words names the candidate in a refusal.
func (p principalCandidate) words() string {
	if p.invited != "" {
		return fmt.Sprintf("the user invited as %q", p.invited)
	}
	return p.who
}

// userCandidates are the users an unknown user_id names: those this run invites.
// The organizations are looked up once per organization id: the invitations of one
// plan mostly share one (or the same unknown one), and looking them up per invitation
// made each call cost invitations × planned objects (cubic in N over a plan).
func userCandidates(ctx context.Context, run *planrun.Run) ([]principalCandidate, error) {
	var out []principalCandidate
	byOrg := map[string][]planrun.OrgCandidate{}
	for _, m := range run.PlannedNew(planrun.KindOrganizationMembership) {
		orgs, seen := byOrg[m.OrganizationID]
		if !seen {
			var err error
			if orgs, err = run.OrganizationCandidates(ctx, m.OrganizationID); err != nil {
				return nil, err
			}
			byOrg[m.OrganizationID] = orgs
		}
		for _, o := range orgs {
			out = append(out, principalCandidate{invited: m.Name, org: o})
		}
	}
	return out, nil
}

// decidePrincipalInOrganization decides, for a workspace or team membership, that its
// user (team: its team) belongs to the container's organization, when one of the ids
// is not known until apply: containers are what the workspace or team id names,
// principal the user or team id (isTeam); containerAt names the container's id
// attribute. Only organizations are compared: an organization planned in this run is
// the same as another candidate only if it is the same ledger entry.
func decidePrincipalInOrganization(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, containerAt string, containers []planrun.Container, principal types.String, isTeam bool) {
	if len(containers) == 0 {
		return // the workspace or team is from elsewhere: its own warning says so
	}
	at, rule := path.Root("user_id"), "the user is a member of the organization"
	if isTeam {
		at, rule = path.Root("team_id"), "the team belongs to the organization"
	}
	var cands []principalCandidate
	switch {
	case !principal.IsUnknown() && isTeam:
		teams, ok := containerCandidates(ctx, run, diags, at, planrun.KindTeam, principal)
		if !ok {
			return
		}
		for _, t := range teams {
			cands = append(cands, principalCandidate{who: fmt.Sprintf("%q", t.Name), org: t.Org})
		}
	case isTeam:
		teams, ok := containerCandidates(ctx, run, diags, at, planrun.KindTeam, types.StringUnknown())
		if !ok {
			return
		}
		for _, t := range teams {
			cands = append(cands, principalCandidate{who: fmt.Sprintf("%q (planned in this run)", t.Name), org: t.Org})
		}
	case principal.IsUnknown():
		var err error
		if cands, err = userCandidates(ctx, run); err != nil {
			framework.AddLookupError(diags, at, "the organization memberships planned in this run", err)
			return
		}
	}
	// The verdicts depend on the container's organization only: the containers are
	// judged once per organization (Verdict.Times), not once each, and a candidate
	// that passes is counted, not worded. Judging every pair made a plan whose
	// workspace memberships name new workspaces and new users cost workspaces ×
	// invitations per membership, cubic in N over a plan.
	u := framework.Unknown{At: at, Rule: rule, What: unknownWords(containerAt, containers, principal, at)}
	for _, g := range groupByOrganization(containers) {
		c := g.first
		if !principal.IsUnknown() && !isTeam {
			// A known user in an organization this run creates: its creator (the
			// token's user) is a member; anyone else is, if this run invites them.
			switch {
			case !c.Org.New:
				member, err := run.IsOrganizationMember(ctx, c.Org.ID, principal.ValueString())
				if err != nil {
					framework.AddLookupError(diags, at, "the members of organization "+c.Org.ID, err)
					return
				}
				u.Verdicts = append(u.Verdicts, framework.Verdict{Violation: rules.CheckPrincipalInOrganization(c.Org.Name, principal.ValueString(), member), Times: g.n})
			case isMe(ctx, run, principal.ValueString()):
				u.Verdicts = append(u.Verdicts, framework.Verdict{Times: g.n})
			default:
				u.Verdicts = append(u.Verdicts, framework.Verdict{DependsOn: fmt.Sprintf("whether user %s is invited to %s", principal.ValueString(), plannedOrgWords(c.Org)), Times: g.n})
			}
			continue
		}
		passed := 0
		for _, p := range cands {
			same := c.Org.Same(p.org)
			who := ""
			if !same {
				who = p.words()
			}
			var v *rules.Violation
			if isTeam {
				v = rules.CheckTeamInOrganization(c.Org.Name, who, same)
			} else {
				v = rules.CheckPrincipalInOrganization(c.Org.Name, who, same)
			}
			if v == nil {
				passed++
				continue
			}
			u.Verdicts = append(u.Verdicts, framework.Verdict{Violation: v, Times: g.n})
		}
		if passed > 0 {
			u.Verdicts = append(u.Verdicts, framework.Verdict{Times: passed * g.n})
		}
	}
	// An id from elsewhere (a data source read at apply) may name an existing user who
	// is a member of the organization, or an existing team of an existing organization.
	u.MayPassElsewhere = func() bool {
		if !isTeam {
			return true
		}
		for _, c := range containers {
			if !c.Org.New {
				return true
			}
		}
		return false
	}
	framework.DecideUnknown(diags, u)
}

// orgGroup is the containers of one organization (OrgCandidate.Same): the first one
// and how many.
type orgGroup struct {
	first planrun.Container
	n     int
}

// groupByOrganization groups containers by organization, in the order each
// organization first appears.
func groupByOrganization(containers []planrun.Container) []orgGroup {
	var out []orgGroup
next:
	for _, c := range containers {
		for i := range out {
			if out[i].first.Org.Same(c.Org) {
				out[i].n++
				continue next
			}
		}
		out = append(out, orgGroup{first: c, n: 1})
	}
	return out
}

// checkCreateIn checks the token's right to create a workspace or team (action) in the
// organization orgID: looked up when known, decided by the organizations this run
// creates when not.
func checkCreateIn(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, r *framework.ResourceWithConfigure, action rules.ManageAction, orgID types.String) {
	at := path.Root("organization_id")
	switch {
	case orgID.IsUnknown():
		decideInOrganization(ctx, run, diags, at, fmt.Sprintf("the token may %s in the organization", action),
			func(o planrun.OrgCandidate) framework.Verdict {
				return framework.Verdict{Violation: rules.CheckManage(o.Actor, action)}
			})
	case !orgID.IsNull():
		r.CheckManage(ctx, diags, action, orgID.ValueString(), "", at)
	}
}

// recordPlanned adds a workspace, team or organization membership this run creates or
// replaces to the run's ledger (name: its name, or a membership's email).
func recordPlanned(run *planrun.Run, kind planrun.Kind, name, orgID types.String) {
	run.RecordPlanned(planrun.Planned{Kind: kind, Name: knownString(name), OrganizationID: knownString(orgID)})
}

// knownString is a known string's value; "" when null or unknown.
func knownString(v types.String) string {
	if v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

// isMe reports whether userID is the token's user (false when that cannot be read).
func isMe(ctx context.Context, run *planrun.Run, userID string) bool {
	me, err := run.Me(ctx)
	return err == nil && me.ID == userID
}

// unknownWords names the ids of a principal decision that are not known until apply:
// the workspace or team (a container this run creates), the principal, or both.
func unknownWords(containerAt string, containers []planrun.Container, principal types.String, at path.Path) string {
	var words []string
	if containers[0].ID == "" {
		words = append(words, containerAt)
	}
	if principal.IsUnknown() {
		words = append(words, at.String())
	}
	return strings.Join(words, " and ")
}
