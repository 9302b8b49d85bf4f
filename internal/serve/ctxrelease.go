package serve

// Context release (Wrap) keeps the provider's memory flat over a long Terraform walk.
//
// terraform-plugin-framework (v1.19) derives a cancelable context from every RPC's
// context and keeps its cancel function until StopProvider, which Terraform does
// not call at the end of a walk. A cancel function holds its context and, through
// it, the whole parent chain: terraform-plugin-go's per-request loggers and
// fields, about 10 KB a call. A plan of 1,000 resources makes about 4,000 calls and
// so keeps about 40–60 MB alive until the provider exits, which doubles its peak RSS.
//
// Wrap hands the framework, for each resource and data source RPC, a context that
// forwards to the RPC's own context while the call runs and is cut from it when the
// call returns (afterwards it is canceled and holds no value). What the framework
// keeps is then a few hundred bytes a call.

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Wrap returns s with the per-call contexts of its resource and data source RPCs
// released when each call returns. Other RPCs (provider-level ones, made a few times
// a walk) go to s unchanged.
//
// The wrapper implements tfprotov6.ProviderServer and, when s does, list resources
// (tfprotov6.ListResourceServer), whose RPCs go to s unchanged: a list
// streams its results after the call returns, so its context must outlive the call.
// With list resources, actions (tfprotov6.ActionServer) are forwarded unchanged too
// (actions.go). Other optional interfaces (state stores) are not forwarded, so a
// provider that declares any of those must not be wrapped.
func Wrap(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return WrapObserved(s, nil)
}

// CallObserver is told when each resource and data source call starts and ends: a
// provider that implements it sees how busy Terraform's walk is (NewServer hands it
// the calls of the server it wraps).
type CallObserver interface {
	CallStarted()
	CallEnded()
}

// WrapObserved is Wrap with each resource and data source call told to obs (nil: none).
func WrapObserved(s tfprotov6.ProviderServer, obs CallObserver) tfprotov6.ProviderServer {
	w := &server{s, obs}
	if ls, ok := s.(tfprotov6.ListResourceServer); ok {
		if as, ok := s.(tfprotov6.ActionServer); ok {
			return &actionListServer{listServer: &listServer{server: w, lists: ls}, actions: as}
		}
		return &listServer{server: w, lists: ls}
	}
	return w
}

type server struct {
	tfprotov6.ProviderServer
	obs CallObserver
}

// listServer is a wrapped server that serves list resources.
type listServer struct {
	*server
	lists tfprotov6.ListResourceServer
}

func (s *listServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.lists.ValidateListResourceConfig(ctx, req)
}

func (s *listServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.lists.ListResource(ctx, req)
}

// call runs fn with a releasable context and releases it when fn returns; s's
// observer is told when it starts and ends.
func call[Req, Resp any](s *server, ctx context.Context, req Req, fn func(context.Context, Req) (Resp, error)) (Resp, error) {
	if s.obs != nil {
		s.obs.CallStarted()
		defer s.obs.CallEnded()
	}
	rc := newReleasable(ctx)
	defer rc.release()
	return fn(rc, req)
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(s, ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ReadResource)
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(s, ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ImportResourceState)
}

func (s *server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return call(s, ctx, req, s.ProviderServer.MoveResourceState)
}

func (s *server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(s, ctx, req, s.ProviderServer.UpgradeResourceIdentity)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ReadDataSource)
}

// releasable forwards to its parent until released; then it is a canceled context
// with no values and no reference to the parent.
type releasable struct {
	parent atomic.Pointer[context.Context]
}

var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newReleasable(parent context.Context) *releasable {
	r := &releasable{}
	r.parent.Store(&parent)
	return r
}

func (r *releasable) release() { r.parent.Store(&released) }

func (r *releasable) get() context.Context { return *r.parent.Load() }

func (r *releasable) Deadline() (time.Time, bool) { return r.get().Deadline() }
func (r *releasable) Done() <-chan struct{}       { return r.get().Done() }
func (r *releasable) Err() error                  { return r.get().Err() }
func (r *releasable) Value(key any) any           { return r.get().Value(key) }
