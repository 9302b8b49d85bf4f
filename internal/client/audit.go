package client

import (
	"context"
	"iter"
	"net/url"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// AuditService reads an organization's audit events.
type AuditService struct{ c *Client }

// AuditListOptions filters audit events; zero fields do not filter.
type AuditListOptions struct {
	Action      string
	EntityType  string
	EntityID    string
	WorkspaceID string
	ActorID     string
	Email       string // the actor's email (case-insensitive)
	Since       time.Time
}

func (o AuditListOptions) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{
		"action": o.Action, "entity_type": o.EntityType, "entity_id": o.EntityID,
		"workspace_id": o.WorkspaceID, "actor_id": o.ActorID, "email": o.Email,
	} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !o.Since.IsZero() {
		q.Set("since", o.Since.UTC().Format(time.RFC3339Nano))
	}
	return q
}

// List returns every audit event of an organization that matches opts.
func (s *AuditService) List(ctx context.Context, orgID string, opts AuditListOptions) ([]api.AuditEvent, error) {
	return list[api.AuditEvent](ctx, s.c, pathf(routeOrganizationAuditEvents, orgID), opts.query())
}

// All iterates the audit events of an organization that match opts.
func (s *AuditService) All(ctx context.Context, orgID string, opts AuditListOptions) iter.Seq2[api.AuditEvent, error] {
	return all[api.AuditEvent](ctx, s.c, pathf(routeOrganizationAuditEvents, orgID), opts.query())
}
