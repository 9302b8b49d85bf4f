package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// The request helpers below are the only code that sends requests; services are
// thin wrappers that name a route and its types.

// route is a request path whose ids are already escaped, or the reason it could
// not be built.
type route struct {
	path   string
	format string   // the pattern, "%s" for each id (Write.Route)
	ids    []string // the ids, unescaped (Write.IDs)
	err    error
}

// pathf builds a route from a format with %s verbs, escaping each id. An empty id
// is refused here rather than sent as a different route.
func pathf(format string, ids ...string) route {
	args := make([]any, len(ids))
	for i, id := range ids {
		if strings.TrimSpace(id) == "" {
			return route{path: format, format: format, ids: ids, err: fmt.Errorf("flero: %s: an id is empty", format)}
		}
		args[i] = url.PathEscape(id)
	}
	return route{path: fmt.Sprintf(format, args...), format: format, ids: ids}
}

// call is one logical request, sent once and retried per the transport's policy.
type call struct {
	method     string
	route      route
	query      url.Values
	body       any   // marshalled once: every attempt sends the same bytes
	ifMatch    int64 // > 0: If-Match: "<ifMatch>"
	idemKey    string
	replayable bool
}

// result is a successful (2xx) answer.
type result struct {
	status int
	header http.Header
	body   []byte
}

// maxBody bounds a response body read into memory.
const maxBody = 32 << 20

func (c *Client) do(ctx context.Context, cl call, st *callState) (*result, error) {
	if cl.route.err != nil {
		return nil, cl.route.err
	}
	if st == nil {
		st = &callState{}
	}
	st.replayable = cl.replayable
	if cl.method != http.MethodGet && cl.method != http.MethodHead {
		c.writes.Add(1)
	}

	var raw []byte
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("flero: %s %s: encoding the request: %w", cl.method, cl.route.path, err)
		}
		raw = b
	}

	u := c.base.String() + cl.route.path // route ids are already escaped
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var rawBody any
	if raw != nil {
		rawBody = raw
	}
	req, err := retryablehttp.NewRequestWithContext(withCallState(ctx, st), cl.method, u, rawBody)
	if err != nil {
		return nil, fmt.Errorf("flero: %s %s: %w", cl.method, cl.route.path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.Token != "" {
		req.Header.Set(api.HeaderAuthorization, "Bearer "+c.cfg.Token)
	}
	if cl.idemKey != "" {
		req.Header.Set(api.HeaderIdempotencyKey, cl.idemKey)
	}
	if cl.ifMatch > 0 {
		req.Header.Set(api.HeaderIfMatch, etag(cl.ifMatch))
	}
	if raw != nil && c.logger != nil {
		c.log(ctx, LogEntry{Level: LevelTrace, Message: "request body", Method: cl.method, Path: cl.route.path, Body: Redact(raw)})
	}

	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("flero: %s %s: %w", cl.method, cl.route.path, ctx.Err())
		}
		var ue *url.Error
		if errors.As(err, &ue) { // its text repeats the URL with the query string
			err = ue.Err
		}
		return nil, fmt.Errorf("flero: %s %s: no answer after %d attempt(s): %w", cl.method, cl.route.path, st.attempts.Load(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("flero: %s %s: %w", cl.method, cl.route.path, ctx.Err())
		}
		return nil, fmt.Errorf("flero: %s %s: reading the answer (status %d): %w", cl.method, cl.route.path, resp.StatusCode, err)
	}
	if len(body) > 0 && c.logger != nil {
		c.log(ctx, LogEntry{Level: LevelTrace, Message: "response body", Method: cl.method, Path: cl.route.path, Status: resp.StatusCode, Body: Redact(body)})
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp, body, cl.method, cl.route.path, cl.ifMatch)
	}
	return &result{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

func decode[T any](cl call, res *result) (*T, error) {
	var v T
	if len(bytes.TrimSpace(res.body)) == 0 { // 204
		return &v, nil
	}
	if err := json.Unmarshal(res.body, &v); err != nil {
		return nil, fmt.Errorf("flero: %s %s: decoding the answer (status %d): %w", cl.method, cl.route.path, res.status, err)
	}
	return &v, nil
}

// get reads one object.
func get[T any](ctx context.Context, c *Client, r route, q url.Values) (*T, error) {
	cl := call{method: http.MethodGet, route: r, query: q, replayable: true}
	res, err := c.do(ctx, cl, nil)
	if err != nil {
		return nil, err
	}
	return decode[T](cl, res)
}

// all iterates every item of a paginated list, fetching pages as it goes. It
// stops at the first error, which it yields with a zero item.
func all[T any](ctx context.Context, c *Client, r route, q url.Values) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		cursor := ""
		for {
			pq := url.Values{}
			for k, v := range q {
				pq[k] = v
			}
			pq.Set("limit", strconv.Itoa(c.cfg.PageSize))
			if cursor != "" {
				pq.Set("cursor", cursor)
			}
			page, err := get[api.Page[T]](ctx, c, r, pq)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			if page.NextCursor == "" {
				return
			}
			if seen[page.NextCursor] {
				yield(zero, fmt.Errorf("flero: GET %s: the server returned the same cursor twice", r.path))
				return
			}
			seen[page.NextCursor] = true
			cursor = page.NextCursor
		}
	}
}

