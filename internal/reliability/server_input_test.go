package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// requestTypes are the JSON bodies of the routes that read one. A route of api.Routes
// that is a POST or a PATCH must be listed (or listed in noBody), so that a new route
// cannot escape the suite.
var requestTypes = map[string]any{
	"POST /v1/admin/users":                                                            api.CreateUserRequest{},
	"POST /v1/admin/users/{user_id}/tokens":                                           api.CreateTokenRequest{},
	"POST /v1/organizations":                                                          api.CreateOrganizationRequest{},
	"PATCH /v1/organizations/{organization_id}":                                       api.UpdateOrganizationRequest{},
	"POST /v1/organizations/{organization_id}/memberships":                            api.CreateOrganizationMembershipRequest{},
	"PATCH /v1/organizations/{organization_id}/memberships/{user_id}":                 api.UpdateOrganizationMembershipRequest{},
	"POST /v1/organizations/{organization_id}/workspaces":                             api.CreateWorkspaceRequest{},
	"PATCH /v1/workspaces/{workspace_id}":                                             api.UpdateWorkspaceRequest{},
	"POST /v1/organizations/{organization_id}/teams":                                  api.CreateTeamRequest{},
	"PATCH /v1/teams/{team_id}":                                                       api.UpdateTeamRequest{},
	"POST /v1/teams/{team_id}/memberships":                                            api.CreateTeamMembershipRequest{},
	"POST /v1/workspaces/{workspace_id}/memberships":                                  api.CreateWorkspaceMembershipRequest{},
	"PATCH /v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}": api.UpdateWorkspaceMembershipRequest{},
	"POST /v1/workspaces/{workspace_id}/credentials":                                  api.CreateCredentialRequest{},
	"PATCH /v1/credentials/{credential_id}":                                           api.UpdateCredentialRequest{},
	"POST /v1/credentials/{credential_id}/uses":                                       api.RecordUseRequest{},
	"POST /v1/organizations/{organization_id}/api-keys":                               api.CreateAPIKeyRequest{},
	"POST /v1/workspaces/{workspace_id}/api-keys":                                     api.CreateAPIKeyRequest{},
	"PATCH /v1/api-keys/{api_key_id}":                                                 api.UpdateAPIKeyRequest{},
}

// noBody are the POST routes that read no body.
var noBody = map[string]bool{
	"POST /v1/credentials/{credential_id}/test":                                        true,
	"POST /v1/organizations/{organization_id}/memberships/{user_id}/resend-invitation": true,
}

// inputCase is one request of the suite.
type inputCase struct {
	name     string
	route    api.Route
	path     string
	query    string
	body     []byte
	header   map[string]string
	token    string // "" = the admin's
	must4xx  bool   // else: never 5xx
	noSecret string // the answer must not hold this
}

// secretMarker goes into values that must never come back in an error.
const secretMarker = "s3cr3t-marker-value"

// wrongTyped returns, for each JSON field of the request type of v, a body where that
// field has a value of the wrong type (and holds secretMarker where it can).
func wrongTyped(v any) map[string][]byte {
	out := map[string][]byte{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		k := f.Type.Kind()
		if k == reflect.Pointer {
			k = f.Type.Elem().Kind()
		}
		var bad []string
		switch k {
		case reflect.String:
			bad = []string{`12345`, `["` + secretMarker + `"]`, `{"a":"` + secretMarker + `"}`, `true`}
		case reflect.Bool:
			bad = []string{`"` + secretMarker + `"`, `1`}
		case reflect.Map:
			bad = []string{`"` + secretMarker + `"`, `["` + secretMarker + `"]`, `{"k": 1}`, `{"k": ["` + secretMarker + `"]}`}
		default:
			bad = []string{`"` + secretMarker + `"`}
		}
		for j, b := range bad {
			out[fmt.Sprintf("%s wrong type %d", name, j)] = []byte(fmt.Sprintf(`{%q: %s}`, name, b))
		}
	}
	return out
}

