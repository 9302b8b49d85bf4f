package rules

import "testing"

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
