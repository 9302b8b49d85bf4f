resource "flero_organization" "acme" {
  name = "acme"
}

resource "flero_team" "platform" {
  organization_id = flero_organization.acme.id
  name            = "platform"
  description     = "Owns the shared integrations"
  avatar_url      = "https://assets.acme.example/platform.png"
}
