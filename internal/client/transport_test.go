package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// fastConfig is a Config with short waits, for tests.
func fastConfig(endpoint string) Config {
	return Config{
		Endpoint:      endpoint,
		Token:         "tok_secret_value",
		RetryMax:      6,
		RetryWaitMin:  2 * time.Millisecond,
		RetryWaitMax:  20 * time.Millisecond,
		MaxRetryAfter: 200 * time.Millisecond,
		Timeout:       5 * time.Second,
	}
}

func newFake(t *testing.T, h http.HandlerFunc) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(fastConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, api.ErrorResponse{Error: api.ErrorBody{Code: code, Message: msg}})
}

// dropConnection closes the connection without an answer.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	var method, path string
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		got, method, path = r.Header.Clone(), r.Method, r.URL.Path
		writeJSON(w, 200, api.Workspace{ID: "ws_1", Version: 4})
	})
	c.cfg.UserAgent = "terraform-provider-flero/1.2.3"
	name := "n"
	if _, err := c.Workspaces.Update(context.Background(), "ws_1", api.UpdateWorkspaceRequest{Name: &name}, WriteOptions{IfMatch: 3}); err != nil {
		t.Fatal(err)
	}
	if method != "PATCH" || path != "/v1/workspaces/ws_1" {
		t.Errorf("sent %s %s", method, path)
	}
	want := map[string]string{
		"Authorization": "Bearer tok_secret_value",
		"User-Agent":    "terraform-provider-flero/1.2.3",
		"If-Match":      `"3"`,
		"Content-Type":  "application/json",
		"Accept":        "application/json",
	}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
	if got.Get(api.HeaderIdempotencyKey) != "" {
		t.Errorf("a PATCH carries an Idempotency-Key")
	}

	// Unconditional writes send no If-Match; the default User-Agent names the provider.
	c2, _ := New(Config{Endpoint: c.cfg.Endpoint + "/v1/"})
	if err := c2.Workspaces.Delete(context.Background(), "ws_1", WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got.Get("If-Match") != "" || got.Get("Authorization") != "" || got.Get("User-Agent") != DefaultUserAgent {
		t.Errorf("unconditional delete sent If-Match=%q Authorization=%q User-Agent=%q", got.Get("If-Match"), got.Get("Authorization"), got.Get("User-Agent"))
	}
	if path != "/v1/workspaces/ws_1" {
		t.Errorf("endpoint with /v1/ gave path %s", path)
	}
}

func TestIDsAreEscapedAndEmptyIDsRefused(t *testing.T) {
	var raw string
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		raw = r.URL.EscapedPath()
		writeJSON(w, 200, api.Team{})
	})
	if _, err := c.Teams.Get(context.Background(), "a/b?c"); err != nil {
		t.Fatal(err)
	}
	if raw != "/v1/teams/a%2Fb%3Fc" {
		t.Errorf("escaped path %q", raw)
	}
	if _, err := c.Teams.Get(context.Background(), ""); err == nil {
		t.Error("empty id accepted")
	}
	if _, err := c.Access(context.Background(), "", ""); err == nil {
		t.Error("Access without organization accepted")
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests sent, want 1 (empty ids must not be sent)", calls.Load())
	}
}

