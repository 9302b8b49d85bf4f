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
// what this run plans to delete, once the run has planned what it will plan of them
// (planrun.AwaitFates): what is left (made outside this configuration, or kept by it)
// is an error that names it. A failed look-up says nothing: the API checks the rule
// at apply. A replacement is not checked: the dependents' own replacements are
// planned after it.

// leftBehind is an object a deletion would leave behind.
type leftBehind struct{ Name, ID string }

// checkWorkspaceEmpty is rule 9 for the plan that deletes workspace wsID.
func checkWorkspaceEmpty(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Run, wsID, wsName string) {
	creds, err := c.Credentials.List(ctx, wsID)
	if err != nil {
		return
	}
	held := make([]leftBehind, len(creds))
	for i, cr := range creds {
		held[i] = leftBehind{cr.Name, cr.ID}
	}
	checkLeftBehind(ctx, diags, run, held, func(names []string) *rules.Violation { return rules.CheckDeleteWorkspace(wsName, names) })
}

// checkOrganizationEmpty is rule 9 for the plan that deletes organization orgID.
func checkOrganizationEmpty(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Run, orgID, orgName string) {
	wss, err := c.Workspaces.List(ctx, orgID)
	if err != nil {
		return
	}
	held := make([]leftBehind, len(wss))
	for i, w := range wss {
		held[i] = leftBehind{w.Name, w.ID}
	}
	checkLeftBehind(ctx, diags, run, held, func(names []string) *rules.Violation { return rules.CheckDeleteOrganization(orgName, names) })
}

// checkLeftBehind reports what the deletion of object id would leave behind of held:
// those this run does not delete. Those it has not planned yet are waited for
// (planrun.Run.NotDeleted: Terraform plans the removals of a normal plan in no set order;
// in a destroy plan the dependents come first and the wait is for a quiet walk).
func checkLeftBehind(ctx context.Context, diags *diag.Diagnostics, run *planrun.Run, held []leftBehind, check func(names []string) *rules.Violation) {
	byID := make(map[string]leftBehind, len(held))
	ids := make([]string, len(held))
	for i, h := range held {
		byID[h.ID], ids[i] = h, h.ID
	}
	var left []leftBehind
	for _, id := range run.NotDeleted(ctx, ids) {
		left = append(left, byID[id])
	}
	names := make([]string, len(left))
	for i, l := range left {
		names[i] = l.Name
	}
	v := check(names)
	if v == nil {
		return
	}
	sort.Slice(left, func(i, j int) bool { return left[i].Name < left[j].Name })
	framework.AddViolation(diags, &rules.Violation{Code: v.Code, Kind: v.Kind, Field: v.Field, Message: v.Message +
		"\n\nThis run does not destroy them (they were made outside this configuration, or it keeps them):" + listLeftBehind(left) +
		"\nDelete them first, or import them into this configuration so that this run destroys them too."})
}

func listLeftBehind(left []leftBehind) string {
	var b strings.Builder
	for i, l := range left {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more", len(left)-10)
			break
		}
		fmt.Fprintf(&b, "\n  - %q (%s)", l.Name, l.ID)
	}
	return b.String()
}
