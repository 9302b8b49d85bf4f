package planrun

import (
	"context"
	"sync"
	"time"
)

// Waiting, within limits, for the plans Terraform has not made yet.
//
// Terraform plans a resource removed from the configuration (an orphan) in no set
// order with the others: the plan of an organization leaving enterprise, or of a
// workspace's or an organization's deletion, may come before the destroys of the
// credentials or workspaces the same run removes, which the apply makes first. A
// check that refused then would be a false error; one that only warned would let
// through the objects made outside the configuration, which the apply refuses.
//
// What the provider sees settles it. A normal plan reads every object of the state
// (RecordRefresh, when the read starts) and plans it in the same node, right after:
// an object whose read has started will be planned in this walk, so the check waits
// for that plan. An orphan's node depends only on the provider's configuration, so
// Terraform starts it as soon as a slot of its parallelism is free; while calls are
// in flight or keep coming, one not read yet may still be, and the check waits for
// the walk to go quiet. An object neither read nor planned when no call has started
// or ended for QuietWalk is not in this run's state: it was made outside the
// configuration.

// Activity is how busy Terraform's walk is, as the provider's server sees it: the
// resource and data source calls in flight, those of them that wait here, and when
// the last call started or ended. The server tells it (CallStarted, CallEnded:
// serve.CallObserver); a nil *Activity is a walk that is always quiet.
type Activity struct {
	mu       sync.Mutex
	inflight int
	waiting  int
	last     time.Time
	now      func() time.Time
}

// NewActivity is an Activity with no call seen yet, quiet since now.
func NewActivity() *Activity { return &Activity{now: time.Now, last: time.Now()} }

// CallStarted records that a call started.
func (a *Activity) CallStarted() {
	a.mu.Lock()
	a.inflight++
	a.last = a.now()
	a.mu.Unlock()
}

// CallEnded records that a call ended.
func (a *Activity) CallEnded() {
	a.mu.Lock()
	a.inflight--
	a.last = a.now()
	a.mu.Unlock()
}

// quietFor is how long the walk has made no call other than those waiting here
// (zero while another call is in flight).
func (a *Activity) quietFor() time.Duration {
	if a == nil {
		return time.Duration(1<<63 - 1)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inflight > a.waiting {
		return 0
	}
	return a.now().Sub(a.last)
}

func (a *Activity) setWaiting(d int) {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.waiting += d
	a.mu.Unlock()
}

// The limits of AwaitFates.
var (
	// QuietWalk: an object not read yet is taken as outside this run's state when the
	// walk has made no other call for this long.
	QuietWalk = time.Second
	// StalledWalk: an object read but not planned yet is given up on when the walk
	// has made no other call for this long (its read failed, or found it gone).
	StalledWalk = 15 * time.Second
	// awaitPoll is how often the wait looks again.
	awaitPoll = 10 * time.Millisecond
)

// AwaitFates waits until this run has planned each of the objects ids, or (for
// those not planned) until the walk shows they will not be: none of them is being
// read and the walk has been quiet for QuietWalk, or it has stalled for StalledWalk,
// or ctx ends. It returns how many of ids are still unplanned. Call it only in a
// normal plan's walk (a destroy plan orders the dependents' plans first). Objects
// that depend on the one being planned are neither read nor planned before its plan
// ends: the wait for them ends when the walk goes quiet.
func (r *Run) AwaitFates(ctx context.Context, ids []string) int {
	pending := r.unplanned(ids)
	if len(pending) == 0 {
		return 0
	}
	r.Activity.setWaiting(1)
	defer r.Activity.setWaiting(-1)
	tick := time.NewTicker(awaitPoll)
	defer tick.Stop()
	for {
		pending = r.unplanned(pending)
		if len(pending) == 0 {
			return 0
		}
		quiet := r.Activity.quietFor()
		if quiet >= StalledWalk || (quiet >= QuietWalk && !r.anyRefreshed(pending)) {
			return len(pending)
		}
		select {
		case <-ctx.Done():
			return len(pending)
		case <-tick.C:
		}
	}
}

// NotDeleted waits for this run's plans of the objects ids (AwaitFates) and returns
// those it does not delete, in their order: what a check that counts the run's
// deletions still has to count.
func (r *Run) NotDeleted(ctx context.Context, ids []string) []string {
	r.AwaitFates(ctx, ids)
	var out []string
	for _, id := range ids {
		if r.FateOf(id) != FateDeleted {
			out = append(out, id)
		}
	}
	return out
}

func (r *Run) unplanned(ids []string) []string {
	var out []string
	for _, id := range ids {
		if r.FateOf(id) == FateUnknown {
			out = append(out, id)
		}
	}
	return out
}

func (r *Run) anyRefreshed(ids []string) bool {
	for _, id := range ids {
		if r.Refreshed(id) {
			return true
		}
	}
	return false
}
