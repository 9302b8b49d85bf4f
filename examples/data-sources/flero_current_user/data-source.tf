# The user the provider's token belongs to.
data "flero_current_user" "me" {}

output "me" {
  value = data.flero_current_user.me.email
}
