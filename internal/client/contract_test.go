package client_test

// Contract tests: every service method against the real reference server
// (package testserver: the server over a real SQLite file, in process).

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// newClient is a client of srv with short waits.
func newClient(t testing.TB, url, token string, mod ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		Endpoint:      url,
		Token:         token,
		UserAgent:     "terraform-provider-flero/test",
		RetryWaitMin:  2 * time.Millisecond,
		RetryWaitMax:  20 * time.Millisecond,
		MaxRetryAfter: 50 * time.Millisecond,
		Timeout:       10 * time.Second,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// must returns v, or stops the test (see catch) when err is not nil.
func must[T any](v T, err error) T {
	if err != nil {
		_, file, line, _ := runtime.Caller(1)
		panic(mustFailure(fmt.Sprintf("%s:%d: unexpected error: %v", filepath.Base(file), line, err)))
	}
	return v
}

// noErr is must for calls that return only an error.
func noErr(err error) {
	if err != nil {
		_, file, line, _ := runtime.Caller(1)
		panic(mustFailure(fmt.Sprintf("%s:%d: unexpected error: %v", filepath.Base(file), line, err)))
	}
}

type mustFailure string

// catch turns a must failure into t.Fatal; every test using must defers it.
func catch(t testing.TB) {
	if r := recover(); r != nil {
		if m, ok := r.(mustFailure); ok {
			t.Fatal(string(m))
		}
		panic(r)
	}
}

// wantErr checks err matches sentinel (and, when code is not empty, has that code).
func wantErr(t testing.TB, err error, sentinel error, code string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want %v", err, sentinel)
	}
	for _, other := range []error{client.ErrNotFound, client.ErrConflict, client.ErrPreconditionFailed, client.ErrForbidden, client.ErrUnauthorized, client.ErrValidation, client.ErrRateLimited} {
		if other != sentinel && errors.Is(err, other) {
			t.Errorf("err = %v also matches %v", err, other)
		}
	}
	if code != "" && !client.HasCode(err, code) {
		ae, _ := client.AsAPIError(err)
		t.Errorf("code = %q, want %q (%v)", ae.Code, code, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestContractMeUsersAdmin(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	srv := testserver.Start(t)
	admin := newClient(t, srv.URL, srv.AdminToken)

	me := must(admin.Me(ctx))
	if !me.PlatformAdmin || me.ID != srv.AdminUserID {
		t.Errorf("me = %+v", me)
	}

	u := must(admin.Admin.CreateUser(ctx, api.CreateUserRequest{Email: "Alice@Example.com", Name: "Alice"}))
	if u.ID == "" || u.Status != "invited" || !strings.EqualFold(u.Email, "alice@example.com") {
		t.Errorf("user = %+v", u)
	}
	_, err := admin.Admin.CreateUser(ctx, api.CreateUserRequest{Email: "alice@example.com"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = admin.Admin.CreateUser(ctx, api.CreateUserRequest{Email: "not-an-email"})
	wantErr(t, err, client.ErrValidation, "")

	tok := must(admin.Admin.CreateToken(ctx, u.ID, api.CreateTokenRequest{Description: "ci"}))
	if tok.Token == "" || tok.UserID != u.ID {
		t.Fatalf("token = %+v", tok)
	}
	_, err = admin.Admin.CreateToken(ctx, "usr_missing", api.CreateTokenRequest{})
	wantErr(t, err, client.ErrNotFound, api.CodeNotFound)

	alice := newClient(t, srv.URL, tok.Token)
	ame := must(alice.Me(ctx))
	if ame.ID != u.ID || ame.PlatformAdmin || ame.Status != "active" {
		t.Errorf("alice me = %+v", ame)
	}
	_, err = alice.Admin.CreateUser(ctx, api.CreateUserRequest{Email: "x@example.com"})
	wantErr(t, err, client.ErrForbidden, api.CodeForbidden)

	// Tokens (rule 13): listed without their secrets, revoked, then refused.
	toks := must(alice.Tokens.List(ctx, ""))
	if len(toks) != 1 || toks[0].ID != tok.ID || toks[0].Token != "" || toks[0].LastUsedAt == nil {
		t.Errorf("alice's tokens = %+v", toks)
	}
	if l := must(admin.Tokens.List(ctx, u.ID)); len(l) != 1 {
		t.Errorf("alice's tokens seen by the platform admin = %+v", l)
	}
	spare := must(admin.Admin.CreateToken(ctx, u.ID, api.CreateTokenRequest{Name: "spare"}))
	noErr(alice.Tokens.Revoke(ctx, spare.ID))
	_, err = newClient(t, srv.URL, spare.Token).Me(ctx)
	wantErr(t, err, client.ErrUnauthorized, api.CodeUnauthorized)
	wantErr(t, alice.Tokens.Revoke(ctx, spare.ID), client.ErrNotFound, api.CodeNotFound)

	got := must(admin.Users.Get(ctx, u.ID))
	if got.Email != ame.Email || got.Status != "active" {
		t.Errorf("get user = %+v", got)
	}
	byEmail := must(admin.Users.GetByEmail(ctx, "ALICE@example.com"))
	if byEmail.ID != u.ID {
		t.Errorf("by email = %+v", byEmail)
	}
	_, err = admin.Users.GetByEmail(ctx, "nobody@example.com")
	wantErr(t, err, client.ErrNotFound, api.CodeNotFound)
	_, err = admin.Users.Get(ctx, "usr_missing")
	wantErr(t, err, client.ErrNotFound, api.CodeNotFound)

	// Alice shares no organization with the admin: the admin is invisible to her.
	_, err = alice.Users.Get(ctx, srv.AdminUserID)
	wantErr(t, err, client.ErrNotFound, "")

	bad := newClient(t, srv.URL, "flero_not_a_token")
	_, err = bad.Me(ctx)
	wantErr(t, err, client.ErrUnauthorized, api.CodeUnauthorized)
	anon := newClient(t, srv.URL, "")
	_, err = anon.Me(ctx)
	wantErr(t, err, client.ErrUnauthorized, api.CodeUnauthorized)
}

func TestContractOrganizations(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	srv := testserver.Start(t)
	c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) { cfg.PageSize = 2 })

	org := must(c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme", Description: "Acme", Plan: "pro"}))
	if org.ID == "" || org.Plan != "pro" || org.Version < 1 {
		t.Fatalf("org = %+v", org)
	}
	_, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme2", Plan: "platinum"})
	wantErr(t, err, client.ErrValidation, "")
	if ae, _ := client.AsAPIError(err); len(ae.Fields) == 0 || ae.Fields[0].Path != "plan" {
		t.Errorf("fields = %+v", ae.Fields)
	}

	// Five organizations make three pages of two.
	for i := range 4 {
		must(c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: fmt.Sprintf("org-%d", i)}))
	}
	srv.ResetCounters()
	all := must(c.Organizations.List(ctx))
	if len(all) != 5 {
		t.Fatalf("listed %d organizations, want 5", len(all))
	}
	if n := srv.Requests("GET", "/v1/organizations"); n != 3 {
		t.Errorf("List made %d requests for 5 items in pages of 2, want 3", n)
	}
	var names []string
	for o, err := range c.Organizations.All(ctx) {
		names = append(names, must(o, err).Name)
	}
	if !slices.Contains(names, "acme") || len(names) != 5 {
		t.Errorf("All = %v", names)
	}

	got := must(c.Organizations.Get(ctx, org.ID))
	if got.Name != "acme" || got.Version != org.Version {
		t.Errorf("get = %+v", got)
	}
	byName := must(c.Organizations.GetByName(ctx, "acme"))
	if byName.ID != org.ID {
		t.Errorf("by name = %+v", byName)
	}
	_, err = c.Organizations.GetByName(ctx, "missing")
	wantErr(t, err, client.ErrNotFound, api.CodeNotFound)

	up := must(c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: ptr("Acme Corp"), Plan: ptr("enterprise")}, client.WriteOptions{IfMatch: org.Version}))
	if up.Description != "Acme Corp" || up.Plan != "enterprise" || up.Version != org.Version+1 {
		t.Errorf("update = %+v", up)
	}
	_, err = c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: ptr("stale")}, client.WriteOptions{IfMatch: org.Version})
	wantErr(t, err, client.ErrPreconditionFailed, api.CodePreconditionFailed)
	if !strings.Contains(err.Error(), "run terraform plan again") {
		t.Errorf("412 reads %q", err)
	}
	// Unconditional updates are not checked.
	up = must(c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: ptr("Acme")}, client.WriteOptions{}))

	// An organization with a workspace cannot be deleted (rule 9).
	ws := must(c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod"}))
	err = c.Organizations.Delete(ctx, org.ID, client.WriteOptions{})
	wantErr(t, err, client.ErrConflict, rules.CodeOrganizationNotEmpty)
	if !strings.Contains(err.Error(), "prod") {
		t.Errorf("refusal does not name what remains: %v", err)
	}
	noErr(c.Workspaces.Delete(ctx, ws.ID, client.WriteOptions{IfMatch: ws.Version}))

	wantErr(t, c.Organizations.Delete(ctx, org.ID, client.WriteOptions{IfMatch: up.Version - 1}), client.ErrPreconditionFailed, "")
	noErr(c.Organizations.Delete(ctx, org.ID, client.WriteOptions{IfMatch: up.Version}))
	_, err = c.Organizations.Get(ctx, org.ID)
	wantErr(t, err, client.ErrNotFound, api.CodeNotFound)
	wantErr(t, c.Organizations.Delete(ctx, org.ID, client.WriteOptions{}), client.ErrNotFound, "")

	// Another tenant's organization is not found, never forbidden.
	_, tok := srv.CreateUser(t, "outsider@example.com")
	out := newClient(t, srv.URL, tok)
	_, err = out.Organizations.Get(ctx, all[1].ID)
	wantErr(t, err, client.ErrNotFound, "")
	if orgs := must(out.Organizations.List(ctx)); len(orgs) != 0 {
		t.Errorf("outsider lists %d organizations", len(orgs))
	}
}

