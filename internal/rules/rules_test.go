package rules

import (
	"fmt"
	"strings"
	"testing"
)

// The actors of the permission table: one per workspace role, an organization admin
// with no workspace role, a plain organization member with no workspace, and an
// outsider. All are relative to the credential's home workspace.
var (
	owner      = Actor{UserID: "u-owner", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleOwner, InAnyWorkspace: true}
	admin      = Actor{UserID: "u-admin", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleAdmin, InAnyWorkspace: true}
	editor     = Actor{UserID: "u-editor", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleEditor, InAnyWorkspace: true}
	viewer     = Actor{UserID: "u-viewer", OrgRole: OrgRoleMember, WorkspaceRole: WorkspaceRoleViewer, InAnyWorkspace: true}
	orgAdmin   = Actor{UserID: "u-orgadmin", OrgRole: OrgRoleAdmin}
	otherWS    = Actor{UserID: "u-otherws", OrgRole: OrgRoleMember, InAnyWorkspace: true} // member of another workspace of the org
	orgMember  = Actor{UserID: "u-member", OrgRole: OrgRoleMember}                        // in the org, in no workspace
	outsider   = Actor{UserID: "u-outsider"}
	allActors  = map[string]Actor{"owner": owner, "admin": admin, "editor": editor, "viewer": viewer, "org-admin": orgAdmin, "other-workspace": otherWS, "org-member": orgMember, "outsider": outsider}
	actorOrder = []string{"viewer", "editor", "admin", "owner", "org-admin", "other-workspace", "org-member", "outsider"}
)

// TestCredentialPermissionTable checks rule 4 and rule 5 for every actor × action ×
// scope, against the reconstructed permission table of the credential-scope page:
// Viewer and Editor can use and cannot edit; Admin and Owner can use and edit.
// 'Y' allowed, '-' refused.
func TestCredentialPermissionTable(t *testing.T) {
	// columns: read use create edit rotate rescope delete
	want := map[Scope]map[string]string{
		ScopeWorkspace: {
			"viewer":          "YY-----",
			"editor":          "YY-----",
			"admin":           "YYYYYYY",
			"owner":           "YYYYYYY",
			"org-admin":       "YYYYYYY",
			"other-workspace": "-------",
			"org-member":      "-------",
			"outsider":        "-------",
		},
		ScopeOrganization: {
			"viewer":          "YY-----",
			"editor":          "YY-----",
			"admin":           "YYYYYYY",
			"owner":           "YYYYYYY",
			"org-admin":       "YYYYYYY",
			"other-workspace": "YY-----",
			"org-member":      "-------",
			"outsider":        "-------",
		},
		// A personal credential owned by someone else: only its owner sees it, so
		// every other actor is refused everything but creating their own.
		ScopePersonal: {
			"viewer":          "-------",
			"editor":          "--Y----",
			"admin":           "--Y----",
			"owner":           "--Y----",
			"org-admin":       "--Y----",
			"other-workspace": "-------",
			"org-member":      "-------",
			"outsider":        "-------",
		},
	}
	for scope, rows := range want {
		for _, name := range actorOrder {
			a := allActors[name]
			c := Credential{Name: "stripe", Scope: scope, OwnerID: "u-someone-else"}
			var got strings.Builder
			for _, action := range CredentialActions {
				if CheckCredentialAction(a, action, c) == nil {
					got.WriteByte('Y')
				} else {
					got.WriteByte('-')
				}
			}
			if got.String() != rows[name] {
				t.Errorf("scope %s, %s: got %s, want %s (read use create edit rotate rescope delete)", scope, name, got.String(), rows[name])
			}
		}
	}
}

// The owner of a personal credential may always manage it, whatever their role.
func TestPersonalCredentialOwnerManages(t *testing.T) {
	for _, name := range []string{"viewer", "editor", "admin", "owner", "org-admin"} {
		a := allActors[name]
		c := Credential{Name: "my-pat", Scope: ScopePersonal, OwnerID: a.UserID}
		for _, action := range []CredentialAction{ActionRead, ActionUse, ActionEdit, ActionRotate, ActionRescope, ActionDelete} {
			if v := CheckCredentialAction(a, action, c); v != nil {
				t.Errorf("%s owning a personal credential: %s refused: %v", name, action, v)
			}
		}
		if !CanSeeCredential(a, c) {
			t.Errorf("%s cannot see their own personal credential", name)
		}
	}
}

func TestCredentialRefusalsAreForbiddenWithCode(t *testing.T) {
	v := CheckCredentialAction(viewer, ActionEdit, Credential{Name: "stripe", Scope: ScopeWorkspace})
	if v == nil || v.Kind != KindForbidden || v.Code != CodeCredentialForbidden {
		t.Fatalf("viewer edit: got %+v", v)
	}
	if !strings.Contains(v.Message, "viewer") || !strings.Contains(v.Message, `"stripe"`) {
		t.Errorf("message should name the role and the credential: %q", v.Message)
	}
}