// TestServerRejectsBadInput sends malformed, oversized and wrongly typed JSON bodies,
// bad query parameters, garbage ids, bad If-Match headers and bad tokens to every route
// of api.Routes on the reference server. Every answer is below 500; the malformed ones
// are 4xx; every 4xx carries the error shape (a code and a message); no error message
// echoes a value of the request that could be a secret.
func TestServerRejectsBadInput(t *testing.T) {
	t.Parallel()
	fig := newFigures(t, "server_bad_input")
	srv := testserver.Start(t)
	c := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()

	// Real objects, so that every route reaches its body decoding.
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "input-" + randomHex(3), Plan: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	ws, _ := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "ws"})
	team, _ := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "team"})
	m, _ := c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "input-member@example.com", Role: "member"})
	if ws == nil || team == nil || m == nil {
		t.Fatal("fixture creation failed")
	}
	if _, err := c.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: m.UserID}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: m.UserID, Role: "viewer"}); err != nil {
		t.Fatal(err)
	}
	cred, err := c.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "cred", Type: "slack_bot", Data: map[string]string{"token": secretMarker}})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"organization_id": org.ID, "workspace_id": ws.ID, "team_id": team.ID, "user_id": m.UserID,
		"principal_type": client.PrincipalUser, "principal_id": m.UserID, "credential_id": cred.ID}
	fill := func(pattern string, garbage string) string {
		p := pattern
		for name, id := range ids {
			v := id
			if garbage != "" {
				v = garbage
			}
			p = strings.ReplaceAll(p, "{"+name+"}", v)
		}
		return p
	}

	var cases []inputCase
	add := func(cs ...inputCase) { cases = append(cases, cs...) }
	oversized := []byte(`{"name":"` + strings.Repeat("a", 3<<20) + `"}`)
	deep := []byte(`{"name":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`)
	for _, rt := range api.Routes {
		key := rt.Method + " " + rt.Pattern
		path := fill(rt.Pattern, "")
		base := inputCase{route: rt, path: path}
		typ, hasBody := requestTypes[key]
		if (rt.Method == "POST" || rt.Method == "PATCH") && !hasBody && !noBody[key] {
			t.Errorf("%s: no request type listed for this route", key)
		}
		if hasBody {
			bodies := map[string][]byte{
				"truncated JSON":         []byte(`{"name": "x`),
				"not JSON":               []byte(`this is not json ` + secretMarker),
				"array":                  []byte(`["` + secretMarker + `"]`),
				"string":                 []byte(`"` + secretMarker + `"`),
				"number":                 []byte(`42`),
				"two objects":            []byte(`{} {}`),
				"unknown field":          []byte(`{"bogus_field": "` + secretMarker + `"}`),
				"empty body":             nil,
				"oversized (3 MiB)":      oversized,
				"nested 200000 deep":     deep,
				"NUL bytes":              []byte("{\"name\": \"a\x00b\"\x00}"),
				"control char in JSON":   []byte("{\"name\": \"a\nb\"}"),
				"huge number":            []byte(`{"name": 1e999}`),
				"duplicate unknown keys": []byte(`{"x":1,"x":2}`),
			}
			for name, b := range wrongTyped(typ) {
				bodies[name] = b
			}
			for name, b := range bodies {
				cs := base
				cs.name, cs.body, cs.must4xx, cs.noSecret = name, b, true, secretMarker
				add(cs)
			}
			// Valid JSON that may or may not be acceptable: never a 5xx.
			for name, b := range map[string][]byte{
				"null":          []byte(`null`),
				"empty object":  []byte(`{}`),
				"invalid UTF-8": append(append([]byte(`{"name": "`), 0xff, 0xfe, 0xfd), []byte(`"}`)...),
			} {
				cs := base
				cs.name, cs.body = name, b
				if rt.Method == "PATCH" {
					cs.header = map[string]string{"If-Match": `"999999"`} // never applied
				}
				add(cs)
			}
		}
		// Bad If-Match on writes to existing objects.
		if rt.Method == "PATCH" || rt.Method == "DELETE" {
			for name, h := range map[string]string{"stale If-Match": `"999999"`, "garbage If-Match": `not-an-etag`, "negative If-Match": `"-1"`, "huge If-Match": `"99999999999999999999999"`} {
				cs := base
				cs.name, cs.header, cs.must4xx = name, map[string]string{"If-Match": h}, true
				if rt.Method == "PATCH" {
					cs.body = []byte(`{}`)
				}
				add(cs)
			}
		}
		// Garbage ids in the path.
		if strings.Contains(rt.Pattern, "{") {
			for name, g := range map[string]string{"unknown id": "zz_doesnotexist", "long id": strings.Repeat("x", 4096), "escaped id": "%00%ff%2F..%2F"} {
				cs := base
				cs.name, cs.path, cs.must4xx = name, fill(rt.Pattern, g), true
				if rt.Method == "PATCH" || rt.Method == "POST" {
					cs.body = []byte(`{}`)
				}
				add(cs)
			}
		}
		// Bad query parameters.
		if rt.Method == "GET" {
			for _, qs := range []string{"limit=0", "limit=501", "limit=abc", "cursor=not-a-cursor", "cursor=%ff%fe",
				"since=yesterday", "since_days=-3", "since_days=abc", "email=%00", "name=" + strings.Repeat("n", 5000),
				"scope=global", "organization_id=org_doesnotexist&workspace_id=%00"} {
				cs := base
				cs.name, cs.query = "query "+qs, qs
				add(cs)
			}
		}
		// Bad credentials: never anything but 401 (or a 4xx), never the token echoed.
		for name, tok := range map[string]string{"unknown token": "flr_" + secretMarker, "empty token": " ", "no scheme": "-"} {
			cs := base
			cs.name, cs.token, cs.must4xx, cs.noSecret = name, tok, true, secretMarker
			if hasBody || noBody[key] {
				cs.body = []byte(`{}`)
			}
			add(cs)
		}
	}

	hc := &http.Client{Timeout: 30 * time.Second}
	statuses := map[int]int{}
	start := time.Now()
	for _, cs := range cases {
		u := srv.URL + cs.path
		if cs.query != "" {
			u += "?" + cs.query
		}
		var body io.Reader
		if cs.body != nil {
			body = bytes.NewReader(cs.body)
		}
		req, err := http.NewRequest(cs.route.Method, u, body)
		if err != nil {
			t.Fatalf("%s %s: %v", cs.route.Method, cs.route.Pattern, err)
		}
		req.Header.Set("Content-Type", "application/json")
		switch cs.token {
		case "":
			req.Header.Set("Authorization", "Bearer "+srv.AdminToken)
		case "-":
			req.Header.Set("Authorization", srv.AdminToken) // no "Bearer"
		default:
			req.Header.Set("Authorization", "Bearer "+cs.token)
		}
		for k, v := range cs.header {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Errorf("%s %s (%s): %v", cs.route.Method, cs.route.Pattern, cs.name, err)
			continue
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		statuses[resp.StatusCode]++
		where := fmt.Sprintf("%s %s (%s)", cs.route.Method, cs.route.Pattern, cs.name)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d %s", where, resp.StatusCode, oneLine(string(raw), 200))
			continue
		}
		if cs.must4xx && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
			t.Errorf("%s: want a 4xx, got %d %s", where, resp.StatusCode, oneLine(string(raw), 200))
			continue
		}
		if resp.StatusCode >= 400 {
			var er api.ErrorResponse
			if err := json.Unmarshal(raw, &er); err != nil || er.Error.Code == "" || er.Error.Message == "" {
				t.Errorf("%s: %d without the error shape: %s", where, resp.StatusCode, oneLine(string(raw), 200))
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s: error answered as %q", where, ct)
			}
		}
		if cs.noSecret != "" && resp.StatusCode >= 400 && bytes.Contains(raw, []byte(cs.noSecret)) {
			t.Errorf("%s: the error echoes a value of the request: %s", where, oneLine(string(raw), 200))
		}
	}
	var hist []string
	for s, n := range statuses {
		hist = append(hist, fmt.Sprintf("%d:%d", s, n))
	}
	sort.Strings(hist)
	fig.Add("routes", len(api.Routes))
	fig.Add("requests", len(cases))
	fig.Add("statuses", strings.Join(hist, " "))
	fig.Add("wall", time.Since(start))

	// The fixture survived: the stale If-Match and garbage requests changed nothing.
	if got, err := c.Credentials.Get(ctx, cred.ID); err != nil || got.Version != cred.Version {
		t.Errorf("the credential changed under bad input: %v", err)
	}
}
