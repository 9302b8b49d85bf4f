# Look an organization up by name (or by id).
data "flero_organization" "acme" {
  name = "acme"
}

output "acme_plan" {
  value = data.flero_organization.acme.plan
}
