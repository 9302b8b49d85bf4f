package server

// endpoints maps every api.Routes entry to its handler. New() panics if the two differ.
func endpoints() map[string]endpoint {
	return map[string]endpoint{
		"GET /v1/me":                            {mode: modeRead, fn: getMe},
		"GET /v1/me/access":                     {mode: modeRead, fn: getAccess},
		"GET /v1/users":                         {mode: modeRead, fn: listUsers},
		"GET /v1/users/{user_id}":               {mode: modeRead, fn: getUser},
		"POST /v1/admin/users":                  {mode: modeCreate, fn: adminCreateUser},
		"POST /v1/admin/users/{user_id}/tokens": {mode: modeCreate, fn: adminCreateToken, replay: replayCreateToken},
		"GET /v1/tokens":                        {mode: modeRead, fn: listTokens},
		"DELETE /v1/tokens/{token_id}":          {mode: modeWrite, fn: revokeToken},

		"GET /v1/organizations":                      {mode: modeRead, fn: listOrganizations},
		"POST /v1/organizations":                     {mode: modeCreate, fn: createOrganization},
		"GET /v1/organizations/{organization_id}":    {mode: modeRead, fn: getOrganization},
		"PATCH /v1/organizations/{organization_id}":  {mode: modeWrite, fn: updateOrganization},
		"DELETE /v1/organizations/{organization_id}": {mode: modeWrite, fn: deleteOrganization},

		"GET /v1/organizations/{organization_id}/memberships":                              {mode: modeRead, fn: listOrgMemberships},
		"POST /v1/organizations/{organization_id}/memberships":                             {mode: modeCreate, fn: createOrgMembership},
		"GET /v1/organizations/{organization_id}/memberships/{user_id}":                    {mode: modeRead, fn: getOrgMembership},
		"POST /v1/organizations/{organization_id}/memberships/{user_id}/resend-invitation": {mode: modeWrite, fn: resendInvitation},
		"PATCH /v1/organizations/{organization_id}/memberships/{user_id}":                  {mode: modeWrite, fn: updateOrgMembership},
		"DELETE /v1/organizations/{organization_id}/memberships/{user_id}":                 {mode: modeWrite, fn: deleteOrgMembership},

		"GET /v1/organizations/{organization_id}/workspaces":  {mode: modeRead, fn: listWorkspaces},
		"POST /v1/organizations/{organization_id}/workspaces": {mode: modeCreate, fn: createWorkspace},
		"GET /v1/workspaces/{workspace_id}":                   {mode: modeRead, fn: getWorkspace},
		"PATCH /v1/workspaces/{workspace_id}":                 {mode: modeWrite, fn: updateWorkspace},
		"DELETE /v1/workspaces/{workspace_id}":                {mode: modeWrite, fn: deleteWorkspace},

		"GET /v1/organizations/{organization_id}/teams":  {mode: modeRead, fn: listTeams},
		"POST /v1/organizations/{organization_id}/teams": {mode: modeCreate, fn: createTeam},
		"GET /v1/teams/{team_id}":                        {mode: modeRead, fn: getTeam},
		"PATCH /v1/teams/{team_id}":                      {mode: modeWrite, fn: updateTeam},
		"DELETE /v1/teams/{team_id}":                     {mode: modeWrite, fn: deleteTeam},

		"GET /v1/teams/{team_id}/memberships":              {mode: modeRead, fn: listTeamMemberships},
		"POST /v1/teams/{team_id}/memberships":             {mode: modeCreate, fn: createTeamMembership},
		"GET /v1/teams/{team_id}/memberships/{user_id}":    {mode: modeRead, fn: getTeamMembership},
		"DELETE /v1/teams/{team_id}/memberships/{user_id}": {mode: modeWrite, fn: deleteTeamMembership},

		"GET /v1/workspaces/{workspace_id}/memberships":                                    {mode: modeRead, fn: listWorkspaceMemberships},
		"POST /v1/workspaces/{workspace_id}/memberships":                                   {mode: modeCreate, fn: createWorkspaceMembership},
		"GET /v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}":    {mode: modeRead, fn: getWorkspaceMembership},
		"PATCH /v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}":  {mode: modeWrite, fn: updateWorkspaceMembership},
		"DELETE /v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}": {mode: modeWrite, fn: deleteWorkspaceMembership},

		"GET /v1/workspaces/{workspace_id}/credentials":       {mode: modeRead, fn: listWorkspaceCredentials},
		"GET /v1/organizations/{organization_id}/credentials": {mode: modeRead, fn: listOrganizationCredentials},
		"POST /v1/workspaces/{workspace_id}/credentials":      {mode: modeCreate, fn: createCredential},
		"GET /v1/credentials/{credential_id}":                 {mode: modeRead, fn: getCredential},
		"PATCH /v1/credentials/{credential_id}":               {mode: modeWrite, fn: updateCredential},
		"DELETE /v1/credentials/{credential_id}":              {mode: modeWrite, fn: deleteCredential},
		"POST /v1/credentials/{credential_id}/uses":           {mode: modeCreate, fn: recordCredentialUse},
		"GET /v1/credentials/{credential_id}/usage":           {mode: modeRead, fn: credentialUsage},
		"POST /v1/credentials/{credential_id}/test":           {mode: modeWrite, fn: testCredential},

		"GET /v1/organizations/{organization_id}/audit-events": {mode: modeRead, fn: listAuditEvents},

		"GET /v1/organizations/{organization_id}/api-keys":  {mode: modeRead, fn: listOrganizationAPIKeys},
		"POST /v1/organizations/{organization_id}/api-keys": {mode: modeCreate, fn: createOrganizationAPIKey, replay: replayCreateAPIKey},
		"GET /v1/workspaces/{workspace_id}/api-keys":        {mode: modeRead, fn: listWorkspaceAPIKeys},
		"POST /v1/workspaces/{workspace_id}/api-keys":       {mode: modeCreate, fn: createWorkspaceAPIKey, replay: replayCreateAPIKey},
		"GET /v1/api-keys/{api_key_id}":                     {mode: modeRead, fn: getAPIKey},
		"PATCH /v1/api-keys/{api_key_id}":                   {mode: modeWrite, fn: updateAPIKey},
		"DELETE /v1/api-keys/{api_key_id}":                  {mode: modeWrite, fn: revokeAPIKey},
	}
}
