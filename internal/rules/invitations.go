package rules

import (
	"fmt"
	"time"
)

// Pending invitations ("view and resend pending invitations"). An organization
// membership created by email is an invitation: it is "invited" until the person first
// uses the platform, and the invitation expires after the platform's invitation TTL
// (DefaultInvitationTTL unless the operator sets another). An expired invitation can no
// longer be accepted: it stays invited until an organization admin resends it, which
// starts a new TTL.

// DefaultInvitationTTL is how long an invitation can be accepted: 7 days.
const DefaultInvitationTTL = 7 * 24 * time.Hour

// CodeInvitationNotPending refuses to resend the invitation of a membership that is
// already active (HTTP 409).
const CodeInvitationNotPending = "invitation_not_pending"

// InvitationExpiry is when an invitation sent at invitedAt expires under ttl (zero ttl:
// DefaultInvitationTTL).
func InvitationExpiry(invitedAt time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		ttl = DefaultInvitationTTL
	}
	return invitedAt.Add(ttl)
}

// InvitationExpired reports whether a membership with this status, whose invitation
// expires at expiresAt (zero: no invitation), is a pending invitation that has expired
// at now. An active membership's invitation never counts as expired.
func InvitationExpired(status MembershipStatus, expiresAt, now time.Time) bool {
	return status == StatusInvited && !expiresAt.IsZero() && !now.Before(expiresAt)
}

// CheckResendInvitation allows resending the invitation of email to organization
// orgName only while the membership is invited (rule 6 — who may — is checked apart,
// as for every membership change).
func CheckResendInvitation(orgName, email string, status MembershipStatus) *Violation {
	if status == StatusInvited {
		return nil
	}
	return violation(CodeInvitationNotPending, KindConflict, "email",
		"%s already accepted the invitation to organization %q (status %s): there is no pending invitation to resend.", email, orgName, status)
}

// InvitationExpiredMessage says that an invitation expired and how to send it again.
func InvitationExpiredMessage(orgName, email string, expiresAt time.Time) string {
	return fmt.Sprintf("The invitation of %s to organization %q expired at %s and can no longer be accepted. "+
		"Set resend_expired = true on the membership to resend it on the next apply, or invoke the flero_invitation_resend action.",
		email, orgName, expiresAt.UTC().Format(time.RFC3339))
}
