# Read a credential's metadata by id. Its secret data is never returned.
data "flero_credential" "stripe" {
  id = "cred_3f9a2c41d7e85b06a1c4f932"
}

output "stripe_scope" {
  value = data.flero_credential.stripe.scope
}
