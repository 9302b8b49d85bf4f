package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Retry policy
//
// A request is "replayable" when sending it twice cannot do more than sending it
// once: GET, PATCH (it sets fields; with If-Match a replay after a lost answer is
// reconciled, see update), DELETE, a credential test, and every creating POST
// (creates and RecordUse), which carry an Idempotency-Key so that the server
// replays the first answer. Every request of this client is replayable today; the
// other column is the policy for any future POST without a key.
//
//	                                       replayable   not replayable
//	connection refused (nothing was sent)  retry        retry
//	other connection errors, timeouts      retry        no
//	429, 503 (the server did not act)      retry        retry
//	502, 504 (it may have acted)           retry        no
//	500 (it may have acted)                2 retries    no
//	anything else                          no           no
//
// A 500 is more often a bug than an outage (an outage answers 502/503/504), so it
// is retried only twice: a deterministic failure reaches the user in well under a
// second instead of after the whole retry window.
//
// Waits grow exponentially with jitter between RetryWaitMin and RetryWaitMax; a
// Retry-After on 429/503 is honoured but never beyond MaxRetryAfter. Every wait ends
// the moment the context does. The defaults (8 retries, 500ms..5s) keep retrying
// refused connections for at least ~14 s (at most ~28 s), enough to ride out a
// restart of the server.

// callState follows one logical call across its attempts. It travels in the
// request's context, so the round tripper, CheckRetry and the helpers share it.
type callState struct {
	replayable     bool
	attempts       atomic.Int32
	internalErrors atomic.Int32 // 500 answers so far
	lastEnd        atomic.Int64 // when the previous attempt ended (unix nanoseconds)
	// ambiguous: an earlier attempt may have reached the server although no
	// answer came back (a dropped connection, a 500/502/504). A later 412 or 404
	// may then be the echo of our own write; see update and remove.
	ambiguous atomic.Bool
}

type callStateKey struct{}

func withCallState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, st)
}

func callStateFrom(ctx context.Context) *callState {
	if st, ok := ctx.Value(callStateKey{}).(*callState); ok {
		return st
	}
	return &callState{}
}

// maxInternalErrorRetries bounds the retries of a 500.
const maxInternalErrorRetries = 2

// newRetryClient wires go-retryablehttp with this package's policy. Its own logger
// is off: the round tripper logs every attempt through Config.Logger.
func (c *Client) newRetryClient(hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil,
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.RetryMax,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		// The last answer (status, body) reaches the caller as an APIError
		// instead of retryablehttp's "giving up after N attempts".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := callStateFrom(ctx)
	if err != nil {
		if permanentTransportError(err) {
			return false, err
		}
		if isDialError(err) {
			return true, nil // nothing was sent
		}
		if !st.replayable {
			return false, err
		}
		st.ambiguous.Store(true)
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// When the server asks for a wait that outlasts the context, the
		// caller gets the server's answer now rather than a bare deadline
		// error later.
		if ra, ok := parseRetryAfter(resp.Header.Get(api.HeaderRetryAfter), time.Now()); ok {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < min(ra, c.cfg.MaxRetryAfter) {
				return false, nil
			}
		}
		return true, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		if resp.StatusCode == http.StatusInternalServerError && st.internalErrors.Add(1) > maxInternalErrorRetries {
			return false, nil
		}
		if !st.replayable {
			return false, nil
		}
		st.ambiguous.Store(true)
		return true, nil
	}
	return false, nil
}

// backoff is exponential with "equal jitter": a wait of d becomes a random value in
// [d/2, d]. A Retry-After on 429/503 replaces it, capped at MaxRetryAfter.
func (c *Client) backoff(base, ceiling time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := parseRetryAfter(resp.Header.Get(api.HeaderRetryAfter), time.Now()); ok {
			if ra > c.cfg.MaxRetryAfter {
				ra = c.cfg.MaxRetryAfter
			}
			if ra < base {
				ra = base
			}
			return ra
		}
	}
	d := float64(base) * math.Pow(2, float64(attempt))
	if d > float64(ceiling) || math.IsInf(d, 0) {
		d = float64(ceiling)
	}
	half := d / 2
	return time.Duration(half + rand.Float64()*half)
}

// parseRetryAfter reads delay-seconds (fractions accepted) or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, false
		}
		if s > float64(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// isDialError reports a connection that was never established (refused,
// unreachable, DNS failure): the request did not leave.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// permanentTransportError: retrying cannot help (a bad certificate). Redirects are
// never followed (the API has none), so they cannot loop.
func permanentTransportError(err error) bool {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalidCert x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
	)
	if errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalidCert) ||
		errors.As(err, &verifyErr) || errors.As(err, &recordErr) {
		return true
	}
	return false
}

// transport is the http.RoundTripper under retryablehttp: every attempt passes the
// shared rate limiter, gets its own timeout, and is logged.
type transport struct {
	c       *Client
	next    http.RoundTripper
	timeout time.Duration
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := callStateFrom(ctx)
	attempt := int(st.attempts.Add(1))
	path := req.URL.Path

	tk, wait, err := t.c.limiter.acquire(ctx)
	if wait > time.Millisecond || err != nil {
		t.c.log(ctx, LogEntry{Level: LevelDebug, Message: "rate limit wait", Method: req.Method, Path: path, Attempt: attempt, Wait: wait, Err: err})
		if err != nil {
			return nil, err
		}
	}

	cancel := context.CancelFunc(func() {})
	actx := ctx
	if t.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	// net/http sends a request that carries an Idempotency-Key once more, by itself,
	// when a kept-alive connection drops after the request was written: the first
	// write may have been committed, and only the second answer reaches CheckRetry.
	// A second write within one attempt makes the call ambiguous.
	var writes atomic.Int32
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		if writes.Add(1) > 1 && st.replayable {
			st.ambiguous.Store(true)
		}
	}})
	req = req.WithContext(actx)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	dur := time.Since(start)
	t.c.limiter.release(tk, resp)

	e := LogEntry{Level: LevelDebug, Message: "http request", Method: req.Method, Path: path, Attempt: attempt, Duration: dur, IdempotencyKey: req.Header.Get(api.HeaderIdempotencyKey)}
	if prev := st.lastEnd.Swap(time.Now().UnixNano()); prev != 0 {
		e.Wait = start.Sub(time.Unix(0, prev)) // backoff and rate limiting before this retry
	}
	if err != nil {
		cancel()
		e.Err = err
		t.c.log(ctx, e)
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	e.Status = resp.StatusCode
	e.RequestID = resp.Header.Get(api.HeaderRequestID)
	t.c.log(ctx, e)
	return resp, nil
}

// cancelOnClose ends an attempt's timeout context once its body is consumed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
