package client

import (
	"context"
	"net/http"
	"sync"
)

// A write (every request but GET and HEAD) is counted when it starts (Writes) and,
// when it ends, reported to the hooks registered with OnWrite: what it wrote, where,
// and the platform's answer. A reader that keeps answers (the provider's per-run
// cache, package planrun) drops what the write changed.

// The routes of the objects a write may change, as the client writes them ("%s" for
// each id, in the order of Write.IDs). A hook compares Write.Route with them.
const (
	RouteOrganizations           = "/v1/organizations"
	RouteOrganization            = "/v1/organizations/%s"
	RouteOrganizationMemberships = "/v1/organizations/%s/memberships"
	RouteOrganizationMembership  = "/v1/organizations/%s/memberships/%s"
	RouteResendInvitation        = "/v1/organizations/%s/memberships/%s/resend-invitation"
	RouteOrganizationWorkspaces  = "/v1/organizations/%s/workspaces"
	RouteOrganizationTeams       = "/v1/organizations/%s/teams"
	RouteOrganizationCredentials = "/v1/organizations/%s/credentials"
	RouteWorkspace               = "/v1/workspaces/%s"
	RouteWorkspaceMemberships    = "/v1/workspaces/%s/memberships"
	RouteWorkspaceMembership     = "/v1/workspaces/%s/memberships/%s/%s"
	RouteWorkspaceCredentials    = "/v1/workspaces/%s/credentials"
	RouteTeam                    = "/v1/teams/%s"
	RouteTeamMemberships         = "/v1/teams/%s/memberships"
	RouteTeamMembership          = "/v1/teams/%s/memberships/%s"
	RouteCredential              = "/v1/credentials/%s"
	RouteOrganizationAPIKeys     = "/v1/organizations/%s/api-keys"
	RouteWorkspaceAPIKeys        = "/v1/workspaces/%s/api-keys"
	RouteAPIKey                  = "/v1/api-keys/%s"
	routeOrganizationAuditEvents = "/v1/organizations/%s/audit-events"
	routeCredentialUses          = "/v1/credentials/%s/uses"
	routeCredentialUsage         = "/v1/credentials/%s/usage"
	routeCredentialTest          = "/v1/credentials/%s/test"
)

// Write is one logical write (its retries included) once it has ended.
type Write struct {
	// Method is POST, PATCH or DELETE.
	Method string
	// Route is the route's pattern, one of the Route constants for the objects of
	// the platform ("/v1/workspaces/%s/memberships/%s/%s").
	Route string
	// IDs are the route's ids, in order (a workspace membership's: the workspace, the
	// principal's type, the principal).
	IDs []string
	// Object is the platform's answer to a write that succeeded, a pointer to its api
	// type (*api.Workspace, *api.OrganizationMembership, …); nil for a delete and for
	// a write that failed.
	Object any
	// Err is why the write failed; nil when it succeeded. A write that failed may
	// still have been applied (its answer lost).
	Err error
}

// ID is the route's i-th id, "" when it has none.
func (w Write) ID(i int) string {
	if i < len(w.IDs) {
		return w.IDs[i]
	}
	return ""
}

// Succeeded reports whether the platform applied the write.
func (w Write) Succeeded() bool { return w.Err == nil }

// Deleted reports whether the write is a DELETE.
func (w Write) Deleted() bool { return w.Method == http.MethodDelete }

// hooks are the write hooks of a client.
type hooks struct {
	mu sync.RWMutex
	fs []func(context.Context, Write)
}

// OnWrite registers f to be called, in the writing goroutine with the write's
// context, after every write of this client has ended (succeeded or failed), before
// the write's method returns. f may read through the client; it must not write.
func (c *Client) OnWrite(f func(context.Context, Write)) {
	c.hooks.mu.Lock()
	defer c.hooks.mu.Unlock()
	c.hooks.fs = append(c.hooks.fs, f)
}

// wrote reports a write that has ended to the hooks.
func (c *Client) wrote(ctx context.Context, cl call, obj any, err error) {
	c.hooks.mu.RLock()
	fs := c.hooks.fs
	c.hooks.mu.RUnlock()
	if len(fs) == 0 {
		return
	}
	w := Write{Method: cl.method, Route: cl.route.format, IDs: cl.route.ids, Err: err}
	if err == nil {
		w.Object = obj
	}
	for _, f := range fs {
		f(ctx, w)
	}
}
