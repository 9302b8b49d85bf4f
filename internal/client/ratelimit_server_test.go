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

// TestRateLimitNo429s: 16 goroutines hammer a server limited to 50 requests/s
// (bucket of 10) and never get a 429. Throughput is printed, not asserted.
func TestRateLimitNo429s(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
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
	if n := limited.Load(); n != 0 {
		t.Errorf("the server answered 429 %d times", n)
	}
	if done.Load() == 0 {
		t.Error("no call succeeded")
	}
}
