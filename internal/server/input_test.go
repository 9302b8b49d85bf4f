package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// wantField checks an error names exactly the field path.
func wantField(t *testing.T, e api.ErrorBody, path string) {
	t.Helper()
	if len(e.Fields) != 1 || e.Fields[0].Path != path {
		t.Errorf("error on %+v, want the field %q (%s)", e.Fields, path, e.Message)
	}
}

// TestInputIsRefusedWithItsFieldPath: what encoding/json would take silently, and
// control characters in names, descriptions and workflow names, are refused with the
// path of the field.
func TestInputIsRefusedWithItsFieldPath(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	a := w.admin
	wsPath := "/v1/organizations/" + w.org.ID + "/workspaces"
	credPath := "/v1/workspaces/" + w.ws.ID + "/credentials"

	cases := []struct {
		name, path, body string
		status           int
		code, field      string
	}{
		{"invalid UTF-8 in a name", wsPath, "{\"name\":\"caf\xe9\"}", 400, api.CodeBadRequest, "name"},
		{"invalid UTF-8 in a secret", credPath, "{\"name\":\"u\",\"type\":\"slack\",\"data\":{\"token\":\"\xff\xfe\"}}", 400, api.CodeBadRequest, "data.token"},
		{"a key twice", wsPath, `{"name":"a","name":"b"}`, 400, api.CodeBadRequest, "name"},
		{"a key twice in another case", wsPath, `{"name":"a","Name":"b"}`, 400, api.CodeBadRequest, "Name"},
		{"a data key twice", credPath, `{"name":"d","type":"slack","data":{"k":"1","k":"2"}}`, 400, api.CodeBadRequest, "data.k"},
		{"a raw control character in a name", wsPath, "{\"name\":\"a\x01b\"}", 400, api.CodeBadRequest, "name"},
		{"an escaped control character in a name", wsPath, `{"name":"a\u0001b"}`, 422, api.CodeValidation, "name"},
		{"an escaped bell in a description", wsPath, `{"name":"bell","description":"ding\u0007"}`, 422, api.CodeValidation, "description"},
		{"a NUL in a workflow name", "/v1/credentials/" + w.shared.ID + "/uses", `{"workflow":"night\u0000ly","workspace_id":"` + w.ws.ID + `"}`, 422, api.CodeValidation, "workflow"},
		{"a line break in a workflow name", "/v1/credentials/" + w.shared.ID + "/uses", `{"workflow":"night\nly","workspace_id":"` + w.ws.ID + `"}`, 422, api.CodeValidation, "workflow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := a.do("POST", c.path, c.body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			e := r.err()
			if e.Code != c.code {
				t.Errorf("code %q, want %q", e.Code, c.code)
			}
			wantField(t, e, c.field)
		})
	}
	// Accepted: line breaks and tabs in a description; data keys that differ in case
	// (a map's keys are exact).
	a.do("POST", wsPath, `{"name":"multi","description":"line one\nline two\tend"}`).want(http.StatusCreated)
	a.do("POST", credPath, `{"name":"cased","type":"slack","data":{"API_KEY":"1","api_key":"2"}}`).want(http.StatusCreated)
}

// TestNamesAreComparedAfterNormalisation: "Café" written with one code point and
// with "e" and a combining accent is one name: the second is taken, and a look-up
// by either finds the first.
func TestNamesAreComparedAfterNormalisation(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	a := w.admin
	composed, decomposed := "Caf\u00e9", "Cafe\u0301"
	wsPath := "/v1/organizations/" + w.org.ID + "/workspaces"
	ws := create[api.Workspace](a, wsPath, api.CreateWorkspaceRequest{Name: composed})
	e := a.do("POST", wsPath, api.CreateWorkspaceRequest{Name: decomposed}).wantErr(409, api.CodeConflict)
	wantField(t, e, "name")
	if !strings.Contains(e.Message, "normalisation") {
		t.Errorf("the conflict does not say why two different strings are one name: %s", e.Message)
	}
	var page api.Page[api.Workspace]
	a.do("GET", wsPath+"?name="+url.QueryEscape(decomposed), nil).want(200).into(&page)
	if len(page.Items) != 1 || page.Items[0].ID != ws.ID || page.Items[0].Name != composed {
		t.Errorf("look-up by the other form: %+v", page.Items)
	}
	// Teams, credentials, organizations and renames too.
	teams := "/v1/organizations/" + w.org.ID + "/teams"
	create[api.Team](a, teams, api.CreateTeamRequest{Name: decomposed})
	a.do("POST", teams, api.CreateTeamRequest{Name: composed}).wantErr(409, api.CodeConflict)
	creds := "/v1/workspaces/" + w.ws.ID + "/credentials"
	create[api.Credential](a, creds, api.CreateCredentialRequest{Name: composed, Type: "x", Data: map[string]string{"k": "v"}})
	a.do("POST", creds, api.CreateCredentialRequest{Name: decomposed, Type: "x", Data: map[string]string{"k": "v"}}).wantErr(409, api.CodeConflict)
	create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "Ni\u00f1o-" + slug(t)})
	a.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "Nin\u0303o-" + slug(t)}).wantErr(409, api.CodeConflict)
	a.do("PATCH", "/v1/workspaces/"+w.other.ID, map[string]string{"name": decomposed}).wantErr(409, api.CodeConflict)
}
