package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Reviews: the words of a plan's warning on a change that takes or gives access to a
// credential (a change of scope, a credential's deletion, a user leaving an
// organization). They say who is affected: the workflows that used it recently, the
// workspaces, teams and people that lose or gain it (counts and the first names), its
// owner. The provider gathers the facts; who is affected is decided here, with the
// rules the server enforces (UsableIn, CanSeeCredential), and the text is short
// enough for one screen: lists stop after a few names and give a count instead.

// reviewNames is how many names a review lists before "and N more".
const reviewNames = 5

// reviewUsageLines is how many workflows a review lists before a count.
const reviewUsageLines = 8

// Usage is one workflow's recent use of a credential, as recorded by the platform.
type Usage struct {
	WorkspaceID   string
	WorkspaceName string
	Workflow      string
	UserID        string // who ran it
	Uses          int
}

// KeepsUse reports whether a workflow's use keeps working once the credential has scope
// to: whether the server would still record it (CheckCredentialUse). The use was
// recorded, so its user works in its workspace (rule 12: a role there, viewer at
// least); what can change is where the credential may be used (UsableIn) and who sees
// it (a personal credential: its owner only).
func KeepsUse(u Usage, to Scope, homeWorkspaceID, ownerID string) bool {
	user := Actor{UserID: u.UserID, WorkspaceRole: WorkspaceRoleViewer}
	c := Credential{Scope: to, OwnerID: ownerID, WorkspaceID: homeWorkspaceID}
	return CheckCredentialUse(user, c, u.WorkspaceID, true) == nil
}

// Member is a person of the organization as a review counts them: their access to
// the credential's home workspace (Actor: organization role, role in the home
// workspace directly or through a team, whether they are in any workspace).
type Member struct {
	Name  string // email or name, as shown
	Actor Actor
}

// TeamAccess is a team as a review counts it: its role in the home workspace and
// whether it has a role in any workspace of the organization.
type TeamAccess struct {
	Name           string
	HomeRole       WorkspaceRole
	InAnyWorkspace bool
}

// Audience is who a change concerns: workspaces, teams and people, by name.
type Audience struct {
	Workspaces []string
	Teams      []string
	People     []string
	// Unread says what could not be read (the review says it is not counted); "" when
	// every fact was read.
	Unread string
}

// Shift is who moves across a change of a credential's scope from one scope to
// another: the members and teams that see it before and not after (narrowing), or
// after and not before (widening), by CanSeeCredential; and the workspaces where it
// can be used before and not after, or after and not before, by UsableIn. to ""
// means the credential is deleted: everyone who sees it now, and every workspace where
// it can be used now. workspaces maps the organization's workspaces' ids to their
// names.
func Shift(from, to Scope, homeWorkspaceID, ownerID string, workspaces map[string]string, members []Member, teams []TeamAccess) Audience {
	var a Audience
	for id, name := range workspaces {
		if UsableIn(from, homeWorkspaceID, id, true) != (to != "" && UsableIn(to, homeWorkspaceID, id, true)) {
			a.Workspaces = append(a.Workspaces, name)
		}
	}
	before, after := Credential{Scope: from, OwnerID: ownerID}, Credential{Scope: to, OwnerID: ownerID}
	sees := func(actor Actor, c Credential) bool { return c.Scope != "" && CanSeeCredential(actor, c) }
	for _, m := range members {
		if sees(m.Actor, before) != sees(m.Actor, after) {
			a.People = append(a.People, m.Name)
		}
	}
	for _, t := range teams {
		actor := Actor{WorkspaceRole: t.HomeRole, InAnyWorkspace: t.InAnyWorkspace}
		if sees(actor, before) != sees(actor, after) {
			a.Teams = append(a.Teams, t.Name)
		}
	}
	sort.Strings(a.Workspaces)
	sort.Strings(a.People)
	sort.Strings(a.Teams)
	return a
}

// ScopeChangeFacts is what a scope change's review needs to know.
type ScopeChangeFacts struct {
	CredentialName    string
	From, To          Scope
	HomeWorkspaceID   string
	HomeWorkspaceName string
	OwnerID           string
	// OwnerName is the owner as shown (email); "" when not known (the id is shown).
	OwnerName string
	// RecentUsage is the credential's recent usage (any order).
	RecentUsage []Usage
	// UsageWindow is how far back RecentUsage reaches, in words ("30 days").
	UsageWindow string
	// Shift is who loses (narrowing) or gains (widening) access.
	Shift Audience
}

