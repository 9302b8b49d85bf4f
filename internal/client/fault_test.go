package client_test

// Fault tests: the client against the reference server's fault injection.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// faultyClient retries many times with tiny waits: 30% failures must never
// exhaust it (0.3^21 per call).
func faultyClient(t testing.TB, url, token string, mod ...func(*client.Config)) *client.Client {
	return newClient(t, url, token, append([]func(*client.Config){func(cfg *client.Config) {
		cfg.RetryMax = 20
		cfg.RetryWaitMin = time.Millisecond
		cfg.RetryWaitMax = 5 * time.Millisecond
		cfg.MaxRetryAfter = 2 * time.Millisecond
	}}, mod...)...)
}

// parallel runs fn(i) for i in [0,n) on workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// createAndUpdate creates n teams and updates each once with If-Match, in
// parallel, and checks the server holds exactly those n teams, each updated once.
func createAndUpdate(t *testing.T, srv *testserver.Server, c *client.Client, n int) {
	t.Helper()
	ctx := context.Background()
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "faulty"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	start := time.Now()
	var failed atomic.Int64
	parallel(n, 8, func(i int) {
		tm, err := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: fmt.Sprintf("team-%03d", i)})
		if err != nil {
			failed.Add(1)
			t.Errorf("create %d: %v", i, err)
			return
		}
		desc := fmt.Sprintf("updated %d", i)
		up, err := c.Teams.Update(ctx, tm.ID, api.UpdateTeamRequest{Description: &desc}, client.WriteOptions{IfMatch: tm.Version})
		if err != nil {
			failed.Add(1)
			t.Errorf("update %d: %v", i, err)
			return
		}
		if up.Description != desc || up.Version != tm.Version+1 {
			t.Errorf("update %d answered %+v", i, up)
		}
	})
	el := time.Since(start)
	creates := srv.Requests("POST", "/v1/organizations/{organization_id}/teams")
	patches := srv.Requests("PATCH", "/v1/teams/{team_id}")
	t.Logf("%d creates + %d updates in %s: %d create attempts, %d update attempts, %d failed calls",
		n, n, el.Round(time.Millisecond), creates, patches, failed.Load())
	if creates <= int64(n) || patches <= int64(n) {
		t.Errorf("no retries happened (%d, %d attempts): the faults were not exercised", creates, patches)
	}

	// The server holds exactly the teams asked for, each updated once.
	check := newClient(t, srv.URL, srv.AdminToken)
	srv.SetFaults(server.Faults{})
	teams, err := check.Teams.List(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, tm := range teams {
		seen[tm.Name]++
		if tm.Version != 2 || tm.Description == "" {
			t.Errorf("team %s: version %d, description %q", tm.Name, tm.Version, tm.Description)
		}
	}
	dups := 0
	for name, k := range seen {
		if k > 1 {
			dups += k - 1
			t.Errorf("team %s exists %d times", name, k)
		}
	}
	t.Logf("server holds %d teams for %d asked, %d duplicates", len(teams), n, dups)
	if len(teams) != n || len(seen) != n {
		t.Errorf("server holds %d teams (%d names), want %d", len(teams), len(seen), n)
	}
}

func TestFaults5xxAnd429(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{ErrorRate: 0.15, RateLimitRate: 0.15, RetryAfter: time.Second}))
	createAndUpdate(t, srv, faultyClient(t, srv.URL, srv.AdminToken), 500)
}