func TestCreateRetriesWithSameKeyAndBytes(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	var bodies []string
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		keys = append(keys, r.Header.Get(api.HeaderIdempotencyKey))
		bodies = append(bodies, string(b))
		n := len(keys)
		mu.Unlock()
		switch n {
		case 1:
			writeErr(w, 500, api.CodeInternal, "boom")
		case 2:
			dropConnection(t, w)
		case 3:
			writeErr(w, 502, "", "bad gateway")
		case 4:
			w.Header().Set("Retry-After", "0")
			writeErr(w, 429, api.CodeRateLimited, "slow")
		case 5:
			writeErr(w, 504, "", "timeout")
		default:
			writeJSON(w, 201, api.Credential{ID: "cred_1", Name: "c"})
		}
	})
	cred, err := c.Credentials.Create(context.Background(), "ws_1", api.CreateCredentialRequest{
		Name: "c", Type: "generic", Data: map[string]string{"b": "2", "a": "1", "c": "3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if cred.ID != "cred_1" {
		t.Fatalf("got %+v", cred)
	}
	if len(keys) != 6 {
		t.Fatalf("%d attempts, want 6", len(keys))
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for i := range keys {
		if keys[i] != keys[0] || !uuid.MatchString(keys[i]) {
			t.Errorf("attempt %d key %q, first %q", i+1, keys[i], keys[0])
		}
		if bodies[i] != bodies[0] || bodies[i] == "" {
			t.Errorf("attempt %d body differs: %q vs %q", i+1, bodies[i], bodies[0])
		}
	}
	// A second logical create gets a new key.
	keys = nil
	if _, err := c.Credentials.Create(context.Background(), "ws_1", api.CreateCredentialRequest{Name: "d"}); err != nil {
		t.Fatal(err)
	}
	if keys[len(keys)-1] == "" {
		t.Fatal("no key")
	}
}

func TestCreateKeysAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := newIdempotencyKey()
		if seen[k] {
			t.Fatalf("duplicate key %s", k)
		}
		seen[k] = true
	}
}

// The policy for a POST without Idempotency-Key (none today): retried only when
// the server certainly did not act.
func TestUnkeyedPostIsNotReplayedAfterAmbiguousFailure(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fail      func(w http.ResponseWriter)
		wantCalls int32
	}{
		{"500", func(w http.ResponseWriter) { writeErr(w, 500, api.CodeInternal, "boom") }, 1},
		{"502", func(w http.ResponseWriter) { writeErr(w, 502, "", "bad gateway") }, 1},
		{"dropped", nil, 1},
		{"503", func(w http.ResponseWriter) { writeErr(w, 503, api.CodeUnavailable, "down") }, 2},
		{"429", func(w http.ResponseWriter) { writeErr(w, 429, api.CodeRateLimited, "slow") }, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if tc.fail == nil {
						dropConnection(t, w)
					} else {
						tc.fail(w)
					}
					return
				}
				w.WriteHeader(204)
			})
			_, err := c.do(context.Background(), call{method: "POST", route: pathf("/v1/credentials/%s/uses", "cred_1"), body: api.RecordUseRequest{Workflow: "wf"}}, nil)
			if calls.Load() != tc.wantCalls {
				t.Errorf("%d attempts, want %d", calls.Load(), tc.wantCalls)
			}
			if (tc.wantCalls == 1) != (err != nil) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestGetRetries500AndGivesUpWithLastAnswer(t *testing.T) {
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set(api.HeaderRequestID, "req_last")
		writeErr(w, 503, api.CodeUnavailable, "maintenance window")
	})
	_, err := c.Organizations.Get(context.Background(), "org_1")
	if got := calls.Load(); got != int32(c.cfg.RetryMax+1) {
		t.Errorf("%d attempts, want %d", got, c.cfg.RetryMax+1)
	}
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("err %v is not an APIError", err)
	}
	if ae.Status != 503 || ae.Message != "maintenance window" || ae.RequestID != "req_last" {
		t.Errorf("last answer lost: %+v", ae)
	}
}

func TestInternalErrorIsRetriedTwice(t *testing.T) {
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeErr(w, 500, api.CodeInternal, "a bug")
	})
	_, err := c.Workspaces.Get(context.Background(), "ws_1")
	if calls.Load() != 3 {
		t.Errorf("%d attempts for a persistent 500, want 3", calls.Load())
	}
	if ae, ok := AsAPIError(err); !ok || ae.Status != 500 || ae.Message != "a bug" {
		t.Errorf("err = %v", err)
	}
}

