resource "flero_organization" "acme" {
  name = "acme"
}

resource "flero_team" "platform" {
  organization_id = flero_organization.acme.id
  name            = "platform"
}

# A team member must belong to the team's organization.
resource "flero_organization_membership" "bob" {
  organization_id = flero_organization.acme.id
  email           = "bob@acme.example"
  role            = "member"
}

resource "flero_team_membership" "platform_bob" {
  team_id = flero_team.platform.id
  user_id = flero_organization_membership.bob.user_id
}
