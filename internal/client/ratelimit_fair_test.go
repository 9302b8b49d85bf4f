package client

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"
)

// Several processes sharing one token share one bucket on the server and cannot see
// each other: each has its own limiter and learns only from the answers it gets. The
// simulation below plays them in virtual time, as simulate does for one.

// simClient is one process: its workers send back to back from start on.
type simClient struct {
	workers int
	start   time.Duration
}

type sharedResult struct {
	ok, limited []int   // per client, over the whole run
	perSecond   [][]int // per client, accepted answers in each second of the run
}

// simulateShared runs clients, each with its own limiter and workers, against one
// bucket for d of virtual time.
func simulateShared(b *simBucket, clients []simClient, d time.Duration, latency func() time.Duration) sharedResult {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	end := now.Add(d)
	b.last = now
	secs := int(d / time.Second)
	res := sharedResult{ok: make([]int, len(clients)), limited: make([]int, len(clients)), perSecond: make([][]int, len(clients))}

	type worker struct {
		client int
		gen    int
	}
	limiters := make([]*rateLimiter, len(clients))
	var workers []*worker
	waiting := make([]map[int]bool, len(clients))
	var q simQueue
	seq := 0
	push := func(e *simEvent) { seq++; e.seq = seq; heap.Push(&q, e) }
	for i, c := range clients {
		l := newRateLimiter(time.Second)
		l.now = func() time.Time { return now }
		limiters[i] = l
		waiting[i] = map[int]bool{}
		res.perSecond[i] = make([]int, secs+1)
		for range c.workers {
			workers = append(workers, &worker{client: i})
			push(&simEvent{at: now.Add(c.start), kind: simTry, worker: len(workers) - 1})
		}
	}
	for q.Len() > 0 {
		e := heap.Pop(&q).(*simEvent)
		now = e.at
		w := workers[e.worker]
		l := limiters[w.client]
		switch e.kind {
		case simTry:
			if e.gen != w.gen || !now.Before(end) {
				continue
			}
			w.gen++
			delete(waiting[w.client], e.worker)
			tk, ok, wait, wake := l.admit(now)
			if ok {
				push(&simEvent{at: now.Add(latency()), kind: simArrive, worker: e.worker, tk: tk})
				continue
			}
			if wake != nil {
				waiting[w.client][e.worker] = true
			}
			if wait > 0 {
				push(&simEvent{at: now.Add(wait), kind: simTry, worker: e.worker, gen: w.gen})
			}
		case simArrive:
			push(&simEvent{at: now.Add(latency()), kind: simAnswer, worker: e.worker, tk: e.tk, resp: b.serve(now)})
		case simAnswer:
			l.release(e.tk, e.resp)
			if e.resp.StatusCode == http.StatusTooManyRequests {
				res.limited[w.client]++
			} else {
				res.ok[w.client]++
				if s := int(now.Sub(t0) / time.Second); s <= secs {
					res.perSecond[w.client][s]++
				}
			}
			for o := range waiting[w.client] {
				push(&simEvent{at: now, kind: simTry, worker: o, gen: workers[o].gen})
			}
			push(&simEvent{at: now, kind: simTry, worker: e.worker, gen: w.gen})
		}
	}
	return res
}

// shares is each client's accepted requests/s over seconds [from, to).
func (r sharedResult) shares(from, to int) []float64 {
	out := make([]float64, len(r.perSecond))
	for i, s := range r.perSecond {
		n := 0
		for _, v := range s[from:to] {
			n += v
		}
		out[i] = float64(n) / float64(to-from)
	}
	return out
}

// TestRateLimiterSharesOneBucketFairly: four processes with one token, each with
// ten workers sending back to back (Terraform's parallelism), against a bucket of
// 50 refilled at 50/s. Once they have converged, each gets a fair part of the
// bucket (the largest share at most 1.5 times the smallest, each second's too on
// average over 5 s windows), the bucket is used (at least 0.9 of the limit) and 429s
// stay rare. The processes start apart, as Terraform runs launched together do.
func TestRateLimiterSharesOneBucketFairly(t *testing.T) {
	const (
		rps    = 50.0
		run    = 120 * time.Second
		settle = 20 // seconds to converge
	)
	for _, tc := range []struct {
		name    string
		burst   float64
		clients []simClient
	}{
		{"4 together", 50, []simClient{{10, 0}, {10, 0}, {10, 0}, {10, 0}}},
		{"4 staggered", 50, []simClient{{10, 0}, {10, 300 * time.Millisecond}, {10, 2 * time.Second}, {10, 5 * time.Second}}},
		{"2 unequal parallelism", 50, []simClient{{16, 0}, {4, time.Second}}},
		{"4 small bucket", 10, []simClient{{10, 0}, {10, 100 * time.Millisecond}, {10, time.Second}, {10, 2 * time.Second}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(3) {
				r := rand.New(rand.NewPCG(seed, 11))
				lat := func() time.Duration { return time.Duration(r.Int64N(int64(20 * time.Millisecond))) }
				b := &simBucket{rate: rps, burst: tc.burst, tokens: tc.burst}
				res := simulateShared(b, tc.clients, run, lat)
				secs := int(run / time.Second)
				sh := res.shares(settle, secs)
				total, limited := 0.0, 0
				for i := range sh {
					total += sh[i]
					limited += res.limited[i]
				}
				ratio := maxOverMin(sh)
				// The worst 5-second window after settling.
				worst := 0.0
				for from := settle; from+5 <= secs; from += 5 {
					worst = max(worst, maxOverMin(res.shares(from, from+5)))
				}
				t.Logf("seed %d: shares %.1f req/s, max/min %.2f (worst 5 s window %.2f), total %.1f/s = %.2f of the limit, %d answered 429",
					seed, sh, ratio, worst, total, total/rps, limited)
				if ratio > 1.5 {
					t.Errorf("seed %d: max/min share %.2f after %d s, want at most 1.5", seed, ratio, settle)
				}
				if worst > 2 {
					t.Errorf("seed %d: max/min share %.2f over a 5 s window, want at most 2", seed, worst)
				}
				if total < 0.9*rps {
					t.Errorf("seed %d: %.1f accepted requests/s together, want at least 0.9 of the limit (%.0f/s)", seed, total, rps)
				}
				if limited > secs {
					t.Errorf("seed %d: %d answers 429 in %d s, want at most one a second", seed, limited, secs)
				}
			}
		})
	}
}

// maxOverMin is the largest share over the smallest: +Inf when one got nothing.
func maxOverMin(sh []float64) float64 {
	if slices.Min(sh) <= 0 {
		return math.Inf(1)
	}
	return slices.Max(sh) / slices.Min(sh)
}
