// Package server is the Flero platform's reference API server: every route of
// api.Routes on a net/http ServeMux, every platform rule enforced through package
// rules, storage in package store (one SQLite transaction per request).
//
// Handlers are thin: serve() does authentication, rate limiting, fault injection,
// body reading, the transaction, idempotency keys, ETags and error mapping once for
// every route; a handler only loads, checks and writes.
package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// DefaultMaxBodyBytes bounds a request body (credential data may reach 1 MiB).
const DefaultMaxBodyBytes = 2 << 20

// Options configure a Server.
type Options struct {
	Store  *store.Store
	Logger *slog.Logger // nil: discard
	// RateLimit per authenticated user (all its tokens together); zero RPS: off.
	RateLimit RateLimit
	// AuthFailureLimit per client address, counting requests whose authentication
	// failed (no token, an unknown, revoked or expired one); zero RPS: off.
	AuthFailureLimit RateLimit
	// BodyReadTimeout bounds the reading of a request body (default
	// DefaultBodyReadTimeout): a slow body is cut off and its connection closed.
	BodyReadTimeout time.Duration
	// Faults injected on purpose (all off by default).
	Faults Faults
	// Counters, when set, survive a restart (the test server shares them).
	Counters     *Counters
	MaxBodyBytes int64
	// InvitationTTL is how long an organization invitation can be accepted (zero:
	// rules.DefaultInvitationTTL, 7 days).
	InvitationTTL time.Duration
	// Observe, when set, is told the status of every answer once it is written (the
	// bench counts answers by status class).
	Observe func(status int)
}

// Server serves the API. It is an http.Handler.
type Server struct {
	store    *store.Store
	log      *slog.Logger
	mux      *http.ServeMux
	paths    *http.ServeMux // method-less patterns, to tell 405 from 404
	counters *Counters
	limiter  *limiter
	faults   atomic.Pointer[Faults]
	maxBody  int64
	// inviteTTL is Options.InvitationTTL (zero: the default), changed by
	// SetInvitationTTL.
	inviteTTL atomic.Int64
	auth      authCache
	sharedDB  bool // other instances write to the same database: the auth cache is not trusted
	used      lastUse
	authFail  *limiter
	bodyRead  time.Duration
	observe   func(status int)
}

// New builds a server over an open store.
func New(opts Options) *Server {
	s := &Server{
		store:    opts.Store,
		log:      opts.Logger,
		mux:      http.NewServeMux(),
		paths:    http.NewServeMux(),
		counters: opts.Counters,
		maxBody:  opts.MaxBodyBytes,
		observe:  opts.Observe,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.counters == nil {
		s.counters = NewCounters()
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	// Other instances may revoke tokens and change users in a shared database: every
	// request's transaction looks its token up; the cache only names the user before
	// it (the rate limit, the failed-authentication limit).
	s.sharedDB = opts.Store != nil && opts.Store.Shared()
	if opts.RateLimit.RPS > 0 {
		s.limiter = newLimiter(opts.RateLimit, "for this user")
	}
	if opts.AuthFailureLimit.RPS > 0 {
		s.authFail = newLimiter(opts.AuthFailureLimit, "with a missing or invalid token from this address")
	}
	s.bodyRead = opts.BodyReadTimeout
	if s.bodyRead <= 0 {
		s.bodyRead = DefaultBodyReadTimeout
	}
	f := opts.Faults
	s.faults.Store(&f)
	s.inviteTTL.Store(int64(opts.InvitationTTL))

	eps := endpoints()
	seenPath := map[string]bool{}
	for _, rt := range api.Routes {
		key := rt.Method + " " + rt.Pattern
		ep, ok := eps[key]
		if !ok {
			panic("server: no handler for route " + key)
		}
		delete(eps, key)
		ep.route = rt
		ep.key = key
		e := ep
		s.mux.HandleFunc(key, func(w http.ResponseWriter, r *http.Request) { s.serve(&e, w, r) })
		if !seenPath[rt.Pattern] {
			seenPath[rt.Pattern] = true
			s.paths.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
		}
	}
	for key := range eps {
		panic("server: handler for a route not in api.Routes: " + key)
	}
	s.mux.HandleFunc("/", s.unmatched)
	return s
}

// SetFaults changes the injected faults at run time.
func (s *Server) SetFaults(f Faults) { s.faults.Store(&f) }

// Counters returns the per-route request counters.
func (s *Server) Counters() *Counters { return s.counters }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.observe == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)
	s.observe(sw.status)
}