// tenancy is an organization with an admin client, a member, and a workspace.
type tenancy struct {
	srv      *testserver.Server
	admin    *client.Client // platform admin, organization admin
	org      *api.Organization
	ws       *api.Workspace
	memberID string
	member   *client.Client // organization member
}

func newTenancy(t *testing.T, opts ...testserver.Option) *tenancy {
	t.Helper()
	defer catch(t)
	ctx := context.Background()
	srv := testserver.Start(t, opts...)
	admin := newClient(t, srv.URL, srv.AdminToken)
	org := must(admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme"}))
	ws := must(admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod"}))
	memberID, tok := srv.CreateUser(t, "member@example.com")
	must(admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "member@example.com", Role: "member"}))
	return &tenancy{srv: srv, admin: admin, org: org, ws: ws, memberID: memberID, member: newClient(t, srv.URL, tok)}
}

func TestContractOrganizationMemberships(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c, orgID := tn.admin, tn.org.ID

	inv := must(c.OrganizationMemberships.Create(ctx, orgID, api.CreateOrganizationMembershipRequest{Email: "New@Example.com", Role: "member"}))
	if inv.Status != "invited" || inv.Role != "member" || inv.UserID == "" {
		t.Errorf("invited = %+v", inv)
	}
	_, err := c.OrganizationMemberships.Create(ctx, orgID, api.CreateOrganizationMembershipRequest{Email: "new@example.com", Role: "member"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = c.OrganizationMemberships.Create(ctx, orgID, api.CreateOrganizationMembershipRequest{Email: "x@example.com", Role: "owner"})
	wantErr(t, err, client.ErrValidation, "")

	m := must(c.OrganizationMemberships.Get(ctx, orgID, tn.memberID))
	if m.Status != "active" || m.Role != "member" {
		t.Errorf("member = %+v", m)
	}
	byEmail := must(c.OrganizationMemberships.GetByEmail(ctx, orgID, "NEW@example.com"))
	if byEmail.UserID != inv.UserID {
		t.Errorf("by email = %+v", byEmail)
	}
	_, err = c.OrganizationMemberships.GetByEmail(ctx, orgID, "nobody@example.com")
	wantErr(t, err, client.ErrNotFound, "")
	list := must(c.OrganizationMemberships.List(ctx, orgID))
	if len(list) != 3 { // admin, member, invited
		t.Errorf("listed %d memberships", len(list))
	}
	n := 0
	for _, err := range c.OrganizationMemberships.All(ctx, orgID) {
		noErr(err)
		n++
	}
	if n != 3 {
		t.Errorf("All gave %d", n)
	}

	// A member cannot manage memberships: another member's is not even visible (rule 10).
	_, err = tn.member.OrganizationMemberships.Update(ctx, orgID, inv.UserID, api.UpdateOrganizationMembershipRequest{Role: ptr("admin")}, client.WriteOptions{})
	wantErr(t, err, client.ErrNotFound, "")

	up := must(c.OrganizationMemberships.Update(ctx, orgID, tn.memberID, api.UpdateOrganizationMembershipRequest{Role: ptr("admin")}, client.WriteOptions{IfMatch: m.Version}))
	if up.Role != "admin" || up.Version != m.Version+1 {
		t.Errorf("update = %+v", up)
	}
	_, err = c.OrganizationMemberships.Update(ctx, orgID, tn.memberID, api.UpdateOrganizationMembershipRequest{Role: ptr("member")}, client.WriteOptions{IfMatch: m.Version})
	wantErr(t, err, client.ErrPreconditionFailed, "")
	must(c.OrganizationMemberships.Update(ctx, orgID, tn.memberID, api.UpdateOrganizationMembershipRequest{Role: ptr("member")}, client.WriteOptions{IfMatch: up.Version}))

	// The last admin cannot leave (rule 6).
	adminM := must(c.OrganizationMemberships.Get(ctx, orgID, tn.srv.AdminUserID))
	_, err = c.OrganizationMemberships.Update(ctx, orgID, tn.srv.AdminUserID, api.UpdateOrganizationMembershipRequest{Role: ptr("member")}, client.WriteOptions{IfMatch: adminM.Version})
	wantErr(t, err, client.ErrConflict, rules.CodeLastAdmin)
	wantErr(t, c.OrganizationMemberships.Delete(ctx, orgID, tn.srv.AdminUserID, client.WriteOptions{}), client.ErrConflict, rules.CodeLastAdmin)

	wantErr(t, c.OrganizationMemberships.Delete(ctx, orgID, inv.UserID, client.WriteOptions{IfMatch: inv.Version + 5}), client.ErrPreconditionFailed, "")
	noErr(c.OrganizationMemberships.Delete(ctx, orgID, inv.UserID, client.WriteOptions{IfMatch: inv.Version}))
	_, err = c.OrganizationMemberships.Get(ctx, orgID, inv.UserID)
	wantErr(t, err, client.ErrNotFound, "")

	// SSO: organization memberships come from the identity provider (rule 7).
	must(c.Organizations.Update(ctx, orgID, api.UpdateOrganizationRequest{SSOEnabled: ptr(true)}, client.WriteOptions{}))
	_, err = c.OrganizationMemberships.Create(ctx, orgID, api.CreateOrganizationMembershipRequest{Email: "sso@example.com", Role: "member"})
	wantErr(t, err, client.ErrConflict, rules.CodeSSOManaged)
}

func TestContractWorkspaces(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c, orgID := tn.admin, tn.org.ID

	ws := must(c.Workspaces.Create(ctx, orgID, api.CreateWorkspaceRequest{Name: "staging", Description: "s", CustomDomain: "staging.acme.example"}))
	if ws.OrganizationID != orgID || ws.CustomDomain != "staging.acme.example" {
		t.Errorf("ws = %+v", ws)
	}
	_, err := c.Workspaces.Create(ctx, orgID, api.CreateWorkspaceRequest{Name: "staging"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = c.Workspaces.Create(ctx, orgID, api.CreateWorkspaceRequest{Name: "x", CustomDomain: "not a domain"})
	wantErr(t, err, client.ErrValidation, "")
	_, err = tn.member.Workspaces.Create(ctx, orgID, api.CreateWorkspaceRequest{Name: "mine"})
	wantErr(t, err, client.ErrForbidden, "")
	_, err = c.Workspaces.Create(ctx, "org_missing", api.CreateWorkspaceRequest{Name: "x"})
	wantErr(t, err, client.ErrNotFound, "")

	got := must(c.Workspaces.Get(ctx, ws.ID))
	if got.Name != "staging" || got.Version != ws.Version {
		t.Errorf("get = %+v", got)
	}
	byName := must(c.Workspaces.GetByName(ctx, orgID, "staging"))
	if byName.ID != ws.ID {
		t.Errorf("by name = %+v", byName)
	}
	_, err = c.Workspaces.GetByName(ctx, orgID, "nope")
	wantErr(t, err, client.ErrNotFound, "")
	if l := must(c.Workspaces.List(ctx, orgID)); len(l) != 2 {
		t.Errorf("listed %d workspaces", len(l))
	}
	n := 0
	for _, err := range c.Workspaces.All(ctx, orgID) {
		noErr(err)
		n++
	}
	if n != 2 {
		t.Errorf("All gave %d", n)
	}

	up := must(c.Workspaces.Update(ctx, ws.ID, api.UpdateWorkspaceRequest{CustomDomain: ptr(""), Name: ptr("stage")}, client.WriteOptions{IfMatch: ws.Version}))
	if up.CustomDomain != "" || up.Name != "stage" || up.Version != ws.Version+1 {
		t.Errorf("update = %+v", up)
	}
	_, err = c.Workspaces.Update(ctx, ws.ID, api.UpdateWorkspaceRequest{Name: ptr("again")}, client.WriteOptions{IfMatch: ws.Version})
	wantErr(t, err, client.ErrPreconditionFailed, "")
	_, err = tn.member.Workspaces.Update(ctx, ws.ID, api.UpdateWorkspaceRequest{Name: ptr("hijack")}, client.WriteOptions{})
	if !errors.Is(err, client.ErrForbidden) && !errors.Is(err, client.ErrNotFound) {
		t.Errorf("member update: %v", err)
	}

	wantErr(t, c.Workspaces.Delete(ctx, ws.ID, client.WriteOptions{IfMatch: ws.Version}), client.ErrPreconditionFailed, "")
	noErr(c.Workspaces.Delete(ctx, ws.ID, client.WriteOptions{IfMatch: up.Version}))
	_, err = c.Workspaces.Get(ctx, ws.ID)
	wantErr(t, err, client.ErrNotFound, "")
}

func TestContractTeamsAndTeamMemberships(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c, orgID := tn.admin, tn.org.ID

	team := must(c.Teams.Create(ctx, orgID, api.CreateTeamRequest{Name: "platform", Description: "p"}))
	_, err := c.Teams.Create(ctx, orgID, api.CreateTeamRequest{Name: "platform"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = c.Teams.Create(ctx, orgID, api.CreateTeamRequest{Name: ""})
	wantErr(t, err, client.ErrValidation, "")
	_, err = tn.member.Teams.Create(ctx, orgID, api.CreateTeamRequest{Name: "rogue"})
	wantErr(t, err, client.ErrForbidden, "")

	if got := must(c.Teams.Get(ctx, team.ID)); got.Name != "platform" {
		t.Errorf("get = %+v", got)
	}
	if got := must(c.Teams.GetByName(ctx, orgID, "platform")); got.ID != team.ID {
		t.Errorf("by name = %+v", got)
	}
	_, err = c.Teams.GetByName(ctx, orgID, "nope")
	wantErr(t, err, client.ErrNotFound, "")
	if l := must(c.Teams.List(ctx, orgID)); len(l) != 1 {
		t.Errorf("listed %d teams", len(l))
	}
	for tm, err := range c.Teams.All(ctx, orgID) {
		if must(tm, err).ID != team.ID {
			t.Errorf("All gave %+v", tm)
		}
	}
	up := must(c.Teams.Update(ctx, team.ID, api.UpdateTeamRequest{Description: ptr("Platform team")}, client.WriteOptions{IfMatch: team.Version}))
	if up.Description != "Platform team" || up.Version != team.Version+1 {
		t.Errorf("update = %+v", up)
	}
	_, err = c.Teams.Update(ctx, team.ID, api.UpdateTeamRequest{Description: ptr("x")}, client.WriteOptions{IfMatch: team.Version})
	wantErr(t, err, client.ErrPreconditionFailed, "")

	tm := must(c.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: tn.memberID}))
	if tm.TeamID != team.ID || tm.UserID != tn.memberID {
		t.Errorf("team membership = %+v", tm)
	}
	_, err = c.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: tn.memberID})
	wantErr(t, err, client.ErrConflict, "")
	outsiderID, _ := tn.srv.CreateUser(t, "outsider@example.com")
	_, err = c.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: outsiderID})
	wantErr(t, err, client.ErrValidation, rules.CodeNotOrganizationMember)

	if got := must(c.TeamMemberships.Get(ctx, team.ID, tn.memberID)); got.Version != tm.Version {
		t.Errorf("get = %+v", got)
	}
	if l := must(c.TeamMemberships.List(ctx, team.ID)); len(l) != 1 || l[0].UserID != tn.memberID {
		t.Errorf("list = %+v", l)
	}
	for m, err := range c.TeamMemberships.All(ctx, team.ID) {
		if must(m, err).UserID != tn.memberID {
			t.Errorf("All gave %+v", m)
		}
	}
	wantErr(t, c.TeamMemberships.Delete(ctx, team.ID, tn.memberID, client.WriteOptions{IfMatch: tm.Version + 1}), client.ErrPreconditionFailed, "")
	noErr(c.TeamMemberships.Delete(ctx, team.ID, tn.memberID, client.WriteOptions{IfMatch: tm.Version}))
	_, err = c.TeamMemberships.Get(ctx, team.ID, tn.memberID)
	wantErr(t, err, client.ErrNotFound, "")

	noErr(c.Teams.Delete(ctx, team.ID, client.WriteOptions{IfMatch: up.Version}))
	_, err = c.Teams.Get(ctx, team.ID)
	wantErr(t, err, client.ErrNotFound, "")
}

