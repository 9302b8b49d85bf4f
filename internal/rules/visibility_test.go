package rules

import "testing"

func TestCanSeeWorkspace(t *testing.T) {
	cases := []struct {
		a    Actor
		want bool
	}{
		{Actor{OrgRole: OrgRoleAdmin}, true},
		{Actor{OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleViewer}, true},
		{Actor{OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleNone, InAnyWorkspace: true}, false},
		{Actor{OrgRole: OrgRoleMember}, false},
		{Actor{OrgRole: OrgRoleNone, WorkspaceRole: WorkspaceRoleOwner}, false},
	}
	for _, c := range cases {
		if got := CanSeeWorkspace(c.a); got != c.want {
			t.Errorf("CanSeeWorkspace(%+v) = %v, want %v", c.a, got, c.want)
		}
	}
}

func TestOrganizationMembersVisibility(t *testing.T) {
	member := Actor{UserID: "usr_me", OrgRole: OrgRoleMember}
	admin := Actor{UserID: "usr_me", OrgRole: OrgRoleAdmin}
	if CanListOrganizationMembers(member) || !CanListOrganizationMembers(admin) {
		t.Error("only organization admins list the members")
	}
	cases := []struct {
		a     Actor
		user  string
		roles []WorkspaceRole
		want  bool
	}{
		{admin, "usr_other", nil, true},
		{member, "usr_me", nil, true},
		{member, "usr_other", nil, false},
		{member, "usr_other", []WorkspaceRole{WorkspaceRoleViewer, WorkspaceRoleEditor}, false},
		{member, "usr_other", []WorkspaceRole{WorkspaceRoleViewer, WorkspaceRoleAdmin}, true},
		{member, "usr_other", []WorkspaceRole{WorkspaceRoleOwner}, true},
		{Actor{UserID: "usr_me"}, "usr_me", []WorkspaceRole{WorkspaceRoleOwner}, false},
	}
	for _, c := range cases {
		if got := CanSeeOrganizationMember(c.a, c.user, c.roles); got != c.want {
			t.Errorf("CanSeeOrganizationMember(%+v, %s, %v) = %v, want %v", c.a, c.user, c.roles, got, c.want)
		}
	}
}

func TestCheckSSOSetting(t *testing.T) {
	for _, c := range []struct {
		from, to, platformAdmin bool
		refused                 bool
	}{
		{false, true, false, true},
		{true, false, false, true},
		{true, true, false, false},
		{false, false, false, false},
		{false, true, true, false},
		{true, false, true, false},
	} {
		v := CheckSSOSetting("acme", c.from, c.to, c.platformAdmin)
		if (v != nil) != c.refused {
			t.Errorf("CheckSSOSetting(%v -> %v, platform admin %v) = %v, want refused %v", c.from, c.to, c.platformAdmin, v, c.refused)
		}
		if v != nil && (v.Code != CodeSSOSettingForbidden || v.Kind != KindForbidden || v.Field != "sso_enabled") {
			t.Errorf("violation %+v", v)
		}
	}
}