// LimiterBuckets is how many rate-limit buckets the server holds (request limit and
// failed-authentication limit together): what a flood of random tokens could grow.
func (s *Server) LimiterBuckets() int { return s.limiter.size() + s.authFail.size() }

func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	s.counters.total.Add(1)
	reqID := newRequestID()
	w.Header().Set(api.HeaderRequestID, reqID)
	if s.limiter != nil {
		if e := s.limiter.allow("addr:"+remoteHost(r), w.Header()); e != nil {
			writeError(w, e, reqID)
			return
		}
	}
	status := http.StatusNotFound
	e := &apiError{status: status, code: api.CodeNotFound, msg: "No route matches " + r.URL.Path + "."}
	if _, pattern := s.paths.Handler(r); pattern != "" {
		var allow []string
		for _, rt := range api.Routes {
			if rt.Pattern == pattern {
				allow = append(allow, rt.Method)
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		status = http.StatusMethodNotAllowed
		e = &apiError{status: status, code: api.CodeMethodNotAllowed, msg: fmt.Sprintf("%s is not allowed on %s; allowed: %s.", r.Method, pattern, strings.Join(allow, ", "))}
	}
	writeError(w, e, reqID)
	s.log.Info("request", "method", r.Method, "route", "", "status", status, "duration_ms", 0.0, "request_id", reqID)
}

// ---------------------------------------------------------------------------
// Endpoints

type mode int

const (
	modeRead   mode = iota // read-only transaction
	modeWrite              // write transaction
	modeCreate             // write transaction, honours Idempotency-Key
)

type endpoint struct {
	mode mode
	fn   func(*call) (*reply, error)
	// replay, when set, answers a replayed create from what the create stored
	// (reply.stored) instead of replaying the first answer (a token's secret is never
	// stored).
	replay func(c *call, stored []byte) (*reply, error)
	route  api.Route
	key    string
}

// call is one request inside its transaction.
type call struct {
	ctx     context.Context
	r       *http.Request
	tx      *store.Tx
	user    store.User
	body    []byte
	s       *Server
	revoked bool          // a token was revoked: the auth cache forgets what it knew
	key     *store.APIKey // the caller is this Flero API key (rule 14); user is its stand-in
}

func (c *call) path(name string) string { return c.r.PathValue(name) }
func (c *call) query(name string) string {
	return c.r.URL.Query().Get(name)
}

// reply is a handler's answer; serve() encodes it.
type reply struct {
	status  int
	body    any
	version int64  // > 0: sent as ETag
	stored  []byte // what the idempotency store keeps of a create, when not the answer
}

func ok(body any, version int64) (*reply, error) {
	return &reply{status: http.StatusOK, body: body, version: version}, nil
}

func created(body any, version int64) (*reply, error) {
	return &reply{status: http.StatusCreated, body: body, version: version}, nil
}

func noContent() (*reply, error) { return &reply{status: http.StatusNoContent}, nil }

var errActivate = errors.New("user must be activated")

// serve runs one request of one endpoint.
func (s *Server) serve(ep *endpoint, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	sw := &statusWriter{ResponseWriter: w}
	w = sw
	w.Header().Set(api.HeaderRequestID, reqID)
	s.counters.inc(ep.key)
	defer func() {
		s.log.Info("request", "method", r.Method, "route", ep.route.Pattern, "status", sw.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "request_id", reqID)
	}()
	fail := func(e *apiError) { writeError(w, e, reqID) }
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // a sentinel value, compared as net/http does
				panic(v)
			}
			s.log.Error("handler panic", "route", ep.route.Pattern, "request_id", reqID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw.status == 0 {
				w.Header().Set("Connection", "close")
				fail(&apiError{status: http.StatusInternalServerError, code: api.CodeInternal, msg: "Internal error."})
			}
		}
	}()
	// A slow body cannot hold the connection: reading it (also the rest of a body left
	// unread by a refusal) ends at the deadline, and the connection is closed.
	hasBody := r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut
	rc := http.NewResponseController(w)
	if hasBody {
		_ = rc.SetReadDeadline(start.Add(s.bodyRead)) // not every writer supports it (tests' recorders)
	}

	gen := s.auth.generation()
	token, hasToken := bearer(r)
	hash := ""
	if hasToken {
		hash = store.HashToken(token)
	}
	user, authErr := s.identify(r.Context(), hasToken, hash, gen, r)
	if authErr != nil {
		// Refused before the body is read: close the connection rather than read the
		// rest of a body nobody will use.
		w.Header().Set("Connection", "close")
		fail(authErr)
		return
	}
	if s.limiter != nil {
		if e := s.limiter.allow("usr:"+user.ID, w.Header()); e != nil {
			fail(e)
			return
		}
	}
	faults := s.faults.Load()
	if e := faults.before(r.Context(), r, w.Header()); e != nil {
		fail(e)
		return
	}

	var body []byte
	if hasBody {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
		if err == nil {
			_ = rc.SetReadDeadline(time.Time{}) // read in time: the handler's own time is not the body's
		}
		if err != nil {
			var mbe *http.MaxBytesError
			w.Header().Set("Connection", "close")
			if errors.As(err, &mbe) {
				fail(badRequest("The request body is larger than %d bytes.", s.maxBody))
			} else {
				fail(badRequest("The request body could not be read (in %s).", s.bodyRead))
			}
			return
		}
	}
	idemKey := ""
	if ep.mode == modeCreate {
		idemKey = r.Header.Get(api.HeaderIdempotencyKey)
		if len(idemKey) > 255 {
			fail(badRequest("The Idempotency-Key header must be at most 255 characters."))
			return
		}
	}

	var (
		rep      *reply
		encoded  []byte
		replayed *store.Reply
		rebuilt  bool // a replay answered by ep.replay
		revoked  bool
		touched  map[string]time.Time
	)
	run := func(tx *store.Tx) error {
		rep, encoded, replayed, rebuilt, revoked = nil, nil, nil, false, false
		who, err := s.authenticate(tx, hash, gen)
		if err != nil {
			return err
		}
		user := who.user
		if ep.mode != modeRead {
			// Writes store the tokens' last uses that reads only remembered.
			s.used.restore(touched)
			touched = s.used.drain()
			if err := tx.TouchTokens(touched); err != nil {
				return err
			}
		}
		if user.Status != "active" {
			if ep.mode == modeRead {
				return errActivate
			}
			if err := tx.ActivateUser(user.ID); err != nil {
				return err
			}
			user.Status = "active"
		}
		fp := ""
		if idemKey != "" {
			fp = fingerprint(r, body)
			prev, err := tx.IdempotentReply(user.ID, idemKey)
			if err == nil {
				if prev.Fingerprint != fp {
					return &apiError{status: http.StatusUnprocessableEntity, code: api.CodeIdempotencyReused,
						msg: "This Idempotency-Key was already used with another request; use a new key for a new request."}
				}
				if ep.replay == nil {
					replayed = &prev
					return nil
				}
				c := &call{ctx: r.Context(), r: r, tx: tx, user: user, body: body, s: s, key: who.key}
				if rep, err = ep.replay(c, prev.Body); err != nil {
					return err
				}
				rebuilt = true
				encoded, err = json.Marshal(rep.body)
				return err
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		c := &call{ctx: r.Context(), r: r, tx: tx, user: user, body: body, s: s, key: who.key}
		if rep, err = ep.fn(c); err != nil {
			return err
		}
		revoked = c.revoked
		if rep.body != nil {
			if encoded, err = json.Marshal(rep.body); err != nil {
				return err
			}
		}
		if idemKey != "" {
			stored := encoded
			if rep.stored != nil {
				stored = rep.stored
			}
			return tx.PutIdempotentReply(user.ID, idemKey, store.Reply{Fingerprint: fp, Status: rep.status, ETag: etag(rep.version), Body: stored})
		}
		return nil
	}
	var err error
	if ep.mode == modeRead {
		err = s.store.Read(r.Context(), run)
		if errors.Is(err, errActivate) {
			if err = s.activate(r.Context(), hash); err == nil {
				err = s.store.Read(r.Context(), run)
			}
		}
	} else {
		err = s.store.Write(r.Context(), run)
		if err != nil {
			s.used.restore(touched)
		}
		if err == nil && revoked {
			s.auth.invalidate()
		}
	}
	if err != nil {
		e := toAPIError(err)
		if e.status >= 500 {
			s.log.Error("request failed", "route", ep.route.Pattern, "request_id", reqID, "error", err.Error())
		}
		fail(e)
		return
	}
	if ep.mode != modeRead && faults.dropAfterCommit() {
		// The transaction is committed: the client never learns it. A retry with the
		// same Idempotency-Key must find the stored reply.
		sw.status = -1
		if conn, _, herr := http.NewResponseController(w).Hijack(); herr == nil {
			conn.Close()
			return
		}
		panic(http.ErrAbortHandler)
	}
	if rebuilt {
		w.Header().Set(api.HeaderIdempotentReplay, "true")
	}
	if replayed != nil {
		w.Header().Set(api.HeaderIdempotentReplay, "true")
		if replayed.ETag != "" {
			w.Header().Set(api.HeaderETag, replayed.ETag)
		}
		writeBody(w, replayed.Status, replayed.Body)
		return
	}
	if rep.version > 0 {
		w.Header().Set(api.HeaderETag, etag(rep.version))
	}
	writeBody(w, rep.status, encoded)
}

// authenticate finds the token's user, or the Flero API key (rule 14) with its
// stand-in user. The positive answer is cached (users are never deleted) until a token
// or key is revoked or a key's expiry changes; an expired token or key is refused at
// once, cached or not (rule 13). gen is the cache's generation when the request began.
func (s *Server) authenticate(tx *store.Tx, hash string, gen uint64) (authEntry, error) {
	e, ok := s.auth.get(hash)
	if !ok || s.sharedDB {
		k, err := tx.TokenByHash(hash)
		if errors.Is(err, store.ErrNotFound) {
			return s.authenticateAPIKey(tx, hash, gen)
		}
		if err != nil {
			return authEntry{}, err
		}
		u, err := tx.UserByID(k.UserID)
		if err != nil {
			return authEntry{}, err
		}
		e = authEntry{user: u, tokenID: k.ID, expires: k.ExpiresAt, gen: gen}
		if u.Status == "active" {
			s.auth.put(hash, e)
		}
	}
	return s.admit(e)
}

// admit accepts a known token unless it has expired, and records its use.
func (s *Server) admit(e authEntry) (authEntry, error) {
	now := time.Now()
	if rules.TokenExpired(e.expires, now) {
		msg := rules.TokenExpiredMessage(e.expires)
		if e.key != nil {
			msg = rules.APIKeyExpiredMessage(e.expires)
		}
		return authEntry{}, &apiError{status: http.StatusUnauthorized, code: api.CodeUnauthorized, msg: msg}
	}
	s.used.record(e.tokenID, now)
	return e, nil
}

func (s *Server) activate(ctx context.Context, hash string) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := s.authenticate(tx, hash, s.auth.generation())
		if err != nil || e.user.Status == "active" {
			return err
		}
		return tx.ActivateUser(e.user.ID)
	})
}