func TestFaultsDropAfterCommit(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{DropAfterCommitRate: 0.2}))
	c := faultyClient(t, srv.URL, srv.AdminToken)
	createAndUpdate(t, srv, c, 500)

	// Deletes whose answer is lost still succeed.
	ctx := context.Background()
	org, err := c.Organizations.GetByName(ctx, "faulty")
	if err != nil {
		t.Fatal(err)
	}
	teams, err := c.Teams.List(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(server.Faults{DropAfterCommitRate: 0.2})
	srv.ResetCounters()
	parallel(100, 8, func(i int) {
		if err := c.Teams.Delete(ctx, teams[i].ID, client.WriteOptions{IfMatch: teams[i].Version}); err != nil {
			t.Errorf("delete %s: %v", teams[i].Name, err)
		}
	})
	attempts := srv.Requests("DELETE", "/v1/teams/{team_id}")
	t.Logf("100 deletes: %d attempts", attempts)
	if attempts <= 100 {
		t.Errorf("no delete answer was dropped: the fault was not exercised")
	}
	srv.SetFaults(server.Faults{})
	left, err := c.Teams.List(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 400 {
		t.Errorf("%d teams left after deleting 100 of 500", len(left))
	}
}

func TestFaultsRetryAfterIsCapped(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{RateLimitRate: 1, RetryAfter: time.Hour}))
	c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) {
		cfg.RetryMax = 2
		cfg.MaxRetryAfter = 100 * time.Millisecond
	})
	start := time.Now()
	_, err := c.Me(context.Background())
	el := time.Since(start)
	t.Logf("Retry-After: 3600 answered 3 times, cap 100ms: gave up after %s", el.Round(time.Millisecond))
	if !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if el < 200*time.Millisecond {
		t.Errorf("waited %s for two capped Retry-After: the header was ignored", el)
	}
	if el > 30*time.Second { // uncapped: two hours; the margin is for a busy machine
		t.Errorf("waited %s: Retry-After not capped", el)
	}
}

// TestFaultsCancelledContextEndsTheWait: a cancel ends a 10 s request, a 10 s back-off
// and a 1 h Retry-After wait. The figure is logged; the bound (client.CancelBound, far
// below every wait it cuts short) leaves room for a loaded CI machine.
func TestFaultsCancelledContextEndsTheWait(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults server.Faults
	}{
		{"slow server", server.Faults{Latency: 10 * time.Second}},
		{"waiting out Retry-After", server.Faults{RateLimitRate: 1, RetryAfter: time.Hour}},
		{"backing off 503s", server.Faults{ErrorRate: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.Start(t, testserver.WithFaults(tc.faults))
			c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) {
				cfg.MaxRetryAfter = time.Hour
				cfg.RetryWaitMin, cfg.RetryWaitMax = 10*time.Second, 10*time.Second
			})
			ctx, cancel := context.WithCancel(context.Background())
			var cancelled atomic.Int64
			time.AfterFunc(150*time.Millisecond, func() { cancelled.Store(time.Now().UnixNano()); cancel() })
			var err error
			if tc.faults.Latency > 0 {
				// A GET: the server notices the closed connection only once it
				// has read the request body, so a slow POST would hold up its
				// shutdown at the end of the test.
				_, err = c.Workspaces.Get(ctx, "ws_x")
			} else {
				_, err = c.Workspaces.Create(ctx, "org_x", api.CreateWorkspaceRequest{Name: "w"})
			}
			late := time.Since(time.Unix(0, cancelled.Load())) // from the cancel itself, not from when it was due
			t.Logf("returned %s after the cancel", late.Round(time.Microsecond))
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if late > client.CancelBound {
				t.Errorf("returned %s after the cancel: the wait was not cut short", late)
			}
		})
	}
}

// recordingProxy forwards to the server and records every request body by
// logical call: the Idempotency-Key of a create, or method+path+If-Match.
type recordingProxy struct {
	mu     sync.Mutex
	bodies map[string][][]byte
}

