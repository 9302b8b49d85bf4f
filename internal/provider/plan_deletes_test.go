package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// Rule 9 at plan decides by what the run knows: what it deletes does not count; what
// it keeps, or has not planned once the walk is quiet (made outside the
// configuration), is an error that names it; one read in this run and planned a
// little later (a removal Terraform plans after the workspace's) is waited for.
func TestCheckLeftBehindDecidesByTheRunsFates(t *testing.T) {
	held := []leftBehind{{"managed", "cred_1"}, {"legacy", "cred_2"}}
	check := func(names []string) *rules.Violation { return rules.CheckDeleteWorkspace("ops", names) }
	for _, tc := range []struct {
		name      string
		refreshed bool // cred_2 read in this run, its destroy planned a little later
		fates     map[string]planrun.Fate
		severity  diag.Severity // 0: nothing
		lists     string
	}{
		{"outside credential", false, map[string]planrun.Fate{"cred_1": planrun.FateDeleted}, diag.SeverityError, `"legacy" (cred_2)`},
		{"a kept credential", false, map[string]planrun.Fate{"cred_1": planrun.FateKept, "cred_2": planrun.FateDeleted}, diag.SeverityError, `"managed" (cred_1)`},
		{"everything destroyed", false, map[string]planrun.Fate{"cred_1": planrun.FateDeleted, "cred_2": planrun.FateDeleted}, 0, ""},
		{"a destroy planned after the workspace's", true, map[string]planrun.Fate{"cred_1": planrun.FateDeleted}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := planrun.NewWithFetchers(planrun.Fetchers{})
			run.Activity = planrun.NewActivity()
			if tc.refreshed {
				// The credential's node: read, then (while the workspace's plan
				// waits) planned; a call stays in flight until the plan is recorded.
				run.Activity.CallStarted()
				run.RecordRefresh("cred_2")
				go func() {
					time.Sleep(50 * time.Millisecond)
					run.RecordDeletion("cred_2")
					run.Activity.CallEnded()
				}()
			}
			for id, f := range tc.fates {
				if f == planrun.FateDeleted {
					run.RecordDeletion(id)
				} else {
					run.RecordKept(id)
				}
			}
			var diags diag.Diagnostics
			checkLeftBehind(context.Background(), &diags, run, held, check)
			if tc.severity == 0 {
				if len(diags) != 0 {
					t.Fatalf("want nothing, got %v", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity() != tc.severity {
				t.Fatalf("want one %v, got %v", tc.severity, diags)
			}
			d := diags[0].Detail()
			if !strings.Contains(d, tc.lists) || !strings.Contains(d, `Workspace "ops" still holds credentials`) {
				t.Errorf("detail lacks %s:\n%s", tc.lists, d)
			}
			for id, f := range tc.fates {
				if f == planrun.FateDeleted && strings.Contains(d, id) {
					t.Errorf("a credential this run deletes is listed (%s):\n%s", id, d)
				}
			}
		})
	}
}
