package planrun

import "context"

// Roster is who holds a role in organization orgID (its workspaces and their
// memberships, its teams and their members, its members), read once per run by fetch:
// the review of every credential scope change of the organization needs all of it,
// and reading it per change made a plan cost changes × workspaces requests. A write to
// an organization, workspace, team or membership drops every roster (Cache.Wrote);
// the value is the caller's own type.
func (c *Cache) Roster(ctx context.Context, orgID string, fetch func(context.Context) (any, error)) (any, error) {
	return c.rosters.get(ctx, orgID, fetch)
}