func TestContractWorkspaceMembershipsAndAccess(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c, wsID := tn.admin, tn.ws.ID
	team := must(c.Teams.Create(ctx, tn.org.ID, api.CreateTeamRequest{Name: "ops"}))

	acc := must(tn.member.Access(ctx, tn.org.ID, wsID))
	if acc.OrgRole != "member" || acc.WorkspaceRole != "" {
		t.Errorf("access before = %+v", acc)
	}

	um := must(c.WorkspaceMemberships.Create(ctx, wsID, api.CreateWorkspaceMembershipRequest{UserID: tn.memberID, Role: "viewer"}))
	if um.PrincipalType != client.PrincipalUser || um.PrincipalID != tn.memberID || um.Role != "viewer" {
		t.Errorf("user membership = %+v", um)
	}
	tmm := must(c.WorkspaceMemberships.Create(ctx, wsID, api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "editor"}))
	if tmm.PrincipalType != client.PrincipalTeam || tmm.PrincipalID != team.ID {
		t.Errorf("team membership = %+v", tmm)
	}
	_, err := c.WorkspaceMemberships.Create(ctx, wsID, api.CreateWorkspaceMembershipRequest{UserID: tn.memberID, TeamID: team.ID, Role: "viewer"})
	wantErr(t, err, client.ErrValidation, "")
	_, err = c.WorkspaceMemberships.Create(ctx, wsID, api.CreateWorkspaceMembershipRequest{UserID: tn.memberID, Role: "viewer"})
	wantErr(t, err, client.ErrConflict, "")
	_, err = tn.member.WorkspaceMemberships.Create(ctx, wsID, api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "owner"})
	wantErr(t, err, client.ErrForbidden, "")

	if got := must(c.WorkspaceMemberships.Get(ctx, wsID, client.PrincipalTeam, team.ID)); got.Role != "editor" {
		t.Errorf("get = %+v", got)
	}
	if l := must(c.WorkspaceMemberships.List(ctx, wsID)); len(l) != 2 {
		t.Errorf("listed %d", len(l))
	}
	n := 0
	for _, err := range c.WorkspaceMemberships.All(ctx, wsID) {
		noErr(err)
		n++
	}
	if n != 2 {
		t.Errorf("All gave %d", n)
	}

	up := must(c.WorkspaceMemberships.Update(ctx, wsID, client.PrincipalUser, tn.memberID, api.UpdateWorkspaceMembershipRequest{Role: ptr("admin")}, client.WriteOptions{IfMatch: um.Version}))
	if up.Role != "admin" || up.Version != um.Version+1 {
		t.Errorf("update = %+v", up)
	}
	_, err = c.WorkspaceMemberships.Update(ctx, wsID, client.PrincipalUser, tn.memberID, api.UpdateWorkspaceMembershipRequest{Role: ptr("viewer")}, client.WriteOptions{IfMatch: um.Version})
	wantErr(t, err, client.ErrPreconditionFailed, "")
	acc = must(tn.member.Access(ctx, tn.org.ID, wsID))
	if acc.WorkspaceRole != "admin" || !acc.InAnyWorkspace {
		t.Errorf("access after = %+v", acc)
	}
	orgOnly := must(tn.member.Access(ctx, tn.org.ID, ""))
	if orgOnly.OrgRole != "member" || orgOnly.WorkspaceID != "" {
		t.Errorf("org access = %+v", orgOnly)
	}

	noErr(c.WorkspaceMemberships.Delete(ctx, wsID, client.PrincipalTeam, team.ID, client.WriteOptions{IfMatch: tmm.Version}))
	_, err = c.WorkspaceMemberships.Get(ctx, wsID, client.PrincipalTeam, team.ID)
	wantErr(t, err, client.ErrNotFound, "")
	wantErr(t, c.WorkspaceMemberships.Delete(ctx, wsID, client.PrincipalTeam, team.ID, client.WriteOptions{}), client.ErrNotFound, "")
}

