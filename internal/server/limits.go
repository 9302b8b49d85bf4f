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

// RateLimit is a token bucket per API token: RPS tokens a second, up to Burst.
// Zero RPS turns rate limiting off.
type RateLimit struct {
	RPS   float64
	Burst int
}

type bucket struct {
	tokens float64
	last   time.Time
}

type limiter struct {
	cfg     RateLimit
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

func newLimiter(cfg RateLimit) *limiter {
	if cfg.Burst < 1 {
		cfg.Burst = max(1, int(math.Ceil(cfg.RPS)))
	}
	return &limiter{cfg: cfg, buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token from key's bucket, sets the rate-limit headers, and returns a
// 429 error when the bucket is empty.
func (l *limiter) allow(key string, h http.Header) *apiError {
	l.mu.Lock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.cfg.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(float64(l.cfg.Burst), b.tokens+now.Sub(b.last).Seconds()*l.cfg.RPS)
	b.last = now
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	tokens := b.tokens
	l.mu.Unlock()

	burst := float64(l.cfg.Burst)
	h.Set(api.HeaderRateLimitLimit, strconv.Itoa(l.cfg.Burst))
	h.Set(api.HeaderRateLimitRemaining, strconv.Itoa(int(math.Floor(tokens))))
	h.Set(api.HeaderRateLimitReset, strconv.Itoa(int(math.Ceil((burst-tokens)/l.cfg.RPS))))
	if allowed {
		return nil
	}
	wait := int(math.Max(1, math.Ceil((1-tokens)/l.cfg.RPS)))
	h.Set(api.HeaderRetryAfter, strconv.Itoa(wait))
	return &apiError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
		msg: "Too many requests for this token: retry after " + strconv.Itoa(wait) + " second(s)."}
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
	// DropAfterCommitRate commits a write, then closes the connection without an answer.
	DropAfterCommitRate float64
}

func roll(rate float64) bool { return rate > 0 && (rate >= 1 || rand.Float64() < rate) }

// before applies the faults that happen before a request is handled.
func (f *Faults) before(ctx context.Context, h http.Header) *apiError {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
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
