# A small module tested in CI against the Flero reference server
# (github-actions.yml runs `terraform test` on it). The provider takes FLERO_ENDPOINT
# and FLERO_TOKEN from the environment: nothing about the server is written here.
terraform {
  required_version = ">= 1.11"

  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

provider "flero" {}

variable "organization" {
  type        = string
  description = "Name of the organization to create."
}

variable "stripe_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "flero_organization" "this" {
  name = var.organization
  plan = "enterprise"
}

resource "flero_workspace" "payments" {
  organization_id = flero_organization.this.id
  name            = "payments"
}

resource "flero_credential" "stripe" {
  workspace_id    = flero_workspace.payments.id
  name            = "stripe-live"
  type            = "stripe"
  data_wo         = { api_key = var.stripe_api_key }
  data_wo_version = 1
}

output "credential_id" {
  value = flero_credential.stripe.id
}
