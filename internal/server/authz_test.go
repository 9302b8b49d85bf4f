package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestAuthorizationMatrix: every role × every credential and membership action, each
// on a fresh object so destructive actions do not interfere.
func TestAuthorizationMatrix(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	n := 0
	fresh := func() api.Credential {
		n++
		return create[api.Credential](w.admin, "/v1/workspaces/"+w.ws.ID+"/credentials",
			api.CreateCredentialRequest{Name: fmt.Sprintf("fresh-%d", n), Type: "slack", Data: map[string]string{"token": "s3cr3t-x"}})
	}
	credPath := func(c api.Credential) string { return "/v1/credentials/" + c.ID }
	const ok, cr, nc, no, nf = 200, 201, 204, 403, 404
	actions := []struct {
		name string
		do   func(a *as, i int) res
		// viewer, editor, wsAdmin, owner, orgAdmin, member (no workspace role), outsider
		want [7]int
	}{
		{"read", func(a *as, _ int) res { return a.do("GET", credPath(w.shared), nil) }, [7]int{ok, ok, ok, ok, ok, nf, nf}},
		{"use", func(a *as, _ int) res {
			return a.do("POST", credPath(w.shared)+"/uses", api.RecordUseRequest{Workflow: "wf", WorkspaceID: w.ws.ID})
		}, [7]int{nc, nc, nc, nc, nc, nf, nf}},
		{"create workspace-scoped", func(a *as, i int) res {
			return a.do("POST", "/v1/workspaces/"+w.ws.ID+"/credentials", api.CreateCredentialRequest{Name: fmt.Sprintf("ws-%d", i), Type: "x", Data: map[string]string{"k": "v"}})
		}, [7]int{no, no, cr, cr, cr, nf, nf}},
		{"create personal", func(a *as, i int) res {
			return a.do("POST", "/v1/workspaces/"+w.ws.ID+"/credentials", api.CreateCredentialRequest{Name: fmt.Sprintf("p-%d", i), Type: "x", Scope: "personal", Data: map[string]string{"k": "v"}})
		}, [7]int{no, cr, cr, cr, cr, nf, nf}},
		{"edit", func(a *as, _ int) res {
			return a.do("PATCH", credPath(fresh()), map[string]string{"description": "changed"})
		}, [7]int{no, no, ok, ok, ok, nf, nf}},
		{"rotate", func(a *as, _ int) res {
			return a.do("PATCH", credPath(fresh()), map[string]any{"data": map[string]string{"token": "s3cr3t-new"}})
		}, [7]int{no, no, ok, ok, ok, nf, nf}},
		{"re-scope", func(a *as, _ int) res {
			return a.do("PATCH", credPath(fresh()), map[string]string{"scope": "personal"})
		}, [7]int{no, no, ok, ok, ok, nf, nf}},
		{"delete", func(a *as, _ int) res { return a.do("DELETE", credPath(fresh()), nil) }, [7]int{no, no, nc, nc, nc, nf, nf}},
		{"add workspace member", func(a *as, i int) res {
			u := user(t, srv, fmt.Sprintf("ws-add-%d@example.com", i))
			w.admin.do("POST", "/v1/organizations/"+w.org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: fmt.Sprintf("ws-add-%d@example.com", i), Role: "member"}).want(cr)
			return a.do("POST", "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: u.id, Role: "viewer"})
		}, [7]int{no, no, cr, cr, cr, nf, nf}},
		{"change workspace settings", func(a *as, _ int) res {
			return a.do("PATCH", "/v1/workspaces/"+w.ws.ID, map[string]string{"description": "d"})
		}, [7]int{no, no, ok, ok, ok, nf, nf}},
		{"invite to organization", func(a *as, i int) res {
			return a.do("POST", "/v1/organizations/"+w.org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: fmt.Sprintf("inv-%d@example.com", i), Role: "member"})
		}, [7]int{no, no, no, no, cr, no, nf}},
		{"create team", func(a *as, i int) res {
			return a.do("POST", "/v1/organizations/"+w.org.ID+"/teams", api.CreateTeamRequest{Name: fmt.Sprintf("team-%d", i)})
		}, [7]int{no, no, no, no, cr, no, nf}},
		{"create workspace", func(a *as, i int) res {
			return a.do("POST", "/v1/organizations/"+w.org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: fmt.Sprintf("new-ws-%d", i)})
		}, [7]int{no, no, no, no, cr, no, nf}},
		{"read audit log", func(a *as, _ int) res { return a.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events", nil) },
			[7]int{no, no, no, no, ok, no, nf}},
	}
	roles := []struct {
		name string
		a    *as
	}{{"viewer", w.viewer}, {"editor", w.editor}, {"workspace admin", w.wsAdmin}, {"owner", w.owner}, {"org admin", w.orgAdmin}, {"member", w.member}, {"outsider", w.outsider}}
	i := 0
	for _, act := range actions {
		for ri, role := range roles {
			i++
			r := act.do(role.a, i)
			if r.status != act.want[ri] {
				t.Errorf("%s by %s: status %d, want %d (%s)", act.name, role.name, r.status, act.want[ri], r.body)
				continue
			}
			switch r.status {
			case no:
				if code := r.err().Code; code != rules.CodeCredentialForbidden && code != rules.CodeManageForbidden {
					t.Errorf("%s by %s: 403 with code %q", act.name, role.name, code)
				}
			case nf:
				if code := r.err().Code; code != api.CodeNotFound {
					t.Errorf("%s by %s: 404 with code %q", act.name, role.name, code)
				}
			}
		}
	}
}

