package client_test

import (
	"context"
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