func TestCheckRescope(t *testing.T) {
	cases := []struct {
		name  string
		actor Actor
		cred  Credential
		to    Scope
		ok    bool
	}{
		{"admin narrows org to workspace", admin, Credential{Scope: ScopeOrganization}, ScopeWorkspace, true},
		{"admin widens workspace to org", admin, Credential{Scope: ScopeWorkspace}, ScopeOrganization, true},
		{"org admin widens", orgAdmin, Credential{Scope: ScopeWorkspace}, ScopeOrganization, true},
		{"editor cannot re-scope workspace credential", editor, Credential{Scope: ScopeWorkspace}, ScopePersonal, false},
		{"viewer cannot re-scope", viewer, Credential{Scope: ScopeOrganization}, ScopeWorkspace, false},
		{"editor owner narrows nothing further but keeps personal", editor, Credential{Scope: ScopePersonal, OwnerID: editor.UserID}, ScopePersonal, true},
		{"editor owner cannot widen personal to workspace", editor, Credential{Scope: ScopePersonal, OwnerID: editor.UserID}, ScopeWorkspace, false},
		{"admin owner widens personal to workspace", admin, Credential{Scope: ScopePersonal, OwnerID: admin.UserID}, ScopeWorkspace, true},
		{"admin cannot re-scope someone else's personal credential", admin, Credential{Scope: ScopePersonal, OwnerID: "x"}, ScopeWorkspace, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := CheckRescope(tc.actor, tc.cred, tc.to)
			if (v == nil) != tc.ok {
				t.Fatalf("got %v, want ok=%v", v, tc.ok)
			}
			if v != nil && v.Field != "scope" {
				t.Errorf("field = %q, want scope", v.Field)
			}
		})
	}
}

func TestCheckScopeAllowed(t *testing.T) {
	for _, plan := range []Plan{PlanFree, PlanPro, PlanEnterprise} {
		for _, scope := range []Scope{ScopePersonal, ScopeWorkspace, ScopeOrganization} {
			v := CheckScopeAllowed("acme", plan, scope)
			wantRefused := scope == ScopeOrganization && plan != PlanEnterprise
			if (v != nil) != wantRefused {
				t.Errorf("plan %s scope %s: got %v", plan, scope, v)
			}
			if v != nil {
				if v.Code != CodeScopeRequiresEnterprise || v.Field != "scope" || v.Kind != KindInvalid {
					t.Errorf("violation = %+v", v)
				}
				if !strings.Contains(v.Message, `"acme"`) || !strings.Contains(v.Message, string(plan)) {
					t.Errorf("message should name the organization and its plan: %q", v.Message)
				}
			}
		}
	}
}

func TestCheckPlanChange(t *testing.T) {
	creds := []string{"salesforce", "okta"}
	cases := []struct {
		from, to Plan
		creds    []string
		refused  bool
	}{
		{PlanEnterprise, PlanPro, creds, true},
		{PlanEnterprise, PlanFree, creds, true},
		{PlanEnterprise, PlanPro, nil, false},
		{PlanEnterprise, PlanEnterprise, creds, false},
		{PlanFree, PlanEnterprise, nil, false},
		{PlanPro, PlanFree, creds, false}, // cannot hold any; not this rule's business
	}
	for _, tc := range cases {
		v := CheckPlanChange("acme", tc.from, tc.to, tc.creds)
		if (v != nil) != tc.refused {
			t.Errorf("%s→%s with %v: got %v", tc.from, tc.to, tc.creds, v)
		}
		if v != nil {
			if v.Field != "plan" || v.Code != CodeDowngradeBlocked {
				t.Errorf("violation = %+v", v)
			}
			for _, c := range tc.creds {
				if !strings.Contains(v.Message, fmt.Sprintf("%q", c)) {
					t.Errorf("message does not name %q: %s", c, v.Message)
				}
			}
		}
	}
}

func TestClassifyScopeChange(t *testing.T) {
	p, w, o := ScopePersonal, ScopeWorkspace, ScopeOrganization
	cases := map[[2]Scope]ScopeChange{
		{p, w}: ScopeWidening, {w, o}: ScopeWidening, {p, o}: ScopeWidening,
		{o, w}: ScopeNarrowing, {w, p}: ScopeNarrowing, {o, p}: ScopeNarrowing,
		{p, p}: ScopeUnchanged, {w, w}: ScopeUnchanged, {o, o}: ScopeUnchanged,
	}
	for k, want := range cases {
		if got := ClassifyScopeChange(k[0], k[1]); got != want {
			t.Errorf("%s→%s = %v, want %v", k[0], k[1], got, want)
		}
	}
}