func TestCrossTenantIsNotFound(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "enterprise")
	team := create[api.Team](w.outsider, "/v1/organizations/"+w.foreignOrg.ID+"/teams", api.CreateTeamRequest{Name: "t"})
	paths := []struct{ method, path string }{
		{"GET", "/v1/organizations/" + w.foreignOrg.ID},
		{"PATCH", "/v1/organizations/" + w.foreignOrg.ID},
		{"DELETE", "/v1/organizations/" + w.foreignOrg.ID},
		{"GET", "/v1/organizations/" + w.foreignOrg.ID + "/memberships"},
		{"GET", "/v1/organizations/" + w.foreignOrg.ID + "/memberships/" + w.outsider.id},
		{"POST", "/v1/organizations/" + w.foreignOrg.ID + "/memberships"},
		{"GET", "/v1/organizations/" + w.foreignOrg.ID + "/workspaces"},
		{"POST", "/v1/organizations/" + w.foreignOrg.ID + "/workspaces"},
		{"GET", "/v1/organizations/" + w.foreignOrg.ID + "/credentials"},
		{"GET", "/v1/organizations/" + w.foreignOrg.ID + "/audit-events"},
		{"GET", "/v1/me/access?organization_id=" + w.foreignOrg.ID},
		{"GET", "/v1/workspaces/" + w.foreignWS.ID},
		{"PATCH", "/v1/workspaces/" + w.foreignWS.ID},
		{"DELETE", "/v1/workspaces/" + w.foreignWS.ID},
		{"GET", "/v1/workspaces/" + w.foreignWS.ID + "/credentials"},
		{"POST", "/v1/workspaces/" + w.foreignWS.ID + "/credentials"},
		{"GET", "/v1/workspaces/" + w.foreignWS.ID + "/memberships"},
		{"GET", "/v1/teams/" + team.ID},
		{"DELETE", "/v1/teams/" + team.ID},
		{"GET", "/v1/teams/" + team.ID + "/memberships"},
		{"GET", "/v1/credentials/" + w.foreignCred.ID},
		{"PATCH", "/v1/credentials/" + w.foreignCred.ID},
		{"DELETE", "/v1/credentials/" + w.foreignCred.ID},
		{"POST", "/v1/credentials/" + w.foreignCred.ID + "/test"},
		{"GET", "/v1/credentials/" + w.foreignCred.ID + "/usage"},
		{"GET", "/v1/users/" + w.outsider.id},
	}
	for _, p := range paths {
		var body any
		if p.method == "POST" || p.method == "PATCH" {
			body = map[string]string{}
		}
		r := w.editor.do(p.method, p.path, body)
		if r.status != http.StatusNotFound || r.err().Code != api.CodeNotFound {
			t.Errorf("%s %s by another tenant: %d %s, want 404 not_found", p.method, p.path, r.status, r.body)
		}
	}
	// Lists do not leak either.
	var orgs api.Page[api.Organization]
	w.editor.do("GET", "/v1/organizations", nil).want(200).into(&orgs)
	if len(orgs.Items) != 1 || orgs.Items[0].ID != w.org.ID {
		t.Errorf("organizations seen by the editor: %+v", orgs.Items)
	}
	var users api.Page[api.User]
	w.editor.do("GET", "/v1/users?email="+w.outsider.srvEmail(), nil).want(200).into(&users)
	if len(users.Items) != 0 {
		t.Errorf("user lookup across tenants found %+v", users.Items)
	}
	w.wsAdmin.do("GET", "/v1/users?email="+strings.ToUpper(emailOf(t, "editor")), nil).want(200).into(&users)
	if len(users.Items) != 1 || users.Items[0].ID != w.editor.id {
		t.Errorf("user lookup in the same organization by a workspace admin: %+v", users.Items)
	}
	w.admin.do("GET", "/v1/users?email="+w.outsider.srvEmail(), nil).want(200).into(&users)
	if len(users.Items) != 1 {
		t.Errorf("platform admin lookup: %+v", users.Items)
	}
}

