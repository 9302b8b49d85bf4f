package api

// Route is one route of the API, as a net/http ServeMux pattern.
type Route struct {
	Method  string
	Pattern string // e.g. "/v1/organizations/{organization_id}"
}

// Routes is every route the platform serves. The server registers exactly these and
// a test checks each is documented in openapi.yaml.
//
// Lists answer a Page and accept ?limit= and ?cursor=; creates (POST that makes an
// object) accept Idempotency-Key; reads answer an ETag; PATCH and DELETE honour
// If-Match.
var Routes = []Route{
	{"GET", "/v1/me"},
	{"GET", "/v1/me/access"}, // ?organization_id=&workspace_id=
	{"GET", "/v1/users"},     // ?email= (exact, case-insensitive); users sharing an organization with the caller
	{"GET", "/v1/users/{user_id}"},

	{"POST", "/v1/admin/users"},
	{"POST", "/v1/admin/users/{user_id}/tokens"},
	{"GET", "/v1/tokens"},               // ?user_id= (platform admins: another user's; default the caller's)
	{"DELETE", "/v1/tokens/{token_id}"}, // revoke: one's own, or any for a platform admin

	{"GET", "/v1/organizations"}, // ?name=
	{"POST", "/v1/organizations"},
	{"GET", "/v1/organizations/{organization_id}"},
	{"PATCH", "/v1/organizations/{organization_id}"},
	{"DELETE", "/v1/organizations/{organization_id}"},

	{"GET", "/v1/organizations/{organization_id}/memberships"}, // ?email=
	{"POST", "/v1/organizations/{organization_id}/memberships"},
	{"GET", "/v1/organizations/{organization_id}/memberships/{user_id}"},
	{"POST", "/v1/organizations/{organization_id}/memberships/{user_id}/resend-invitation"}, // a pending invitation only
	{"PATCH", "/v1/organizations/{organization_id}/memberships/{user_id}"},
	{"DELETE", "/v1/organizations/{organization_id}/memberships/{user_id}"},

	{"GET", "/v1/organizations/{organization_id}/workspaces"}, // ?name=
	{"POST", "/v1/organizations/{organization_id}/workspaces"},
	{"GET", "/v1/workspaces/{workspace_id}"},
	{"PATCH", "/v1/workspaces/{workspace_id}"},
	{"DELETE", "/v1/workspaces/{workspace_id}"},

	{"GET", "/v1/organizations/{organization_id}/teams"}, // ?name=
	{"POST", "/v1/organizations/{organization_id}/teams"},
	{"GET", "/v1/teams/{team_id}"},
	{"PATCH", "/v1/teams/{team_id}"},
	{"DELETE", "/v1/teams/{team_id}"},

	{"GET", "/v1/teams/{team_id}/memberships"},
	{"POST", "/v1/teams/{team_id}/memberships"},
	{"GET", "/v1/teams/{team_id}/memberships/{user_id}"},
	{"DELETE", "/v1/teams/{team_id}/memberships/{user_id}"},

	{"GET", "/v1/workspaces/{workspace_id}/memberships"},
	{"POST", "/v1/workspaces/{workspace_id}/memberships"},
	{"GET", "/v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}"},
	{"PATCH", "/v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}"},
	{"DELETE", "/v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}"},

	{"GET", "/v1/workspaces/{workspace_id}/credentials"},       // credentials the caller sees whose home is this workspace
	{"GET", "/v1/organizations/{organization_id}/credentials"}, // ?scope= ; credentials the caller sees in the organization
	{"POST", "/v1/workspaces/{workspace_id}/credentials"},
	{"GET", "/v1/credentials/{credential_id}"},
	{"PATCH", "/v1/credentials/{credential_id}"},
	{"DELETE", "/v1/credentials/{credential_id}"},
	{"POST", "/v1/credentials/{credential_id}/uses"},
	{"GET", "/v1/credentials/{credential_id}/usage"}, // ?since_days= (default 30)&by_run=
	{"POST", "/v1/credentials/{credential_id}/test"},

	{"GET", "/v1/organizations/{organization_id}/audit-events"}, // ?action=&entity_type=&entity_id=&workspace_id=&actor_id=&email=&since=

	{"GET", "/v1/organizations/{organization_id}/api-keys"}, // the organization's own keys (rule 14), revoked ones included
	{"POST", "/v1/organizations/{organization_id}/api-keys"},
	{"GET", "/v1/workspaces/{workspace_id}/api-keys"},
	{"POST", "/v1/workspaces/{workspace_id}/api-keys"},
	{"GET", "/v1/api-keys/{api_key_id}"},
	{"PATCH", "/v1/api-keys/{api_key_id}"},  // name, expires_at (renewal)
	{"DELETE", "/v1/api-keys/{api_key_id}"}, // revoke
}
