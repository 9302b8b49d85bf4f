package rules

import (
	"strings"
	"testing"
)

func TestCheckTeamInOrganization(t *testing.T) {
	if v := CheckTeamInOrganization("acme", "team_1", true); v != nil {
		t.Fatalf("team in organization refused: %v", v)
	}
	v := CheckTeamInOrganization("acme", "team_1", false)
	if v == nil || v.Code != CodeNotOrganizationMember || v.Field != "team_id" || v.Kind != KindInvalid {
		t.Fatalf("foreign team: got %+v", v)
	}
	// A team cannot be invited into another organization: the refusal says why, and
	// never suggests an invitation.
	v = CheckTeamInOrganization("acme", `team "platform"`, false)
	if !strings.Contains(v.Message, `Team "platform" belongs to another organization`) ||
		!strings.Contains(v.Message, "A team belongs to one organization") || strings.Contains(v.Message, "invite") {
		t.Fatalf("foreign team message: %s", v.Message)
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

// TestOrganizationAdmin pins who counts as an organization's admin (rule 6): the admin
// role, whatever the membership's status; the store counts OrganizationAdminRoleNames.
func TestOrganizationAdmin(t *testing.T) {
	for _, c := range []struct {
		role OrgRole
		want bool
	}{
		{OrgRoleAdmin, true},
		{OrgRoleMember, false},
		{OrgRoleNone, false},
	} {
		if got := IsOrganizationAdmin(c.role); got != c.want {
			t.Errorf("IsOrganizationAdmin(%q) = %v, want %v", c.role, got, c.want)
		}
	}
	if got := OrganizationAdminRoleNames(); len(got) != 1 || got[0] != "admin" {
		t.Errorf("OrganizationAdminRoleNames() = %v, want [admin]", got)
	}
}
