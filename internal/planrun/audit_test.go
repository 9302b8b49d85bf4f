package planrun

import (
	"context"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// TestCredentialEventsReadOncePerRunUntilACredentialIsWritten: an organization's
// credential deletions (or updates) are listed once for every review of the run; a
// write to a membership, team, workspace or API key keeps them, a write to a
// credential or an organization drops them.
func TestCredentialEventsReadOncePerRunUntilACredentialIsWritten(t *testing.T) {
	ctx := context.Background()
	reads := map[string]int{}
	run := NewWithFetchers(Fetchers{ListAuditEvents: func(_ context.Context, orgID string, o client.AuditListOptions) ([]api.AuditEvent, error) {
		if o.EntityType != "credential" || o.ActorID != "" {
			t.Errorf("listed %+v, want every credential event of one action", o)
		}
		reads[orgID+" "+o.Action]++
		return []api.AuditEvent{{Action: o.Action, EntityType: o.EntityType, OrganizationID: orgID}}, nil
	}})
	get := func(org, action string) {
		t.Helper()
		evs, err := run.CredentialEvents(ctx, org, action)
		if err != nil || len(evs) != 1 || evs[0].Action != action || evs[0].OrganizationID != org {
			t.Fatalf("CredentialEvents(%s, %s) = %v, %v", org, action, evs, err)
		}
	}
	all := func() {
		for range 3 {
			get("org_1", "deleted")
			get("org_1", "updated")
			get("org_2", "deleted")
		}
	}
	all()
	if reads["org_1 deleted"] != 1 || reads["org_1 updated"] != 1 || reads["org_2 deleted"] != 1 {
		t.Fatalf("three reviews read %v, want each list once", reads)
	}
	for _, w := range []client.Write{
		{Method: "DELETE", Route: client.RouteOrganizationMembership, IDs: []string{"org_1", "usr_1"}},
		{Method: "PATCH", Route: client.RouteWorkspaceMembership, IDs: []string{"ws_1", "user", "usr_1"}},
		{Method: "POST", Route: client.RouteOrganizationTeams, IDs: []string{"org_1"}},
		{Method: "DELETE", Route: client.RouteWorkspace, IDs: []string{"ws_1"}},
		{Method: "DELETE", Route: client.RouteAPIKey, IDs: []string{"key_1"}},
	} {
		run.Wrote(ctx, w)
		all()
		if reads["org_1 deleted"] != 1 {
			t.Fatalf("after %s %s the lists were read again: %v", w.Method, w.Route, reads)
		}
	}
	for i, w := range []client.Write{
		{Method: "DELETE", Route: client.RouteCredential, IDs: []string{"cred_1"}},
		{Method: "PATCH", Route: client.RouteCredential, IDs: []string{"cred_1"}},
		{Method: "POST", Route: client.RouteWorkspaceCredentials, IDs: []string{"ws_1"}},
		{Method: "PATCH", Route: client.RouteOrganization, IDs: []string{"org_1"}},
		{Method: "POST", Route: "/v1/credentials/%s/something-new", IDs: []string{"cred_1"}},
	} {
		run.Wrote(ctx, w)
		all()
		if reads["org_1 deleted"] != i+2 || reads["org_1 updated"] != i+2 || reads["org_2 deleted"] != i+2 {
			t.Fatalf("after %s %s: %v, want every list read again (%d)", w.Method, w.Route, reads, i+2)
		}
	}
}
