package client_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// BenchmarkRateLimitServer: 16 goroutines hammer the reference server limited to 50
// requests/s (bucket of 10) for 5 s of wall-clock time; it reports the 429s and the
// throughput. Whether a run gets a 429 depends on how the machine schedules its
// goroutines (a load of 16 on two cores did), so this is a benchmark, not a test:
// go test -run '^$' -bench RateLimit ./internal/client. TestRateLimiterSimulatedNo429s
// asserts the pacing in virtual time.
func BenchmarkRateLimitServer(b *testing.B) {
	t := b
	const (
		rps     = 50
		burst   = 10
		workers = 16
		run     = 5 * time.Second
		warmup  = 1500 * time.Millisecond
	)
	srv := testserver.Start(t, testserver.WithRateLimit(rps, burst))
	var attempts, limited atomic.Int64
	c := newClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) {
		cfg.MaxRetryAfter = time.Second
		cfg.Logger = func(_ context.Context, e client.LogEntry) {
			if e.Message == "http request" {
				attempts.Add(1)
				if e.Status == 429 {
					limited.Add(1)
				}
			}
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	var done, steady atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := c.Me(ctx)
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("call failed: %v", err)
					}
					return
				}
				done.Add(1)
				if time.Since(start) >= warmup {
					steady.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	all := float64(done.Load()) / el.Seconds()
	st := float64(steady.Load()) / (el - warmup).Seconds()
	t.Logf("%d goroutines, server limit %d/s (bucket %d), %s: %d calls, %.1f/s overall, %.1f/s (%.0f%% of the limit) after %s; %d attempts, %d answered 429",
		workers, rps, burst, run, done.Load(), all, st, 100*st/rps, warmup, attempts.Load(), limited.Load())
	b.ReportMetric(float64(limited.Load()), "429s")
	b.ReportMetric(st, "req/s")
	if done.Load() == 0 {
		t.Error("no call succeeded")
	}
}
