package rules

import (
	"strings"
	"testing"
)

func TestCheckCredentialUse(t *testing.T) {
	viewer := Actor{UserID: "usr_v", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleViewer, InAnyWorkspace: true}
	noRole := Actor{UserID: "usr_v", OrgRole: OrgRoleMember, InAnyWorkspace: true}
	orgAdmin := Actor{UserID: "usr_a", OrgRole: OrgRoleAdmin}
	ws := Credential{Name: "slack", Scope: ScopeWorkspace, OwnerID: "usr_o"}
	org := Credential{Name: "sso", Scope: ScopeOrganization, OwnerID: "usr_o"}
	personal := Credential{Name: "mine", Scope: ScopePersonal, OwnerID: "usr_v"}
	cases := []struct {
		name         string
		a            Actor
		c            Credential
		exists, home bool
		code         string
		kind         Kind
	}{
		{"viewer at home", viewer, ws, true, true, "", ""},
		{"no role at home", noRole, ws, true, true, CodeCredentialForbidden, KindForbidden},
		{"no such workspace", orgAdmin, org, false, false, CodeCredentialForbidden, KindForbidden},
		{"workspace credential elsewhere", viewer, ws, true, false, CodeInvalidValue, KindInvalid},
		{"organization credential elsewhere, with a role", viewer, org, true, false, "", ""},
		{"organization credential elsewhere, no role", noRole, org, true, false, CodeCredentialForbidden, KindForbidden},
		{"organization admin anywhere", orgAdmin, org, true, false, "", ""},
		{"owner of a personal credential at home", viewer, personal, true, true, "", ""},
		{"someone else's personal credential", orgAdmin, personal, true, true, CodeCredentialForbidden, KindForbidden},
	}
	for _, c := range cases {
		c.c.WorkspaceID = "ws_home"
		wsID := "ws_home"
		if !c.home {
			wsID = "ws_x"
		}
		v := CheckCredentialUse(c.a, c.c, wsID, c.exists)
		switch {
		case c.code == "" && v != nil:
			t.Errorf("%s: refused: %v", c.name, v)
		case c.code != "" && (v == nil || v.Code != c.code || v.Kind != c.kind):
			t.Errorf("%s: %+v, want code %s kind %s", c.name, v, c.code, c.kind)
		}
	}
}

func TestCheckCredentialActive(t *testing.T) {
	if v := CheckCredentialActive("k", CredentialActive); v != nil {
		t.Fatalf("active credential refused: %v", v)
	}
	v := CheckCredentialActive("k", CredentialInactive)
	if v == nil || v.Code != CodeCredentialInactive || v.Kind != KindConflict {
		t.Fatalf("inactive credential: got %+v", v)
	}
}

// The verdict tables of the rules the server and the provider both call (the
// cross-package tests in internal/provider/rules_agreement_test.go drive the server and
// the provider's plan with the same inputs against the same verdicts).

// TestClassifyCredentialUpdate pins what an update of a credential is checked as.
func TestClassifyCredentialUpdate(t *testing.T) {
	for _, c := range []struct {
		u    CredentialUpdate
		want CredentialUpdateActions
	}{
		{CredentialUpdate{}, CredentialUpdateActions{Edit: true}}, // nothing changes: an edit
		{CredentialUpdate{Profile: true}, CredentialUpdateActions{Edit: true}},
		{CredentialUpdate{Data: true}, CredentialUpdateActions{Rotate: true}},
		{CredentialUpdate{Scope: true}, CredentialUpdateActions{Rescope: true}},
		{CredentialUpdate{Profile: true, Data: true}, CredentialUpdateActions{Edit: true, Rotate: true}},
		{CredentialUpdate{Profile: true, Scope: true}, CredentialUpdateActions{Edit: true, Rescope: true}},
		{CredentialUpdate{Data: true, Scope: true}, CredentialUpdateActions{Rotate: true, Rescope: true}},
		{CredentialUpdate{Profile: true, Data: true, Scope: true}, CredentialUpdateActions{Edit: true, Rotate: true, Rescope: true}},
	} {
		if got := ClassifyCredentialUpdate(c.u); got != c.want {
			t.Errorf("ClassifyCredentialUpdate(%+v) = %+v, want %+v", c.u, got, c.want)
		}
	}
}