func TestNonRetriedStatuses(t *testing.T) {
	for _, st := range []int{400, 401, 403, 404, 409, 412, 422, 501} {
		var calls atomic.Int32
		_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			writeErr(w, st, "x", "no")
		})
		_, err := c.Organizations.Get(context.Background(), "org_1")
		if calls.Load() != 1 {
			t.Errorf("%d: %d attempts", st, calls.Load())
		}
		if ae, ok := AsAPIError(err); !ok || ae.Status != st {
			t.Errorf("%d: err %v", st, err)
		}
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "3600")
			writeErr(w, 429, api.CodeRateLimited, "slow down")
			return
		}
		writeJSON(w, 200, api.Me{})
	})
	start := time.Now()
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("Retry-After: 3600 with MaxRetryAfter %s: waited %s", c.cfg.MaxRetryAfter, el)
	if el < c.cfg.MaxRetryAfter*9/10 {
		t.Errorf("waited %s, less than the cap: Retry-After ignored", el)
	}
	if el > 30*time.Second { // uncapped: an hour; the margin is for a busy machine
		t.Errorf("waited %s, cap %s", el, c.cfg.MaxRetryAfter)
	}
}

func TestRetryAfterBeyondTheDeadlineReturnsTheAnswer(t *testing.T) {
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "120")
		writeErr(w, 429, api.CodeRateLimited, "slow down")
	})
	c.cfg.MaxRetryAfter = 5 * time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := c.Me(ctx)
	if !errors.Is(err, ErrRateLimited) || calls.Load() != 1 {
		t.Errorf("err = %v after %d attempts, want the 429 itself", err, calls.Load())
	}
	// Waiting for a Retry-After beyond the deadline would take the whole minute.
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("took %s", el)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	d, ok := parseRetryAfter(time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat), time.Now())
	if !ok || d < 85*time.Second || d > 91*time.Second {
		t.Errorf("http date: %v %v", d, ok)
	}
	if d, ok := parseRetryAfter("1.5", time.Now()); !ok || d != 1500*time.Millisecond {
		t.Errorf("fraction: %v %v", d, ok)
	}
	for _, bad := range []string{"", "-1", "soon", "NaN"} {
		if _, ok := parseRetryAfter(bad, time.Now()); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestCancelledContextReturnsQuickly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"in flight", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
		{"waiting for Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			writeErr(w, 429, api.CodeRateLimited, "slow")
		}},
		{"backing off", func(w http.ResponseWriter, r *http.Request) {
			writeErr(w, 503, api.CodeUnavailable, "down")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			cfg := fastConfig(srv.URL)
			cfg.MaxRetryAfter = time.Hour
			cfg.RetryWaitMin, cfg.RetryWaitMax = 10*time.Second, 10*time.Second
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			var cancelled atomic.Int64
			time.AfterFunc(100*time.Millisecond, func() { cancelled.Store(time.Now().UnixNano()); cancel() })
			_, err = c.Me(ctx)
			late := time.Since(time.Unix(0, cancelled.Load()))
			t.Logf("returned %s after cancel", late)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if late > CancelBound { // the waits cut short are 5 s, 10 s and 1 h
				t.Errorf("returned %s after the cancel: the wait was not cut short", late)
			}
		})
	}
}

// CancelBound is how late after a cancel a call may return in the tests of this
// package and of client_test: far below the waits a cancel cuts short (5 s, 10 s and
// 1 h), far above a busy scheduler's delay. The measured figure is logged.
const CancelBound = 2 * time.Second

func TestConnectionRefusedIsRetried(t *testing.T) {
	port := testserver.HoldPort(t, "127.0.0.1:0") // refused until port.Listen
	addr := port.Addr()

	cfg := fastConfig("http://" + addr)
	cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.RetryMax = 50*time.Millisecond, 100*time.Millisecond, 20
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The server comes up after ~300ms: the client must still be retrying.
	go func() {
		time.Sleep(300 * time.Millisecond)
		ln, err := port.Listen()
		if err != nil {
			t.Error(err)
			return
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, api.Me{User: api.User{ID: "usr_1"}})
		})}
		t.Cleanup(func() { srv.Close() })
		_ = srv.Serve(ln)
	}()
	me, err := c.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "usr_1" {
		t.Errorf("me = %+v", me)
	}
}

