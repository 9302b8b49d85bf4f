resource "flero_organization" "acme" {
  name = "acme"
}

# Invites the person by email. The user is created, status "invited", if new; the
# membership turns "active" when the user first signs in.
resource "flero_organization_membership" "alice" {
  organization_id = flero_organization.acme.id
  email           = "alice@acme.example"
  role            = "admin"
}

resource "flero_organization_membership" "bob" {
  organization_id = flero_organization.acme.id
  email           = "bob@acme.example"
  role            = "member"
}

output "bob_user_id" {
  value = flero_organization_membership.bob.user_id
}
