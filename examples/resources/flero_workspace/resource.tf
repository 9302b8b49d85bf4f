resource "flero_organization" "acme" {
  name = "acme"
}

resource "flero_workspace" "payments" {
  organization_id = flero_organization.acme.id
  name            = "payments"
  description     = "Checkout, billing and payout workflows"
  avatar_url      = "https://assets.acme.example/payments.png"

  # Unique platform-wide; optional.
  custom_domain = "payments.flows.acme.example"
}
