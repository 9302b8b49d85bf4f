# Test the credential after every change of its scope or a rotation, as the platform
# asks ("always click Test after a scope change"). A failed test fails the apply with
# the platform's message. Invoke it on its own with:
#   terraform apply -invoke=action.flero_credential_test.stripe
action "flero_credential_test" "stripe" {
  config {
    credential_id = flero_credential.stripe.id
  }
}

resource "flero_credential" "stripe" {
  workspace_id    = "ws_9c1d4e7a2b3f5a6c8d0e1f24"
  name            = "stripe-live"
  type            = "api_key"
  scope           = "workspace"
  data_wo         = { api_key = var.stripe_api_key }
  data_wo_version = 2

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.flero_credential_test.stripe]
    }
  }
}

variable "stripe_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
