package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// Rule 9 at plan time: deleting a workspace that still holds credentials, or an
// organization that still has workspaces, is refused by the API. The plan of the
// destroy lists what the workspace or organization holds, as the token sees it, less
// what this run plans to delete (planrun's deletions: Terraform plans the destroy of a
// credential before the destroy of its workspace), and reports what remains, with
// each object's id. A failed look-up says nothing: the API checks the rule at apply.
// A replacement is not checked: the dependents' own replacements are planned after it.

// leftBehind is an object a deletion would leave behind.
type leftBehind struct{ Name, ID string }

// checkWorkspaceEmpty is rule 9 for the plan that deletes workspace wsID.
func checkWorkspaceEmpty(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Cache, wsID, wsName string) {
	creds, err := c.Credentials.List(ctx, wsID)
	if err != nil {
		return
	}
	var left []leftBehind
	for _, cr := range creds {
		if !run.PlannedDeletion(cr.ID) {
			left = append(left, leftBehind{cr.Name, cr.ID})
		}
	}
	addLeftBehind(diags, left, func(names []string) *rules.Violation { return rules.CheckDeleteWorkspace(wsName, names) })
}

// checkOrganizationEmpty is rule 9 for the plan that deletes organization orgID.
func checkOrganizationEmpty(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Cache, orgID, orgName string) {
	wss, err := c.Workspaces.List(ctx, orgID)
	if err != nil {
		return
	}
	var left []leftBehind
	for _, w := range wss {
		if !run.PlannedDeletion(w.ID) {
			left = append(left, leftBehind{w.Name, w.ID})
		}
	}
	addLeftBehind(diags, left, func(names []string) *rules.Violation { return rules.CheckDeleteOrganization(orgName, names) })
}

func addLeftBehind(diags *diag.Diagnostics, left []leftBehind, check func(names []string) *rules.Violation) {
	sort.Slice(left, func(i, j int) bool { return left[i].Name < left[j].Name })
	names := make([]string, len(left))
	for i, l := range left {
		names[i] = l.Name
	}
	v := check(names)
	if v == nil {
		return
	}
	var b strings.Builder
	b.WriteString(v.Message)
	b.WriteString("\n\nThis run does not destroy them (they were made outside this configuration, or it keeps them):")
	for i, l := range left {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more", len(left)-10)
			break
		}
		fmt.Fprintf(&b, "\n  - %q (%s)", l.Name, l.ID)
	}
	b.WriteString("\nDelete them first, or import them into this configuration so that this run destroys them too.")
	framework.AddViolation(diags, &rules.Violation{Code: v.Code, Kind: v.Kind, Field: v.Field, Message: b.String()})
}
