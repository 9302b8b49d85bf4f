package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestDay2Client: resend an expired invitation, page through the audit log filtered
// by email, read the usage by run.
func TestDay2Client(t *testing.T) {
	srv := testserver.Start(t, testserver.WithInvitationTTL(time.Nanosecond))
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: srv.AdminToken, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "day2"})
	if err != nil {
		t.Fatal(err)
	}
	var last *api.OrganizationMembership
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if last, err = c.OrganizationMemberships.Create(ctx, o.ID, api.CreateOrganizationMembershipRequest{Email: e, Role: "member"}); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetInvitationTTL(0)
	again, err := c.OrganizationMemberships.ResendInvitation(ctx, o.ID, last.UserID)
	if err != nil || rules.InvitationExpired(rules.MembershipStatus(again.Status), *again.InvitationExpiresAt, time.Now()) {
		t.Fatalf("resend: %+v, %v", again, err)
	}
	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OrganizationMemberships.ResendInvitation(ctx, o.ID, me.ID); !errors.Is(err, client.ErrConflict) {
		t.Errorf("resending an active membership: %v, want a conflict", err)
	}
	srv.ResetCounters()
	events, err := c.Audit.List(ctx, o.ID, client.AuditListOptions{Email: me.Email, EntityType: "organization_membership"})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 5 { // its own (creator), three invitations, one resend
		t.Errorf("%d events, want 5: %+v", len(events), events)
	}
	if n := srv.Requests("GET", "/v1/organizations/{organization_id}/audit-events"); n < 3 {
		t.Errorf("the listing took %d requests; pages of 2 need 3", n)
	}
}
