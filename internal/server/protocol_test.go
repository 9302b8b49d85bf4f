package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

func TestIdempotentCreate(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "idem"})
	path := "/v1/organizations/" + org.ID + "/workspaces"
	body := api.CreateWorkspaceRequest{Name: "once"}

	// Concurrent retries of one create make exactly one object.
	var wg sync.WaitGroup
	results := make([]res, 8)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = a.do("POST", path, body, "Idempotency-Key", "k-1") }()
	}
	wg.Wait()
	var first api.Workspace
	replays := 0
	for i, r := range results {
		var ws api.Workspace
		r.want(201).into(&ws)
		if i == 0 {
			first = ws
		} else if ws.ID != first.ID {
			t.Fatalf("replay made another object: %s vs %s", ws.ID, first.ID)
		}
		if r.hdr.Get(api.HeaderIdempotentReplay) == "true" {
			replays++
			if r.hdr.Get("ETag") != `"1"` {
				t.Errorf("replay ETag %q", r.hdr.Get("ETag"))
			}
		}
	}
	if replays != len(results)-1 {
		t.Errorf("%d replays, want %d", replays, len(results)-1)
	}
	var page api.Page[api.Workspace]
	a.do("GET", path+"?name=once", nil).want(200).into(&page)
	if len(page.Items) != 1 {
		t.Fatalf("%d workspaces named once", len(page.Items))
	}
	// Same key, another body: refused. The key is per user: another user may reuse it.
	a.do("POST", path, api.CreateWorkspaceRequest{Name: "twice"}, "Idempotency-Key", "k-1").wantErr(422, api.CodeIdempotencyReused)
	other := user(t, srv, "idem-other@example.com")
	create[api.Organization](other, "/v1/organizations", api.CreateOrganizationRequest{Name: "idem-other"})
	other.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "idem-other-2"}, "Idempotency-Key", "k-1").want(201)
	// A failed create stores nothing: the same key works once the request is fixed? No:
	// the body differs, so it is a new key's job; a retry of the failing body fails again.
	a.do("POST", path, api.CreateWorkspaceRequest{Name: "once"}, "Idempotency-Key", "k-2").wantErr(409, api.CodeConflict)
	a.do("POST", path, api.CreateWorkspaceRequest{Name: "once"}, "Idempotency-Key", "k-2").wantErr(409, api.CodeConflict)
}

func TestDropAfterCommitThenReplay(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{DropAfterCommitRate: 1}))
	a := admin(t, srv)
	req, _ := http.NewRequest("POST", srv.URL+"/v1/organizations", strings.NewReader(`{"name":"dropped"}`))
	req.Header.Set("Authorization", "Bearer "+srv.AdminToken)
	req.Header.Set("Idempotency-Key", "drop-1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("expected the connection to be dropped, got %d", resp.StatusCode)
	}
	srv.SetFaults(server.Faults{})
	var o api.Organization
	r := a.do("POST", "/v1/organizations", `{"name":"dropped"}`, "Idempotency-Key", "drop-1").want(201).into(&o)
	if r.hdr.Get(api.HeaderIdempotentReplay) != "true" {
		t.Fatal("the retry after a drop was not a replay")
	}
	if got := get[api.Organization](a, "/v1/organizations/"+o.ID); got.Name != "dropped" {
		t.Fatalf("committed organization: %+v", got)
	}
}

func TestIfMatch(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "etag"})
	r := a.do("GET", "/v1/organizations/"+org.ID, nil).want(200)
	if r.hdr.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", r.hdr.Get("ETag"))
	}
	r = a.do("PATCH", "/v1/organizations/"+org.ID, map[string]string{"description": "a"}, ifMatch(1)...).want(200)
	if r.hdr.Get("ETag") != `"2"` {
		t.Fatalf("ETag after update %q", r.hdr.Get("ETag"))
	}
	a.do("PATCH", "/v1/organizations/"+org.ID, map[string]string{"description": "b"}, ifMatch(1)...).wantErr(412, api.CodePreconditionFailed)
	a.do("DELETE", "/v1/organizations/"+org.ID, nil, ifMatch(1)...).wantErr(412, api.CodePreconditionFailed)
	a.do("DELETE", "/v1/organizations/"+org.ID, nil, "If-Match", "garbage").wantErr(400, api.CodeBadRequest)
	a.do("DELETE", "/v1/organizations/"+org.ID, nil, ifMatch(2)...).want(204)
}