func TestContractCredentials(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c, wsID, orgID := tn.admin, tn.ws.ID, tn.org.ID
	secret := map[string]string{"token": "s3cr3t-value"}

	cred := must(c.Credentials.Create(ctx, wsID, api.CreateCredentialRequest{Name: "github", Type: "generic", Data: secret}))
	if cred.Scope != "workspace" || cred.Status != "active" || cred.OwnerID != tn.srv.AdminUserID || cred.DataRevision < 1 {
		t.Errorf("cred = %+v", cred)
	}
	_, err := c.Credentials.Create(ctx, wsID, api.CreateCredentialRequest{Name: "github", Type: "generic", Data: secret})
	wantErr(t, err, client.ErrConflict, "")
	// Organization scope needs the enterprise plan (rule 1): 422 with the rule's code.
	_, err = c.Credentials.Create(ctx, wsID, api.CreateCredentialRequest{Name: "org", Type: "generic", Scope: "organization", Data: secret})
	wantErr(t, err, client.ErrValidation, rules.CodeScopeRequiresEnterprise)
	if ae, _ := client.AsAPIError(err); len(ae.Fields) == 0 || ae.Fields[0].Path != "scope" {
		t.Errorf("fields = %+v", ae.Fields)
	}
	// A member with no role in the workspace does not see it (rule 10).
	_, err = tn.member.Credentials.Create(ctx, wsID, api.CreateCredentialRequest{Name: "m", Type: "generic", Data: secret})
	wantErr(t, err, client.ErrNotFound, "")

	if got := must(c.Credentials.Get(ctx, cred.ID)); got.Name != "github" || got.Version != cred.Version {
		t.Errorf("get = %+v", got)
	}
	if l := must(c.Credentials.List(ctx, wsID)); len(l) != 1 {
		t.Errorf("listed %d", len(l))
	}
	for cr, err := range c.Credentials.All(ctx, wsID) {
		if must(cr, err).ID != cred.ID {
			t.Errorf("All gave %+v", cr)
		}
	}

	// Rotation bumps data_revision; a stale If-Match is refused.
	up := must(c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Data: map[string]string{"token": "rotated"}}, client.WriteOptions{IfMatch: cred.Version}))
	if up.DataRevision != cred.DataRevision+1 || up.Version != cred.Version+1 {
		t.Errorf("rotate = %+v", up)
	}
	_, err = c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Description: ptr("x")}, client.WriteOptions{IfMatch: cred.Version})
	wantErr(t, err, client.ErrPreconditionFailed, "")
	// A rotation to no data at all is sent as such and refused on data, not
	// turned into a PATCH that changes nothing.
	_, err = c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Data: map[string]string{}}, client.WriteOptions{IfMatch: up.Version})
	wantErr(t, err, client.ErrValidation, api.CodeValidation)
	if ae, _ := client.AsAPIError(err); len(ae.Fields) != 1 || ae.Fields[0].Path != "data" {
		t.Errorf("empty data refused on %+v, want data", ae.Fields)
	}
	_, err = c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Scope: ptr("organization")}, client.WriteOptions{})
	wantErr(t, err, client.ErrValidation, rules.CodeScopeRequiresEnterprise)

	// Enterprise: widen to organization scope, list by organization and scope.
	must(c.Organizations.Update(ctx, orgID, api.UpdateOrganizationRequest{Plan: ptr("enterprise")}, client.WriteOptions{}))
	up = must(c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Scope: ptr("organization")}, client.WriteOptions{IfMatch: up.Version}))
	if up.Scope != "organization" {
		t.Errorf("rescope = %+v", up)
	}
	personal := must(c.Credentials.Create(ctx, wsID, api.CreateCredentialRequest{Name: "mine", Type: "generic", Scope: "personal", Data: secret}))
	if l := must(c.Credentials.ListByOrganization(ctx, orgID, client.CredentialListOptions{})); len(l) != 2 {
		t.Errorf("by organization: %d", len(l))
	}
	if l := must(c.Credentials.ListByOrganization(ctx, orgID, client.CredentialListOptions{Scope: "organization"})); len(l) != 1 || l[0].ID != cred.ID {
		t.Errorf("by organization, organization scope: %+v", l)
	}
	for cr, err := range c.Credentials.AllByOrganization(ctx, orgID, client.CredentialListOptions{Scope: "personal"}) {
		if must(cr, err).ID != personal.ID {
			t.Errorf("AllByOrganization gave %+v", cr)
		}
	}
	// The downgrade guard names the organization-scoped credential (rule 2).
	_, err = c.Organizations.Update(ctx, orgID, api.UpdateOrganizationRequest{Plan: ptr("pro")}, client.WriteOptions{})
	wantErr(t, err, client.ErrConflict, rules.CodeDowngradeBlocked)
	if !strings.Contains(err.Error(), "github") {
		t.Errorf("downgrade refusal does not name the credential: %v", err)
	}
	// Someone else's personal credential is not found (rule 4).
	_, err = tn.member.Credentials.Get(ctx, personal.ID)
	wantErr(t, err, client.ErrNotFound, "")

	// Uses, usage, test.
	noErr(c.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "deploy", WorkspaceID: wsID}))
	noErr(c.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "deploy", WorkspaceID: wsID}))
	wantErr(t, c.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "deploy"}), client.ErrValidation, "")
	usage := must(c.Credentials.Usage(ctx, cred.ID, 7))
	if usage.SinceDays != 7 || len(usage.Items) != 1 || usage.Items[0].Uses != 2 || usage.Items[0].Workflow != "deploy" {
		t.Errorf("usage = %+v", usage)
	}
	if u := must(c.Credentials.Usage(ctx, cred.ID, 0)); u.SinceDays != 30 {
		t.Errorf("default usage window = %d", u.SinceDays)
	}
	res := must(c.Credentials.Test(ctx, cred.ID))
	if res.Message == "" {
		t.Errorf("test = %+v", res)
	}
	_, err = c.Credentials.Test(ctx, "cred_missing")
	wantErr(t, err, client.ErrNotFound, "")

	// A workspace holding credentials cannot be deleted (rule 9).
	wantErr(t, c.Workspaces.Delete(ctx, wsID, client.WriteOptions{}), client.ErrConflict, rules.CodeWorkspaceNotEmpty)

	wantErr(t, c.Credentials.Delete(ctx, cred.ID, client.WriteOptions{IfMatch: cred.Version}), client.ErrPreconditionFailed, "")
	noErr(c.Credentials.Delete(ctx, cred.ID, client.WriteOptions{IfMatch: up.Version}))
	_, err = c.Credentials.Get(ctx, cred.ID)
	wantErr(t, err, client.ErrNotFound, "")
}

