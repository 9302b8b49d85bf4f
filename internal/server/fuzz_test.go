package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// Fuzz targets of the server's request decoding. `go test` runs their seed corpora
// (below and testdata/fuzz) as ordinary tests; make test-long fuzzes each for 60 s:
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 60s ./internal/server
//	go test -run '^$' -fuzz '^FuzzServeRequest$' -fuzztime 60s ./internal/server

// decoders decode a body into every request type of the API.
var decoders = []func(*call) (any, error){
	decodeAs[api.CreateUserRequest], decodeAs[api.CreateTokenRequest],
	decodeAs[api.CreateOrganizationRequest], decodeAs[api.UpdateOrganizationRequest],
	decodeAs[api.CreateOrganizationMembershipRequest], decodeAs[api.UpdateOrganizationMembershipRequest],
	decodeAs[api.CreateWorkspaceRequest], decodeAs[api.UpdateWorkspaceRequest],
	decodeAs[api.CreateTeamRequest], decodeAs[api.UpdateTeamRequest],
	decodeAs[api.CreateTeamMembershipRequest],
	decodeAs[api.CreateWorkspaceMembershipRequest], decodeAs[api.UpdateWorkspaceMembershipRequest],
	decodeAs[api.CreateCredentialRequest], decodeAs[api.UpdateCredentialRequest], decodeAs[api.RecordUseRequest],
}

func decodeAs[T any](c *call) (any, error) {
	v, err := decode[T](c)
	return &v, err
}

var decodeSeeds = []string{
	``, `{}`, `null`, `[]`, `"x"`, `42`, `{`, `{} {}`, `{"name":"ws"}`, `{"name":1}`, `{"bogus":true}`,
	`{"name":"a","description":"b","avatar_url":"https://x.example/a.png","custom_domain":"a.example.com"}`,
	`{"name":"c","type":"slack_bot","scope":"organization","data":{"token":"xoxb-1"}}`,
	`{"data":{"k":1}}`, `{"data":"s"}`, `{"role":["admin"]}`, `{"sso_enabled":"yes"}`, `{"plan":null}`,
	"{\"name\":\"\xff\xfe\"}", `{"name":"\u0000"}`, `{"name":1e999}`, `[[[[[[[[[[`, `{"a":{"b":{"c":{}}}}`,
	`{"name":"a","name":"b"}`, `{"name":"a","NAME":"b"}`, `{"data":{"k":"1","k":"2"}}`, `{"data":{"K":"1","k":"2"}}`,
	"{\"name\":\"a\x01b\"}", "{\"data\":{\"t\":\"\xc3\"}}", `{"name":"Cafe\u0301"}`, `{"a":[{"b":1,"b":2}]}`,
	`{"description":"x\ty\nz"}`, `{"workflow":"w\u0007"}`, "{\"n\xffame\":1}",
}

// FuzzDecode: whatever the body, decoding into any request type either succeeds with a
// value that survives a JSON round trip, from a body whose strings are valid UTF-8 and
// whose objects give no key twice (the request object's keys also not in another case),
// or fails with a 400 bad_request whose message is valid UTF-8 and never repeats a
// string value of the body, and which names a field when the JSON itself is valid.
func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if e := checkJSONInput(body); e != nil && json.Valid(body) && (len(e.fields) != 1 || e.fields[0].Path == "") {
			t.Fatalf("input refused without a field path: %+v", e)
		}
		for _, dec := range decoders {
			v, err := dec(&call{body: body})
			if err != nil {
				var ae *apiError
				if !errors.As(err, &ae) {
					t.Fatalf("decode error is %T, not an *apiError: %v", err, err)
				}
				if ae.status != http.StatusBadRequest || ae.code != api.CodeBadRequest {
					t.Fatalf("decode error: %d %s, want 400 %s", ae.status, ae.code, api.CodeBadRequest)
				}
				if !utf8.ValidString(ae.msg) || ae.msg == "" {
					t.Fatalf("decode error message is empty or not UTF-8: %q", ae.msg)
				}
				keys, values := jsonStrings(body)
				for _, s := range values {
					if len(s) >= 8 && strings.Contains(ae.msg, s) && !strings.Contains(keys, s) {
						t.Fatalf("decode error %q repeats a value of the body", ae.msg)
					}
				}
				continue
			}
			if !utf8.Valid(body) {
				t.Fatalf("%T decoded from a body that is not valid UTF-8: %q", v, body)
			}
			if dup := duplicateKey(body); dup != "" {
				t.Fatalf("%T decoded from a body that gives a key twice (%s): %q", v, dup, body)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("re-encoding %T: %v", v, err)
			}
			w := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			if err := json.Unmarshal(again, w); err != nil || !reflect.DeepEqual(v, w) {
				t.Fatalf("%T does not survive a round trip: %s (%v)", v, again, err)
			}
		}
	})
}

