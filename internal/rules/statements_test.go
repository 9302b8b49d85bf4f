package rules

import (
	"strings"
	"testing"
)

// The refusals state their rule in the words of the statements the provider quotes
// at plan time when the rule can only be checked at apply.
func TestRuleStatementsMatchRefusals(t *testing.T) {
	v := CheckScopeAllowed("acme", PlanFree, ScopeOrganization)
	if v == nil || !strings.HasPrefix(v.Message, ScopeRequiresEnterpriseRule+": organization \"acme\" is on the free plan.") {
		t.Fatalf("CheckScopeAllowed refusal %v does not start with the rule statement", v)
	}
	viewer := Actor{UserID: "usr_1", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleViewer}
	editor := Actor{UserID: "usr_1", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleEditor}
	cases := []struct {
		a     Actor
		scope Scope
		role  string
	}{
		{viewer, ScopePersonal, "viewer"},
		{editor, ScopeWorkspace, "editor"},
		{editor, ScopeOrganization, "editor"},
		{Actor{UserID: "usr_1"}, ScopeWorkspace, "none (not a member)"},
	}
	for _, tc := range cases {
		v := CheckCredentialAction(tc.a, ActionCreate, Credential{Name: "k", Scope: tc.scope, OwnerID: "usr_1"})
		want := CreateCredentialRule(tc.scope) + "; your role is " + tc.role + "."
		if v == nil || v.Message != want {
			t.Errorf("create %s as %s: got %v, want %q", tc.scope, tc.role, v, want)
		}
	}
	if v := CheckCredentialAction(editor, ActionCreate, Credential{Name: "k", Scope: ScopePersonal, OwnerID: "usr_1"}); v != nil {
		t.Errorf("an editor may create a personal credential, got %v", v)
	}
	if got := CreateCredentialRule(ScopeWorkspace); !strings.HasPrefix(got, "Creating a workspace-scoped credential needs the admin or owner role") {
		t.Errorf("statement for workspace scope: %q", got)
	}
	if got := CreateCredentialRule(ScopeOrganization); !strings.HasPrefix(got, "Creating an organization-scoped credential") {
		t.Errorf("statement for organization scope: %q", got)
	}
}

func TestHiddenPersonalCredential(t *testing.T) {
	msg := HiddenPersonalCredential("alice-key", "cred_1", "usr_alice", "usr_bob")
	for _, want := range []string{`Credential "alice-key" (cred_1)`, "personal credential of user usr_alice", "acts as user usr_bob",
		"visible to its owner only", "instead of planning to create it again", "terraform state rm"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
}
