package ctxrelease

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type key struct{}

// big stands for the per-request loggers terraform-plugin-go puts in the context.
type big struct{ _ [64 << 10]byte }

// retaining is a provider server that, like terraform-plugin-framework, keeps a
// cancel function of every call's context until it stops.
type retaining struct {
	tfprotov6.ProviderServer
	kept    []context.CancelFunc
	lastCtx context.Context
	during  func(ctx context.Context)
}

func (r *retaining) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	r.kept = append(r.kept, cancel)
	r.lastCtx = ctx
	if r.during != nil {
		r.during(ctx)
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

// callWithBigValue makes one ReadResource call whose context holds a big value, and
// returns a channel closed when that value is garbage collected.
func callWithBigValue(t *testing.T, s tfprotov6.ProviderServer) <-chan struct{} {
	t.Helper()
	collected := make(chan struct{})
	v := &big{}
	runtime.SetFinalizer(v, func(*big) { close(collected) })
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, v))
	if _, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	cancel() // as gRPC does when the call ends
	return collected
}

func waitCollected(ch <-chan struct{}) bool {
	for i := 0; i < 50; i++ {
		runtime.GC()
		select {
		case <-ch:
			return true
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false
}

func TestWrapReleasesTheCallContext(t *testing.T) {
	inner := &retaining{}
	collected := callWithBigValue(t, Wrap(inner))
	if !waitCollected(collected) {
		t.Fatal("the call's context is still reachable from what the provider server kept")
	}
	if inner.lastCtx.Value(key{}) != nil {
		t.Error("a released context still answers the call's values")
	}
	if inner.lastCtx.Err() == nil {
		t.Error("a released context is not canceled")
	}
}

// TestUnwrappedServerKeepsTheCallContext shows what Wrap fixes (and that the test
// above can fail).
func TestUnwrappedServerKeepsTheCallContext(t *testing.T) {
	inner := &retaining{}
	collected := callWithBigValue(t, inner)
	if waitCollected(collected) {
		t.Fatal("the call's context was collected without Wrap: the retaining fake does not retain")
	}
	runtime.KeepAlive(inner)
}

func TestWrapForwardsWhileTheCallRuns(t *testing.T) {
	deadline := time.Now().Add(time.Hour)
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), key{}, "v"), deadline)
	defer cancel()
	inner := &retaining{during: func(ctx context.Context) {
		if got := ctx.Value(key{}); got != "v" {
			t.Errorf("Value = %v, want the call's value", got)
		}
		if d, ok := ctx.Deadline(); !ok || !d.Equal(deadline) {
			t.Errorf("Deadline = %v %v, want the call's", d, ok)
		}
		if ctx.Err() != nil {
			t.Errorf("Err = %v during the call", ctx.Err())
		}
		cancel() // Terraform or gRPC cancels the call
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Error("canceling the call's context did not reach the provider")
		}
	}}
	if _, err := Wrap(inner).ReadResource(parent, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
}
