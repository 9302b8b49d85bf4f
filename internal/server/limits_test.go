package server

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterEvictsIdleBuckets: a bucket untouched long enough to be full again is
// dropped (it is the same as no bucket), so 10,000 one-off keys leave no trace once
// idle; a partly spent bucket is kept until it is full again.
func TestLimiterEvictsIdleBuckets(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(RateLimit{RPS: 10, Burst: 20}, "for this user")
	l.now = func() time.Time { return now }
	for i := 0; i < 10000; i++ {
		if e := l.allow(fmt.Sprintf("addr:%d", i), nil); e != nil {
			t.Fatalf("first request of a key refused: %v", e)
		}
	}
	for i := 0; i < 15; i++ {
		_ = l.allow("usr:busy", nil)
	}
	if n := l.size(); n != 10001 {
		t.Fatalf("%d buckets, want 10001", n)
	}
	now = now.Add(1900 * time.Millisecond) // not yet full (2 s): kept
	_ = l.allow("usr:busy", nil)
	if n := l.size(); n != 10001 {
		t.Fatalf("%d buckets before they are full again, want 10001", n)
	}
	now = now.Add(2100 * time.Millisecond) // the one-off keys are full again; busy was used 2.1 s ago
	_ = l.allow("usr:busy", nil)
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the idle ones are full again, want 1 (the busy key)", n)
	}
	// exhausted never makes a bucket.
	if e := l.exhausted("addr:new"); e != nil || l.size() != 1 {
		t.Fatalf("exhausted on a new key: %v, %d buckets", e, l.size())
	}
}
