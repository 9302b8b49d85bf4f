package client

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

var pacerT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// drive sends through p as fast as it lets requests go (a process with more work
// than its rate) from *now for d, in steps of 1 ms of virtual time.
func drive(p *sharePacer, now *time.Time, d time.Duration, limit float64) (sent int) {
	for end := now.Add(d); now.Before(end); *now = now.Add(time.Millisecond) {
		for n := 0; p.wait(*now) == 0 && n < 100; n++ { // a broken pacer ends, too
			p.spend(*now, limit)
			sent++
		}
	}
	return sent
}

// TestSharePacerConvergesToEqualRates: two processes out of their slow start, one
// at 40 requests/s and one at 5, both held back by their pacers, that see the
// bucket run low at the same moments (once every 2 s) end with equal rates. This is
// what makes the shares fair, and what an increase that grows with the rate itself
// (a multiplicative one) or a cut that depends on anything but the shared bucket
// would break.
func TestSharePacerConvergesToEqualRates(t *testing.T) {
	const limit = 50
	now := pacerT0
	a, b := &sharePacer{}, &sharePacer{}
	a.start(40, limit, now)
	b.start(5, limit, now)
	a.slow, b.slow = false, false
	a.room, b.room = 20, 20
	for cycle := range 30 {
		na, nb := now, now
		drive(a, &na, 2*time.Second, limit)
		drive(b, &nb, 2*time.Second, limit)
		now = na
		a.cut(now)
		b.cut(now)
		if cycle == 0 && a.rate/b.rate < 2 {
			t.Fatalf("after one cycle the rates are %.1f and %.1f already: the test does not start apart", a.rate, b.rate)
		}
	}
	if r := math.Max(a.rate, b.rate) / math.Min(a.rate, b.rate); r > 1.05 {
		t.Errorf("after 30 common cuts the rates are %.2f and %.2f (ratio %.2f), want equal", a.rate, b.rate, r)
	}
}

// TestSharePacerGrowsOnlyWhenItHoldsRequests: a process that sends less than its
// rate (Terraform waiting on itself) does not raise it, or it would come back later
// with a rate far above its share; one held back by the pacer gains a tenth of the
// Limit a second.
func TestSharePacerGrowsOnlyWhenItHoldsRequests(t *testing.T) {
	const limit = 50
	now := pacerT0
	p := &sharePacer{}
	p.start(20, limit, now)
	p.slow = false
	for range 100 { // one request a second for 100 s
		now = now.Add(time.Second)
		if w := p.wait(now); w != 0 {
			t.Fatalf("a request a second waits %s at 20/s", w)
		}
		p.spend(now, limit)
	}
	if p.rate != 20 {
		t.Errorf("one request a second moved the rate from 20 to %.2f", p.rate)
	}
	drive(p, &now, 10*time.Second, limit)
	// 10 s held back: +pacerGrowth × limit a second, i.e. +50.
	if want := 20 + 10*pacerGrowth*limit; math.Abs(p.rate-want) > 2 {
		t.Errorf("10 s held back by the pacer: rate %.2f, want about %.0f", p.rate, want)
	}
}

// TestSharePacerCutsOncePerInterval: a low bucket seen on every answer cuts once per
// pacerCutEvery, not once per answer (a process that sends more would otherwise cut
// more), and not below the floor.
func TestSharePacerCutsOncePerInterval(t *testing.T) {
	now := pacerT0
	p := &sharePacer{}
	p.start(40, 50, now)
	p.slow = false
	for i := range 10 { // ten low answers within 100 ms
		p.cut(now.Add(time.Duration(i) * 10 * time.Millisecond))
	}
	if want := 40 * pacerCut; p.rate != want {
		t.Errorf("ten low answers in 100 ms: rate %.2f, want one cut to %.2f", p.rate, want)
	}
	p.cut(now.Add(pacerCutEvery))
	if want := 40 * pacerCut * pacerCut; math.Abs(p.rate-want) > 1e-9 {
		t.Errorf("a low answer %s after the cut: rate %.2f, want %.2f", pacerCutEvery, p.rate, want)
	}
	for i := range 200 {
		p.cut(now.Add(time.Duration(i+2) * pacerCutEvery))
	}
	if p.rate != pacerFloor {
		t.Errorf("200 cuts: rate %.3f, want the floor %.1f", p.rate, pacerFloor)
	}
}

