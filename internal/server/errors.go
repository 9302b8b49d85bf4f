package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// apiError is an error with its HTTP status and machine code.
type apiError struct {
	status     int
	code       string
	msg        string
	fields     []api.FieldError
	retryAfter int // seconds, sent as Retry-After when > 0
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(what, id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: fmt.Sprintf("%s %q was not found.", what, id)}
}

func conflict(field, format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	return &apiError{status: http.StatusConflict, code: api.CodeConflict, msg: msg, fields: []api.FieldError{{Path: field, Message: msg}}}
}

func preconditionFailed(current int64) *apiError {
	return &apiError{status: http.StatusPreconditionFailed, code: api.CodePreconditionFailed,
		msg: fmt.Sprintf("The object changed since it was read: its version is now %d. Read it again and retry.", current)}
}

// validate gathers format violations into one 422 validation_failed (nil if none).
func validate(vs ...*rules.Violation) error {
	var fields []api.FieldError
	var msgs []string
	for _, v := range vs {
		if v == nil {
			continue
		}
		fields = append(fields, api.FieldError{Path: v.Field, Message: v.Message})
		msgs = append(msgs, v.Message)
	}
	if len(fields) == 0 {
		return nil
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: api.CodeValidation, msg: strings.Join(msgs, " "), fields: fields}
}

// check turns a rule's refusal into an error (nil when allowed): a typed nil
// *Violation must not become a non-nil error.
func check(v *rules.Violation) error {
	if v == nil {
		return nil
	}
	return v
}

// toAPIError maps any error to the API's answer. Unknown errors are 500 and their
// text stays in the server log (it never holds a secret either).
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var v *rules.Violation
	if errors.As(err, &v) {
		status := http.StatusUnprocessableEntity
		switch v.Kind {
		case rules.KindForbidden:
			status = http.StatusForbidden
		case rules.KindConflict:
			status = http.StatusConflict
		}
		e := &apiError{status: status, code: v.Code, msg: v.Message}
		if v.Field != "" {
			e.fields = []api.FieldError{{Path: v.Field, Message: v.Message}}
		}
		return e
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: "Not found."}
	case errors.Is(err, store.ErrConstraint):
		return &apiError{status: http.StatusConflict, code: api.CodeConflict, msg: "The request conflicts with the current state of the platform."}
	}
	return &apiError{status: http.StatusInternalServerError, code: api.CodeInternal, msg: "Internal error."}
}

func writeError(w http.ResponseWriter, e *apiError, reqID string) {
	if e.retryAfter > 0 {
		w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(e.retryAfter))
	}
	b, _ := json.Marshal(api.ErrorResponse{Error: api.ErrorBody{Code: e.code, Message: e.msg, Fields: e.fields, RequestID: reqID}})
	writeBody(w, e.status, b)
}

// ---------------------------------------------------------------------------

// Counters count requests per route ("METHOD pattern"), for tests that assert how
// many calls a client made.
type Counters struct {
	byRoute map[string]*atomic.Int64
	total   atomic.Int64
}

// NewCounters returns zeroed counters for every route.
func NewCounters() *Counters {
	c := &Counters{byRoute: map[string]*atomic.Int64{}}
	for _, r := range api.Routes {
		c.byRoute[r.Method+" "+r.Pattern] = new(atomic.Int64)
	}
	return c
}

func (c *Counters) inc(key string) {
	c.total.Add(1)
	c.byRoute[key].Add(1)
}

// Requests is how many requests matched a route.
func (c *Counters) Requests(method, pattern string) int64 {
	if n, ok := c.byRoute[method+" "+pattern]; ok {
		return n.Load()
	}
	return 0
}

// Total is how many requests were received (matched or not).
func (c *Counters) Total() int64 { return c.total.Load() }

// Reset zeroes every counter.
func (c *Counters) Reset() {
	for _, n := range c.byRoute {
		n.Store(0)
	}
	c.total.Store(0)
}

// authCache remembers active users by token hash, with their token's id and expiry.
// A revocation invalidates every entry (a new generation): an answer read before the
// revocation committed carries the old generation and is never trusted after it.
type authCache struct {
	m   sync.Map // hash → authEntry
	gen atomic.Uint64
}

type authEntry struct {
	user    store.User
	tokenID string
	expires time.Time // zero: never
	gen     uint64
}

// generation is the cache's generation, read before a request looks a token up.
func (a *authCache) generation() uint64 { return a.gen.Load() }

func (a *authCache) get(hash string) (authEntry, bool) {
	v, ok := a.m.Load(hash)
	if !ok {
		return authEntry{}, false
	}
	e := v.(authEntry)
	return e, e.gen == a.gen.Load()
}

// put remembers e, looked up in generation e.gen; an entry of an older generation is
// dropped.
func (a *authCache) put(hash string, e authEntry) {
	if e.gen == a.gen.Load() {
		a.m.Store(hash, e)
	}
}

// invalidate forgets every entry (after a token was revoked).
func (a *authCache) invalidate() {
	a.gen.Add(1)
	a.m.Clear()
}

// lastUse remembers when each token was last used, until a write transaction stores it
// (store.Tx.TouchTokens): a read-only request does not write.
type lastUse struct {
	mu sync.Mutex
	m  map[string]time.Time
}

func (l *lastUse) record(tokenID string, at time.Time) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]time.Time{}
	}
	l.m[tokenID] = at
	l.mu.Unlock()
}

// drain returns the pending uses and forgets them.
func (l *lastUse) drain() map[string]time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.m
	l.m = nil
	return m
}

// restore puts back uses whose transaction failed (a newer use wins).
func (l *lastUse) restore(m map[string]time.Time) {
	for id, at := range m {
		l.mu.Lock()
		if l.m == nil {
			l.m = map[string]time.Time{}
		}
		if cur, ok := l.m[id]; !ok || cur.Before(at) {
			l.m[id] = at
		}
		l.mu.Unlock()
	}
}

// peek is a pending use of a token, if any.
func (l *lastUse) peek(tokenID string) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, ok := l.m[tokenID]
	return at, ok
}
