resource "flero_organization" "acme" {
  name        = "acme"
  description = "Acme Corporation"
  avatar_url  = "https://assets.acme.example/logo.png"

  # Organization-scoped credentials need the enterprise plan.
  plan        = "enterprise"
  sso_enabled = false
}