func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	_, _ = io.WriteString(h, r.Method+" "+r.URL.Path+"\n") // a hash never fails
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func etag(version int64) string {
	if version <= 0 {
		return ""
	}
	return fmt.Sprintf("%q", fmt.Sprint(version))
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get(api.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// identify authenticates a request before its transaction (so that the rate limit is
// the user's): the auth cache, or a read of the token. A failure counts against the
// client address's failed-authentication limit; once that is exhausted, a request
// whose token is not one the server already knows is refused (429) without looking it
// up, while known tokens from the same address keep working.
func (s *Server) identify(ctx context.Context, hasToken bool, hash string, gen uint64, r *http.Request) (store.User, *apiError) {
	addr := "addr:" + remoteHost(r)
	var err error
	var user store.User
	cached, known := s.auth.get(hash)
	switch {
	case hasToken && known:
		// With a shared database this only names the user for the rate limit: the
		// request's transaction looks the token up again (authenticate).
		var e authEntry
		e, err = s.admit(cached)
		user = e.user
	case s.authFail != nil && s.authFail.exhausted(addr) != nil:
		return store.User{}, s.authFail.exhausted(addr)
	case !hasToken:
		err = &apiError{status: http.StatusUnauthorized, code: api.CodeUnauthorized, msg: "Missing or malformed Authorization header: use \"Authorization: Bearer <token>\"."}
	default:
		err = s.store.Read(ctx, func(tx *store.Tx) error {
			e, err := s.authenticate(tx, hash, gen)
			user = e.user
			return err
		})
	}
	if err == nil {
		return user, nil
	}
	e := toAPIError(err)
	if e.status >= 500 {
		s.log.Error("authentication failed", "error", err.Error())
		return store.User{}, e
	}
	if s.authFail != nil {
		if limited := s.authFail.allow(addr, nil); limited != nil {
			return store.User{}, limited
		}
	}
	return store.User{}, e
}

func remoteHost(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	if status == http.StatusNoContent || body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client has gone: nothing left to tell it
}

// statusWriter remembers the status for the request log and Options.Observe.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
