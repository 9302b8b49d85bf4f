package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// Rule 9 at plan decides by what the run knows: what it deletes does not count, what
// it keeps is an error; an object it has not planned yet is an error in a destroy
// plan (Terraform plans dependents' destroys first) and a warning in a normal plan
// (the workspace was refreshed in this run: no set order).
func TestCheckLeftBehindDecidesByTheRunsFates(t *testing.T) {
	held := []leftBehind{{"managed", "cred_1"}, {"legacy", "cred_2"}}
	check := func(names []string) *rules.Violation { return rules.CheckDeleteWorkspace("ops", names) }
	for _, tc := range []struct {
		name      string
		refreshed bool
		fates     map[string]planrun.Fate
		severity  diag.Severity // 0: nothing
		lists     string
	}{
		{"destroy plan, outside credential", false, map[string]planrun.Fate{"cred_1": planrun.FateDeleted}, diag.SeverityError, `"legacy" (cred_2)`},
		{"normal plan, outside credential", true, map[string]planrun.Fate{"cred_1": planrun.FateDeleted}, diag.SeverityWarning, `"legacy" (cred_2)`},
		{"normal plan, a kept credential", true, map[string]planrun.Fate{"cred_1": planrun.FateKept}, diag.SeverityError, `"managed" (cred_1)`},
		{"everything destroyed", false, map[string]planrun.Fate{"cred_1": planrun.FateDeleted, "cred_2": planrun.FateDeleted}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := planrun.NewWithFetchers(planrun.Fetchers{})
			if tc.refreshed {
				run.RecordRefresh("ws_1")
			}
			for id, f := range tc.fates {
				if f == planrun.FateDeleted {
					run.RecordDeletion(id)
				} else {
					run.RecordKept(id)
				}
			}
			var diags diag.Diagnostics
			checkLeftBehind(&diags, run, "ws_1", held, "credentials", check)
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
