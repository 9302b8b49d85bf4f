package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestInvitationTimes: an invitation carries when it was sent and when it expires (the
// server's TTL, 7 days by default); the organization's creator was never invited.
func TestInvitationTimes(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	memberships := "/v1/organizations/" + w.org.ID + "/memberships"
	m := create[api.OrganizationMembership](w.admin, memberships, api.CreateOrganizationMembershipRequest{Email: "new@example.com", Role: "member"})
	if m.Status != "invited" || m.InvitedAt == nil || m.InvitationExpiresAt == nil {
		t.Fatalf("a new invitation: %+v", m)
	}
	if got := m.InvitationExpiresAt.Sub(*m.InvitedAt); got != rules.DefaultInvitationTTL {
		t.Errorf("the invitation lasts %s, want %s", got, rules.DefaultInvitationTTL)
	}
	creator := get[api.OrganizationMembership](w.admin, memberships+"/"+w.admin.id)
	if creator.InvitedAt != nil || creator.Status != "active" {
		t.Errorf("the organization's creator reads as invited: %+v", creator)
	}
	// The list carries the same.
	var page api.Page[api.OrganizationMembership]
	w.admin.do("GET", memberships+"?email=NEW@example.com", nil).want(200).into(&page)
	if len(page.Items) != 1 || page.Items[0].InvitedAt == nil || !page.Items[0].InvitedAt.Equal(*m.InvitedAt) {
		t.Errorf("the listed membership lacks its invitation: %+v", page.Items)
	}
}

// TestResendInvitation: an expired invitation cannot be accepted; an organization admin
// resends it (a new time and expiry, the version bumped, audited); an active membership
// has nothing to resend; others may not resend.
func TestResendInvitation(t *testing.T) {
	srv := testserver.Start(t, testserver.WithInvitationTTL(time.Nanosecond))
	w := newWorld(t, srv, "free")
	memberships := "/v1/organizations/" + w.org.ID + "/memberships"
	m := create[api.OrganizationMembership](w.admin, memberships, api.CreateOrganizationMembershipRequest{Email: "late@example.com", Role: "member"})
	if !rules.InvitationExpired(rules.StatusInvited, *m.InvitationExpiresAt, time.Now()) {
		t.Fatalf("an invitation sent with a TTL of 1ns is not expired: %+v", m)
	}
	// The person signs in after the expiry: the invitation is not accepted.
	srv.CreateUser(t, "late@example.com")
	m = get[api.OrganizationMembership](w.admin, memberships+"/"+m.UserID)
	if m.Status != "invited" {
		t.Fatalf("an expired invitation was accepted: %+v", m)
	}

	resend := memberships + "/" + m.UserID + "/resend-invitation"
	w.member.do("POST", resend, nil).wantErr(http.StatusNotFound, api.CodeNotFound) // rule 10: members do not see others
	w.admin.do("POST", resend, nil, ifMatch(m.Version+1)...).wantErr(http.StatusPreconditionFailed, api.CodePreconditionFailed)

	srv.SetInvitationTTL(0) // the default, 7 days
	var again api.OrganizationMembership
	w.orgAdmin.do("POST", resend, nil, ifMatch(m.Version)...).want(200).into(&again)
	if again.Version != m.Version+1 || again.InvitedAt == nil || again.InvitedAt.Before(*m.InvitedAt) ||
		again.InvitationExpiresAt.Sub(*again.InvitedAt) != rules.DefaultInvitationTTL {
		t.Errorf("resent invitation: %+v (was %+v)", again, m)
	}
	// The person is active on the platform by now: the resent invitation makes them a member.
	if again.Status != "active" {
		t.Errorf("resending to an active person leaves the membership %s", again.Status)
	}
	w.admin.do("POST", resend, nil).wantErr(http.StatusConflict, rules.CodeInvitationNotPending)
	w.admin.do("POST", memberships+"/"+w.viewer.id+"/resend-invitation", nil).wantErr(http.StatusConflict, rules.CodeInvitationNotPending)

	var ev api.Page[api.AuditEvent]
	w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events?action=resent&entity_type=organization_membership", nil).want(200).into(&ev)
	if len(ev.Items) != 1 || ev.Items[0].EntityID != m.UserID || ev.Items[0].ActorID != w.orgAdmin.id {
		t.Errorf("audit of the resend: %+v", ev.Items)
	}
}

// TestResendInvitationPending: an invitation still pending is resent with a new expiry
// and stays invited until accepted; then it is accepted on the person's first use.
func TestResendInvitationPending(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	memberships := "/v1/organizations/" + w.org.ID + "/memberships"
	m := create[api.OrganizationMembership](w.admin, memberships, api.CreateOrganizationMembershipRequest{Email: "pending@example.com", Role: "member"})
	var again api.OrganizationMembership
	w.admin.do("POST", memberships+"/"+m.UserID+"/resend-invitation", nil).want(200).into(&again)
	if again.Status != "invited" || again.InvitedAt.Before(*m.InvitedAt) {
		t.Errorf("resent pending invitation: %+v", again)
	}
	srv.CreateUser(t, "pending@example.com")
	if got := get[api.OrganizationMembership](w.admin, memberships+"/"+m.UserID); got.Status != "active" {
		t.Errorf("a pending invitation was not accepted on first use: %+v", got)
	}
}