func TestDescribeScopeChange(t *testing.T) {
	usage := []Usage{
		{WorkspaceID: "ws-home", WorkspaceName: "payments", Workflow: "charge", UserID: "u-owner", Uses: 4},
		{WorkspaceID: "ws-2", WorkspaceName: "marketing", Workflow: "newsletter", UserID: "u-2", Uses: 7},
		{WorkspaceID: "ws-home", WorkspaceName: "payments", Workflow: "refunds", UserID: "u-3", Uses: 2},
	}
	base := ScopeChangeFacts{CredentialName: "stripe", HomeWorkspaceID: "ws-home", HomeWorkspaceName: "payments",
		OwnerID: "u-owner", RecentUsage: usage, UsageWindow: "30 days",
		Shift: Audience{Workspaces: []string{"a", "b", "c", "d", "e"}}}

	t.Run("org to workspace lists other workspaces only", func(t *testing.T) {
		f := base
		f.From, f.To = ScopeOrganization, ScopeWorkspace
		summary, detail, ok := DescribeScopeChange(f)
		if !ok || !strings.Contains(summary, "Narrowing") {
			t.Fatalf("summary %q ok %v", summary, ok)
		}
		if !strings.Contains(detail, `workspace "marketing", workflow "newsletter"`) {
			t.Errorf("detail should list the marketing workflow: %s", detail)
		}
		if strings.Contains(detail, `workflow "charge"`) || strings.Contains(detail, `workflow "refunds"`) {
			t.Errorf("detail lists a workflow of the home workspace that keeps access: %s", detail)
		}
	})
	t.Run("workspace to personal lists everyone but the owner", func(t *testing.T) {
		f := base
		f.From, f.To = ScopeWorkspace, ScopePersonal
		_, detail, _ := DescribeScopeChange(f)
		if !strings.Contains(detail, `workflow "refunds"`) || !strings.Contains(detail, `workflow "newsletter"`) {
			t.Errorf("detail: %s", detail)
		}
		if strings.Contains(detail, `workflow "charge"`) {
			t.Errorf("the owner's own workflow keeps access: %s", detail)
		}
	})
	t.Run("narrowing without outside usage says so", func(t *testing.T) {
		f := base
		f.From, f.To, f.RecentUsage = ScopeOrganization, ScopeWorkspace, usage[:1]
		_, detail, _ := DescribeScopeChange(f)
		if !strings.Contains(detail, "No workflow that loses access used it in the last 30 days") {
			t.Errorf("detail: %s", detail)
		}
	})
	t.Run("widening to organization counts workspaces", func(t *testing.T) {
		f := base
		f.From, f.To = ScopeWorkspace, ScopeOrganization
		summary, detail, ok := DescribeScopeChange(f)
		if !ok || !strings.Contains(summary, "Widening") || !strings.Contains(detail, "usable in 5 other workspaces of the organization") {
			t.Errorf("summary %q detail %q", summary, detail)
		}
	})
	t.Run("personal to workspace", func(t *testing.T) {
		f := base
		f.From, f.To = ScopePersonal, ScopeWorkspace
		_, detail, ok := DescribeScopeChange(f)
		if !ok || !strings.Contains(detail, `Every member of workspace "payments" gains it`) {
			t.Errorf("detail %q", detail)
		}
	})
	t.Run("no change, no review", func(t *testing.T) {
		f := base
		f.From, f.To = ScopeWorkspace, ScopeWorkspace
		if _, _, ok := DescribeScopeChange(f); ok {
			t.Error("unchanged scope produced a review")
		}
	})
}

// TestCheckManage covers rule 6 for every actor × management action.
func TestCheckManage(t *testing.T) {
	actions := []ManageAction{ManageOrganization, ManageOrganizationMemberships, ManageTeams, ManageWorkspaces, ManageWorkspaceSettings, ManageWorkspaceMemberships}
	// columns in the order of actions above
	want := map[string]string{
		"viewer":          "------",
		"editor":          "------",
		"admin":           "----YY",
		"owner":           "----YY",
		"org-admin":       "YYYYYY",
		"other-workspace": "------",
		"org-member":      "------",
		"outsider":        "------",
	}
	for _, name := range actorOrder {
		var got strings.Builder
		for _, action := range actions {
			v := CheckManage(allActors[name], action)
			if v == nil {
				got.WriteByte('Y')
				continue
			}
			got.WriteByte('-')
			if v.Kind != KindForbidden {
				t.Errorf("%s %s: kind %s", name, action, v.Kind)
			}
		}
		if got.String() != want[name] {
			t.Errorf("%s: got %s, want %s", name, got.String(), want[name])
		}
	}
}