func TestDefaultRetryWindowRidesOutARestart(t *testing.T) {
	c, err := New(Config{Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	// The shortest total wait the jitter can give across all retries.
	var least, most time.Duration
	for i := range c.cfg.RetryMax {
		lo, hi := time.Duration(1<<62), time.Duration(0)
		for range 500 {
			d := c.backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, i, nil)
			lo, hi = min(lo, d), max(hi, d)
		}
		least += lo
		most += hi
	}
	t.Logf("default retry window for refused connections: %s .. %s", least.Round(time.Millisecond), most.Round(time.Millisecond))
	if least < 10*time.Second {
		t.Errorf("the default retries give up after %s: a server restart of a few seconds is not ridden out", least)
	}
	if most > 60*time.Second {
		t.Errorf("the default retries wait up to %s", most)
	}
}

func TestPagination(t *testing.T) {
	const total = 7
	var limits []string
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		limits = append(limits, r.URL.Query().Get("limit"))
		start := 0
		if cur := r.URL.Query().Get("cursor"); cur != "" {
			fmt.Sscanf(cur, "c%d", &start)
		}
		if r.URL.Query().Get("name") != "" {
			t.Errorf("unexpected name filter")
		}
		page := api.Page[api.Organization]{}
		for i := start; i < total && i < start+3; i++ {
			page.Items = append(page.Items, api.Organization{ID: fmt.Sprintf("org_%d", i)})
		}
		if start+3 < total {
			page.NextCursor = fmt.Sprintf("c%d", start+3)
		}
		writeJSON(w, 200, page)
	})
	c.cfg.PageSize = 3
	orgs, err := c.Organizations.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != total || orgs[total-1].ID != "org_6" {
		t.Fatalf("got %d orgs: %+v", len(orgs), orgs)
	}
	if len(limits) != 3 || limits[0] != "3" {
		t.Errorf("pages fetched with limits %v", limits)
	}
	// The iterator stops fetching when the caller stops.
	limits = nil
	n := 0
	for o, err := range c.Organizations.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; o.ID == "org_1" {
			break
		}
	}
	if len(limits) != 1 {
		t.Errorf("iterator fetched %d pages for 2 items", len(limits))
	}
}

func TestPaginationRefusesARepeatedCursor(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, api.Page[api.Team]{Items: []api.Team{{ID: "t"}}, NextCursor: "same"})
	})
	if _, err := c.Teams.List(context.Background(), "org_1"); err == nil || !strings.Contains(err.Error(), "cursor") {
		t.Fatalf("err = %v", err)
	}
}

func TestEmptyListIsNotNil(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, api.Page[api.Team]{})
	})
	teams, err := c.Teams.List(context.Background(), "org_1")
	if err != nil || teams == nil || len(teams) != 0 {
		t.Fatalf("teams = %#v, err = %v", teams, err)
	}
}

