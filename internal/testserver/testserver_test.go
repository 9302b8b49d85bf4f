package testserver_test

import (
	"net/http"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/testserver"
)

func get(t *testing.T, srv *testserver.Server, token, path string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStartCountRestart(t *testing.T) {
	srv := testserver.Start(t)
	if srv.AdminUserID == "" || srv.DBPath == "" {
		t.Fatalf("server: %+v", srv)
	}
	id, tok := srv.CreateUser(t, "Viewer@Example.com")
	if id2, _ := srv.CreateUser(t, "viewer@example.com"); id2 != id {
		t.Fatalf("same email, another user: %s %s", id, id2)
	}
	if srv.TotalRequests() != 0 {
		t.Fatal("CreateUser went through the API")
	}
	for _, tk := range []string{srv.AdminToken, tok} {
		if st := get(t, srv, tk, "/v1/me"); st != 200 {
			t.Fatalf("GET /v1/me: %d", st)
		}
	}
	get(t, srv, tok, "/v1/nowhere")
	if n := srv.Requests("GET", "/v1/me"); n != 2 {
		t.Fatalf("Requests = %d", n)
	}
	if n := srv.TotalRequests(); n != 3 {
		t.Fatalf("TotalRequests = %d", n)
	}
	srv.Restart(t)
	if st := get(t, srv, tok, "/v1/me"); st != 200 {
		t.Fatalf("after restart: %d", st)
	}
	if n := srv.Requests("GET", "/v1/me"); n != 3 {
		t.Fatalf("counters after restart = %d", n)
	}
	srv.ResetCounters()
	if srv.TotalRequests() != 0 || srv.Requests("GET", "/v1/me") != 0 {
		t.Fatal("ResetCounters")
	}
}
