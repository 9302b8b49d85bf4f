package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestAuditEventsFilters: the activity log's filters of the product page (email,
// workspace, log type, entity type, since) and its pages; each event names its actor's
// email.
func TestAuditEventsFilters(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	events := "/v1/organizations/" + w.org.ID + "/audit-events"
	list := func(q url.Values) []api.AuditEvent {
		t.Helper()
		var all []api.AuditEvent
		for pages := 0; ; pages++ {
			var p api.Page[api.AuditEvent]
			w.admin.do("GET", events+"?"+q.Encode(), nil).want(200).into(&p)
			all = append(all, p.Items...)
			if p.NextCursor == "" {
				return all
			}
			q.Set("cursor", p.NextCursor)
			if pages > 100 {
				t.Fatal("the pages never end")
			}
		}
	}
	before := time.Now().UTC()
	for _, n := range []string{"a", "b", "c"} {
		create[api.Credential](w.editor, "/v1/workspaces/"+w.ws.ID+"/credentials",
			api.CreateCredentialRequest{Name: "cred-" + n, Type: "github", Scope: "personal", Data: map[string]string{"k": "v"}})
	}
	editorEmail := strings.ToUpper("editor-"+slug(t)) + "@EXAMPLE.com"

	got := list(url.Values{"email": {editorEmail}, "action": {"created"}, "entity_type": {"credential"}, "limit": {"2"}})
	// The editor created its personal credential in newWorld, and three now.
	if len(got) != 4 {
		t.Fatalf("events of the editor's credential creations: %d, want 4: %+v", len(got), got)
	}
	for _, e := range got {
		if e.ActorID != w.editor.id || !strings.EqualFold(e.ActorEmail, editorEmail) || e.Action != "created" || e.EntityType != "credential" {
			t.Errorf("an event does not match the filters: %+v", e)
		}
	}
	if got := list(url.Values{"email": {editorEmail}, "since": {before.Format(time.RFC3339Nano)}, "workspace_id": {w.ws.ID}}); len(got) != 3 {
		t.Errorf("since and workspace_id: %d events, want 3: %+v", len(got), got)
	}
	if got := list(url.Values{"email": {"nobody@example.com"}}); len(got) != 0 {
		t.Errorf("an unknown email matched %d events", len(got))
	}
	if got := list(url.Values{"workspace_id": {w.other.ID}, "entity_type": {"credential"}}); len(got) != 0 {
		t.Errorf("another workspace matched %d credential events", len(got))
	}
	w.admin.do("GET", events+"?since=yesterday", nil).wantErr(400, api.CodeBadRequest)
}

// TestCredentialUsageByRun: a use may name its run; the usage groups by run when asked
// (by_run=true) and, by default, by workspace, workflow and user as before.
func TestCredentialUsageByRun(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	uses := "/v1/credentials/" + w.shared.ID + "/uses"
	for _, run := range []string{"run-1", "run-1", "run-2", ""} {
		w.viewer.do("POST", uses, api.RecordUseRequest{Workflow: "nightly", WorkspaceID: w.ws.ID, RunID: run}).want(204)
	}
	w.viewer.do("POST", uses, api.RecordUseRequest{Workflow: "nightly", WorkspaceID: w.ws.ID, RunID: "bad\nrun"}).wantErr(422, api.CodeValidation)

	var plain, byRun api.CredentialUsageList
	w.admin.do("GET", "/v1/credentials/"+w.shared.ID+"/usage", nil).want(200).into(&plain)
	if len(plain.Items) != 1 || plain.Items[0].Uses != 4 || plain.Items[0].RunID != "" {
		t.Errorf("usage without runs: %+v", plain.Items)
	}
	w.admin.do("GET", "/v1/credentials/"+w.shared.ID+"/usage?by_run=true", nil).want(200).into(&byRun)
	runs := map[string]int{}
	for _, u := range byRun.Items {
		runs[u.RunID] += u.Uses
	}
	if len(byRun.Items) != 3 || runs["run-1"] != 2 || runs["run-2"] != 1 || runs[""] != 1 {
		t.Errorf("usage by run: %+v", byRun.Items)
	}
	w.admin.do("GET", "/v1/credentials/"+w.shared.ID+"/usage?by_run=maybe", nil).wantErr(400, api.CodeBadRequest)

	var ev api.Page[api.AuditEvent]
	w.admin.do("GET", "/v1/organizations/"+w.org.ID+"/audit-events?action=used&entity_id="+w.shared.ID, nil).want(200).into(&ev)
	if len(ev.Items) != 4 || ev.Items[0].Details["run_id"] != "run-1" {
		t.Errorf("the audit log does not name the run of a use: %+v", ev.Items)
	}
}
