data "flero_organization" "acme" {
  name = "acme"
}

# Look a team up by its name in an organization (or by id).
data "flero_team" "platform" {
  organization_id = data.flero_organization.acme.id
  name            = "platform"
}

output "platform_team_id" {
  value = data.flero_team.platform.id
}