func TestEffectiveWorkspaceRole(t *testing.T) {
	cases := []struct {
		org   OrgRole
		roles []WorkspaceRole
		want  WorkspaceRole
	}{
		{OrgRoleNone, nil, WorkspaceRoleNone},
		{OrgRoleMember, []WorkspaceRole{WorkspaceRoleViewer, WorkspaceRoleEditor}, WorkspaceRoleEditor},
		{OrgRoleAdmin, nil, WorkspaceRoleAdmin},
		{OrgRoleAdmin, []WorkspaceRole{WorkspaceRoleOwner}, WorkspaceRoleOwner},
		{OrgRoleAdmin, []WorkspaceRole{WorkspaceRoleViewer}, WorkspaceRoleAdmin},
	}
	for _, tc := range cases {
		if got := EffectiveWorkspaceRole(tc.org, tc.roles...); got != tc.want {
			t.Errorf("EffectiveWorkspaceRole(%q, %v) = %q, want %q", tc.org, tc.roles, got, tc.want)
		}
	}
}

func TestCheckLastAdminSSOAndMembership(t *testing.T) {
	if v := CheckLastAdmin("acme", "ann@example.com", 0); v == nil || v.Code != CodeLastAdmin || v.Kind != KindConflict || v.Field != "role" ||
		!strings.Contains(v.Message, `"acme"`) || !strings.Contains(v.Message, "ann@example.com is its last admin") ||
		!strings.Contains(v.Message, "Make another member an admin first") {
		t.Errorf("last admin: %+v", v)
	}
	if v := CheckLastAdmin("acme", "ann@example.com", 1); v != nil {
		t.Errorf("another admin remains: %v", v)
	}
	if v := CheckSSO("acme", true); v == nil || v.Code != CodeSSOManaged || !strings.Contains(v.Message, "identity provider") {
		t.Errorf("sso: %+v", v)
	}
	if v := CheckSSO("acme", false); v != nil {
		t.Errorf("no sso: %v", v)
	}
	if v := CheckPrincipalInOrganization("acme", "usr_1", false); v == nil || v.Field != "user_id" || v.Code != CodeNotOrganizationMember {
		t.Errorf("not member: %+v", v)
	}
	if v := CheckPrincipalInOrganization("acme", "usr_1", true); v != nil {
		t.Errorf("member: %v", v)
	}
}

func TestStatusAfterOwnerLeft(t *testing.T) {
	if got := StatusAfterOwnerLeft(Credential{Scope: ScopePersonal}, CredentialActive); got != CredentialInactive {
		t.Errorf("personal: %s", got)
	}
	for _, s := range []Scope{ScopeWorkspace, ScopeOrganization} {
		if got := StatusAfterOwnerLeft(Credential{Scope: s}, CredentialActive); got != CredentialActive {
			t.Errorf("%s: %s", s, got)
		}
	}
	if !strings.Contains(InactiveReason("pat"), "owner left the organization") {
		t.Error("inactive reason should explain the owner left")
	}
}

func TestDeleteGuards(t *testing.T) {
	if v := CheckDeleteOrganization("acme", []string{"prod", "dev"}); v == nil || !strings.Contains(v.Message, `"dev", "prod"`) || v.Code != CodeOrganizationNotEmpty {
		t.Errorf("org: %+v", v)
	}
	if v := CheckDeleteOrganization("acme", nil); v != nil {
		t.Errorf("empty org: %v", v)
	}
	if v := CheckDeleteWorkspace("prod", []string{"stripe"}); v == nil || !strings.Contains(v.Message, `"stripe"`) || v.Code != CodeWorkspaceNotEmpty {
		t.Errorf("workspace: %+v", v)
	}
	if v := CheckDeleteWorkspace("prod", nil); v != nil {
		t.Errorf("empty workspace: %v", v)
	}
	many := make([]string, 13)
	for i := range many {
		many[i] = fmt.Sprintf("c%02d", i)
	}
	if v := CheckDeleteWorkspace("prod", many); !strings.Contains(v.Message, "and 3 more") {
		t.Errorf("long lists are cut: %s", v.Message)
	}
}

func TestOneOf(t *testing.T) {
	if v := OneOf("scope", "global", Scopes); v == nil || v.Field != "scope" || !strings.Contains(v.Message, `one of "personal", "workspace", "organization", got "global"`) {
		t.Errorf("invalid scope: %+v", v)
	}
	if v := OneOf("scope", "workspace", Scopes); v != nil {
		t.Errorf("valid scope refused: %v", v)
	}
}
