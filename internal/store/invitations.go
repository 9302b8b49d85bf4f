package store

import (
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// SetInvitation writes a membership's invitation (status, invited_at and its expiry),
// as a resend does, and bumps the version.
func (t *Tx) SetInvitation(m *api.OrganizationMembership) error {
	m.Version++
	return t.updated(t.exec(`UPDATE org_memberships SET status = ?, invited_at = ?, invitation_expires_at = ?, version = ?
		WHERE org_id = ? AND user_id = ? AND version = ?`,
		m.Status, optNanos(m.InvitedAt), optNanos(m.InvitationExpiresAt), m.Version, m.OrganizationID, m.UserID, m.Version-1))
}

// optTimePtr reads an optional time column (0: none).
func optTimePtr(n int64) *time.Time {
	if n == 0 {
		return nil
	}
	t := toTime(n)
	return &t
}

// optNanos writes an optional time column (nil: 0).
func optNanos(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.UnixNano()
}
