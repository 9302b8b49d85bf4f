package testserver_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
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

// TestHoldPortIsNeverGivenAway: a socket asking for any port is never given a held
// one. Shown where the choice is forced: in a network namespace of its own (unshare -n)
// whose ephemeral range is two ports, one of them held, the first listener on port 0
// gets the other one and the second gets none.
func TestHoldPortIsNeverGivenAway(t *testing.T) {
	const held, other = 40000, 40001
	if os.Getenv("FLERO_PORTHOLD_NETNS") == "1" {
		if err := os.WriteFile("/proc/sys/net/ipv4/ip_local_port_range", fmt.Appendf(nil, "%d %d", held, other), 0o644); err != nil {
			t.Skipf("cannot narrow the ephemeral port range: %v", err)
		}
		testserver.HoldPort(t, fmt.Sprintf("127.0.0.1:%d", held))
		for i := range 2 {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Logf("listener %d on port 0: %v", i+1, err)
				continue
			}
			defer ln.Close()
			port := ln.Addr().(*net.TCPAddr).Port
			t.Logf("listener %d on port 0 got %d", i+1, port)
			if port == held {
				t.Errorf("listener %d was given the held port %d", i+1, held)
			}
		}
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("PortHold holds ports on Linux only")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare(1): cannot force the port choice")
	}
	cmd := exec.Command(unshare, "-n", os.Args[0], "-test.run=^TestHoldPortIsNeverGivenAway$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "FLERO_PORTHOLD_NETNS=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a network namespace of its own:\n%s", out)
	if err != nil && strings.Contains(string(out), "unshare failed") {
		t.Skip("no network namespace for this user: cannot force the port choice")
	}
	if err == nil && strings.Contains(string(out), "--- SKIP: TestHoldPortIsNeverGivenAway") {
		t.Skip("the network namespace's ephemeral port range cannot be changed: cannot force the port choice")
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHoldPortIsNeverGivenAway") {
		t.Fatalf("in a network namespace of its own: %v", err)
	}
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
