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
// what this run plans to delete, and decides with what the run knows (planrun's
// fates): an object this run keeps, or (in `terraform destroy`, which plans the
// destroy of dependents first) one it has not planned to delete, makes an error that
// names them; in a normal plan, whose destroys Terraform plans in no set order, an
// object not planned yet may still be destroyed by this run: a warning names it
// instead. A failed look-up says nothing: the API checks the rule at apply. A
// replacement is not checked: the dependents' own replacements are planned after it.

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
	checkLeftBehind(diags, run, wsID, held, "credentials", func(names []string) *rules.Violation { return rules.CheckDeleteWorkspace(wsName, names) })
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
	checkLeftBehind(diags, run, orgID, held, "workspaces", func(names []string) *rules.Violation { return rules.CheckDeleteOrganization(orgName, names) })
}

// checkLeftBehind reports what the deletion of object id would leave behind of held.
func checkLeftBehind(diags *diag.Diagnostics, run *planrun.Run, id string, held []leftBehind, what string, check func(names []string) *rules.Violation) {
	unordered := run.Refreshed(id)
	var left []leftBehind
	certain := false
	for _, h := range held {
		switch run.FateOf(h.ID) {
		case planrun.FateDeleted:
			continue
		case planrun.FateKept:
			certain = true
		default:
			certain = certain || !unordered
		}
		left = append(left, h)
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
	list := listLeftBehind(left)
	if certain {
		framework.AddViolation(diags, &rules.Violation{Code: v.Code, Kind: v.Kind, Field: v.Field, Message: v.Message +
			"\n\nThis run does not destroy them (they were made outside this configuration, or it keeps them):" + list +
			"\nDelete them first, or import them into this configuration so that this run destroys them too."})
		return
	}
	diags.AddWarning("Deletion may be refused at apply",
		fmt.Sprintf("This run has not planned (so far) to destroy these %s, and Terraform plans the removal of resources in no set order, "+
			"so the provider cannot tell yet whether they are destroyed by this run too:%s\n"+
			"If they are not (made outside this configuration, or kept by it), the apply will be refused: %s", what, list, v.Message))
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
