package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditListsUseTheirIndex: the audit log's lists by kind of event (the removal
// review's credential deletions and updates, a user's creations) and by object are
// read from an index that holds only the events asked for, not by walking every event
// of the organization (audit_events_org): with one list per removal, that walk made a
// destroy's reviews quadratic in the organization's size on the server.
func TestAuditListsUseTheirIndex(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "f.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		f    AuditFilter
		want string
	}{
		{AuditFilter{Action: "deleted", EntityType: "credential"}, "audit_events_org_kind (org_id=? AND entity_type=? AND action=? AND seq>?)"},
		{AuditFilter{Action: "created", EntityType: "credential", ActorID: "usr_1"}, "audit_events_org_kind_actor (org_id=? AND entity_type=? AND action=? AND actor_id=? AND seq>?)"},
		{AuditFilter{Action: "deleted", EntityType: "credential", EntityID: "cred_1"}, "audit_events_org_entity (org_id=? AND entity_type=? AND entity_id=? AND seq>?)"},
	} {
		q, args := auditQuery("org_1", c.f)
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q+" AND seq > ? ORDER BY seq LIMIT ?", append(args, 0, 10)...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(plan, "; "); !strings.Contains(got, c.want) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%+v: the plan is %q, want a search of %s, in order", c.f, got, c.want)
		}
	}
}