func TestContractAudit(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	tn := newTenancy(t)
	c := tn.admin
	before := time.Now().Add(-time.Second)
	cred := must(c.Credentials.Create(ctx, tn.ws.ID, api.CreateCredentialRequest{Name: "a", Type: "generic", Data: map[string]string{"k": "audit-secret"}}))
	noErr(c.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "wf", WorkspaceID: tn.ws.ID}))

	all := must(c.Audit.List(ctx, tn.org.ID, client.AuditListOptions{}))
	if len(all) < 4 { // org, workspace, membership, credential, use
		t.Errorf("only %d events", len(all))
	}
	used := must(c.Audit.List(ctx, tn.org.ID, client.AuditListOptions{Action: "used", EntityType: "credential", EntityID: cred.ID, WorkspaceID: tn.ws.ID, ActorID: tn.srv.AdminUserID, Since: before}))
	if len(used) != 1 || used[0].Details["workflow"] != "wf" {
		t.Errorf("used = %+v", used)
	}
	for _, e := range all {
		for _, v := range e.Details {
			if strings.Contains(v, "audit-secret") {
				t.Errorf("audit event %s holds the secret", e.ID)
			}
		}
	}
	n := 0
	for _, err := range c.Audit.All(ctx, tn.org.ID, client.AuditListOptions{EntityType: "credential"}) {
		noErr(err)
		n++
	}
	if n < 2 {
		t.Errorf("All gave %d credential events", n)
	}
	if l := must(c.Audit.List(ctx, tn.org.ID, client.AuditListOptions{Since: time.Now().Add(time.Hour)})); len(l) != 0 {
		t.Errorf("future since gave %d", len(l))
	}
	_, err := tn.member.Audit.List(ctx, tn.org.ID, client.AuditListOptions{})
	if err != nil && !errors.Is(err, client.ErrForbidden) {
		t.Errorf("member audit: %v", err)
	}
}

func TestContractRateLimited(t *testing.T) {
	defer catch(t)
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{RateLimitRate: 1, RetryAfter: time.Minute}))
	c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) { cfg.RetryMax = 2 })
	start := time.Now()
	_, err := c.Me(context.Background())
	wantErr(t, err, client.ErrRateLimited, api.CodeRateLimited)
	if ae, _ := client.AsAPIError(err); ae.RetryAfter != time.Minute {
		t.Errorf("RetryAfter = %v", ae.RetryAfter)
	}
	if n := srv.TotalRequests(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if el := time.Since(start); el > 30*time.Second { // uncapped: two minutes
		t.Errorf("took %s: Retry-After not capped at 50ms", el)
	}
}
