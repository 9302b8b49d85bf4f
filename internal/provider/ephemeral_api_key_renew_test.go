package provider

import (
	"context"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestRenewAPIKeyMovesItsExpiry: a renewal (what Renew does when the run outlasts the
// key) moves the key's expiry ttl ahead and asks for the next renewal before it; the
// key keeps working.
func TestRenewAPIKeyMovesItsExpiry(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	admin, err := client.New(client.Config{Endpoint: srv.URL, Token: srv.AdminToken})
	if err != nil {
		t.Fatal(err)
	}
	org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "renew"})
	if err != nil {
		t.Fatal(err)
	}
	soon := time.Now().Add(time.Minute)
	k, err := admin.APIKeys.CreateInOrganization(ctx, org.ID, api.CreateAPIKeyRequest{Name: "run", ExpiresAt: &soon})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	renewAt, err := renewAPIKey(ctx, admin, ephemeralKeyPrivate{ID: k.ID, TTL: 2 * time.Hour}, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := admin.APIKeys.Get(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := now.Add(2 * time.Hour)
	if got.ExpiresAt == nil || got.ExpiresAt.Sub(want).Abs() > time.Second {
		t.Fatalf("expiry after renewal: %v, want %v", got.ExpiresAt, want)
	}
	if !renewAt.After(now) || !renewAt.Before(*got.ExpiresAt) {
		t.Errorf("next renewal at %v, expiry %v", renewAt, got.ExpiresAt)
	}
	keyClient, err := client.New(client.Config{Endpoint: srv.URL, Token: k.Key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyClient.Me(ctx); err != nil {
		t.Errorf("the renewed key is refused: %v", err)
	}
	// A revoked key cannot be renewed.
	if err := admin.APIKeys.Revoke(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := renewAPIKey(ctx, admin, ephemeralKeyPrivate{ID: k.ID, TTL: time.Hour}, time.Now()); err == nil {
		t.Error("a revoked key was renewed")
	}
}
