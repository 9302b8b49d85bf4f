package client

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// rateLimiter paces every attempt of one Client, shared by all its goroutines, so
// that Terraform's parallelism does not turn into a storm of 429s.
//
// It mirrors the server's token bucket instead of guessing it:
//
//   - Each answer's X-RateLimit-Remaining says how many requests the server would
//     still take when it served that request. Answers arrive in any order, so the
//     limiter subtracts every request that may have been served after it (those
//     not yet answered when it was sent): a lower bound of the server's budget.
//     When nothing else was in flight the bound is exact and replaces the
//     estimate; otherwise the best bound wins.
//   - Between answers the estimate grows at the server's refill rate, which the
//     limiter measures from exact answers at least rateSampleWindow apart (how
//     Remaining moved while it spent n requests), starting from
//     X-RateLimit-Limit per second. Requests go only while the estimate stays
//     above a small safety margin.
//   - Until the first answer arrives a single request goes (a probe; the others
//     wait for it up to maxProbeWait); when that answer carries no
//     X-RateLimit-* header the server is not limiting and requests flow freely.
//   - A 429 pauses every goroutine for its Retry-After (capped by
//     Config.MaxRetryAfter) and lowers the rate estimate.
//   - Other processes may spend the same token (Terraform runs in several
//     pipelines at once): a pacer (sharePacer, ratelimit_share.go) moves this
//     process's rate like TCP (additive increase, multiplicative decrease when
//     Remaining runs low), so that the processes converge to equal shares of the
//     bucket instead of the first to spend keeping the larger part.
type rateLimiter struct {
	mu       sync.Mutex
	state    limiterState
	probe    chan struct{} // closed when the probe's answer arrived
	probeT   time.Time     // when the probe was sent
	changed  chan struct{} // closed (and replaced) whenever the estimate moves
	maxPause time.Duration
	now      func() time.Time // time.Now; a virtual clock in the simulation tests

	limit    float64   // X-RateLimit-Limit: the server's bucket size
	peak     float64   // the most the server was seen to hold (Remaining + 1): the bucket size when Limit is the rate
	rate     float64   // estimated refill, requests per second
	base     float64   // a lower bound of the requests the server would take at baseT
	baseT    time.Time //
	inflight int       // sent, not yet answered
	sent     int64     // requests let through, ever
	answered int64     // requests answered (or failed), ever

	pauseUntil time.Time

	pacer sharePacer // this process's part of a bucket other processes may share

	// the last exact answer, the anchor of the next rate measurement
	exR    float64
	exT    time.Time
	exSent int64
}

type limiterState int

const (
	limiterUnknown   limiterState = iota // nothing learned: one probe at a time
	limiterUnlimited                     // the server announces no limit
	limiterLimited                       // pacing on the server's budget
)

// maxProbeWait bounds how long requests wait for the first answer.
const maxProbeWait = 500 * time.Millisecond

// rateSampleWindow is the shortest span over which the refill rate is measured.
const rateSampleWindow = 500 * time.Millisecond

func newRateLimiter(maxPause time.Duration) *rateLimiter {
	return &rateLimiter{maxPause: maxPause, now: time.Now, changed: make(chan struct{})}
}

// margin is how many requests the limiter keeps in reserve below the server's
// budget, to absorb timing noise and a slightly high rate estimate. It stays well
// below the bucket size, which it would otherwise waste.
func (l *rateLimiter) margin() float64 {
	return math.Min(2, math.Max(0.25, l.limit/4-0.5))
}

// ticket is one request let through by acquire.
type ticket struct {
	answeredBefore int64     // requests answered when this one was sent
	sentAt         time.Time // when it was let through
}

// acquire blocks until the caller may send (then counts it in flight), or ctx
// ends. It returns how long it waited.
func (l *rateLimiter) acquire(ctx context.Context) (ticket, time.Duration, error) {
	start := l.now()
	for {
		l.mu.Lock()
		tk, ok, wait, wake := l.admit(l.now())
		l.mu.Unlock()
		if ok {
			return tk, l.now().Sub(start), nil
		}

		var timer *time.Timer
		var tick <-chan time.Time
		if wait > 0 {
			timer = time.NewTimer(wait)
			tick = timer.C
		}
		select {
		case <-ctx.Done():
		case <-tick:
		case <-wake:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return ticket{}, l.now().Sub(start), ctx.Err()
		}
	}
}

// admit decides whether a request may go at now: ok with its ticket (counted in
// flight), or how long to wait before asking again and a channel closed when the
// estimate moves earlier (either may be zero). Called with mu held.
func (l *rateLimiter) admit(now time.Time) (tk ticket, ok bool, wait time.Duration, wake <-chan struct{}) {
	switch {
	case l.pauseUntil.After(now):
		return ticket{}, false, l.pauseUntil.Sub(now), nil
	case l.state == limiterUnlimited:
		return l.take(), true, 0, nil
	case l.state == limiterUnknown:
		if l.probe == nil {
			l.probe, l.probeT = make(chan struct{}), now
			return l.take(), true, 0, nil
		}
		if now.Sub(l.probeT) >= maxProbeWait {
			// A slow first answer must not hold every goroutine.
			return l.take(), true, 0, nil
		}
		return ticket{}, false, maxProbeWait - now.Sub(l.probeT), l.probe
	default:
		if w := l.pacer.wait(now); w > 0 {
			return ticket{}, false, w, nil
		}
		avail := l.available(now)
		need := 1 + l.margin()
		if avail >= need || (l.inflight == 0 && avail >= 1) {
			l.base, l.baseT = avail-1, now
			l.pacer.spend(now, l.limit)
			return l.take(), true, 0, nil
		}
		return ticket{}, false, time.Duration((need - avail) / l.rate * float64(time.Second)), l.changed
	}
}