func (a *as) srvEmail() string {
	var me api.Me
	a.do("GET", "/v1/me", nil).want(200).into(&me)
	return me.Email
}

func emailOf(t testing.TB, name string) string { return name + "-" + slug(t) + "@example.com" }

func TestPersonalCredentialsAreInvisibleToOthers(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	for _, a := range []*as{w.viewer, w.wsAdmin, w.owner, w.orgAdmin, w.admin} {
		a.do("GET", "/v1/credentials/"+w.personal.ID, nil).wantErr(404, api.CodeNotFound)
		a.do("DELETE", "/v1/credentials/"+w.personal.ID, nil).wantErr(404, api.CodeNotFound)
		var p api.Page[api.Credential]
		a.do("GET", "/v1/workspaces/"+w.ws.ID+"/credentials", nil).want(200).into(&p)
		for _, c := range p.Items {
			if c.ID == w.personal.ID {
				t.Errorf("personal credential listed for another user")
			}
		}
	}
	var p api.Page[api.Credential]
	w.editor.do("GET", "/v1/organizations/"+w.org.ID+"/credentials?scope=personal", nil).want(200).into(&p)
	if len(p.Items) != 1 || p.Items[0].ID != w.personal.ID {
		t.Errorf("owner's personal credentials: %+v", p.Items)
	}
	// The owner manages it whatever the role (rule 5).
	w.editor.do("PATCH", "/v1/credentials/"+w.personal.ID, map[string]string{"description": "mine"}).want(200)
}

func TestOrganizationScopeNeedsEnterprise(t *testing.T) {
	srv := testserver.Start(t)
	for _, plan := range []string{"free", "pro", "enterprise"} {
		t.Run(plan, func(t *testing.T) {
			w := newWorld(t, srv, plan)
			r := w.admin.do("POST", "/v1/workspaces/"+w.ws.ID+"/credentials", api.CreateCredentialRequest{Name: "sso", Type: "saml", Scope: "organization", Data: map[string]string{"k": "v"}})
			rescope := w.admin.do("PATCH", "/v1/credentials/"+w.shared.ID, map[string]string{"scope": "organization"})
			if plan != "enterprise" {
				e := r.wantErr(422, rules.CodeScopeRequiresEnterprise)
				if len(e.Fields) != 1 || e.Fields[0].Path != "scope" {
					t.Errorf("fields: %+v", e.Fields)
				}
				rescope.wantErr(422, rules.CodeScopeRequiresEnterprise)
				return
			}
			r.want(201)
			rescope.want(200)
			// An organization-scoped credential is seen from every workspace of the
			// organization and usable there.
			other := user(t, srv, emailOf(t, "other-ws"))
			w.admin.do("POST", "/v1/organizations/"+w.org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: emailOf(t, "other-ws"), Role: "member"}).want(201)
			create[api.WorkspaceMembership](w.admin, "/v1/workspaces/"+w.other.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: other.id, Role: "viewer"})
			other.do("POST", "/v1/credentials/"+w.shared.ID+"/uses", api.RecordUseRequest{Workflow: "nightly", WorkspaceID: w.other.ID}).want(204)
			// Downgrade refused while organization-scoped credentials exist, naming them.
			e := w.admin.do("PATCH", "/v1/organizations/"+w.org.ID, map[string]string{"plan": "pro"}).wantErr(409, rules.CodeDowngradeBlocked)
			if !strings.Contains(e.Message, `"sso"`) || !strings.Contains(e.Message, `"slack"`) {
				t.Errorf("downgrade error does not name the credentials: %s", e.Message)
			}
			w.admin.do("PATCH", "/v1/credentials/"+w.shared.ID, map[string]string{"scope": "workspace"}).want(200)
			// A workspace credential is not usable from another workspace.
			other.do("POST", "/v1/credentials/"+w.shared.ID+"/uses", api.RecordUseRequest{Workflow: "nightly", WorkspaceID: w.other.ID}).wantErr(404, api.CodeNotFound)
			w.admin.do("POST", "/v1/credentials/"+w.shared.ID+"/uses", api.RecordUseRequest{Workflow: "nightly", WorkspaceID: w.other.ID}).wantErr(422, api.CodeValidation)
			var sso api.Page[api.Credential]
			w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/credentials?scope=organization", nil).want(200).into(&sso)
			if len(sso.Items) != 1 {
				t.Fatalf("organization-scoped: %+v", sso.Items)
			}
			w.admin.do("DELETE", "/v1/credentials/"+sso.Items[0].ID, nil).want(204)
			w.admin.do("PATCH", "/v1/organizations/"+w.org.ID, map[string]string{"plan": "pro"}).want(200)
		})
	}
}

