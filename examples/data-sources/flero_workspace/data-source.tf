data "flero_organization" "acme" {
  name = "acme"
}

# Look a workspace up by its name in an organization (or by id).
data "flero_workspace" "payments" {
  organization_id = data.flero_organization.acme.id
  name            = "payments"
}

output "payments_domain" {
  value = data.flero_workspace.payments.custom_domain
}
