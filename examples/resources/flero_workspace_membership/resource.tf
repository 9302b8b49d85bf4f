resource "flero_organization" "acme" {
  name = "acme"
}

resource "flero_workspace" "payments" {
  organization_id = flero_organization.acme.id
  name            = "payments"
}

resource "flero_team" "platform" {
  organization_id = flero_organization.acme.id
  name            = "platform"
}

resource "flero_organization_membership" "carol" {
  organization_id = flero_organization.acme.id
  email           = "carol@acme.example"
  role            = "member"
}

# A team gets a role in the workspace: every member of the team inherits it.
resource "flero_workspace_membership" "payments_platform" {
  workspace_id = flero_workspace.payments.id
  team_id      = flero_team.platform.id
  role         = "admin"
}

# A user gets a role directly. Exactly one of user_id and team_id.
resource "flero_workspace_membership" "payments_carol" {
  workspace_id = flero_workspace.payments.id
  user_id      = flero_organization_membership.carol.user_id
  role         = "viewer"
}