// TestSharePacerSlowStart: until the first cut, each request the pacer held raises
// the rate by one (it doubles every second); a low bucket while the process spends
// the bucket it started with is its own doing and does not end the slow start.
func TestSharePacerSlowStart(t *testing.T) {
	const limit = 10
	now := pacerT0
	p := &sharePacer{}
	p.start(limit, limit, now)
	p.room = 5
	sent := drive(p, &now, 100*time.Millisecond, limit) // one request, then held
	p.cut(now)
	if !p.slow || p.rate < limit {
		t.Fatalf("a low bucket after %d request(s) (of a bucket of %d) ended the slow start: rate %.2f", sent, limit, p.rate)
	}
	sent += drive(p, &now, 2*time.Second, limit)
	if p.rate < 3*limit {
		t.Errorf("2 s of slow start from %d/s: rate %.2f, want it at least tripled", limit, p.rate)
	}
	if sent < limit {
		t.Fatalf("only %d requests in 2.1 s", sent)
	}
	before := p.rate
	p.cut(now)
	if p.slow || p.rate != before*pacerCut {
		t.Errorf("a low bucket after %d requests: slow start %v, rate %.2f, want it ended and the rate cut to %.2f", sent, p.slow, p.rate, before*pacerCut)
	}
}

// TestRateLimiterLowWaterIsTheSameForEveryProcess: two processes of one token that
// saw the bucket at different levels (one started on a full bucket, one joined when
// it was nearly spent) both take the same Remaining as a low bucket. A level that
// depended on what each had seen made the one that had seen a full bucket cut alone
// while the level hovered between the two (shares 17 and 33 in the simulation).
func TestRateLimiterLowWaterIsTheSameForEveryProcess(t *testing.T) {
	answer := func(remaining int) *http.Response {
		return resp(http.StatusOK, map[string]string{
			api.HeaderRateLimitLimit:     "50",
			api.HeaderRateLimitRemaining: fmt.Sprint(remaining),
		})
	}
	now := pacerT0
	var rates []float64
	for _, first := range []int{49, 12} {
		l := newRateLimiter(time.Second)
		virtualClock(l, &now)
		tk, ok, _, _ := l.admit(now)
		if !ok {
			t.Fatal("the probe waits")
		}
		l.release(tk, answer(first))
		l.pacer.slow, l.pacer.grace = false, 0
		before := l.pacer.rate
		tk, ok, _, _ = l.admit(now)
		if !ok {
			t.Fatalf("first answer %d: the second request waits", first)
		}
		l.release(tk, answer(int(l.lowWater())-1))
		if l.pacer.rate >= before {
			t.Errorf("first answer Remaining %d: Remaining %d did not cut the pacer (rate %.2f)", first, int(l.lowWater())-1, l.pacer.rate)
		}
		rates = append(rates, l.lowWater())
	}
	if rates[0] != rates[1] {
		t.Errorf("low water %v: differs between the processes", rates)
	}
}

// TestRateLimiterNoPacingOnTinyBuckets: below pacerMinLimit a low Remaining is the
// normal state of the bucket, not a sign of sharing: the pacer stays off.
func TestRateLimiterNoPacingOnTinyBuckets(t *testing.T) {
	now := pacerT0
	l := newRateLimiter(time.Second)
	virtualClock(l, &now)
	tk, _, _, _ := l.admit(now)
	l.release(tk, resp(http.StatusOK, map[string]string{api.HeaderRateLimitLimit: "3", api.HeaderRateLimitRemaining: "2"}))
	if l.pacer.rate != 0 {
		t.Errorf("a bucket of 3: the pacer runs at %.2f/s", l.pacer.rate)
	}
}
