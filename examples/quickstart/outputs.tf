data "flero_current_user" "me" {}

output "organization_id" {
  value = flero_organization.acme.id
}

output "workspaces" {
  value = {
    payments = flero_workspace.payments.id
    growth   = flero_workspace.growth.id
    sandbox  = flero_workspace.sandbox.id
  }
}

output "invitations" {
  description = "Status of each organization membership (invited until the person signs in)."
  value       = { for k, m in flero_organization_membership.people : m.email => m.status }
}

output "credentials" {
  value = {
    for c in [flero_credential.stripe, flero_credential.salesforce, flero_credential.slack, flero_credential.openai] :
    c.name => { id = c.id, scope = c.scope, status = c.status, owner_id = c.owner_id }
  }
}

output "terraform_user" {
  value = data.flero_current_user.me.email
}
