package client

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// rateLimiter paces every attempt of one Client (all its goroutines share it) so
// that Terraform's parallelism does not turn into a storm of 429s. It starts
// unlimited and learns the server's budget from the X-RateLimit-* headers of each
// answer; a 429's Retry-After (capped) pauses every goroutine until then.
//
// It is a token bucket with reservations: a caller takes a token, possibly driving
// the count negative, and sleeps until its token would have been refilled. Callers
// are so served in arrival order at the learned rate.
type rateLimiter struct {
	mu         sync.Mutex
	rate       float64 // tokens per second; 0 = not limited (nothing learned yet)
	burst      float64
	tokens     float64
	last       time.Time
	pauseUntil time.Time
	maxPause   time.Duration
	inflight   int
}

func newRateLimiter(maxPause time.Duration) *rateLimiter {
	return &rateLimiter{maxPause: maxPause}
}

// wait blocks until the caller may send, or ctx ends. It returns how long it waited.
func (l *rateLimiter) wait(ctx context.Context) (time.Duration, error) {
	l.mu.Lock()
	now := time.Now()
	var d time.Duration
	if l.pauseUntil.After(now) {
		d = l.pauseUntil.Sub(now)
	}
	reserved := false
	if l.rate > 0 {
		l.refill(now)
		l.tokens--
		reserved = true
		if l.tokens < 0 {
			if w := time.Duration(-l.tokens / l.rate * float64(time.Second)); w > d {
				d = w
			}
		}
	}
	l.mu.Unlock()
	if d <= 0 {
		return 0, ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		if reserved {
			l.mu.Lock()
			l.tokens++
			l.mu.Unlock()
		}
		return d, ctx.Err()
	case <-t.C:
		return d, nil
	}
}

func (l *rateLimiter) refill(now time.Time) {
	if !l.last.IsZero() {
		l.tokens += now.Sub(l.last).Seconds() * l.rate
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
	}
	l.last = now
}

func (l *rateLimiter) sent() {
	l.mu.Lock()
	l.inflight++
	l.mu.Unlock()
}

func (l *rateLimiter) done() {
	l.mu.Lock()
	l.inflight--
	l.mu.Unlock()
}

// observe learns from an answer's headers.
func (l *rateLimiter) observe(resp *http.Response) {
	h := resp.Header
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if resp.StatusCode == http.StatusTooManyRequests {
		if ra, ok := parseRetryAfter(h.Get(api.HeaderRetryAfter), now); ok {
			if ra > l.maxPause {
				ra = l.maxPause
			}
			if until := now.Add(ra); until.After(l.pauseUntil) {
				l.pauseUntil = until
			}
		}
		if l.rate > 0 {
			l.refill(now)
			if l.tokens > 0 {
				l.tokens = 0
			}
		}
	}
	limit, okL := headerFloat(h, api.HeaderRateLimitLimit)
	if !okL || limit <= 0 {
		return
	}
	// The server announces a budget of `limit` requests per second.
	if l.rate != limit {
		l.refill(now)
		l.rate = limit
		l.burst = 1
		if l.last.IsZero() {
			l.last = now
		}
	}
	if remaining, ok := headerFloat(h, api.HeaderRateLimitRemaining); ok {
		l.refill(now)
		if avail := remaining - float64(l.inflight); avail < l.tokens {
			l.tokens = avail
		}
	}
}

func headerFloat(h http.Header, k string) (float64, bool) {
	v := h.Get(k)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}
