package server

import (
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// SetInvitationTTL changes how long the invitations sent from now on can be accepted
// (zero: rules.DefaultInvitationTTL); invitations already sent keep their expiry. The
// tests use it to send an invitation that has already expired.
func (s *Server) SetInvitationTTL(d time.Duration) { s.inviteTTL.Store(int64(d)) }

// invite stamps m with an invitation sent now, expiring after the server's invitation
// TTL. A person already active on the platform is a member at once (status active);
// the invitation's time is kept all the same.
func (c *call) invite(m *api.OrganizationMembership) {
	at := time.Now().UTC()
	exp := rules.InvitationExpiry(at, time.Duration(c.s.inviteTTL.Load()))
	m.InvitedAt, m.InvitationExpiresAt = &at, &exp
}

// resendInvitation sends a pending invitation again ("view and resend pending
// invitations"): a new invited_at and expiry. Only organization admins (rule 6), not
// under SSO (rule 7), and only while the membership is invited. A person who became
// active on the platform meanwhile (through another organization) is a member at once,
// as on a first invitation.
func resendInvitation(c *call) (*reply, error) {
	o, m, err := c.changeOrgMembership()
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckResendInvitation(o.Name, m.Email, rules.MembershipStatus(m.Status))); err != nil {
		return nil, err
	}
	u, err := c.tx.UserByID(m.UserID)
	if err != nil {
		return nil, err
	}
	m.Status = u.Status
	c.invite(&m)
	if err := c.tx.SetInvitation(&m); err != nil {
		return nil, err
	}
	if err := c.audit("resent", "organization_membership", m.UserID, o.ID, "", map[string]string{"email": m.Email}); err != nil {
		return nil, err
	}
	return ok(m, m.Version)
}