func (p *recordingProxy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		if len(b) > 0 {
			key := r.Header.Get(api.HeaderIdempotencyKey)
			if key == "" {
				key = r.Method + " " + r.URL.Path + " " + r.Header.Get(api.HeaderIfMatch)
			}
			p.mu.Lock()
			p.bodies[key] = append(p.bodies[key], b)
			p.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func TestFaultsRetryBodiesAreByteIdentical(t *testing.T) {
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{ErrorRate: 0.3, DropAfterCommitRate: 0.2}))
	target, _ := url.Parse(srv.URL)
	rp := &recordingProxy{bodies: map[string][][]byte{}}
	proxy := httptest.NewServer(rp.wrap(httputil.NewSingleHostReverseProxy(target)))
	defer proxy.Close()
	c := faultyClient(t, proxy.URL, srv.AdminToken)
	ctx := context.Background()

	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "bytes", Plan: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "w"})
	if err != nil {
		t.Fatal(err)
	}
	parallel(60, 4, func(i int) {
		// Maps are the risk: their JSON must not change between attempts.
		data := map[string]string{}
		for k := range 12 {
			data[fmt.Sprintf("key%02d", k)] = fmt.Sprintf("value-%d-%d", i, k)
		}
		cred, err := c.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: fmt.Sprintf("c%02d", i), Type: "generic", Data: data})
		if err != nil {
			t.Errorf("create %d: %v", i, err)
			return
		}
		data["key00"] = "rotated"
		if _, err := c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Data: data, Scope: ptrTo("organization")}, client.WriteOptions{IfMatch: cred.Version}); err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	})

	retried, attempts := 0, 0
	rp.mu.Lock()
	defer rp.mu.Unlock()
	for key, bodies := range rp.bodies {
		attempts += len(bodies)
		if len(bodies) > 1 {
			retried++
		}
		for i, b := range bodies[1:] {
			if !bytes.Equal(b, bodies[0]) {
				t.Errorf("%s: attempt %d sent other bytes than the first", key, i+2)
			}
		}
	}
	t.Logf("%d logical writes, %d attempts, %d writes retried: every retry byte-identical", len(rp.bodies), attempts, retried)
	if retried < 10 {
		t.Errorf("only %d writes were retried: the test did not exercise retries", retried)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestFaultsServerRestart(t *testing.T) {
	srv := testserver.Start(t)
	c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) {
		cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.RetryMax = 20*time.Millisecond, 200*time.Millisecond, 30
	})
	ctx := context.Background()
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 3 {
			time.Sleep(100 * time.Millisecond)
			srv.Restart(t)
		}
	}()
	n := 0
	for {
		select {
		case <-done:
		default:
			if _, err := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: fmt.Sprintf("t%03d", n)}); err != nil {
				t.Fatalf("create %d across a restart: %v", n, err)
			}
			n++
			continue
		}
		break
	}
	teams, err := c.Teams.List(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d creates across 3 restarts, server holds %d", n, len(teams))
	if len(teams) != n {
		t.Errorf("server holds %d teams for %d creates", len(teams), n)
	}
}

// losingProxy forwards to the server and loses (drops the connection instead of
// answering) the answers of the first `lose` fresh token mints; replays get through.
func losingProxy(t *testing.T, target string, lose int) *httptest.Server {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	var lost atomic.Int64
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r)
		mint := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/tokens") && rec.Code == http.StatusCreated
		if mint && rec.Header().Get(api.HeaderIdempotentReplay) != "true" && lost.Add(1) <= int64(lose) {
			panic(http.ErrAbortHandler) // committed, never answered
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(p.Close)
	return p
}

// A token whose answer was lost can never be used (its secret is shown once), so
// CreateToken revokes it and mints another: every call returns a working token and no
// unusable token is left; when every answer is lost, the call fails with
// ErrTokenAlreadyIssued and leaves no token at all.
func TestCreateTokenReplacesATokenWhoseAnswerWasLost(t *testing.T) {
	ctx := context.Background()
	srv := testserver.Start(t)
	direct := newClient(t, srv.URL, srv.AdminToken)
	for _, tc := range []struct {
		lose      int
		wantLive  int
		wantError bool
	}{{lose: 0, wantLive: 1}, {lose: 1, wantLive: 1}, {lose: 3, wantLive: 1}, {lose: 4, wantError: true}, {lose: 9, wantError: true}} {
		user := must(direct.Admin.CreateUser(ctx, api.CreateUserRequest{Email: fmt.Sprintf("lose%d@example.com", tc.lose)}))
		admin := faultyClient(t, losingProxy(t, srv.URL, tc.lose).URL, srv.AdminToken)
		tok, err := admin.Admin.CreateToken(ctx, user.ID, api.CreateTokenRequest{Name: "ci"})
		if tc.wantError {
			if !errors.Is(err, client.ErrTokenAlreadyIssued) {
				t.Errorf("%d answers lost: err = %v, want ErrTokenAlreadyIssued", tc.lose, err)
			}
		} else if err != nil || tok.Token == "" {
			t.Errorf("%d answers lost: token %+v, err %v; want a token with its secret", tc.lose, tok, err)
		} else if me, err := newClient(t, srv.URL, tok.Token).Me(ctx); err != nil || me.ID != user.ID {
			t.Errorf("%d answers lost: the returned token does not work: %v", tc.lose, err)
		}
		live := must(direct.Tokens.List(ctx, user.ID))
		if len(live) != tc.wantLive || (tc.wantLive == 1 && live[0].ID != tok.ID) {
			t.Errorf("%d answers lost: live tokens %+v, want %d (the returned one); a lost one was left behind", tc.lose, live, tc.wantLive)
		}
	}
}
