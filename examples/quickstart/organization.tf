# One organization on the Enterprise plan: organization-scoped credentials need it.
resource "flero_organization" "acme" {
  name        = var.organization_name
  description = "Acme Corporation: payments, growth and data workflows"
  avatar_url  = "https://assets.${var.email_domain}/logo.png"
  plan        = "enterprise"
  sso_enabled = false
}

resource "flero_workspace" "payments" {
  organization_id = flero_organization.acme.id
  name            = "payments"
  description     = "Checkout, billing and payouts"
  custom_domain   = "payments.flows.${var.email_domain}"
}

resource "flero_workspace" "growth" {
  organization_id = flero_organization.acme.id
  name            = "growth"
  description     = "Lead routing and campaigns"
}

resource "flero_workspace" "sandbox" {
  organization_id = flero_organization.acme.id
  name            = "sandbox"
  description     = "Experiments; nothing here runs in production"
}

resource "flero_team" "platform" {
  organization_id = flero_organization.acme.id
  name            = "platform"
  description     = "Owns the shared integrations"
}

resource "flero_team" "analysts" {
  organization_id = flero_organization.acme.id
  name            = "analysts"
  description     = "Read the numbers, build the reports"
}
