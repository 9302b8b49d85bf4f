package client

import (
	"context"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// ResendInvitation sends a pending invitation again (organization admins): the
// membership comes back with its new invited_at and invitation_expires_at. A
// membership already active is a conflict (rules.CodeInvitationNotPending).
func (s *OrganizationMembershipsService) ResendInvitation(ctx context.Context, orgID, userID string) (*api.OrganizationMembership, error) {
	return action[api.OrganizationMembership](ctx, s.c, pathf(RouteResendInvitation, orgID, userID), struct{}{})
}
