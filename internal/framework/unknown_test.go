package framework_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// TestDecideUnknown: every candidate breaking the rule is an error (unless an existing
// object may pass: a warning); none breaking it says nothing; candidates that disagree,
// a verdict that depends on a value not known until apply, or no candidate, one
// warning.
func TestDecideUnknown(t *testing.T) {
	free := rules.CheckScopeAllowed("acme", rules.PlanFree, rules.ScopeOrganization)
	pass := framework.Verdict{}
	broken := framework.Verdict{Violation: free}
	depends := framework.Verdict{DependsOn: "the plan of organization \"beta\""}
	yes := func() bool { return true }
	for _, tc := range []struct {
		name             string
		verdicts         []framework.Verdict
		elsewhere        func() bool
		errors, warnings int
		says             string
	}{
		{"no candidate", nil, nil, 0, 1, "no object planned in this run can be it"},
		{"all pass", []framework.Verdict{pass, pass}, nil, 0, 0, ""},
		{"all break", []framework.Verdict{broken, broken}, nil, 1, 0, free.Message},
		{"all break, existing may pass", []framework.Verdict{broken}, yes, 0, 1, "may also name an existing object"},
		{"disagree", []framework.Verdict{broken, pass}, nil, 0, 1, "1 of 2 break the rule"},
		{"depends", []framework.Verdict{pass, depends}, nil, 0, 1, "the plan of organization \"beta\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			framework.DecideUnknown(&diags, framework.Unknown{At: path.Root("workspace_id"), Rule: "the scope is allowed", Verdicts: tc.verdicts, MayPassElsewhere: tc.elsewhere})
			if diags.ErrorsCount() != tc.errors || diags.WarningsCount() != tc.warnings {
				t.Fatalf("%d errors, %d warnings; want %d, %d: %v", diags.ErrorsCount(), diags.WarningsCount(), tc.errors, tc.warnings, diags)
			}
			if tc.says != "" && !strings.Contains(diags[0].Detail(), tc.says) {
				t.Errorf("does not say %q: %s", tc.says, diags[0].Detail())
			}
		})
	}
}
