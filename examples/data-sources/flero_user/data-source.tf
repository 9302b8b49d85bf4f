# Look a user up by email (case-insensitive). Only users who share an organization with the
# token's user are visible.
data "flero_user" "bob" {
  email = "bob@acme.example"
}

output "bob_status" {
  value = data.flero_user.bob.status
}