func TestPagination(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "pages"})
	want := map[string]bool{}
	for i := 0; i < 7; i++ {
		team := create[api.Team](a, "/v1/organizations/"+org.ID+"/teams", api.CreateTeamRequest{Name: fmt.Sprintf("team-%d", i)})
		want[team.ID] = true
	}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		var p api.Page[api.Team]
		a.do("GET", "/v1/organizations/"+org.ID+"/teams?limit=3&cursor="+cursor, nil).want(200).into(&p)
		pages++
		for _, team := range p.Items {
			if seen[team.ID] || !want[team.ID] {
				t.Fatalf("unexpected or repeated team %s", team.ID)
			}
			seen[team.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if pages != 3 || len(seen) != 7 {
		t.Fatalf("%d pages, %d teams", pages, len(seen))
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "cursor=%25%25", "cursor=abc"} {
		a.do("GET", "/v1/organizations/"+org.ID+"/teams?"+q, nil).wantErr(400, api.CodeBadRequest)
	}
}

func TestStrictRequests(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	cases := []struct{ name, body string }{
		{"unknown field", `{"name":"x","nmae":"y"}`},
		{"trailing data", `{"name":"x"} {"name":"y"}`},
		{"trailing garbage", `{"name":"x"}x`},
		{"malformed", `{"name":`},
		{"wrong type", `{"name":5}`},
		{"not an object", `[]`},
		{"empty", ``},
		{"too large", `{"name":"` + strings.Repeat("x", server.DefaultMaxBodyBytes) + `"}`},
	}
	for _, c := range cases {
		a.do("POST", "/v1/organizations", c.body).wantErr(400, api.CodeBadRequest)
	}
	e := a.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: " padded", AvatarURL: "http://x", Plan: "gold"}).wantErr(422, api.CodeValidation)
	paths := map[string]bool{}
	for _, f := range e.Fields {
		paths[f.Path] = true
	}
	if !paths["name"] || !paths["avatar_url"] || !paths["plan"] {
		t.Errorf("validation fields: %+v", e.Fields)
	}
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "strict"})
	e = a.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "strict"}).wantErr(409, api.CodeConflict)
	if len(e.Fields) != 1 || e.Fields[0].Path != "name" {
		t.Errorf("conflict fields: %+v", e.Fields)
	}
	create[api.Workspace](a, "/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "w", CustomDomain: "flows.example.com"})
	org2 := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "strict2"})
	a.do("POST", "/v1/organizations/"+org2.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "w", CustomDomain: "flows.example.com"}).wantErr(409, api.CodeConflict)
	a.do("POST", "/v1/organizations/"+org2.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "w", CustomDomain: "Flows.Example.com"}).wantErr(422, api.CodeValidation)
	// Auth and routing.
	(&as{t: t, srv: srv}).do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	(&as{t: t, srv: srv, token: "flr_nope"}).do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	r := a.do("PUT", "/v1/organizations/"+org.ID, nil)
	r.wantErr(405, api.CodeMethodNotAllowed)
	if !strings.Contains(r.hdr.Get("Allow"), "PATCH") {
		t.Errorf("Allow: %q", r.hdr.Get("Allow"))
	}
	a.do("GET", "/v1/nothing", nil).wantErr(404, api.CodeNotFound)
}

func TestRateLimit(t *testing.T) {
	srv := testserver.Start(t, testserver.WithRateLimit(0.5, 2))
	a := admin(t, srv)
	for i := 0; i < 2; i++ {
		r := a.do("GET", "/v1/me", nil).want(200)
		if r.hdr.Get(api.HeaderRateLimitLimit) != "2" || r.hdr.Get(api.HeaderRateLimitRemaining) != strconv.Itoa(1-i) || r.hdr.Get(api.HeaderRateLimitReset) == "" {
			t.Fatalf("rate-limit headers: %v", r.hdr)
		}
	}
	r := a.do("GET", "/v1/me", nil)
	r.wantErr(429, api.CodeRateLimited)
	if ra, _ := strconv.Atoi(r.hdr.Get("Retry-After")); ra < 1 || ra > 2 {
		t.Fatalf("Retry-After %q", r.hdr.Get("Retry-After"))
	}
	// Per token: another token has its own bucket.
	user(t, srv, "rl@example.com").do("GET", "/v1/me", nil).want(200)
}

