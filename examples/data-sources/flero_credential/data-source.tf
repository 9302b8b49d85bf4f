# Read a credential's metadata by id. Its secret data is never returned.
data "flero_credential" "stripe" {
  id = "cred_6Rz3nHy7Ke"
}

output "stripe_scope" {
  value = data.flero_credential.stripe.scope
}
