package client

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// bucketServer is a fake API limited by a token bucket, announcing its budget the
// way announce says.
type bucketServer struct {
	mu       sync.Mutex
	rate     float64
	burst    float64
	tokens   float64
	last     time.Time
	announce func(h http.Header, rate, burst, tokens float64)
	ok, over atomic.Int64
}

func (b *bucketServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	now := time.Now()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	if b.announce != nil {
		b.announce(w.Header(), b.rate, b.burst, b.tokens)
	}
	retry := math.Ceil((1 - b.tokens) / b.rate)
	b.mu.Unlock()
	if !allowed {
		b.over.Add(1)
		w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(int(retry)))
		writeErr(w, 429, api.CodeRateLimited, "slow down")
		return
	}
	b.ok.Add(1)
	writeJSON(w, 200, api.Me{})
}

// hammer runs n goroutines calling Me for d, and returns the successful calls per
// second over the whole run and after warmup (once the initial burst is spent and
// the limiter has learned the rate).
func hammer(t *testing.T, c *Client, n int, d, warmup time.Duration) (overall, steady float64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var done, late atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := c.Me(ctx); err == nil {
					done.Add(1)
					if time.Since(start) >= warmup {
						late.Add(1)
					}
				} else if ctx.Err() == nil {
					t.Errorf("call failed: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	return float64(done.Load()) / el.Seconds(), float64(late.Load()) / (el - warmup).Seconds()
}

func TestRateLimiterAgainstTokenBuckets(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	const rps = 50.0
	for _, tc := range []struct {
		name     string
		burst    float64
		announce func(h http.Header, rate, burst, tokens float64)
	}{
		{"limit is the rate", 10, func(h http.Header, rate, burst, tokens float64) {
			h.Set(api.HeaderRateLimitLimit, fmt.Sprint(rate))
			h.Set(api.HeaderRateLimitRemaining, fmt.Sprint(math.Floor(math.Max(tokens, 0))))
			h.Set(api.HeaderRateLimitReset, fmt.Sprint(math.Ceil((burst-tokens)/rate)))
		}},
		{"limit is the burst", 20, func(h http.Header, rate, burst, tokens float64) {
			h.Set(api.HeaderRateLimitLimit, fmt.Sprint(burst))
			h.Set(api.HeaderRateLimitRemaining, fmt.Sprint(math.Floor(math.Max(tokens, 0))))
			h.Set(api.HeaderRateLimitReset, fmt.Sprint(math.Ceil((burst-tokens)/rate)))
		}},
		{"small burst", 3, func(h http.Header, rate, burst, tokens float64) {
			h.Set(api.HeaderRateLimitLimit, fmt.Sprint(burst))
			h.Set(api.HeaderRateLimitRemaining, fmt.Sprint(math.Floor(math.Max(tokens, 0))))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &bucketServer{rate: rps, burst: tc.burst, tokens: tc.burst, last: time.Now(), announce: tc.announce}
			srv := httptest.NewServer(b)
			defer srv.Close()
			c, err := New(fastConfig(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			all, steady := hammer(t, c, 16, 3*time.Second, 1500*time.Millisecond)
			t.Logf("16 goroutines, limit %.0f/s burst %.0f: %.1f req/s over 3s, %.1f req/s (%.0f%% of the limit) after 1.5s; %d answers 429",
				rps, tc.burst, all, steady, 100*steady/rps, b.over.Load())
			if n := b.over.Load(); n != 0 {
				t.Errorf("the server answered 429 %d times", n)
			}
		})
	}
}

func TestRateLimiterUnlimitedServerIsNotSerialized(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		cur.Add(-1)
		writeJSON(w, 200, api.Me{})
	}))
	defer srv.Close()
	c, _ := New(fastConfig(srv.URL))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := c.Me(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if peak.Load() < 4 {
		t.Errorf("at most %d requests were in flight at once: the limiter serializes a server without limits", peak.Load())
	}
}

func TestRateLimiter429PausesEveryone(t *testing.T) {
	l := newRateLimiter(300 * time.Millisecond)
	if _, _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := resp(429, map[string]string{api.HeaderRetryAfter: "3600", api.HeaderRateLimitLimit: "10", api.HeaderRateLimitRemaining: "0"})
	l.release(ticket{}, r)
	start := time.Now()
	if _, _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 250*time.Millisecond || el > 2*time.Second {
		t.Errorf("after a 429 with Retry-After 3600 and a cap of 300ms, waited %s", el)
	}
	// A cancelled context ends the wait.
	l.release(ticket{}, r)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := l.acquire(ctx); err == nil {
		t.Error("acquire ignored its context")
	}
}

func TestRateLimiterSlowProbeDoesNotHoldEveryone(t *testing.T) {
	l := newRateLimiter(time.Second)
	if _, _, err := l.acquire(context.Background()); err != nil { // the probe, never answered
		t.Fatal(err)
	}
	start := time.Now()
	if _, _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < maxProbeWait/2 || el > maxProbeWait+time.Second {
		t.Errorf("a second request waited %s for an unanswered probe", el)
	}
}
