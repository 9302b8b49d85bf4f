package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The review of removing a user's organization membership: leaving an organization
// deactivates the personal credentials the user owns in it (rule 8), so the plan
// warns, naming them (rules.DescribeMembershipRemoval). A personal credential is
// visible to its owner only (rule 4): when the token is the user's own, they are
// read and named directly; otherwise the organization's audit log (readable by its
// admins, who alone remove memberships) gives the credentials the user created and
// nobody deleted since, with the name each was created with; those the token cannot
// read are personal. One renamed since is listed by id (the log records that the name
// changed, not the new name), and the review says why. A look-up that fails says
// nothing: the removal itself is allowed. The lists of the credentials deleted and
// updated in the organization are read once per run (planrun.Cache.CredentialEvents,
// dropped on a write to a credential); the user's own creations once per removal.

// reviewRemoval adds the review of removing the membership of state.
func (r *organizationMembershipResource) reviewRemoval(ctx context.Context, diags *diag.Diagnostics, state organizationMembershipModel) {
	c, run := r.Client(), r.Run()
	orgID, userID := state.OrganizationID.ValueString(), state.UserID.ValueString()
	if c == nil || run == nil || orgID == "" || userID == "" {
		return
	}
	org, err := run.Organization(ctx, orgID)
	if err != nil {
		return
	}
	creds, err := personalCredentialsOf(ctx, c, run, orgID, userID)
	if err != nil {
		return
	}
	if summary, detail, ok := rules.DescribeMembershipRemoval(state.Email.ValueString(), org.Name, creds); ok {
		diags.AddAttributeWarning(path.Root("email"), summary, detail)
	}
}

// personalCredentialsOf lists the personal credentials the user owns in the
// organization, as far as the token may know them (see above).
func personalCredentialsOf(ctx context.Context, c *client.Client, run *planrun.Run, orgID, userID string) ([]rules.PersonalCredential, error) {
	var out []rules.PersonalCredential
	if me, err := run.Me(ctx); err == nil && me.ID == userID {
		creds, err := c.Credentials.ListByOrganization(ctx, orgID, client.CredentialListOptions{Scope: string(rules.ScopePersonal)})
		if err != nil {
			return nil, err
		}
		for _, cr := range creds {
			if cr.OwnerID != userID || cr.Scope != string(rules.ScopePersonal) {
				continue
			}
			pc := rules.PersonalCredential{Name: cr.Name, ID: cr.ID}
			if ws, err := run.Workspace(ctx, cr.WorkspaceID); err == nil {
				pc.WorkspaceName = ws.Name
			}
			out = append(out, pc)
		}
		return out, nil
	}
	created, err := c.Audit.List(ctx, orgID, client.AuditListOptions{Action: "created", EntityType: "credential", ActorID: userID})
	if err != nil {
		return nil, err
	}
	// The organization's deletions and updates of credentials are the same for every
	// member: read once per run (planrun.Cache.CredentialEvents).
	deleted, err := run.CredentialEvents(ctx, orgID, "deleted")
	if err != nil {
		return nil, err
	}
	updated, err := run.CredentialEvents(ctx, orgID, "updated")
	if err != nil {
		return nil, err
	}
	gone, renamed := map[string]bool{}, map[string]bool{}
	for _, e := range deleted {
		gone[e.EntityID] = true
	}
	for _, e := range updated {
		if slices.Contains(strings.Split(e.Details["fields"], ","), "name") {
			renamed[e.EntityID] = true
		}
	}
	for _, e := range created {
		if gone[e.EntityID] {
			continue
		}
		_, err := c.Credentials.Get(ctx, e.EntityID)
		switch {
		case client.IsNotFound(err):
			pc := rules.PersonalCredential{ID: e.EntityID}
			if !renamed[e.EntityID] {
				pc.Name = e.Details["name"] // the name it was created with, as the audit log records it
			}
			if ws, err := run.Workspace(ctx, e.WorkspaceID); err == nil {
				pc.WorkspaceName = ws.Name
			}
			out = append(out, pc)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}