// LosingUsage returns the recent usage that loses access to the credential when its
// scope narrows (KeepsUse), sorted by workspace and workflow.
func LosingUsage(f ScopeChangeFacts) []Usage {
	var out []Usage
	for _, u := range f.RecentUsage {
		if !KeepsUse(u, f.To, f.HomeWorkspaceID, f.OwnerID) {
			out = append(out, u)
		}
	}
	sortUsage(out)
	return out
}

// DescribeScopeChange returns the review of a scope change: a one-line summary and a
// detail that says who gains or loses access. ok is false when the scope does not change.
func DescribeScopeChange(f ScopeChangeFacts) (summary, detail string, ok bool) {
	owner := f.OwnerName
	if owner == "" {
		owner = "user " + f.OwnerID
	}
	var b strings.Builder
	switch ClassifyScopeChange(f.From, f.To) {
	case ScopeNarrowing:
		summary = fmt.Sprintf("Narrowing credential %q from %s to %s scope", f.CredentialName, f.From, f.To)
		fmt.Fprintf(&b, "Changing the scope from %s to %s is applied in place (the credential keeps its id). ", f.From, f.To)
		switch f.To {
		case ScopeWorkspace:
			fmt.Fprintf(&b, "Only workflows in workspace %q keep access; workflows in every other workspace lose it immediately.", f.HomeWorkspaceName)
		case ScopePersonal:
			fmt.Fprintf(&b, "Only its owner, %s, keeps access, and only in workspace %q: every other workflow loses it immediately, "+
				"including the owner's own workflows in other workspaces.", owner, f.HomeWorkspaceName)
		}
		b.WriteString("\n\n")
		writeLosingUsage(&b, LosingUsage(f), f.UsageWindow)
		b.WriteString("\n\n")
		writeAudience(&b, "Who loses access", f.Shift)
		return summary, b.String(), true
	case ScopeWidening:
		summary = fmt.Sprintf("Widening credential %q from %s to %s scope", f.CredentialName, f.From, f.To)
		fmt.Fprintf(&b, "Changing the scope from %s to %s is applied in place (the credential keeps its id) and nobody loses access. ", f.From, f.To)
		switch f.To {
		case ScopeOrganization:
			fmt.Fprintf(&b, "The credential crosses workspace boundaries: it becomes usable in %s of the organization, besides workspace %q.",
				Count(len(f.Shift.Workspaces), "other workspace", "other workspaces"), f.HomeWorkspaceName)
		case ScopeWorkspace:
			fmt.Fprintf(&b, "Every member of workspace %q gains it, not only its owner, %s.", f.HomeWorkspaceName, owner)
		}
		b.WriteString("\n\n")
		writeAudience(&b, "Who gains access", f.Shift)
		return summary, b.String(), true
	}
	return "", "", false
}

// DeletionFacts is what the review of a credential's deletion needs to know.
type DeletionFacts struct {
	CredentialName    string
	Scope             Scope
	HomeWorkspaceName string
	RecentUsage       []Usage
	UsageWindow       string
	// Losing is who loses access: everyone who sees it now.
	Losing Audience
}

// DescribeCredentialDeletion returns the review of deleting a credential that
// workflows used recently (ok is false when none did: nothing to review).
func DescribeCredentialDeletion(f DeletionFacts) (summary, detail string, ok bool) {
	if len(f.RecentUsage) == 0 {
		return "", "", false
	}
	usage := append([]Usage(nil), f.RecentUsage...)
	sortUsage(usage)
	summary = fmt.Sprintf("Destroying credential %q, which workflows used in the last %s", f.CredentialName, window(f.UsageWindow))
	var b strings.Builder
	fmt.Fprintf(&b, "Credential %q (%s scope, workspace %q) is deleted for good: workflows that use it fail from then on.\n\n",
		f.CredentialName, f.Scope, f.HomeWorkspaceName)
	writeLosingUsage(&b, usage, f.UsageWindow)
	b.WriteString("\n\n")
	writeAudience(&b, "Who loses access", f.Losing)
	return summary, b.String(), true
}

// PersonalCredential is a personal credential a user owns, as a review names it.
type PersonalCredential struct {
	Name          string // "" when not known to the token (only its owner sees it)
	ID            string
	WorkspaceName string
}

