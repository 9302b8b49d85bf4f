package client

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// The rate limiter against a token bucket, in virtual time: one goroutine plays n
// workers, the network and the server, so the outcome depends on the limiter's
// arithmetic and on the latencies the test chooses (seeded), never on how busy the
// machine running the test is. The wall-clock version of this (goroutines hammering a
// real server) is BenchmarkRateLimiterHammer: throughput is for benchmarks.

// simEvent is something that happens at a virtual time: a worker asks the limiter,
// its request reaches the server, or its answer reaches the client.
type simEvent struct {
	at     time.Time
	seq    int // ties in order of scheduling
	kind   int
	worker int
	gen    int // a "try" that is stale once the worker's generation moved on
	tk     ticket
	resp   *http.Response
}

const (
	simTry = iota
	simArrive
	simAnswer
)

type simQueue []*simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(*simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

type simBucket struct {
	rate, burst, tokens float64
	last                time.Time
	limitIsRate         bool // announce X-RateLimit-Limit as the rate, not the burst
}

// serve answers one request arriving at now, as internal/server's limiter does.
func (b *simBucket) serve(now time.Time) *http.Response {
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	limit := b.burst
	if b.limitIsRate {
		limit = b.rate
	}
	h := map[string]string{
		api.HeaderRateLimitLimit:     fmt.Sprint(limit),
		api.HeaderRateLimitRemaining: fmt.Sprint(math.Floor(math.Max(b.tokens, 0))),
		api.HeaderRateLimitReset:     fmt.Sprint(math.Ceil((b.burst - b.tokens) / b.rate)),
	}
	if !allowed {
		h[api.HeaderRetryAfter] = fmt.Sprint(math.Max(1, math.Ceil((1-b.tokens)/b.rate)))
		return resp(http.StatusTooManyRequests, h)
	}
	return resp(http.StatusOK, h)
}

type simResult struct {
	ok, limited int
	steadyOK    int // answers after the warm-up
}

// simulate runs workers that send back to back through one limiter for d of virtual
// time; latency returns each leg's delay (client to server, server to client).
func simulate(b *simBucket, workers int, d, warmup time.Duration, latency func() time.Duration) simResult {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := now.Add(d)
	l := newRateLimiter(time.Second)
	l.now = func() time.Time { return now }
	b.last = now

	var q simQueue
	seq := 0
	push := func(e *simEvent) { seq++; e.seq = seq; heap.Push(&q, e) }
	gen := make([]int, workers)
	waiting := map[int]bool{} // workers waiting for the estimate to move
	for w := range workers {
		push(&simEvent{at: now, kind: simTry, worker: w})
	}
	var res simResult
	for q.Len() > 0 {
		e := heap.Pop(&q).(*simEvent)
		now = e.at
		switch e.kind {
		case simTry:
			if e.gen != gen[e.worker] || !now.Before(end) {
				continue
			}
			gen[e.worker]++
			delete(waiting, e.worker)
			tk, ok, wait, wake := l.admit(now)
			if ok {
				push(&simEvent{at: now.Add(latency()), kind: simArrive, worker: e.worker, tk: tk})
				continue
			}
			if wake != nil {
				waiting[e.worker] = true
			}
			if wait > 0 {
				push(&simEvent{at: now.Add(wait), kind: simTry, worker: e.worker, gen: gen[e.worker]})
			}
		case simArrive:
			push(&simEvent{at: now.Add(latency()), kind: simAnswer, worker: e.worker, tk: e.tk, resp: b.serve(now)})
		case simAnswer:
			l.release(e.tk, e.resp)
			if e.resp.StatusCode == http.StatusTooManyRequests {
				res.limited++
			} else {
				res.ok++
				if now.Sub(end.Add(-d)) >= warmup {
					res.steadyOK++
				}
			}
			// release moved the estimate: the waiting workers ask again now (as the
			// closed channel wakes them), and this worker sends its next request.
			for w := range waiting {
				push(&simEvent{at: now, kind: simTry, worker: w, gen: gen[w]})
			}
			push(&simEvent{at: now, kind: simTry, worker: e.worker, gen: gen[e.worker]})
		}
	}
	return res
}

func TestRateLimiterSimulatedNo429s(t *testing.T) {
	const (
		rps     = 50.0
		workers = 16
		run     = 20 * time.Second
		warmup  = 2 * time.Second
	)
	fixed := func(d time.Duration) func(*rand.Rand) func() time.Duration {
		return func(*rand.Rand) func() time.Duration { return func() time.Duration { return d } }
	}
	uniform := func(maxD time.Duration) func(*rand.Rand) func() time.Duration {
		return func(r *rand.Rand) func() time.Duration {
			return func() time.Duration { return time.Duration(r.Int64N(int64(maxD))) }
		}
	}
	// A busy machine: mostly quick, now and then a goroutine is not scheduled for a
	// long while (up to 300 ms on either leg).
	stalls := func(r *rand.Rand) func() time.Duration {
		return func() time.Duration {
			if r.IntN(20) == 0 {
				return time.Duration(r.Int64N(int64(300 * time.Millisecond)))
			}
			return time.Duration(r.Int64N(int64(5 * time.Millisecond)))
		}
	}
	for _, bucket := range []struct {
		name        string
		burst       float64
		limitIsRate bool
	}{
		{"limit is the rate", 10, true},
		{"limit is the burst", 20, false},
		{"small burst", 3, false},
	} {
		for _, lat := range []struct {
			name string
			f    func(*rand.Rand) func() time.Duration
		}{
			{"1ms legs", fixed(time.Millisecond)},
			{"0-50ms legs", uniform(50 * time.Millisecond)},
			{"stalls", stalls},
		} {
			t.Run(bucket.name+"/"+lat.name, func(t *testing.T) {
				for seed := range uint64(5) {
					b := &simBucket{rate: rps, burst: bucket.burst, tokens: bucket.burst, limitIsRate: bucket.limitIsRate}
					res := simulate(b, workers, run, warmup, lat.f(rand.New(rand.NewPCG(seed, 7))))
					steady := float64(res.steadyOK) / (run - warmup).Seconds()
					t.Logf("seed %d: %d answers, %d answered 429, %.1f/s (%.0f%% of the limit) after %s",
						seed, res.ok+res.limited, res.limited, steady, 100*steady/rps, warmup)
					if res.limited != 0 {
						t.Errorf("seed %d: the server answered 429 %d times", seed, res.limited)
					}
					// Pacing that stays clear of 429s by sending next to nothing is no
					// pacing. (A bucket of 3 with round trips of up to 100 ms gets 40%
					// of the limit: the limiter keeps at most two requests in flight.)
					if steady < rps/3 {
						t.Errorf("seed %d: %.1f successful requests/s after the warm-up, want at least a third of the limit (%.0f/s)", seed, steady, rps)
					}
				}
			})
		}
	}
}

// TestRateLimiterSimulationCatchesAnUnpacedClient: the simulation itself can fail: a
// limiter that lets everything through gets 429s from the same bucket.
func TestRateLimiterSimulationCatchesAnUnpacedClient(t *testing.T) {
	b := &simBucket{rate: 50, burst: 10, tokens: 10}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.last = now
	limited := 0
	for i := range 200 {
		if b.serve(now.Add(time.Duration(i)*time.Millisecond)).StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("200 requests in 200 ms against 50/s got no 429")
	}
}