func TestInjectedFaults(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{ErrorRate: 1}))
	a := admin(t, srv)
	a.do("GET", "/v1/me", nil).wantErr(503, api.CodeUnavailable)
	srv.SetFaults(server.Faults{RateLimitRate: 1, RetryAfter: 3e9})
	r := a.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "never"})
	r.wantErr(429, api.CodeRateLimited)
	if r.hdr.Get("Retry-After") != "3" {
		t.Fatalf("Retry-After %q", r.hdr.Get("Retry-After"))
	}
	srv.SetFaults(server.Faults{})
	var p api.Page[api.Organization]
	a.do("GET", "/v1/organizations?name=never", nil).want(200).into(&p)
	if len(p.Items) != 0 {
		t.Fatal("a request refused by an injected fault had an effect")
	}
	if got := srv.Requests("POST", "/v1/organizations"); got != 1 {
		t.Fatalf("POST /v1/organizations counted %d", got)
	}
}

func TestCredentialUsageTestAndAudit(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	uses := "/v1/credentials/" + w.shared.ID + "/uses"
	for i := 0; i < 3; i++ {
		w.viewer.do("POST", uses, api.RecordUseRequest{Workflow: "sync", WorkspaceID: w.ws.ID}).want(204)
	}
	w.editor.do("POST", uses, api.RecordUseRequest{Workflow: "report", WorkspaceID: w.ws.ID}).want(204)
	w.viewer.do("POST", uses, api.RecordUseRequest{Workflow: "", WorkspaceID: w.ws.ID}).wantErr(422, api.CodeValidation)
	var u api.CredentialUsageList
	w.viewer.do("GET", "/v1/credentials/"+w.shared.ID+"/usage", nil).want(200).into(&u)
	if u.SinceDays != 30 || len(u.Items) != 2 {
		t.Fatalf("usage: %+v", u)
	}
	for _, it := range u.Items {
		if it.WorkspaceName != "prod" || (it.Workflow == "sync") != (it.Uses == 3 && it.UserID == w.viewer.id) {
			t.Errorf("usage row: %+v", it)
		}
	}
	w.viewer.do("GET", "/v1/credentials/"+w.shared.ID+"/usage?since_days=0", nil).wantErr(400, api.CodeBadRequest)
	var tr api.CredentialTestResult
	w.viewer.do("POST", "/v1/credentials/"+w.shared.ID+"/test", nil).want(200).into(&tr)
	if !tr.OK {
		t.Fatalf("test: %+v", tr)
	}
	var ev api.Page[api.AuditEvent]
	w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events?action=used&entity_id="+w.shared.ID, nil).want(200).into(&ev)
	if len(ev.Items) != 4 || ev.Items[0].Details["workflow"] != "sync" || ev.Items[0].ActorID != w.viewer.id {
		t.Fatalf("use events: %+v", ev.Items)
	}
	w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events?action=tested", nil).want(200).into(&ev)
	if len(ev.Items) != 1 {
		t.Fatalf("test events: %+v", ev.Items)
	}
	w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events?entity_type=workspace", nil).want(200).into(&ev)
	if len(ev.Items) != 2 {
		t.Fatalf("workspace events: %+v", ev.Items)
	}
	// Rotation bumps data_revision, never shows data.
	c := get[api.Credential](w.admin, "/v1/credentials/"+w.shared.ID)
	var rotated api.Credential
	w.admin.do("PATCH", "/v1/credentials/"+w.shared.ID, map[string]any{"data": map[string]string{"token": "s3cr3t-2"}}, ifMatch(c.Version)...).want(200).into(&rotated)
	if rotated.DataRevision != c.DataRevision+1 || rotated.Version != c.Version+1 {
		t.Fatalf("rotation: %+v -> %+v", c, rotated)
	}
}

