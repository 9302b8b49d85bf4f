package planrun

import (
	"context"
	"testing"
	"time"
)

func awaitRun(t *testing.T, quiet time.Duration) *Run {
	t.Helper()
	oldQuiet, oldStalled := QuietWalk, StalledWalk
	QuietWalk, StalledWalk = quiet, time.Hour
	t.Cleanup(func() { QuietWalk, StalledWalk = oldQuiet, oldStalled })
	r := NewWithFetchers(Fetchers{})
	r.Activity = NewActivity()
	return r
}

// An object whose read started in this run is planned in the same walk: the wait lasts
// until its plan, however long the walk is quiet before it (no timing decides it).
func TestAwaitFatesWaitsForTheObjectsReadInThisRun(t *testing.T) {
	r := awaitRun(t, time.Millisecond)
	r.RecordRefresh("cred_1")
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(100 * time.Millisecond) // quiet a hundred times longer than QuietWalk
		r.RecordDeletion("cred_1")
	}()
	if left := r.AwaitFates(context.Background(), []string{"cred_1"}); left != 0 {
		t.Fatalf("%d left unplanned; the read object's destroy was not waited for", left)
	}
	<-done
}

// An object not read yet is waited for while the walk makes calls: the orphan's node
// starts (its read) while another call is in flight, then plans it.
func TestAwaitFatesWaitsWhileTheWalkIsBusy(t *testing.T) {
	r := awaitRun(t, time.Hour) // never quiet long enough: the busy walk must carry it
	r.Activity.CallStarted()    // another node's call, in flight
	go func() {
		r.Activity.CallStarted() // the orphan's read starts
		r.RecordRefresh("cred_1")
		r.Activity.CallEnded()
		r.Activity.CallEnded() // the other call ends
		r.Activity.CallStarted()
		r.RecordKept("cred_1") // its plan
		r.Activity.CallEnded()
	}()
	r.AwaitFates(context.Background(), []string{"cred_1"})
	if f := r.FateOf("cred_1"); f != FateKept {
		t.Fatalf("fate %v after the wait, want kept", f)
	}
}

// An object neither read nor planned when the walk goes quiet is not in this run's
// state: the wait ends and reports it; with no activity (nil) nothing waits at all.
func TestAwaitFatesEndsWhenTheWalkIsQuiet(t *testing.T) {
	r := awaitRun(t, 20*time.Millisecond)
	r.RecordDeletion("cred_1")
	if left := r.AwaitFates(context.Background(), []string{"cred_1", "cred_2", "cred_3"}); left != 2 {
		t.Fatalf("%d left, want 2 (cred_2, cred_3 made outside the configuration)", left)
	}
	r.Activity = nil
	r.RecordRefresh("cred_2") // read, but with no view of the walk there is no waiting
	if left := r.AwaitFates(context.Background(), []string{"cred_2"}); left != 1 {
		t.Fatalf("%d left without an Activity, want 1", left)
	}
}

// The wait ends with its context.
func TestAwaitFatesEndsWithItsContext(t *testing.T) {
	r := awaitRun(t, time.Hour)
	r.RecordRefresh("cred_1")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if left := r.AwaitFates(ctx, []string{"cred_1"}); left != 1 {
		t.Fatalf("%d left, want 1", left)
	}
}
