package store

import (
	"encoding/json"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

const auditCols = `seq, id, actor_id, action, entity_type, entity_id, org_id, workspace_id, time, details, actor_email`

// auditFrom gives each event its actor's email ("" when the actor is no user); wrapped
// so that listPage's "seq" is not ambiguous.
const auditFrom = ` FROM (SELECT a.*, coalesce(u.email, '') AS actor_email FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id) AS ae `

func scanAudit(r scanner) (api.AuditEvent, int64, error) {
	var e api.AuditEvent
	var seq, tm int64
	var details string
	err := r.Scan(&seq, &e.ID, &e.ActorID, &e.Action, &e.EntityType, &e.EntityID, &e.OrganizationID, &e.WorkspaceID, &tm, &details, &e.ActorEmail)
	e.Time = toTime(tm)
	if err == nil && details != "" {
		err = json.Unmarshal([]byte(details), &e.Details)
	}
	return e, seq, err
}

// InsertAuditEvent records an event (ID and time set here). Details must never hold a secret.
func (t *Tx) InsertAuditEvent(e *api.AuditEvent) error {
	e.ID, e.Time = NewID("evt"), toTime(now())
	var details string
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return err
		}
		details = string(b)
	}
	_, err := t.exec(`INSERT INTO audit_events (id, actor_id, action, entity_type, entity_id, org_id, workspace_id, time, details) VALUES (?,?,?,?,?,?,?,?,?)`,
		e.ID, e.ActorID, e.Action, e.EntityType, e.EntityID, e.OrganizationID, e.WorkspaceID, e.Time.UnixNano(), details)
	return err
}

// AuditFilter narrows an audit listing; empty fields match everything. ActorEmail is
// normalised (rules.NormalizeEmail).
type AuditFilter struct {
	Action, EntityType, EntityID, WorkspaceID, ActorID, ActorEmail string
	Since                                                          time.Time
}

// ListAuditEvents lists an organization's events, oldest first.
func (t *Tx) ListAuditEvents(orgID string, f AuditFilter, after int64, limit int) ([]api.AuditEvent, int64, error) {
	q, args := auditQuery(orgID, f)
	return listPage(t, q, args, after, limit, scanAudit, nil)
}

// auditQuery is ListAuditEvents' query and its arguments, before the page's bounds
// (listPage). The filters by kind of event (entity type and action, with or without
// the actor) and by object (entity type and id) have their own index (migration 5).
func auditQuery(orgID string, f AuditFilter) (string, []any) {
	q := `SELECT ` + auditCols + auditFrom + `WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{{"action", f.Action}, {"entity_type", f.EntityType}, {"entity_id", f.EntityID},
		{"workspace_id", f.WorkspaceID}, {"actor_id", f.ActorID}, {"actor_email", f.ActorEmail}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if !f.Since.IsZero() {
		q += ` AND time >= ?`
		args = append(args, f.Since.UnixNano())
	}
	return q, args
}