// TestLastAdminNamesTheAdminAndCountsInvitedAdmins: the refusal names the organization
// and the admin; an invited admin (who never signed in) counts as another admin, as
// store.CountOrganizationAdmins counts every membership whose role is admin (the
// provider's plan-time check, planrun.PlanAdminRemoval, counts the same way).
func TestLastAdminNamesTheAdminAndCountsInvitedAdmins(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "acme-" + slug(t)})
	orgPath := "/v1/organizations/" + org.ID
	var me api.OrganizationMembership
	a.do("GET", orgPath+"/memberships/"+a.id, nil).want(200).into(&me)

	e := a.do("DELETE", orgPath+"/memberships/"+a.id, nil).wantErr(409, rules.CodeLastAdmin)
	if !strings.Contains(e.Message, `"`+org.Name+`"`) || !strings.Contains(e.Message, me.Email+" is its last admin") {
		t.Fatalf("the refusal should name the organization and the admin: %s", e.Message)
	}

	invited := create[api.OrganizationMembership](a, orgPath+"/memberships",
		api.CreateOrganizationMembershipRequest{Email: "invited-admin@example.com", Role: "admin"})
	if invited.Status != string(rules.StatusInvited) {
		t.Fatalf("want an invited admin, got %+v", invited)
	}
	a.do("PATCH", orgPath+"/memberships/"+a.id, map[string]string{"role": "member"}).want(200)
}

