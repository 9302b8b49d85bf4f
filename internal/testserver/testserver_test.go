package testserver_test

import (
	"net"
	"net/http"
	"testing"
	"time"

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

func TestHoldPort(t *testing.T) {
	h := testserver.HoldPort(t, "127.0.0.1:0")
	refused := func(when string) {
		t.Helper()
		if c, err := net.DialTimeout("tcp", h.Addr(), time.Second); err == nil {
			c.Close()
			t.Fatalf("%s: dial %s succeeded, want connection refused", when, h.Addr())
		}
	}
	refused("held")
	// The holder listens there again while the hold stands (a restart).
	ln, err := h.Listen()
	if err != nil {
		t.Fatalf("listen on the held port: %v", err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	c, err := net.DialTimeout("tcp", h.Addr(), time.Second)
	if err != nil {
		t.Fatalf("dial after Listen: %v", err)
	}
	c.Close()
	ln.Close()
	refused("after the listener closed")
	h.Release() // idempotent: Listen released it already
}

// TestRestartKeepsThePort: while a restarting server is down its port is held, so
// the restarted server gets its own port back and its URL stays valid.
func TestRestartKeepsThePort(t *testing.T) {
	srv := testserver.Start(t)
	url := srv.URL
	srv.Restart(t)
	srv.Restart(t)
	if srv.URL != url {
		t.Fatalf("URL %s became %s", url, srv.URL)
	}
	if code := get(t, srv, srv.AdminToken, "/v1/me"); code != http.StatusOK {
		t.Fatalf("GET /v1/me after two restarts: %d", code)
	}
}
