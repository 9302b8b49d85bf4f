package serve

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

// lister is a provider server with list resources whose results are produced after
// ListResource returns, reading the call's context as they go (as the framework's
// streams do).
type lister struct {
	retaining
	validated bool
}

func (l *lister) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	l.validated = true
	return &tfprotov6.ValidateListResourceConfigResponse{}, nil
}

func (l *lister) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: func(push func(tfprotov6.ListResourceResult) bool) {
		name, _ := ctx.Value(key{}).(string)
		if ctx.Err() != nil {
			name = "canceled"
		}
		push(tfprotov6.ListResourceResult{DisplayName: name})
	}}, nil
}

// TestWrapServesListResources: a server with list resources is still one once
// wrapped, and its list results, streamed after ListResource returns, still see the
// call's context.
func TestWrapServesListResources(t *testing.T) {
	inner := &lister{}
	w, ok := Wrap(inner).(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the wrapped server no longer serves list resources")
	}
	if _, err := w.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{}); err != nil || !inner.validated {
		t.Fatalf("ValidateListResourceConfig not forwarded: %v", err)
	}
	stream, err := w.ListResource(context.WithValue(context.Background(), key{}, "the call's"), &tfprotov6.ListResourceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for r := range stream.Results {
		if r.DisplayName != "the call's" {
			t.Errorf("a streamed result saw the context as %q", r.DisplayName)
		}
	}
	if _, ok := Wrap(&retaining{}).(tfprotov6.ListResourceServer); ok {
		t.Error("a server without list resources is served as one with them")
	}
}
