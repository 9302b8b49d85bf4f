package provider

import (
	"context"

	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// ownerAtPlan is the user who will own what the token creates in a workspace: the
// token's user, or, for a Flero API key (rule 14), the user who created the key (the
// server's answer to GET /v1/me/access, read once per run).
func ownerAtPlan(ctx context.Context, run *planrun.Run, orgID, wsID string, actor rules.Actor) string {
	if !actor.APIKey {
		return actor.UserID
	}
	if a, err := run.Access(ctx, orgID, wsID); err == nil && a.OwnerID != "" {
		return a.OwnerID
	}
	return actor.UserID
}
