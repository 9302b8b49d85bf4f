package server

import (
	"net/http"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func listAuditEvents(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ViewAuditLog)); err != nil {
		return nil, err
	}
	f := store.AuditFilter{Action: c.query("action"), EntityType: c.query("entity_type"), EntityID: c.query("entity_id"),
		WorkspaceID: c.query("workspace_id"), ActorID: c.query("actor_id"), ActorEmail: rules.NormalizeEmail(c.query("email"))}
	if s := c.query("since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: "since must be an RFC 3339 time such as 2024-01-02T15:04:05Z.",
				fields: []api.FieldError{{Path: "since", Message: "must be an RFC 3339 time"}}}
		}
		f.Since = t
	}
	return listWith(c, func(after int64, limit int) ([]api.AuditEvent, int64, error) {
		return c.tx.ListAuditEvents(o.ID, f, after, limit)
	})
}
