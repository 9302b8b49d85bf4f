# Credentials of every scope. Secret data is write-only (data_wo): Terraform sends it
# when the credential is created or when data_wo_version changes, and never stores it.

# Workspace scope (the default): everyone in "payments" can use it in workflows.
# make demo widens it to organization scope to show the plan's warning.
resource "flero_credential" "stripe" {
  workspace_id    = flero_workspace.payments.id
  name            = "stripe-live"
  type            = "stripe"
  description     = "Live Stripe key for checkout workflows"
  scope           = var.stripe_scope
  data_wo         = { api_key = var.stripe_api_key }
  data_wo_version = var.secrets_version
}

# Organization scope (Enterprise only): every workspace of the organization can use it.
# make demo narrows it to workspace scope, after workflows in other workspaces used it.
resource "flero_credential" "salesforce" {
  workspace_id = flero_workspace.payments.id
  name         = "salesforce-prod"
  type         = "salesforce"
  description  = "The corporate Salesforce org, used by every workspace"
  scope        = var.salesforce_scope
  data_wo = {
    client_id     = "3MVG9acme"
    client_secret = var.salesforce_client_secret
  }
  data_wo_version = var.secrets_version
}

resource "flero_credential" "slack" {
  workspace_id    = flero_workspace.growth.id
  name            = "slack-bot"
  type            = "slack_bot"
  description     = "The growth team's Slack bot"
  scope           = "workspace"
  data_wo         = { bot_token = var.slack_bot_token }
  data_wo_version = var.secrets_version
}

# Personal scope: only its owner (the token's user) can see and use it.
resource "flero_credential" "openai" {
  workspace_id    = flero_workspace.sandbox.id
  name            = "my-openai-key"
  type            = "openai_api"
  description     = "A personal key for experiments"
  scope           = "personal"
  data_wo         = { api_key = var.openai_api_key }
  data_wo_version = var.secrets_version
}
