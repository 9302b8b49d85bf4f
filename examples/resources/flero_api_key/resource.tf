resource "flero_organization" "acme" {
  name = "acme"
}

resource "flero_workspace" "prod" {
  organization_id = flero_organization.acme.id
  name            = "prod"
}

# A workspace key for a CI system that deploys into one workspace. It acts as a
# workspace admin of that workspace only. Its value is stored in the Terraform state
# (sensitive): when the key is only needed during a Terraform run, prefer the
# flero_api_key ephemeral resource, which is never stored.
resource "flero_api_key" "ci" {
  workspace_id = flero_workspace.prod.id
  name         = "ci-deploy"
  expires_at   = "2027-01-01T00:00:00Z"

  # Change a keeper to rotate the key: a new key replaces it and the old one is
  # revoked.
  keepers = {
    rotation = "2026-q4"
  }

  # Create the new key before the old one is revoked.
  lifecycle {
    create_before_destroy = true
  }
}

# An organization key acts as an organization admin of this organization only.
resource "flero_api_key" "automation" {
  organization_id = flero_organization.acme.id
  name            = "org-automation"
}

output "ci_key" {
  value     = flero_api_key.ci.value
  sensitive = true
}