// list returns every item of a paginated list (never nil).
func list[T any](ctx context.Context, c *Client, r route, q url.Values) ([]T, error) {
	out := []T{}
	for it, err := range all[T](ctx, c, r, q) {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// findOne returns the first listed item that match accepts, or a 404 APIError
// naming what was looked for.
func findOne[T any](ctx context.Context, c *Client, r route, q url.Values, what string, match func(T) bool) (*T, error) {
	for it, err := range all[T](ctx, c, r, q) {
		if err != nil {
			return nil, err
		}
		if match(it) {
			return &it, nil
		}
	}
	return nil, &APIError{Status: http.StatusNotFound, Code: api.CodeNotFound, Method: http.MethodGet, Path: r.path,
		Message: fmt.Sprintf("no %s.", what)}
}

// create sends a creating POST with an Idempotency-Key made once for this logical
// create: every retry carries the same key and the same bytes, so the server
// replays the first answer instead of making a second object.
//
// A create whose outcome is unknown (an attempt got no answer, or a 502/504, so it may
// have been committed) is not given up when the retries run out on a busy or
// unavailable server: it is sent again, with the same key, for up to
// ambiguousCreateRounds more rounds of retries. Given up, the object could exist
// without the caller knowing it (for Terraform: a name conflict on every later apply).
func create[T any](ctx context.Context, c *Client, r route, body any) (*T, error) {
	cl := call{method: http.MethodPost, route: r, body: body, idemKey: newIdempotencyKey(), replayable: true}
	st := &callState{}
	res, err := c.do(ctx, cl, st)
	for round := 0; err != nil && round < ambiguousCreateRounds && st.ambiguous.Load() && unanswered(err) && ctx.Err() == nil; round++ {
		st = &callState{}
		st.ambiguous.Store(true)
		res, err = c.do(ctx, cl, st)
	}
	var v *T
	if err == nil {
		v, err = decode[T](cl, res)
	}
	c.wrote(ctx, cl, v, err)
	return v, err
}

// ambiguousCreateRounds bounds the extra rounds of a create whose outcome is unknown.
const ambiguousCreateRounds = 2

// unanswered reports an error that carries no verdict of the server on the request:
// no answer at all, or a 429, 502, 503 or 504. (A 500 is the server's own failure,
// retried twice only; see maxInternalErrorRetries.)
func unanswered(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.Status {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// action sends a POST that makes no object and may safely be repeated (a
// credential test).
func action[T any](ctx context.Context, c *Client, r route, body any) (*T, error) {
	cl := call{method: http.MethodPost, route: r, body: body, replayable: true}
	res, err := c.do(ctx, cl, nil)
	var v *T
	if err == nil {
		v, err = decode[T](cl, res)
	}
	c.wrote(ctx, cl, v, err)
	return v, err
}

// update sends a PATCH, with If-Match when opts.IfMatch > 0.
//
// A conditional PATCH retried after a lost answer can meet its own committed
// write: the retry then gets 412 although nobody else touched the object. When
// that can have happened (an earlier attempt's fate is unknown), update reads
// the object back, and if its version is exactly IfMatch+1 and it holds every
// value the PATCH set, the write was ours: it returns the object instead of the
// 412.
func update[T any](ctx context.Context, c *Client, r route, body any, opts WriteOptions) (*T, error) {
	cl := call{method: http.MethodPatch, route: r, body: body, ifMatch: opts.IfMatch, replayable: true}
	v, err := updateOnce[T](ctx, c, cl, opts)
	c.wrote(ctx, cl, v, err)
	return v, err
}

func updateOnce[T any](ctx context.Context, c *Client, cl call, opts WriteOptions) (*T, error) {
	st := &callState{}
	res, err := c.do(ctx, cl, st)
	if err == nil {
		return decode[T](cl, res)
	}
	if opts.IfMatch > 0 && st.ambiguous.Load() && errors.Is(err, ErrPreconditionFailed) {
		if cur, gerr := get[T](ctx, c, cl.route, nil); gerr == nil && holdsWrite(cur, cl.body, opts.IfMatch+1) {
			return cur, nil
		}
	}
	return nil, err
}

// holdsWrite reports whether obj is at version and carries every field of patch
// that obj has (write-only fields such as credential data cannot be compared).
func holdsWrite(obj any, patch any, version int64) bool {
	o, err1 := toMap(obj)
	p, err2 := toMap(patch)
	if err1 != nil || err2 != nil {
		return false
	}
	if v, ok := o["version"].(json.Number); !ok || v.String() != strconv.FormatInt(version, 10) {
		return false
	}
	for k, pv := range p {
		if ov, ok := o[k]; ok && !reflect.DeepEqual(ov, pv) {
			return false
		}
	}
	return true
}

func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	return m, dec.Decode(&m)
}

// remove sends a DELETE, with If-Match when opts.IfMatch > 0.
//
// A DELETE retried after a lost answer may find the object already gone: when an
// earlier attempt's fate is unknown, a 404 counts as success. A DELETE of an
// object that was never there (or that someone else deleted before our first
// attempt) still returns ErrNotFound; callers that mean "make it absent", like
// the provider, treat ErrNotFound as done anyway.
func remove(ctx context.Context, c *Client, r route, opts WriteOptions) error {
	cl := call{method: http.MethodDelete, route: r, ifMatch: opts.IfMatch, replayable: true}
	st := &callState{}
	_, err := c.do(ctx, cl, st)
	if err != nil && st.ambiguous.Load() && errors.Is(err, ErrNotFound) {
		err = nil
	}
	c.wrote(ctx, cl, nil, err)
	return err
}

// newIdempotencyKey returns a random (version 4) UUID.
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func quote(s string) string { return strconv.Quote(s) }
