# Who used the Stripe credential in the last 30 days, by workspace, workflow and run.
data "flero_credential_usage" "stripe" {
  credential_id = "cred_3f9a2c41d7e85b06a1c4f932"
  since_days    = 30
}

# Before narrowing the credential to its home workspace, assert that no workflow of
# another workspace used it (a failed check is a warning in plan and apply).
check "stripe_only_used_at_home" {
  assert {
    condition = length([
      for u in data.flero_credential_usage.stripe.uses : u
      if u.workspace_id != "ws_9c1d4e7a2b3f5a6c8d0e1f24"
    ]) == 0
    error_message = "A workflow outside the payments workspace used the Stripe credential in the last 30 days."
  }
}
