resource "flero_organization" "acme" {
  name = "acme"
  plan = "enterprise"
}

resource "flero_workspace" "payments" {
  organization_id = flero_organization.acme.id
  name            = "payments"
}

# An ephemeral variable never lands in the plan or the state.
variable "stripe_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Write-only data (Terraform >= 1.11): the secret is sent to Flero and never stored in
# the state. Bump data_wo_version to send a new secret (a rotation).
resource "flero_credential" "stripe" {
  workspace_id    = flero_workspace.payments.id
  name            = "stripe-live"
  type            = "stripe"
  description     = "Live Stripe key for checkout workflows"
  scope           = "workspace"
  data_wo         = { api_key = var.stripe_api_key }
  data_wo_version = 1
}

variable "salesforce_client_secret" {
  type      = string
  sensitive = true
}

# Organization scope: every workspace of the organization can use it (Enterprise only).
# `data` is the alternative to data_wo for older Terraform: it is sensitive, but kept in
# the state.
resource "flero_credential" "salesforce" {
  workspace_id = flero_workspace.payments.id
  name         = "salesforce-prod"
  type         = "salesforce"
  scope        = "organization"
  data = {
    client_id     = "3MVG9acme"
    client_secret = var.salesforce_client_secret
  }
}
