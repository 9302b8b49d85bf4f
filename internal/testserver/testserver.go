// Package testserver runs the real Flero reference server (package server over a real
// SQLite file in t.TempDir()) on 127.0.0.1 for tests of the client, the provider and
// the server itself.
//
//	srv := testserver.Start(t)
//	userID, token := srv.CreateUser(t, "viewer@example.com")
//	n := srv.Requests("GET", "/v1/workspaces/{workspace_id}")
package testserver

import (
	"context"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/pgtest"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// Server is a running reference server.
type Server struct {
	URL         string // http://127.0.0.1:port (no trailing slash, no /v1)
	AdminToken  string // bootstrap token of a platform admin
	AdminUserID string
	DBPath      string // a SQLite file, or a PostgreSQL URL with FLERO_TEST_DB=postgres

	opts     options
	counters *server.Counters
	addr     string

	mu         sync.Mutex
	restarting testing.TB // set during Restart: closing the listener holds the port
	hold       *PortHold
	run        *server.Running // nil while stopped
}

type options struct {
	faults      server.Faults
	rateLimit   server.RateLimit
	authFailure server.RateLimit
	bodyRead    time.Duration
	http        server.HTTPLimits
	inviteTTL   time.Duration
	db          string
}

// Option configures Start.
type Option func(*options)

// WithFaults injects faults (errors, 429s, latency, drops after commit).
func WithFaults(f server.Faults) Option { return func(o *options) { o.faults = f } }

// WithRateLimit turns on the per-token rate limit.
func WithRateLimit(rps float64, burst int) Option {
	return func(o *options) { o.rateLimit = server.RateLimit{RPS: rps, Burst: burst} }
}

// WithAuthFailureLimit turns on the per-address limit of failed authentications.
func WithAuthFailureLimit(rps float64, burst int) Option {
	return func(o *options) { o.authFailure = server.RateLimit{RPS: rps, Burst: burst} }
}

// WithBodyReadTimeout sets the deadline for reading a request body.
func WithBodyReadTimeout(d time.Duration) Option { return func(o *options) { o.bodyRead = d } }

// WithHTTPLimits sets the HTTP server's timeouts and connection cap (zero fields: the
// defaults of server.DefaultHTTPLimits).
func WithHTTPLimits(l server.HTTPLimits) Option { return func(o *options) { o.http = l } }

// WithInvitationTTL sets how long organization invitations can be accepted (default
// rules.DefaultInvitationTTL); Server.SetInvitationTTL changes it while the server runs.
func WithInvitationTTL(d time.Duration) Option { return func(o *options) { o.inviteTTL = d } }

// WithDatabase runs the server on an existing database (a SQLite file or a PostgreSQL
// URL, e.g. another test server's DBPath): two servers on one PostgreSQL database are
// two instances of one platform.
func WithDatabase(db string) Option { return func(o *options) { o.db = db } }

// Start runs a server on a fresh database until the test ends: a SQLite file, or a
// PostgreSQL schema of its own when FLERO_TEST_DB=postgres (make test-postgres).
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{DBPath: filepath.Join(t.TempDir(), "flero.db"), AdminToken: store.NewToken(), counters: server.NewCounters()}
	for _, o := range opts {
		o(&s.opts)
	}
	switch {
	case s.opts.db != "":
		s.DBPath = s.opts.db
	case pgtest.Enabled():
		s.DBPath = pgtest.NewDatabase(t)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testserver: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	s.URL = "http://" + s.addr
	if err := s.start(ln); err != nil {
		ln.Close()
		t.Fatalf("testserver: %v", err)
	}
	t.Cleanup(s.stop)
	return s
}

func (s *Server) start(ln net.Listener) error {
	run, err := server.Start(server.StartOptions{DB: s.DBPath, BootstrapToken: s.AdminToken,
		Listener: &holdingListener{Listener: ln, s: s}, HTTP: s.opts.http,
		Server: server.Options{RateLimit: s.opts.rateLimit, AuthFailureLimit: s.opts.authFailure,
			BodyReadTimeout: s.opts.bodyRead, Faults: s.opts.faults, Counters: s.counters, InvitationTTL: s.opts.inviteTTL}})
	if err != nil {
		return err
	}
	go func() {
		if err := run.Err(); err != nil {
			panic("testserver: " + err.Error())
		}
	}()
	s.mu.Lock()
	s.AdminUserID, s.run = run.AdminUserID, run
	s.mu.Unlock()
	return nil
}

func (s *Server) stop() {
	s.mu.Lock()
	run := s.run
	s.run = nil
	s.mu.Unlock()
	if run == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = run.Shutdown(ctx) // cut short: the connections left are closed
}

// Restart stops the server and starts it again on the same database file and
// address (so URL stays valid). Counters are kept. While it is down, its port refuses
// connections and is held (PortHold), so no parallel test's server can be given it.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	s.restarting = t
	s.mu.Unlock()
	s.stop()
	s.mu.Lock()
	hold := s.hold
	s.restarting, s.hold = nil, nil
	s.mu.Unlock()
	if hold == nil {
		hold = HoldPort(t, s.addr)
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = hold.Listen(); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("testserver: listen again on %s: %v", s.addr, err)
	}
	if err := s.start(ln); err != nil {
		ln.Close()
		t.Fatalf("testserver: restart: %v", err)
	}
}

// holdingListener holds its port (PortHold) from the moment the server closes it for a
// Restart: between the shutdown and the new listener, the port refuses connections and
// stays this server's.
type holdingListener struct {
	net.Listener
	s *Server
}

func (l *holdingListener) Close() error {
	err := l.Listener.Close()
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if l.s.restarting != nil && l.s.hold == nil {
		l.s.hold = HoldPort(l.s.restarting, l.s.addr)
	}
	return err
}

// CreateUser creates (or reuses) the user with this email, active, and returns its
// id and a new API token. It does not go through the API, so no request is counted.
func (s *Server) CreateUser(t testing.TB, email string) (userID, token string) {
	t.Helper()
	userID, token, err := s.Store().IssueToken(context.Background(), rules.NormalizeEmail(email), "", "testserver")
	if err != nil {
		t.Fatalf("testserver: create user %s: %v", email, err)
	}
	return userID, token
}

// SetFaults changes the injected faults of the running server.
func (s *Server) SetFaults(f server.Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.faults = f
	if s.run != nil { // stopped: the next start takes s.opts
		s.run.Server.SetFaults(f)
	}
}

// SetInvitationTTL changes how long the invitations the running server sends from now
// on can be accepted (a nanosecond: an invitation that has expired once sent).
func (s *Server) SetInvitationTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.inviteTTL = d
	if s.run != nil {
		s.run.Server.SetInvitationTTL(d)
	}
}

// Requests is how many requests matched a route of api.Routes, e.g.
// Requests("GET", "/v1/workspaces/{workspace_id}").
func (s *Server) Requests(method, pattern string) int64 { return s.counters.Requests(method, pattern) }

// TotalRequests is how many requests the server received.
func (s *Server) TotalRequests() int64 { return s.counters.Total() }

// ResetCounters zeroes the request counters.
func (s *Server) ResetCounters() { s.counters.Reset() }

// LimiterBuckets is how many rate-limit buckets the running server holds.
func (s *Server) LimiterBuckets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run == nil {
		return 0
	}
	return s.run.Server.LimiterBuckets()
}

// Store is the open store (for tests that check storage directly).
func (s *Server) Store() *store.Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run == nil {
		return nil
	}
	return s.run.Store
}