// TestCreateCredentialThreshold pins the create threshold (rule 5) and that the three
// readers of it (CheckCredentialAction's create, CheckRescope's target scope and
// CreateCredentialRule's words) agree with it for every role and scope.
func TestCreateCredentialThreshold(t *testing.T) {
	want := map[Scope]WorkspaceRole{ScopePersonal: WorkspaceRoleEditor, ScopeWorkspace: WorkspaceRoleAdmin, ScopeOrganization: WorkspaceRoleAdmin}
	roles := []WorkspaceRole{WorkspaceRoleNone, WorkspaceRoleViewer, WorkspaceRoleEditor, WorkspaceRoleAdmin, WorkspaceRoleOwner}
	for _, scope := range []Scope{ScopePersonal, ScopeWorkspace, ScopeOrganization} {
		if got := CreateCredentialRole(scope); got != want[scope] {
			t.Errorf("CreateCredentialRole(%s) = %s, want %s", scope, got, want[scope])
		}
		words := CreateCredentialRule(scope)
		if (want[scope] == WorkspaceRoleEditor) != strings.Contains(words, "editor role or above") {
			t.Errorf("CreateCredentialRule(%s) = %q, not the threshold %s", scope, words, want[scope])
		}
		for _, role := range roles {
			a := Actor{UserID: "usr_a", OrgRole: OrgRoleMember, WorkspaceRole: role}
			allowed := role.AtLeast(want[scope])
			v := CheckCredentialAction(a, ActionCreate, Credential{Name: "c", Scope: scope, OwnerID: "usr_a"})
			if (v == nil) != allowed {
				t.Errorf("create %s as %s: %v, want allowed=%v", scope, role, v, allowed)
			}
			if v != nil && !strings.Contains(v.Message, words) {
				t.Errorf("create %s as %s: %q does not state the rule %q", scope, role, v.Message, words)
			}
			// Re-scoping an owned personal credential to scope: the owner may re-scope
			// it (rule 5), so the target's threshold alone decides.
			if scope == ScopePersonal {
				continue
			}
			v = CheckRescope(a, Credential{Name: "c", Scope: ScopePersonal, OwnerID: "usr_a"}, scope)
			if (v == nil) != allowed {
				t.Errorf("re-scope personal to %s as %s: %v, want allowed=%v", scope, role, v, allowed)
			}
		}
	}
}

// TestUsableIn pins where a credential may be used, and by whom (rules 3, 4, 12): the
// server's CheckCredentialUse and the scope review's KeepsUse give the same verdict for
// a user who works in the workspace.
func TestUsableIn(t *testing.T) {
	for _, c := range []struct {
		scope     Scope
		elsewhere bool // another workspace of the organization
		byOwner   bool
		usable    bool // UsableIn: the place
		want      bool // the place and the person
	}{
		{ScopePersonal, false, true, true, true},
		{ScopePersonal, false, false, true, false},
		{ScopePersonal, true, true, false, false},
		{ScopeWorkspace, false, false, true, true},
		{ScopeWorkspace, true, false, false, false},
		{ScopeOrganization, false, false, true, true},
		{ScopeOrganization, true, false, true, true},
	} {
		ws, user := "ws_home", "usr_u"
		if c.elsewhere {
			ws = "ws_other"
		}
		owner := "usr_o"
		if c.byOwner {
			owner = user
		}
		if got := UsableIn(c.scope, "ws_home", ws, true); got != c.usable {
			t.Errorf("UsableIn(%s, elsewhere=%v) = %v", c.scope, c.elsewhere, got)
		}
		worker := Actor{UserID: user, OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleViewer}
		server := CheckCredentialUse(worker, Credential{Name: "c", Scope: c.scope, OwnerID: owner, WorkspaceID: "ws_home"}, ws, true) == nil
		review := KeepsUse(Usage{WorkspaceID: ws, UserID: user}, c.scope, "ws_home", owner)
		if server != c.want || review != c.want {
			t.Errorf("%s, elsewhere=%v, by owner=%v: server %v, review %v, want %v", c.scope, c.elsewhere, c.byOwner, server, review, c.want)
		}
	}
}
