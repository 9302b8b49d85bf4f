package server

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// RateLimit is a token bucket per key: RPS tokens a second, up to Burst. Zero RPS
// turns it off. The server keys its request limit on the authenticated user (all of a
// user's tokens share it) and its failed-authentication limit on the client address.
type RateLimit struct {
	RPS   float64
	Burst int
}

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter is a set of token buckets. A bucket left alone long enough to be full again
// is the same as no bucket: it is evicted, so memory follows the keys active in the
// last Burst/RPS seconds, not every key ever seen (a stream of random tokens or
// addresses cannot grow it without bound).
type limiter struct {
	cfg       RateLimit
	mu        sync.Mutex
	buckets   map[string]*bucket
	now       func() time.Time
	lastSweep time.Time
	refusal   string // "for this user", …: the 429's words
}

func newLimiter(cfg RateLimit, refusal string) *limiter {
	if cfg.Burst < 1 {
		cfg.Burst = max(1, int(math.Ceil(cfg.RPS)))
	}
	return &limiter{cfg: cfg, buckets: map[string]*bucket{}, now: time.Now, refusal: refusal}
}

// fullAfter is how long an untouched bucket takes to be full again.
func (l *limiter) fullAfter() time.Duration {
	return time.Duration(float64(l.cfg.Burst) / l.cfg.RPS * float64(time.Second))
}

// sweep evicts full buckets, at most once per fullAfter (or per second). Locked.
func (l *limiter) sweep(now time.Time) {
	every := max(time.Second, l.fullAfter())
	if now.Sub(l.lastSweep) < every {
		return
	}
	l.lastSweep = now
	idle := l.fullAfter()
	for k, b := range l.buckets {
		if now.Sub(b.last) >= idle {
			delete(l.buckets, k)
		}
	}
}

// refill brings key's bucket up to now (nil when it has none: it is full). Locked.
func (l *limiter) refill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		return nil
	}
	b.tokens = math.Min(float64(l.cfg.Burst), b.tokens+now.Sub(b.last).Seconds()*l.cfg.RPS)
	b.last = now
	return b
}

// allow takes a token from key's bucket, sets the rate-limit headers on h (when not
// nil), and returns a 429 error when the bucket is empty.
func (l *limiter) allow(key string, h http.Header) *apiError {
	l.mu.Lock()
	now := l.now()
	l.sweep(now)
	b := l.refill(key, now)
	if b == nil {
		b = &bucket{tokens: float64(l.cfg.Burst), last: now}
		l.buckets[key] = b
	}
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	tokens := b.tokens
	l.mu.Unlock()

	if h != nil {
		burst := float64(l.cfg.Burst)
		h.Set(api.HeaderRateLimitLimit, strconv.Itoa(l.cfg.Burst))
		h.Set(api.HeaderRateLimitRemaining, strconv.Itoa(int(math.Floor(tokens))))
		h.Set(api.HeaderRateLimitReset, strconv.Itoa(int(math.Ceil((burst-tokens)/l.cfg.RPS))))
	}
	if allowed {
		return nil
	}
	return l.refuse(tokens)
}

// exhausted returns the 429 key's bucket would give now, without taking a token or
// making a bucket.
func (l *limiter) exhausted(key string) *apiError {
	l.mu.Lock()
	b := l.refill(key, l.now())
	tokens := float64(l.cfg.Burst)
	if b != nil {
		tokens = b.tokens
	}
	l.mu.Unlock()
	if tokens >= 1 {
		return nil
	}
	return l.refuse(tokens)
}

func (l *limiter) refuse(tokens float64) *apiError {
	wait := int(math.Max(1, math.Ceil((1-tokens)/l.cfg.RPS)))
	return &apiError{status: http.StatusTooManyRequests, code: api.CodeRateLimited, retryAfter: wait,
		msg: "Too many requests " + l.refusal + ": retry after " + strconv.Itoa(wait) + " second(s)."}
}

// size is how many buckets the limiter holds.
func (l *limiter) size() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Faults are failures injected on purpose, to test clients' retries. Rates are
// probabilities per request (0 = never, 1 = always).
type Faults struct {
	// ErrorRate answers 503 unavailable before doing anything.
	ErrorRate float64
	// RateLimitRate answers 429 with Retry-After before doing anything.
	RateLimitRate float64
	// RetryAfter is the Retry-After of injected 429s (default 1s).
	RetryAfter time.Duration
	// Latency delays every request.
	Latency time.Duration
	// LatencyFor, when set, delays each request by what it returns for the request's
	// method and URI (path and query; tests that make one object's read slower than another's, as a
	// busy machine may).
	LatencyFor func(method, uri string) time.Duration
	// DropAfterCommitRate commits a write, then closes the connection without an answer.
	DropAfterCommitRate float64
	// PanicRate makes the handler panic (the server answers 500 and logs it).
	PanicRate float64
}

func roll(rate float64) bool { return rate > 0 && (rate >= 1 || rand.Float64() < rate) }

// before applies the faults that happen before a request is handled.
func (f *Faults) before(ctx context.Context, r *http.Request, h http.Header) *apiError {
	latency := f.Latency
	if f.LatencyFor != nil {
		latency += f.LatencyFor(r.Method, r.URL.RequestURI())
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if roll(f.PanicRate) {
		panic("injected fault: a handler panicked")
	}
	if roll(f.ErrorRate) {
		return &apiError{status: http.StatusServiceUnavailable, code: api.CodeUnavailable, msg: "Injected fault: the service is unavailable, retry."}
	}
	if roll(f.RateLimitRate) {
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		secs := strconv.Itoa(int(math.Ceil(ra.Seconds())))
		h.Set(api.HeaderRetryAfter, secs)
		return &apiError{status: http.StatusTooManyRequests, code: api.CodeRateLimited, msg: "Injected fault: rate limited, retry after " + secs + " second(s)."}
	}
	return nil
}

func (f *Faults) dropAfterCommit() bool { return roll(f.DropAfterCommitRate) }
