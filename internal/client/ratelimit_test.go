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
func hammer(t testing.TB, c *Client, n int, d, warmup time.Duration) (overall, steady float64) {
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

// BenchmarkRateLimiterAgainstTokenBuckets: 16 goroutines hammer fake servers limited
// by token buckets for 3 s of wall-clock time, reporting the 429s and the throughput.
// How many 429s a real run gets depends on how the machine schedules the goroutines,
// so it is a benchmark (go test -run '^$' -bench RateLimit ./internal/client);
// TestRateLimiterSimulatedNo429s asserts the limiter's pacing in virtual time.
func BenchmarkRateLimiterAgainstTokenBuckets(b *testing.B) {
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
		b.Run(tc.name, func(b *testing.B) {
			bs := &bucketServer{rate: rps, burst: tc.burst, tokens: tc.burst, last: time.Now(), announce: tc.announce}
			srv := httptest.NewServer(bs)
			defer srv.Close()
			c, err := New(fastConfig(srv.URL))
			if err != nil {
				b.Fatal(err)
			}
			all, steady := hammer(b, c, 16, 3*time.Second, 1500*time.Millisecond)
			b.Logf("16 goroutines, limit %.0f/s burst %.0f: %.1f req/s over 3s, %.1f req/s (%.0f%% of the limit) after 1.5s; %d answers 429",
				rps, tc.burst, all, steady, 100*steady/rps, bs.over.Load())
			b.ReportMetric(float64(bs.over.Load()), "429s")
			b.ReportMetric(steady, "req/s")
		})
	}
}

func TestRateLimiterUnlimitedServerIsNotSerialized(t *testing.T) {
	// Each request is held until 4 are in flight together (or 10 s pass), so the
	// result does not depend on how the goroutines happen to be scheduled: a limiter
	// that lets requests overlap reaches 4 however slowly the machine runs them, one
	// that serializes them never does.
	const want = 4
	var cur, peak atomic.Int32
	reached := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n >= want {
			once.Do(func() { close(reached) })
		}
		select {
		case <-reached:
		case <-time.After(10 * time.Second):
		}
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
	if peak.Load() < want {
		t.Errorf("at most %d requests were in flight at once: the limiter serializes a server without limits", peak.Load())
	}
}

// virtualClock makes a limiter read the time from *now.
func virtualClock(l *rateLimiter, now *time.Time) { l.now = func() time.Time { return *now } }

func TestRateLimiter429PausesEveryone(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(300 * time.Millisecond)
	virtualClock(l, &now)
	if _, ok, _, _ := l.admit(now); !ok {
		t.Fatal("the first request (the probe) waits")
	}
	r := resp(429, map[string]string{api.HeaderRetryAfter: "3600", api.HeaderRateLimitLimit: "10", api.HeaderRateLimitRemaining: "0"})
	l.release(ticket{}, r)
	// Retry-After 3600 capped at 300 ms: nobody goes before, everybody may after.
	for _, at := range []time.Duration{0, 100 * time.Millisecond, 299 * time.Millisecond} {
		if _, ok, wait, _ := l.admit(now.Add(at)); ok || wait != 300*time.Millisecond-at {
			t.Errorf("%s after a 429 with Retry-After 3600 and a cap of 300ms: admitted %v, wait %s", at, ok, wait)
		}
	}
	if _, ok, _, _ := l.admit(now.Add(300 * time.Millisecond)); !ok {
		t.Error("the pause outlived the cap of 300ms")
	}
	// A cancelled context ends the wait.
	l.now = time.Now
	l.release(ticket{}, resp(429, map[string]string{api.HeaderRetryAfter: "3600"}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := l.acquire(ctx); err == nil {
		t.Error("acquire ignored its context")
	}
}

func TestRateLimiterSlowProbeDoesNotHoldEveryone(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(time.Second)
	virtualClock(l, &now)
	if _, ok, _, _ := l.admit(now); !ok { // the probe, never answered
		t.Fatal("the probe waits")
	}
	if _, ok, wait, wake := l.admit(now.Add(maxProbeWait / 2)); ok || wait != maxProbeWait/2 || wake == nil {
		t.Errorf("a second request while the probe is out: admitted %v, wait %s, woken by its answer %v", ok, wait, wake != nil)
	}
	if _, ok, _, _ := l.admit(now.Add(maxProbeWait)); !ok {
		t.Errorf("a second request waited more than %s for an unanswered probe", maxProbeWait)
	}
}