// take counts a request in flight. Called with mu held.
func (l *rateLimiter) take() ticket {
	l.inflight++
	l.sent++
	return ticket{answeredBefore: l.answered, sentAt: l.now()}
}

// available is the estimate of requests the server would take now. base counts the
// requests in flight as spent when they were sent, but one that is slow to arrive is
// spent later, from a bucket that may have been full meanwhile and wasted refill:
// so the requests in flight also come off the bucket's size.
func (l *rateLimiter) available(now time.Time) float64 {
	a := l.base + now.Sub(l.baseT).Seconds()*l.rate
	return math.Min(a, math.Min(l.limit, l.peak)-float64(l.inflight))
}

// release ends an attempt that acquire let through, learning from its answer
// (resp is nil when none came).
func (l *rateLimiter) release(tk ticket, resp *http.Response) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.notify()
	now := l.now()
	if l.state == limiterLimited {
		// This request may have been served just now, from a bucket that stayed full
		// while it was on its way: keep the estimate that still counts it in flight.
		l.base, l.baseT = l.available(now), now
	}
	l.inflight--
	l.answered++

	if l.state == limiterUnknown && l.probe != nil {
		close(l.probe)
		l.probe = nil
	}
	if resp == nil {
		return // a later request probes again
	}
	h := resp.Header
	limit, okL := headerFloat(h, api.HeaderRateLimitLimit)
	remaining, okR := headerFloat(h, api.HeaderRateLimitRemaining)
	announced := okL && okR && limit > 0
	if !announced && l.state == limiterUnknown {
		l.state = limiterUnlimited
	}

	if resp.StatusCode == http.StatusTooManyRequests {
		pause := time.Second
		if ra, ok := parseRetryAfter(h.Get(api.HeaderRetryAfter), now); ok {
			pause = ra
		}
		if until := now.Add(min(pause, l.maxPause)); until.After(l.pauseUntil) {
			l.pauseUntil = until
		}
		if l.state == limiterLimited && announced {
			l.pacer.cut(now)
			l.rate = math.Max(l.rate*0.7, 0.1) // the estimate was too generous
			l.base, l.baseT = -float64(l.inflight), l.pauseUntil
			l.exT = time.Time{}
		}
		return
	}
	if !announced {
		return
	}

	// Some servers announce their rate as the Limit and keep a smaller bucket: the
	// estimate never grows beyond what the server was seen to hold.
	defer func() { l.peak = math.Max(l.peak, remaining+1) }()

	// Every request not yet answered when this one was sent may have been
	// served after it.
	mayFollow := l.sent - tk.answeredBefore - 1
	exact := mayFollow == 0
	lb := remaining - float64(mayFollow)
	if l.state != limiterLimited || l.limit != limit {
		l.state = limiterLimited
		l.limit = limit
		l.peak = 0
		if l.rate == 0 {
			l.rate = limit // a first guess: Limit per second
		}
		l.base, l.baseT = lb, now
		l.exT = time.Time{}
		if limit >= pacerMinLimit {
			l.pacer.start(l.rate, limit, now)
		} else {
			l.pacer = sharePacer{} // too small a bucket to tell a drain from a jitter
		}
	} else if exact || lb > l.available(now) {
		l.base, l.baseT = lb, now
	}
	if exact {
		l.measure(tk.sentAt, now, remaining)
	}
	low := l.lowWater()
	if remaining < low {
		l.pacer.cut(now)
	}
	// The pacer's own bursts stay clear of the low water.
	l.pacer.room = math.Max(1, (math.Min(l.limit, math.Max(l.peak, remaining+1))-low)/2)
}

// lowWater is the Remaining below which the server's bucket runs low: twice what
// the limiter keeps in reserve, at most a quarter of X-RateLimit-Limit. It depends
// on nothing but the Limit, so every process spending the token sees the bucket run
// low at the same level. Called with mu held.
func (l *rateLimiter) lowWater() float64 {
	return math.Max(1+l.margin(), math.Min(l.limit/4, 2*(1+l.margin())))
}

// measure refines the refill rate from two exact answers: Remaining went from exR
// to remaining while n requests were spent, between the first request's sending
// (exT) and the second's answer (now): a span that holds the span between the two
// serves, however long either request took on the way, so the result is a lower
// bound of the rate, up to rounding (a full bucket wastes refill). A much larger one
// doubles the estimate at most, a close one is blended in, and a smaller one counts
// only when the bucket was clearly below its limit at both ends.
func (l *rateLimiter) measure(sentAt, now time.Time, remaining float64) {
	if !l.exT.IsZero() {
		dt := now.Sub(l.exT)
		if dt < rateSampleWindow {
			return
		}
		n := float64(l.sent - l.exSent)
		m := (remaining - l.exR + n) / dt.Seconds()
		switch {
		case m > 1.5*l.rate:
			l.rate = math.Min(m, 2*l.rate)
		case m > l.rate || (m > 0 && remaining < l.limit-1 && l.exR < l.limit-1):
			l.rate = 0.7*l.rate + 0.3*m
		}
	}
	l.exR, l.exT, l.exSent = remaining, sentAt, l.sent
}

// notify wakes the waiters to recompute. Called with mu held.
func (l *rateLimiter) notify() {
	close(l.changed)
	l.changed = make(chan struct{})
}

func headerFloat(h http.Header, k string) (float64, bool) {
	v := h.Get(k)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}