func TestInvitedUserActivatesOnFirstRequest(t *testing.T) {
	srv := testserver.Start(t)
	a := admin(t, srv)
	u := create[api.User](a, "/v1/admin/users", api.CreateUserRequest{Email: "New.Person@Example.com", Name: "New Person"})
	if u.Status != "invited" || u.Email != "new.person@example.com" {
		t.Fatalf("created user: %+v", u)
	}
	a.do("POST", "/v1/admin/users", api.CreateUserRequest{Email: "new.person@EXAMPLE.com"}).wantErr(409, api.CodeConflict)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "activation"})
	m := create[api.OrganizationMembership](a, "/v1/organizations/"+org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: u.Email, Role: "member"})
	if m.Status != "invited" {
		t.Fatalf("membership of an invited user: %+v", m)
	}
	tok := create[api.Token](a, "/v1/admin/users/"+u.ID+"/tokens", api.CreateTokenRequest{Description: "ci"})
	if tok.UserID != u.ID || !strings.HasPrefix(tok.Token, "flr_") {
		t.Fatalf("token: %+v", tok)
	}
	nu := &as{t: t, srv: srv, token: tok.Token, id: u.ID}
	if me := get[api.Me](nu, "/v1/me"); me.Status != "active" || me.PlatformAdmin {
		t.Fatalf("me after first request: %+v", me)
	}
	if m := get[api.OrganizationMembership](a, "/v1/organizations/"+org.ID+"/memberships/"+u.ID); m.Status != "active" || m.Version != 2 {
		t.Fatalf("membership after activation: %+v", m)
	}
	// Only platform admins manage users and tokens.
	nu.do("POST", "/v1/admin/users", api.CreateUserRequest{Email: "x@example.com"}).wantErr(403, api.CodeForbidden)
	nu.do("POST", "/v1/admin/users/"+u.ID+"/tokens", api.CreateTokenRequest{}).wantErr(403, api.CodeForbidden)
	a.do("POST", "/v1/admin/users/usr_missing/tokens", api.CreateTokenRequest{}).wantErr(404, api.CodeNotFound)
}

// TestNoServerErrorOnGarbage sends odd bodies and ids to every route: the answer is
// never a 5xx.
func TestNoServerErrorOnGarbage(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "enterprise")
	ids := map[string]string{"{organization_id}": w.org.ID, "{workspace_id}": w.ws.ID, "{credential_id}": w.shared.ID,
		"{user_id}": w.viewer.id, "{team_id}": "team_x", "{principal_type}": "user", "{principal_id}": w.viewer.id}
	bodies := []string{``, `{}`, `null`, `[]`, `"x"`, `{"name":null}`, `{"data":{"a":1}}`, `{"role":5}`, `{"scope":"organization","name":"` + strings.Repeat("é", 200) + `"}`, "\x00\xff"}
	for _, rt := range api.Routes {
		for _, valid := range []bool{true, false} {
			path := rt.Pattern
			for k, v := range ids {
				if !valid {
					v = "nope%2F..%00"
				}
				path = strings.ReplaceAll(path, k, v)
			}
			for _, b := range bodies {
				for _, a := range []*as{w.admin, w.viewer, w.outsider} {
					r := a.do(rt.Method, path+"?limit=2&since_days=x&since=y&scope=z", b)
					if r.status >= 500 {
						t.Errorf("%s %s with %q: %d %s", rt.Method, path, b, r.status, r.body)
					}
				}
			}
		}
	}
}

// collect follows next_cursor through every page of a list.
func collect[T any](a *as, path string) []T {
	a.t.Helper()
	var all []T
	cursor := ""
	for i := 0; i < 100; i++ {
		var p api.Page[T]
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		a.do("GET", path+sep+"limit=2&cursor="+cursor, nil).want(200).into(&p)
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all
		}
		cursor = p.NextCursor
	}
	a.t.Fatal("no last page")
	return nil
}

func TestPaginationOfJoinedAndFilteredLists(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	if ms := collect[api.OrganizationMembership](w.orgAdmin, "/v1/organizations/"+w.org.ID+"/memberships"); len(ms) != 7 {
		t.Errorf("%d organization memberships, want 7", len(ms))
	}
	if us := collect[api.User](w.wsAdmin, "/v1/users"); len(us) != 7 {
		t.Errorf("%d users sharing an organization, want 7", len(us))
	}
	// Filtered in Go by visibility: the editor sees both, the viewer the shared one only.
	for i := 0; i < 4; i++ {
		create[api.Credential](w.admin, "/v1/workspaces/"+w.ws.ID+"/credentials", api.CreateCredentialRequest{Name: fmt.Sprintf("more-%d", i), Type: "x", Data: map[string]string{"k": "v"}})
		create[api.Credential](w.wsAdmin, "/v1/workspaces/"+w.ws.ID+"/credentials", api.CreateCredentialRequest{Name: fmt.Sprintf("own-%d", i), Type: "x", Scope: "personal", Data: map[string]string{"k": "v"}})
	}
	if cs := collect[api.Credential](w.viewer, "/v1/workspaces/"+w.ws.ID+"/credentials"); len(cs) != 5 {
		t.Errorf("viewer sees %d credentials, want 5", len(cs))
	}
	if cs := collect[api.Credential](w.wsAdmin, "/v1/organizations/"+w.org.ID+"/credentials"); len(cs) != 9 {
		t.Errorf("workspace admin sees %d credentials, want 9", len(cs))
	}
}
