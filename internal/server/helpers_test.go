package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// as is one caller of the API (a token) in a test.
type as struct {
	t     testing.TB
	srv   *testserver.Server
	token string
	id    string
}

// res is one answer.
type res struct {
	t      testing.TB
	status int
	hdr    http.Header
	body   []byte
	what   string
}

func admin(t testing.TB, srv *testserver.Server) *as {
	return &as{t: t, srv: srv, token: srv.AdminToken, id: srv.AdminUserID}
}

func user(t testing.TB, srv *testserver.Server, email string) *as {
	id, tok := srv.CreateUser(t, email)
	return &as{t: t, srv: srv, token: tok, id: id}
}

// do sends a request; body is JSON-encoded unless it is a string (sent raw).
// headers are name, value pairs.
func (a *as) do(method, path string, body any, headers ...string) res {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if bytes.Contains(b, []byte("s3cr3t")) {
		a.t.Fatalf("%s %s: a credential secret leaked into the response", method, path)
	}
	return res{t: a.t, status: resp.StatusCode, hdr: resp.Header, body: b, what: method + " " + path}
}

// want fails the test unless the status is one of the given ones.
func (r res) want(status int) res {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("%s: status %d, want %d; body %s", r.what, r.status, status, r.body)
	}
	return r
}

// into decodes the body.
func (r res) into(v any) res {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s: decoding %s: %v", r.what, r.body, err)
	}
	return r
}

// err returns the error body.
func (r res) err() api.ErrorBody {
	r.t.Helper()
	var e api.ErrorResponse
	r.into(&e)
	return e.Error
}

// wantErr checks status and error code.
func (r res) wantErr(status int, code string) api.ErrorBody {
	r.t.Helper()
	r.want(status)
	e := r.err()
	if e.Code != code {
		r.t.Fatalf("%s: error code %q, want %q (%s)", r.what, e.Code, code, e.Message)
	}
	return e
}

// create POSTs and decodes the created object.
func create[T any](a *as, path string, body any) T {
	a.t.Helper()
	var v T
	a.do("POST", path, body).want(http.StatusCreated).into(&v)
	return v
}

func get[T any](a *as, path string) T {
	a.t.Helper()
	var v T
	a.do("GET", path, nil).want(http.StatusOK).into(&v)
	return v
}

func ifMatch(v int64) []string { return []string{"If-Match", fmt.Sprintf("%q", fmt.Sprint(v))} }

// world is an organization with one workspace and a user in each role.
type world struct {
	srv                            *testserver.Server
	admin                          *as // platform admin, creator and org admin
	org                            api.Organization
	ws, other                      api.Workspace
	viewer, editor, wsAdmin, owner *as
	orgAdmin, member, outsider     *as
	personal, shared               api.Credential // personal of editor, workspace credential
	foreignOrg                     api.Organization
	foreignWS                      api.Workspace
	foreignCred                    api.Credential
}

// newWorld builds the fixture through the API itself.
func newWorld(t testing.TB, srv *testserver.Server, plan string) *world {
	t.Helper()
	w := &world{srv: srv, admin: admin(t, srv)}
	w.org = create[api.Organization](w.admin, "/v1/organizations", api.CreateOrganizationRequest{Name: "acme-" + t.Name(), Plan: plan})
	w.ws = create[api.Workspace](w.admin, "/v1/organizations/"+w.org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "prod"})
	w.other = create[api.Workspace](w.admin, "/v1/organizations/"+w.org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "staging"})
	w.viewer = w.join("viewer", "member", "viewer")
	w.editor = w.join("editor", "member", "editor")
	w.wsAdmin = w.join("wsadmin", "member", "admin")
	w.owner = w.join("owner", "member", "owner")
	w.orgAdmin = w.join("orgadmin", "admin", "")
	w.member = w.join("member", "member", "")
	w.outsider = user(t, srv, "outsider-"+slug(t)+"@example.com")
	w.personal = create[api.Credential](w.editor, "/v1/workspaces/"+w.ws.ID+"/credentials",
		api.CreateCredentialRequest{Name: "mine", Type: "github", Scope: "personal", Data: map[string]string{"token": "s3cr3t-personal"}})
	w.shared = create[api.Credential](w.admin, "/v1/workspaces/"+w.ws.ID+"/credentials",
		api.CreateCredentialRequest{Name: "slack", Type: "slack", Data: map[string]string{"token": "s3cr3t-shared"}})

	// Another tenant, owned by the outsider.
	w.foreignOrg = create[api.Organization](w.outsider, "/v1/organizations", api.CreateOrganizationRequest{Name: "other-" + t.Name()})
	w.foreignWS = create[api.Workspace](w.outsider, "/v1/organizations/"+w.foreignOrg.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "theirs"})
	w.foreignCred = create[api.Credential](w.outsider, "/v1/workspaces/"+w.foreignWS.ID+"/credentials",
		api.CreateCredentialRequest{Name: "theirs", Type: "slack", Data: map[string]string{"k": "v"}})
	return w
}

// join makes a user an organization member with orgRole and, if wsRole is set, a
// member of w.ws with that role.
func (w *world) join(name, orgRole, wsRole string) *as {
	t := w.admin.t
	t.Helper()
	u := user(t, w.srv, name+"-"+slug(t)+"@example.com")
	var m api.OrganizationMembership
	w.admin.do("POST", "/v1/organizations/"+w.org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: name + "-" + slug(t) + "@Example.com", Role: orgRole}).
		want(http.StatusCreated).into(&m)
	if m.UserID != u.id || m.Status != "active" {
		t.Fatalf("membership of %s: %+v (user %s)", name, m, u.id)
	}
	if wsRole != "" {
		create[api.WorkspaceMembership](w.admin, "/v1/workspaces/"+w.ws.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: u.id, Role: wsRole})
	}
	return u
}

func slug(t testing.TB) string {
	return strings.NewReplacer("/", "-", " ", "-").Replace(strings.ToLower(t.Name()))
}