func TestGetByNameNotFound(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("name") != "prod" {
			t.Errorf("query %q", r.URL.RawQuery)
		}
		writeJSON(w, 200, api.Page[api.Workspace]{Items: []api.Workspace{{ID: "ws_2", Name: "production"}}})
	})
	_, err := c.Workspaces.GetByName(context.Background(), "org_1", "prod")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"prod"`) {
		t.Fatalf("err = %v", err)
	}
}

// A DELETE whose first answer was lost and whose retry finds the object gone has
// succeeded.
func TestDeleteAfterLostAnswer(t *testing.T) {
	var calls atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			dropConnection(t, w) // the delete happened, the answer was lost
			return
		}
		writeErr(w, 404, api.CodeNotFound, "no such workspace")
	})
	if err := c.Workspaces.Delete(context.Background(), "ws_1", WriteOptions{IfMatch: 2}); err != nil {
		t.Fatalf("delete after a lost answer: %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts", calls.Load())
	}
	// Without an ambiguous attempt, a 404 is ErrNotFound.
	if err := c.Workspaces.Delete(context.Background(), "ws_1", WriteOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("plain 404 delete: %v", err)
	}
}

// A conditional PATCH whose first answer was lost meets its own write on retry
// (412); the client recognises it.
func TestConditionalUpdateAfterLostAnswer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		current api.Workspace
		wantErr bool
	}{
		{"own write", api.Workspace{ID: "ws_1", Name: "new", Description: "d", Version: 4}, false},
		{"someone else's write", api.Workspace{ID: "ws_1", Name: "other", Description: "d", Version: 4}, true},
		{"two writes since", api.Workspace{ID: "ws_1", Name: "new", Description: "d", Version: 5}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var patches atomic.Int32
			_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case "PATCH":
					if patches.Add(1) == 1 {
						dropConnection(t, w)
						return
					}
					writeErr(w, 412, api.CodePreconditionFailed, "stale")
				case "GET":
					writeJSON(w, 200, tc.current)
				}
			})
			name := "new"
			ws, err := c.Workspaces.Update(context.Background(), "ws_1", api.UpdateWorkspaceRequest{Name: &name}, WriteOptions{IfMatch: 3})
			if tc.wantErr {
				if !errors.Is(err, ErrPreconditionFailed) {
					t.Fatalf("err = %v, want ErrPreconditionFailed", err)
				}
				return
			}
			if err != nil || ws.Version != 4 || ws.Name != "new" {
				t.Fatalf("ws = %+v, err = %v", ws, err)
			}
		})
	}
	// A 412 on a first attempt is a plain conflict: no read-back.
	var gets atomic.Int32
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			gets.Add(1)
		}
		writeErr(w, 412, api.CodePreconditionFailed, "stale")
	})
	name := "new"
	_, err := c.Workspaces.Update(context.Background(), "ws_1", api.UpdateWorkspaceRequest{Name: &name}, WriteOptions{IfMatch: 3})
	if !errors.Is(err, ErrPreconditionFailed) || gets.Load() != 0 {
		t.Errorf("err = %v, reads = %d", err, gets.Load())
	}
	if !strings.Contains(err.Error(), "run terraform plan again") {
		t.Errorf("err = %v", err)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		writeJSON(w, 200, api.Me{})
	}))
	defer srv.Close()
	cfg := fastConfig(srv.URL)
	cfg.Timeout = 100 * time.Millisecond
	c, _ := New(cfg)
	start := time.Now()
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Without the per-attempt timeout the first attempt would hang for the minute.
	// (More than two attempts only when a busy machine was slower than 100 ms.)
	if el := time.Since(start); el > 30*time.Second || calls.Load() < 2 {
		t.Errorf("took %s and %d attempts", el, calls.Load())
	}
}

func TestDecodeErrorOnGarbage(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		io.WriteString(w, "<html>")
	})
	_, err := c.Me(context.Background())
	if err == nil || !strings.Contains(err.Error(), "decoding") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	for _, ep := range []string{"", "ftp://x", "http://", "https://user:pw@host", "::"} {
		if _, err := New(Config{Endpoint: ep}); err == nil {
			t.Errorf("endpoint %q accepted", ep)
		}
	}
	if _, err := New(Config{Endpoint: "https://x", Token: "a\nb"}); err == nil {
		t.Error("token with a line break accepted")
	}
	c, err := New(Config{Endpoint: "https://x/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.MaxRetryAfter != DefaultMaxRetryAfter || c.cfg.RetryMax != DefaultRetryMax || c.cfg.UserAgent != DefaultUserAgent || c.cfg.Timeout != DefaultTimeout {
		t.Errorf("defaults not applied: %+v", c.cfg)
	}
}
