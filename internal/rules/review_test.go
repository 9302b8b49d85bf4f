package rules

import (
	"strings"
	"testing"
)

func TestCountAndNameList(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Count(0, "use", "uses"), "0 uses"},
		{Count(1, "use", "uses"), "1 use"},
		{Count(2, "use", "uses"), "2 uses"},
		{Count(1, "person", "people"), "1 person"},
		{NameList([]string{"a"}, 3), `"a"`},
		{NameList([]string{"a", "b"}, 3), `"a" and "b"`},
		{NameList([]string{"a", "b", "c"}, 3), `"a", "b" and "c"`},
		{NameList([]string{"a", "b", "c", "d", "e"}, 3), `"a", "b", "c" and 2 more`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// The server's rule of where a credential can be used decides which uses survive a
// narrowing: a personal credential keeps only its owner's uses in its home workspace.
func TestKeepsUse(t *testing.T) {
	own := Usage{WorkspaceID: "ws-home", UserID: "u-owner"}
	ownElsewhere := Usage{WorkspaceID: "ws-2", UserID: "u-owner"}
	other := Usage{WorkspaceID: "ws-home", UserID: "u-2"}
	for _, c := range []struct {
		u    Usage
		to   Scope
		want bool
	}{
		{own, ScopePersonal, true}, {ownElsewhere, ScopePersonal, false}, {other, ScopePersonal, false},
		{own, ScopeWorkspace, true}, {ownElsewhere, ScopeWorkspace, false}, {other, ScopeWorkspace, true},
		{ownElsewhere, ScopeOrganization, true},
	} {
		if got := KeepsUse(c.u, c.to, "ws-home", "u-owner"); got != c.want {
			t.Errorf("%+v to %s: keeps %v, want %v", c.u, c.to, got, c.want)
		}
	}
}

// Who moves across a change of scope, by the rules of who sees a credential.
func TestShift(t *testing.T) {
	workspaces := map[string]string{"ws-home": "payments", "ws-2": "growth", "ws-3": "sandbox"}
	members := []Member{
		{Name: "owner@example.com", Actor: Actor{UserID: "u-owner", WorkspaceRole: WorkspaceRoleAdmin, InAnyWorkspace: true}},
		{Name: "home@example.com", Actor: Actor{UserID: "u-home", WorkspaceRole: WorkspaceRoleViewer, InAnyWorkspace: true}},
		{Name: "growth@example.com", Actor: Actor{UserID: "u-growth", InAnyWorkspace: true}},
		{Name: "admin@example.com", Actor: Actor{UserID: "u-admin", OrgRole: OrgRoleAdmin}},
		{Name: "idle@example.com", Actor: Actor{UserID: "u-idle", OrgRole: OrgRoleMember}},
	}
	teams := []TeamAccess{{Name: "payments-team", HomeRole: WorkspaceRoleEditor, InAnyWorkspace: true}, {Name: "growth-team", InAnyWorkspace: true}, {Name: "idle-team"}}

	a := Shift(ScopeOrganization, ScopeWorkspace, "ws-home", "u-owner", workspaces, members, teams)
	if got := strings.Join(a.Workspaces, ","); got != "growth,sandbox" {
		t.Errorf("org→workspace workspaces: %s", got)
	}
	if got := strings.Join(a.People, ","); got != "growth@example.com" {
		t.Errorf("org→workspace people: %s", got)
	}
	if got := strings.Join(a.Teams, ","); got != "growth-team" {
		t.Errorf("org→workspace teams: %s", got)
	}

	a = Shift(ScopeWorkspace, ScopePersonal, "ws-home", "u-owner", workspaces, members, teams)
	if got := strings.Join(a.People, ","); got != "admin@example.com,home@example.com" {
		t.Errorf("workspace→personal people: %s", got)
	}
	if got := strings.Join(a.Teams, ","); got != "payments-team" || len(a.Workspaces) != 0 {
		t.Errorf("workspace→personal teams %v, workspaces %v", a.Teams, a.Workspaces)
	}

	// Widening is the mirror of narrowing.
	a = Shift(ScopeWorkspace, ScopeOrganization, "ws-home", "u-owner", workspaces, members, teams)
	if strings.Join(a.People, ",") != "growth@example.com" || strings.Join(a.Workspaces, ",") != "growth,sandbox" {
		t.Errorf("workspace→org: %+v", a)
	}
}

func TestDescribeScopeChangeNamesWhoIsAffected(t *testing.T) {
	f := ScopeChangeFacts{CredentialName: "stripe", From: ScopeOrganization, To: ScopePersonal, HomeWorkspaceID: "ws-home",
		HomeWorkspaceName: "payments", OwnerID: "u-owner", OwnerName: "owner@example.com", UsageWindow: "30 days",
		RecentUsage: []Usage{
			{WorkspaceID: "ws-2", WorkspaceName: "growth", Workflow: "owners-sync", UserID: "u-owner", Uses: 1},
			{WorkspaceID: "ws-home", WorkspaceName: "payments", Workflow: "checkout", UserID: "u-owner", Uses: 9},
			{WorkspaceID: "ws-home", WorkspaceName: "payments", Workflow: "refunds", UserID: "u-2", Uses: 2},
		},
		Shift: Audience{Workspaces: []string{"growth"}, Teams: []string{"data"},
			People: []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"}},
	}
	_, detail, ok := DescribeScopeChange(f)
	for _, want := range []string{
		`Only its owner, owner@example.com, keeps access, and only in workspace "payments"`,
		`including the owner's own workflows in other workspaces`,
		`Used in the last 30 days by 2 workflows that will lose access (3 uses):`,
		`workspace "growth", workflow "owners-sync": 1 use`,
		`workspace "payments", workflow "refunds": 2 uses`,
		`Who loses access: 1 workspace ("growth"), 1 team ("data") and 6 people ("a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com" and 1 more).`,
	} {
		if !ok || !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, "checkout") {
		t.Errorf("the owner's use in the home workspace keeps access:\n%s", detail)
	}

	// Many losing workflows: the list stops and counts the rest.
	f.To, f.RecentUsage = ScopeWorkspace, nil
	for i := 0; i < 12; i++ {
		f.RecentUsage = append(f.RecentUsage, Usage{WorkspaceID: "ws-2", WorkspaceName: "growth", Workflow: string(rune('a' + i)), Uses: 1})
	}
	_, detail, _ = DescribeScopeChange(f)
	if !strings.Contains(detail, "… and 4 more workflows (4 uses)") || strings.Count(detail, "\n  - ") != reviewUsageLines {
		t.Errorf("the list does not stop at %d lines:\n%s", reviewUsageLines, detail)
	}
	if lines := strings.Count(detail, "\n") + 1; lines > 20 {
		t.Errorf("the review takes %d lines, more than a screen's share:\n%s", lines, detail)
	}

	// Nobody affected, and facts not readable.
	f.From, f.To, f.Shift = ScopePersonal, ScopeWorkspace, Audience{Unread: "the organization's member list (organization admins only)"}
	_, detail, _ = DescribeScopeChange(f)
	if !strings.Contains(detail, "Who gains access: no workspace, team or person. (Not counted: the organization's member list (organization admins only).)") {
		t.Errorf("detail:\n%s", detail)
	}
}

func TestDescribeCredentialDeletion(t *testing.T) {
	f := DeletionFacts{CredentialName: "stripe", Scope: ScopeWorkspace, HomeWorkspaceName: "payments", UsageWindow: "30 days"}
	if _, _, ok := DescribeCredentialDeletion(f); ok {
		t.Fatal("a credential nobody used got a deletion review")
	}
	f.RecentUsage = []Usage{{WorkspaceID: "ws-home", WorkspaceName: "payments", Workflow: "checkout", Uses: 1}}
	f.Losing = Audience{Teams: []string{"ops"}, People: []string{"a@example.com"}}
	summary, detail, ok := DescribeCredentialDeletion(f)
	for _, want := range []string{
		`Used in the last 30 days by 1 workflow that will lose access (1 use):`,
		`workspace "payments", workflow "checkout": 1 use`,
		`Who loses access: 1 team ("ops") and 1 person ("a@example.com").`,
	} {
		if !ok || !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if summary != `Destroying credential "stripe", which workflows used in the last 30 days` {
		t.Errorf("summary %q", summary)
	}
}

func TestDescribeMembershipRemoval(t *testing.T) {
	if _, _, ok := DescribeMembershipRemoval("ann@example.com", "acme", nil); ok {
		t.Fatal("a user without personal credentials got a review")
	}
	summary, detail, ok := DescribeMembershipRemoval("ann@example.com", "acme", []PersonalCredential{
		{Name: "ann-github", ID: "cred_2", WorkspaceName: "payments"},
		{ID: "cred_1"},
	})
	if !ok || summary != `Removing ann@example.com from organization "acme" deactivates 2 personal credentials` {
		t.Errorf("summary %q", summary)
	}
	for _, want := range []string{`- "ann-github" in workspace "payments" (cred_2)`, "- cred_1", "visible to its owner only", "renamed since"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	summary, _, _ = DescribeMembershipRemoval("ann@example.com", "acme", []PersonalCredential{{Name: "x", ID: "cred_1"}})
	if !strings.HasSuffix(summary, "deactivates 1 personal credential") {
		t.Errorf("summary %q", summary)
	}
}