// DescribeMembershipRemoval returns the review of removing a user's organization
// membership (rule 8): the personal credentials it deactivates, by name when the
// token may see them. ok is false when the user owns none there.
func DescribeMembershipRemoval(who, orgName string, creds []PersonalCredential) (summary, detail string, ok bool) {
	if len(creds) == 0 {
		return "", "", false
	}
	sorted := append([]PersonalCredential(nil), creds...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Name != sorted[j].Name {
			return sorted[i].Name < sorted[j].Name
		}
		return sorted[i].ID < sorted[j].ID
	})
	summary = fmt.Sprintf("Removing %s from organization %q deactivates %s", who, orgName,
		Count(len(creds), "personal credential", "personal credentials"))
	var b strings.Builder
	fmt.Fprintf(&b, "Leaving an organization deactivates the personal credentials the user owns in it (status inactive; they are not deleted), "+
		"so the workflows that use them stop working. %s owns:", who)
	hidden := 0
	for i, c := range sorted {
		if i == reviewUsageLines {
			fmt.Fprintf(&b, "\n  … and %d more", len(sorted)-i)
			break
		}
		switch {
		case c.Name == "":
			hidden++
			fmt.Fprintf(&b, "\n  - %s", c.ID)
		case c.WorkspaceName != "":
			fmt.Fprintf(&b, "\n  - %q in workspace %q (%s)", c.Name, c.WorkspaceName, c.ID)
		default:
			fmt.Fprintf(&b, "\n  - %q (%s)", c.Name, c.ID)
		}
	}
	if hidden > 0 {
		b.WriteString("\nA personal credential is visible to its owner only, and those listed by id were renamed since the audit log recorded their name.")
	}
	b.WriteString("\nBefore the removal, the owner can move team-critical ones to workspace scope.")
	return summary, b.String(), true
}

// Count is n and the noun in the right number: "1 use", "2 uses", "0 uses".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// NameList quotes the first names and counts the rest: `"a", "b" and 3 more`.
func NameList(names []string, limit int) string {
	shown := names
	if len(shown) > limit {
		shown = shown[:limit]
	}
	q := make([]string, len(shown))
	for i, n := range shown {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch {
	case len(names) > limit:
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
	case len(q) > 1:
		return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
	}
	return strings.Join(q, "")
}

func window(w string) string {
	if w == "" {
		return "recent history"
	}
	return w
}

func sortUsage(us []Usage) {
	sort.Slice(us, func(i, j int) bool {
		if us[i].WorkspaceName != us[j].WorkspaceName {
			return us[i].WorkspaceName < us[j].WorkspaceName
		}
		return us[i].Workflow < us[j].Workflow
	})
}

// writeLosingUsage lists the workflows that lose access (sorted), up to
// reviewUsageLines, then a count.
func writeLosingUsage(b *strings.Builder, losing []Usage, usageWindow string) {
	w := window(usageWindow)
	if len(losing) == 0 {
		fmt.Fprintf(b, "No workflow that loses access used it in the last %s.", w)
		return
	}
	total := 0
	for _, u := range losing {
		total += u.Uses
	}
	fmt.Fprintf(b, "Used in the last %s by %s that will lose access (%s):", w,
		Count(len(losing), "workflow", "workflows"), Count(total, "use", "uses"))
	for i, u := range losing {
		if i == reviewUsageLines {
			rest := 0
			for _, r := range losing[i:] {
				rest += r.Uses
			}
			fmt.Fprintf(b, "\n  … and %s (%s)", Count(len(losing)-i, "more workflow", "more workflows"), Count(rest, "use", "uses"))
			break
		}
		ws := u.WorkspaceName
		if ws == "" {
			ws = u.WorkspaceID
		}
		fmt.Fprintf(b, "\n  - workspace %q, workflow %q: %s", ws, u.Workflow, Count(u.Uses, "use", "uses"))
	}
}

// writeAudience writes one line: who (loses or gains access), by counts and first names.
func writeAudience(b *strings.Builder, label string, a Audience) {
	var parts []string
	if len(a.Workspaces) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", Count(len(a.Workspaces), "workspace", "workspaces"), NameList(a.Workspaces, reviewNames)))
	}
	if len(a.Teams) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", Count(len(a.Teams), "team", "teams"), NameList(a.Teams, reviewNames)))
	}
	if len(a.People) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", Count(len(a.People), "person", "people"), NameList(a.People, reviewNames)))
	}
	switch len(parts) {
	case 0:
		fmt.Fprintf(b, "%s: no workspace, team or person.", label)
	case 1:
		fmt.Fprintf(b, "%s: %s.", label, parts[0])
	default:
		fmt.Fprintf(b, "%s: %s and %s.", label, strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
	}
	if a.Unread != "" {
		fmt.Fprintf(b, " (Not counted: %s.)", a.Unread)
	}
}