// duplicateKey is the oracle of checkJSONInput's duplicate keys, written independently
// of it over encoding/json's token stream: the first key given twice in an object
// (case-folded in the outermost object), or "".
func duplicateKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // the next token of an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			if k, ok := tok.(string); ok {
				fold := k
				if len(stack) == 1 {
					fold = strings.ToLower(k)
				}
				if top.keys[fold] {
					return k
				}
				top.keys[fold] = true
				top.expect = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object expects a key next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expect = true
		}
	}
}

// jsonStrings returns the object keys of a JSON document (joined: an unknown field's
// name is named in the error on purpose) and its string values, when it is one.
func jsonStrings(body []byte) (keys string, values []string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return "", nil
	}
	var out []string
	var ks strings.Builder
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case string:
			out = append(out, t)
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			for k, e := range t {
				ks.WriteString(k + "\x00")
				walk(e)
			}
		}
	}
	walk(v)
	return ks.String(), out
}

// fuzzServer is a real server over a real database, with one object of each kind.
type fuzzServer struct {
	h     http.Handler
	token string
	ids   map[string]string
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	token := store.NewToken()
	if _, err := st.Bootstrap(context.Background(), token); err != nil {
		tb.Fatal(err)
	}
	s := &fuzzServer{h: New(Options{Store: st}), token: token, ids: map[string]string{"principal_type": "user"}}
	post := func(path string, body any, into any) {
		b, _ := json.Marshal(body)
		rec := s.do(http.MethodPost, path, b, "")
		if rec.Code != http.StatusCreated {
			tb.Fatalf("fixture POST %s: %d %s", path, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), into); err != nil {
			tb.Fatal(err)
		}
	}
	var org api.Organization
	var ws api.Workspace
	var team api.Team
	var m api.OrganizationMembership
	var cred api.Credential
	post("/v1/organizations", api.CreateOrganizationRequest{Name: "fuzz", Plan: "enterprise"}, &org)
	post("/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "ws"}, &ws)
	post("/v1/organizations/"+org.ID+"/teams", api.CreateTeamRequest{Name: "team"}, &team)
	post("/v1/organizations/"+org.ID+"/memberships", api.CreateOrganizationMembershipRequest{Email: "fuzz@example.com", Role: "member"}, &m)
	post("/v1/workspaces/"+ws.ID+"/credentials", api.CreateCredentialRequest{Name: "cred", Type: "slack_bot", Data: map[string]string{"k": "v"}}, &cred)
	s.ids["organization_id"], s.ids["workspace_id"], s.ids["team_id"] = org.ID, ws.ID, team.ID
	s.ids["user_id"], s.ids["principal_id"], s.ids["credential_id"] = m.UserID, m.UserID, cred.ID
	return s
}

func (s *fuzzServer) do(method, target string, body []byte, ifMatch string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://flero.test/", bytes.NewReader(body))
	req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", ""
	if u, err := req.URL.Parse(target); err == nil {
		req.URL = u
	}
	req.RequestURI = ""
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// FuzzServeRequest: any body, query, id and If-Match sent to any route of api.Routes
// gets an answer below 500, and every error answer has the error shape.
func FuzzServeRequest(f *testing.F) {
	for i := range api.Routes {
		for _, s := range []string{`{}`, `{"name":"x"}`, `{`, `[]`, `{"role":"admin"}`, `{"data":{"a":"b"}}`, `{"name":"x","Name":"y"}`, "{\"name\":\"\xff\"}"} {
			f.Add(uint8(i), []byte(s), "", "", "")
		}
	}
	f.Add(uint8(1), []byte(nil), "organization_id=org_x&workspace_id=ws_y", "", "")
	f.Add(uint8(12), []byte(nil), "limit=0&cursor=zz", "", "")
	f.Add(uint8(9), []byte(`{"description":"d"}`), "", "", `"1"`)
	f.Add(uint8(10), []byte(nil), "", "org_nope", `"x"`)
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query, id, ifMatch string) {
		rt := api.Routes[int(route)%len(api.Routes)]
		path := rt.Pattern
		for name, v := range srv.ids {
			if id != "" {
				v = id
			}
			path = strings.ReplaceAll(path, "{"+name+"}", v)
		}
		if query != "" {
			path += "?" + query
		}
		rec := srv.do(rt.Method, path, body, ifMatch)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", rt.Method, path, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var er api.ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &er); err != nil || er.Error.Code == "" || er.Error.Message == "" {
				t.Fatalf("%s %s: %d without the error shape: %s", rt.Method, path, rec.Code, rec.Body)
			}
		}
	})
}
