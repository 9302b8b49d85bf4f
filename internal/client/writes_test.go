package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestWritesCountsEveryRequestThatMayChangeThePlatform: reads leave Writes alone;
// every create, update and delete moves it, refused ones included (a write that
// failed may still have been applied).
func TestWritesCountsEveryRequestThatMayChangeThePlatform(t *testing.T) {
	srv := testserver.Start(t)
	c := newClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()

	org := must(c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "writes"}))
	after := c.Writes()
	if after != 1 {
		t.Fatalf("Writes after one create = %d, want 1", after)
	}
	must(c.Organizations.Get(ctx, org.ID))
	must(c.Organizations.List(ctx))
	must(c.Me(ctx))
	if got := c.Writes(); got != after {
		t.Fatalf("reads moved Writes from %d to %d", after, got)
	}
	desc := "changed"
	must(c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: &desc}, client.WriteOptions{}))
	// A refused write (stale If-Match) counts too.
	if _, err := c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: &desc}, client.WriteOptions{IfMatch: 1}); err == nil {
		t.Fatal("a stale If-Match was accepted")
	}
	if err := c.Organizations.Delete(ctx, org.ID, client.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := c.Writes(); got != after+3 {
		t.Fatalf("Writes = %d after an update, a refused update and a delete; want %d", got, after+3)
	}
}

// TestOnWriteSaysWhatWasWritten: every write ends with one call of each hook naming
// its method, route and ids, with the platform's answer when it succeeded and the
// error when it failed; reads call no hook.
func TestOnWriteSaysWhatWasWritten(t *testing.T) {
	srv := testserver.Start(t)
	c := newClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()
	var got []client.Write
	c.OnWrite(func(_ context.Context, w client.Write) { got = append(got, w) })

	org := must(c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "hooks"}))
	ws := must(c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "w"}))
	must(c.Workspaces.Get(ctx, ws.ID))
	must(c.Workspaces.List(ctx, org.ID))
	desc := "changed"
	must(c.Workspaces.Update(ctx, ws.ID, api.UpdateWorkspaceRequest{Description: &desc}, client.WriteOptions{}))
	_, refused := c.Workspaces.Update(ctx, ws.ID, api.UpdateWorkspaceRequest{Description: &desc}, client.WriteOptions{IfMatch: 1})
	if err := c.Workspaces.Delete(ctx, ws.ID, client.WriteOptions{}); err != nil {
		t.Fatal(err)
	}

	want := []struct {
		method, route string
		ids           []string
		object        bool
		failed        bool
	}{
		{"POST", client.RouteOrganizations, nil, true, false},
		{"POST", client.RouteOrganizationWorkspaces, []string{org.ID}, true, false},
		{"PATCH", client.RouteWorkspace, []string{ws.ID}, true, false},
		{"PATCH", client.RouteWorkspace, []string{ws.ID}, false, true},
		{"DELETE", client.RouteWorkspace, []string{ws.ID}, false, false},
	}
	if refused == nil {
		t.Fatal("a stale If-Match was accepted")
	}
	if len(got) != len(want) {
		t.Fatalf("%d writes reported, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Method != w.method || g.Route != w.route || strings.Join(g.IDs, "/") != strings.Join(w.ids, "/") ||
			(g.Object != nil) != w.object || (g.Err != nil) != w.failed {
			t.Errorf("write %d = %s %s %v object=%v err=%v; want %s %s %v object=%v failed=%v",
				i, g.Method, g.Route, g.IDs, g.Object != nil, g.Err, w.method, w.route, w.ids, w.object, w.failed)
		}
	}
	if o, ok := got[1].Object.(*api.Workspace); !ok || o.ID != ws.ID {
		t.Errorf("the create's object = %#v, want the workspace %s", got[1].Object, ws.ID)
	}
}
