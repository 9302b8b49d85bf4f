package client

import (
	"math"
	"time"
)

// sharePacer is the part of the rate limiter that shares a bucket fairly with other
// processes spending the same token, which it cannot see: Terraform runs in several
// pipelines at once, each its own provider process. The bucket estimate alone
// (rateLimiter.available) lets each process spend whatever the server holds; the
// first to spend keeps the larger part, and the others measure a smaller refill and
// fall further behind.
//
// The pacer sends at most rate requests per second and moves that rate the way TCP
// shares a link (AIMD): it grows by a fixed amount per second while the pacer is
// what holds requests back (additive increase), and is cut by pacerCut when an
// answer says the server's bucket is running low or a 429 came (multiplicative
// decrease), at most once per pacerCutEvery. The bucket is the same for every
// process of the token, so they all see it run low at the same time and cut
// together: each cut shrinks the gap between two processes' rates by pacerCut while
// the increases leave it as it is, so the rates converge to equal shares. The
// increase is the same for every process (a tenth of X-RateLimit-Limit a second).
// Alone, a process's rate saws around the server's refill while the bucket absorbs
// the difference: requests still go at the refill rate on average.
type sharePacer struct {
	rate   float64   // requests per second; 0 until the limiter knows the server limits
	credit float64   // requests the pacer would let go now (a small burst of its own)
	creT   time.Time // when credit was computed
	held   bool      // a request waited for the pacer since the last one went
	slow   bool      // before the first cut: the rate doubles every second (TCP's slow start)
	grace  float64   // requests to send before a low bucket counts in slow start
	room   float64   // the most requests the pacer lets go at once
	cutT   time.Time // the last cut
}

const (
	pacerCut      = 0.8                    // multiplicative decrease
	pacerCutEvery = 500 * time.Millisecond // at most one cut per this
	pacerBurst    = 100 * time.Millisecond // the pacer's own burst: this much of its rate
	pacerGrowth   = 0.1                    // additive increase: this much of X-RateLimit-Limit per second
	pacerMinLimit = 8                      // no pacing below this X-RateLimit-Limit
	pacerFloor    = 0.1                    // the least rate a cut goes to, requests per second
)

// start begins pacing at rate (the limiter's first guess of the server's refill).
// The bucket the server starts with (limit) may be spent by this process's own
// first requests: until it has sent that many, a low bucket does not end the slow
// start.
func (p *sharePacer) start(rate, limit float64, now time.Time) {
	*p = sharePacer{rate: rate, credit: 1, creT: now, slow: true, grace: limit, room: 1}
}

// capacity is the most credit the pacer keeps: pacerBurst of its rate, but never
// so much that its own burst would run the bucket low.
func (p *sharePacer) capacity() float64 {
	return math.Max(1, math.Min(p.rate*pacerBurst.Seconds(), p.room))
}

func (p *sharePacer) refill(now time.Time) {
	if dt := now.Sub(p.creT).Seconds(); dt > 0 {
		p.credit = math.Min(p.capacity(), p.credit+dt*p.rate)
	}
	p.creT = now
}

// wait is how long a request must wait for the pacer at now (0: it may go).
func (p *sharePacer) wait(now time.Time) time.Duration {
	if p.rate <= 0 {
		return 0
	}
	p.refill(now)
	if p.credit >= 1 {
		return 0
	}
	p.held = true
	return time.Duration((1 - p.credit) / p.rate * float64(time.Second))
}

// spend counts a request let through at now; limit is X-RateLimit-Limit. A request
// that went after others waited for the pacer raises the rate by growth/rate, which
// is growth per second while the pacer holds requests back: a process that sends
// less than its rate does not raise it. Until the first cut each such request
// raises it by one: the rate doubles every second, so that a process alone finds
// the server's refill (and spends the bucket it starts with) quickly.
func (p *sharePacer) spend(now time.Time, limit float64) {
	if p.rate <= 0 {
		return
	}
	p.refill(now)
	p.credit--
	p.grace--
	if p.held {
		if p.slow {
			p.rate++
		} else {
			p.rate += pacerGrowth * limit / p.rate
		}
		p.held = false
	}
}

// cut lowers the rate after a sign that the bucket runs low, at most once per
// pacerCutEvery, and never below pacerFloor.
func (p *sharePacer) cut(now time.Time) {
	if p.rate <= 0 || (!p.cutT.IsZero() && now.Sub(p.cutT) < pacerCutEvery) || (p.slow && p.grace > 0) {
		return
	}
	p.refill(now)
	p.rate = math.Max(p.rate*pacerCut, pacerFloor)
	p.credit = math.Min(p.credit, p.capacity())
	p.cutT = now
	p.slow = false
}
