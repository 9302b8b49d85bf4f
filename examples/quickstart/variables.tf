variable "organization_name" {
  description = "Name of the organization (unique on the platform)."
  type        = string
  default     = "acme"
}

variable "email_domain" {
  description = "Domain of the invited people's email addresses."
  type        = string
  default     = "acme.example"
}

# make demo flips these two to show how scope changes are reviewed in a plan:
#   terraform plan -var stripe_scope=organization -var salesforce_scope=workspace
variable "stripe_scope" {
  description = "Scope of the shared Stripe key: personal, workspace or organization."
  type        = string
  default     = "workspace"
}

variable "salesforce_scope" {
  description = "Scope of the corporate Salesforce credential."
  type        = string
  default     = "organization"
}

# Secrets are ephemeral: they reach the credentials' write-only data and never the plan
# or the state. The defaults are demo values; pass real ones with TF_VAR_… instead.
variable "stripe_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "sk_test_quickstart"
}

variable "salesforce_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "quickstart-salesforce-secret"
}

variable "slack_bot_token" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "xoxb-quickstart"
}

variable "openai_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "sk-quickstart"
}

# Bump to rotate every secret above on the next apply.
variable "secrets_version" {
  type    = number
  default = 1
}
