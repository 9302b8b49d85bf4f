package rules

import "testing"

func TestCheckCredentialActive(t *testing.T) {
	if v := CheckCredentialActive("k", CredentialActive); v != nil {
		t.Fatalf("active credential refused: %v", v)
	}
	v := CheckCredentialActive("k", CredentialInactive)
	if v == nil || v.Code != CodeCredentialInactive || v.Kind != KindConflict {
		t.Fatalf("inactive credential: got %+v", v)
	}
}

func TestCheckTeamInOrganization(t *testing.T) {
	if v := CheckTeamInOrganization("acme", "team_1", true); v != nil {
		t.Fatalf("team in organization refused: %v", v)
	}
	v := CheckTeamInOrganization("acme", "team_1", false)
	if v == nil || v.Code != CodeNotOrganizationMember || v.Field != "team_id" || v.Kind != KindInvalid {
		t.Fatalf("foreign team: got %+v", v)
	}
}

func TestViewAuditLogIsOrganizationAdminOnly(t *testing.T) {
	if v := CheckManage(Actor{OrgRole: OrgRoleAdmin}, ViewAuditLog); v != nil {
		t.Fatalf("org admin refused: %v", v)
	}
	if v := CheckManage(Actor{OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleOwner}, ViewAuditLog); v == nil {
		t.Fatal("workspace owner allowed to read the audit log")
	}
}
