package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The review of a scope change: every change of a credential's scope is an in-place
// update with a warning on scope, worded by rules.DescribeScopeChange, that says who
// loses access (narrowing: the workspaces and workflows that used the credential
// recently, outside the new scope) or who gains it (widening to organization: how
// many other workspaces).

// scopeReviewDays is how far back the review looks for the credential's usage.
const scopeReviewDays = 30

// scopeChange is a planned change of a credential's scope.
type scopeChange struct {
	CredentialID   string
	CredentialName string
	From, To       rules.Scope
	OrganizationID string
	WorkspaceID    string // the home workspace
	OwnerID        string
}

// scopeChangeFacts gathers what the review needs, reading only what the direction of
// the change needs: the home workspace's name always (through the run cache); the
// credential's recent usage when it narrows; the organization's workspaces when it
// widens to organization. An unchanged scope reads nothing.
func scopeChangeFacts(ctx context.Context, c *client.Client, run *planrun.Cache, ch scopeChange) (rules.ScopeChangeFacts, error) {
	f := rules.ScopeChangeFacts{
		CredentialName:  ch.CredentialName,
		From:            ch.From,
		To:              ch.To,
		HomeWorkspaceID: ch.WorkspaceID,
		OwnerID:         ch.OwnerID,
		UsageWindow:     fmt.Sprintf("%d days", scopeReviewDays),
	}
	direction := rules.ClassifyScopeChange(ch.From, ch.To)
	if direction == rules.ScopeUnchanged {
		return f, nil
	}
	ws, err := run.Workspace(ctx, ch.WorkspaceID)
	if err != nil {
		return f, fmt.Errorf("reading the home workspace %s: %w", ch.WorkspaceID, err)
	}
	f.HomeWorkspaceName = ws.Name
	switch {
	case direction == rules.ScopeNarrowing:
		usage, err := c.Credentials.Usage(ctx, ch.CredentialID, scopeReviewDays)
		if err != nil {
			return f, fmt.Errorf("reading the credential's usage over the last %d days: %w", scopeReviewDays, err)
		}
		for _, u := range usage.Items {
			f.RecentUsage = append(f.RecentUsage, rules.Usage{
				WorkspaceID:   u.WorkspaceID,
				WorkspaceName: u.WorkspaceName,
				Workflow:      u.Workflow,
				UserID:        u.UserID,
				Uses:          u.Uses,
			})
		}
	case ch.To == rules.ScopeOrganization:
		orgID := ch.OrganizationID
		if orgID == "" {
			orgID = ws.OrganizationID
		}
		workspaces, err := c.Workspaces.List(ctx, orgID)
		if err != nil {
			return f, fmt.Errorf("listing the organization's workspaces: %w", err)
		}
		for _, w := range workspaces {
			if w.ID != ch.WorkspaceID {
				f.OtherWorkspaces++
			}
		}
	}
	return f, nil
}

// scopeChangeWarning is the plan's warning on scope for the change the facts
// describe; ok is false when the scope does not change.
func scopeChangeWarning(f rules.ScopeChangeFacts) (d diag.Diagnostic, ok bool) {
	summary, detail, ok := rules.DescribeScopeChange(f)
	if !ok {
		return nil, false
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("scope"), summary, detail), true
}

// reviewScopeChange adds the review of a scope change to diags. A failed look-up does
// not block the plan (the change itself is allowed): it becomes a warning that the
// review is incomplete.
func reviewScopeChange(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Cache, ch scopeChange) {
	f, err := scopeChangeFacts(ctx, c, run, ch)
	if err != nil {
		diags.AddAttributeWarning(path.Root("scope"), "Scope change not reviewed",
			fmt.Sprintf("The scope of credential %q changes from %s to %s, in place, but the provider could not say who loses or gains it: %s",
				ch.CredentialName, ch.From, ch.To, err))
		return
	}
	if d, ok := scopeChangeWarning(f); ok {
		diags.Append(d)
	}
}
