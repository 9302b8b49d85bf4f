package rules

import (
	"strings"
	"testing"
	"time"
)

func TestAPIKeyStanding(t *testing.T) {
	orgKey := APIKeyReach{OrganizationID: "org_a"}
	wsKey := APIKeyReach{OrganizationID: "org_a", WorkspaceID: "ws_1"}
	cases := []struct {
		name       string
		k          APIKeyReach
		org, ws    string
		member     bool
		orgRole    OrgRole
		wsRole     WorkspaceRole
		manageOrg  bool
		manageWS   bool
		seeWSOther bool
	}{
		{"org key, its org", orgKey, "org_a", "", true, OrgRoleAdmin, WorkspaceRoleNone, true, true, true},
		{"org key, a workspace", orgKey, "org_a", "ws_2", true, OrgRoleAdmin, WorkspaceRoleNone, true, true, true},
		{"org key, another org", orgKey, "org_b", "", false, OrgRoleNone, WorkspaceRoleNone, false, false, false},
		{"ws key, its workspace", wsKey, "org_a", "ws_1", true, OrgRoleMember, WorkspaceRoleAdmin, false, true, false},
		{"ws key, another workspace", wsKey, "org_a", "ws_2", true, OrgRoleMember, WorkspaceRoleNone, false, false, false},
		{"ws key, another org", wsKey, "org_b", "ws_9", false, OrgRoleNone, WorkspaceRoleNone, false, false, false},
	}
	for _, c := range cases {
		s := APIKeyStanding(c.k, c.org, c.ws)
		if s.OrgMember != c.member || s.OrgRole != c.orgRole || s.WorkspaceRole != c.wsRole {
			t.Errorf("%s: %+v", c.name, s)
		}
		a := s.Actor("key_x")
		if CanManageAPIKey(a, false) != c.manageOrg || CanManageAPIKey(a, true) != c.manageWS {
			t.Errorf("%s: manage org keys %v, workspace keys %v", c.name, CanManageAPIKey(a, false), CanManageAPIKey(a, true))
		}
		if got := CheckManage(a, ManageWorkspaceMemberships) == nil; got != c.manageWS {
			t.Errorf("%s: manages workspace memberships: %v", c.name, got)
		}
	}
}

func TestAPIKeyScopeAndExpiry(t *testing.T) {
	if CheckAPIKeyScopeAttribute("scope", false) != nil {
		t.Error("no scope refused")
	}
	v := CheckAPIKeyScopeAttribute("scope", true)
	if v == nil || v.Field != "scope" || !strings.Contains(v.Message, "no scope") {
		t.Errorf("scope: %+v", v)
	}
	now := time.Now()
	past := now.Add(-time.Second)
	if ValidateAPIKeyExpiry("expires_at", &past, now) == nil || ValidateAPIKeyExpiry("expires_at", nil, now) != nil {
		t.Error("ValidateAPIKeyExpiry")
	}
	if ValidateRFC3339("expires_at", "2026-01-02T15:04:05Z") != nil || ValidateRFC3339("expires_at", "tomorrow") == nil {
		t.Error("ValidateRFC3339")
	}
	start := now
	if at := APIKeyRenewAt(start, start.Add(time.Hour)); !at.Equal(start.Add(55 * time.Minute)) {
		t.Errorf("renew a 1h key at %v", at.Sub(start))
	}
	if at := APIKeyRenewAt(start, start.Add(10*time.Minute)); !at.Equal(start.Add(9 * time.Minute)) {
		t.Errorf("renew a 10m key at %v", at.Sub(start))
	}
	if CheckAPIKeyCreatesOrganization(true) == nil || CheckAPIKeyCreatesOrganization(false) != nil {
		t.Error("CheckAPIKeyCreatesOrganization")
	}
}
