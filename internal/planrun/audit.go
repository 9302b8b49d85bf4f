package planrun

import (
	"context"
	"errors"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// CredentialEvents is the audit events of organization orgID recording one action
// ("deleted", "updated") on its credentials, read once per run: the review of every
// organization membership's removal needs the credentials deleted and renamed since
// they were created, the same lists for every member of the organization, and
// reading them per removal made a destroy cost two lists per member. Only a write to
// a credential (and to an organization) records such an event, so only those drop
// the lists (Cache.Wrote); the events of one actor, which differ per member, are not
// kept here.
func (c *Cache) CredentialEvents(ctx context.Context, orgID, action string) ([]api.AuditEvent, error) {
	if c.f.ListAuditEvents == nil {
		return nil, errors.New("planrun: no list of audit events")
	}
	return c.credEvents.get(ctx, [2]string{orgID, action}, func(ctx context.Context) ([]api.AuditEvent, error) {
		return c.f.ListAuditEvents(ctx, orgID, client.AuditListOptions{Action: action, EntityType: "credential"})
	})
}

// keepsCredentialEvents reports whether a write of this route leaves the audit log's
// credential updates and deletions as they were: the platform records those on a
// write to the credential only (internal/server, handlers_credentials.go). Any other
// route, a new one included, drops the lists.
func keepsCredentialEvents(route string) bool {
	switch route {
	case client.RouteOrganizationMemberships, client.RouteOrganizationMembership, client.RouteResendInvitation,
		client.RouteOrganizationWorkspaces, client.RouteWorkspace, client.RouteWorkspaceMemberships, client.RouteWorkspaceMembership,
		client.RouteOrganizationTeams, client.RouteTeam, client.RouteTeamMemberships, client.RouteTeamMembership,
		client.RouteOrganizationAPIKeys, client.RouteWorkspaceAPIKeys, client.RouteAPIKey:
		return true
	}
	return false
}
