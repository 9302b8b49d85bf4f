# People join the organization by invitation; a new address becomes an invited user.
locals {
  people = {
    alice = "admin"  # a second organization admin besides the token's user
    bob   = "member" # platform engineer
    carol = "member" # analyst
    dave  = "member" # growth marketer
  }
}

resource "flero_organization_membership" "people" {
  for_each = local.people

  organization_id = flero_organization.acme.id
  email           = "${each.key}@${var.email_domain}"
  role            = each.value
}

# Teams.
resource "flero_team_membership" "platform_bob" {
  team_id = flero_team.platform.id
  user_id = flero_organization_membership.people["bob"].user_id
}

resource "flero_team_membership" "platform_alice" {
  team_id = flero_team.platform.id
  user_id = flero_organization_membership.people["alice"].user_id
}

resource "flero_team_membership" "analysts_carol" {
  team_id = flero_team.analysts.id
  user_id = flero_organization_membership.people["carol"].user_id
}

# Workspace roles, for teams and for single users: viewer, editor, admin, owner.
resource "flero_workspace_membership" "payments_platform" {
  workspace_id = flero_workspace.payments.id
  team_id      = flero_team.platform.id
  role         = "admin"
}

resource "flero_workspace_membership" "payments_carol" {
  workspace_id = flero_workspace.payments.id
  user_id      = flero_organization_membership.people["carol"].user_id
  role         = "viewer"
}

resource "flero_workspace_membership" "growth_dave" {
  workspace_id = flero_workspace.growth.id
  user_id      = flero_organization_membership.people["dave"].user_id
  role         = "owner"
}

resource "flero_workspace_membership" "growth_analysts" {
  workspace_id = flero_workspace.growth.id
  team_id      = flero_team.analysts.id
  role         = "editor"
}

resource "flero_workspace_membership" "sandbox_bob" {
  workspace_id = flero_workspace.sandbox.id
  user_id      = flero_organization_membership.people["bob"].user_id
  role         = "editor"
}