func TestOrganizationMembershipRules(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	orgPath := "/v1/organizations/" + w.org.ID

	// Last admin: w.admin and w.orgAdmin are admins.
	w.admin.do("PATCH", orgPath+"/memberships/"+w.orgAdmin.id, map[string]string{"role": "member"}).want(200)
	w.admin.do("PATCH", orgPath+"/memberships/"+w.admin.id, map[string]string{"role": "member"}).wantErr(409, rules.CodeLastAdmin)
	w.admin.do("DELETE", orgPath+"/memberships/"+w.admin.id, nil).wantErr(409, rules.CodeLastAdmin)
	w.admin.do("PATCH", orgPath+"/memberships/"+w.orgAdmin.id, map[string]string{"role": "admin"}).want(200)

	// Leaving deactivates personal credentials (not deleted) and removes memberships.
	team := create[api.Team](w.admin, orgPath+"/teams", api.CreateTeamRequest{Name: "devs"})
	create[api.TeamMembership](w.admin, "/v1/teams/"+team.ID+"/memberships", api.CreateTeamMembershipRequest{UserID: w.editor.id})
	w.editor.do("DELETE", orgPath+"/memberships/"+w.editor.id, nil).want(204)
	w.admin.do("GET", "/v1/workspaces/"+w.ws.ID+"/memberships/user/"+w.editor.id, nil).wantErr(404, api.CodeNotFound)
	w.admin.do("GET", "/v1/teams/"+team.ID+"/memberships/"+w.editor.id, nil).wantErr(404, api.CodeNotFound)
	w.editor.do("GET", "/v1/credentials/"+w.personal.ID, nil).wantErr(404, api.CodeNotFound)
	var ev api.Page[api.AuditEvent]
	w.admin.do("GET", orgPath+"/audit-events?action=deactivated&entity_id="+w.personal.ID, nil).want(200).into(&ev)
	if len(ev.Items) != 1 {
		t.Fatalf("deactivation audit events: %+v", ev.Items)
	}
	// Back in the organization, the owner finds it inactive and unusable.
	w.admin.do("POST", orgPath+"/memberships", api.CreateOrganizationMembershipRequest{Email: emailOf(t, "editor"), Role: "member"}).want(201)
	create[api.WorkspaceMembership](w.admin, "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.editor.id, Role: "editor"})
	if c := get[api.Credential](w.editor, "/v1/credentials/"+w.personal.ID); c.Status != "inactive" {
		t.Fatalf("personal credential after leaving: %+v", c)
	}
	w.editor.do("POST", "/v1/credentials/"+w.personal.ID+"/uses", api.RecordUseRequest{Workflow: "w", WorkspaceID: w.ws.ID}).wantErr(409, rules.CodeCredentialInactive)
	var tr api.CredentialTestResult
	w.editor.do("POST", "/v1/credentials/"+w.personal.ID+"/test", nil).want(200).into(&tr)
	if tr.OK {
		t.Errorf("test of an inactive credential: %+v", tr)
	}

	// SSO: organization memberships are managed by the identity provider.
	w.admin.do("PATCH", orgPath, map[string]any{"sso_enabled": true}).want(200)
	w.admin.do("POST", orgPath+"/memberships", api.CreateOrganizationMembershipRequest{Email: "sso-new@example.com", Role: "member"}).wantErr(409, rules.CodeSSOManaged)
	w.admin.do("PATCH", orgPath+"/memberships/"+w.member.id, map[string]string{"role": "admin"}).wantErr(409, rules.CodeSSOManaged)
	w.admin.do("DELETE", orgPath+"/memberships/"+w.member.id, nil).wantErr(409, rules.CodeSSOManaged)
	w.admin.do("POST", "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"}).want(201)

	// Principals must belong to the organization.
	w.admin.do("POST", "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.outsider.id, Role: "viewer"}).wantErr(422, rules.CodeNotOrganizationMember)
	foreignTeam := create[api.Team](w.outsider, "/v1/organizations/"+w.foreignOrg.ID+"/teams", api.CreateTeamRequest{Name: "x"})
	w.admin.do("POST", "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{TeamID: foreignTeam.ID, Role: "viewer"}).wantErr(422, rules.CodeNotOrganizationMember)
	w.admin.do("POST", "/v1/teams/"+team.ID+"/memberships", api.CreateTeamMembershipRequest{UserID: w.outsider.id}).wantErr(422, rules.CodeNotOrganizationMember)

	// Deleting a team removes its workspace memberships; access through it ends.
	create[api.TeamMembership](w.admin, "/v1/teams/"+team.ID+"/memberships", api.CreateTeamMembershipRequest{UserID: w.member.id})
	create[api.WorkspaceMembership](w.admin, "/v1/workspaces/"+w.other.ID+"/memberships", api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "owner"})
	if acc := get[api.Access](w.member, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.other.ID); acc.WorkspaceRole != "owner" {
		t.Fatalf("role through a team: %+v", acc)
	}
	w.admin.do("DELETE", "/v1/teams/"+team.ID, nil).want(204)
	w.admin.do("GET", "/v1/workspaces/"+w.other.ID+"/memberships/team/"+team.ID, nil).wantErr(404, api.CodeNotFound)
	if acc := get[api.Access](w.member, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.other.ID); acc.WorkspaceRole != "" {
		t.Fatalf("role after the team was deleted: %+v", acc)
	}
}

func TestDeletionRefusedWhileNotEmpty(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	e := w.admin.do("DELETE", "/v1/organizations/"+w.org.ID, nil).wantErr(409, rules.CodeOrganizationNotEmpty)
	if !strings.Contains(e.Message, `"prod"`) || !strings.Contains(e.Message, `"staging"`) {
		t.Errorf("organization error does not list the workspaces: %s", e.Message)
	}
	e = w.admin.do("DELETE", "/v1/workspaces/"+w.ws.ID, nil).wantErr(409, rules.CodeWorkspaceNotEmpty)
	if !strings.Contains(e.Message, `"slack"`) || !strings.Contains(e.Message, `"mine"`) {
		t.Errorf("workspace error does not list the credentials: %s", e.Message)
	}
	// Emptied, both go; the organization takes its teams and memberships along.
	w.admin.do("DELETE", "/v1/credentials/"+w.shared.ID, nil).want(204)
	w.editor.do("DELETE", "/v1/credentials/"+w.personal.ID, nil).want(204)
	team := create[api.Team](w.admin, "/v1/organizations/"+w.org.ID+"/teams", api.CreateTeamRequest{Name: "t"})
	w.admin.do("DELETE", "/v1/workspaces/"+w.ws.ID, nil).want(204)
	w.admin.do("DELETE", "/v1/workspaces/"+w.other.ID, nil).want(204)
	w.admin.do("DELETE", "/v1/organizations/"+w.org.ID, nil).want(204)
	w.admin.do("GET", "/v1/teams/"+team.ID, nil).wantErr(404, api.CodeNotFound)
	w.viewer.do("GET", "/v1/organizations/"+w.org.ID+"/memberships/"+w.viewer.id, nil).wantErr(404, api.CodeNotFound)
}
