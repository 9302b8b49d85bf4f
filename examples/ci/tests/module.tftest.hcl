# terraform test: apply the module against the reference server, check what the
# platform answered, then destroy it (terraform test destroys after the last run).
variables {
  organization   = "ci-acme"
  stripe_api_key = "sk_test_not_a_real_key"
}

run "apply" {
  command = apply

  assert {
    condition     = flero_credential.stripe.scope == "workspace" && flero_credential.stripe.status == "active"
    error_message = "a new credential is workspace-scoped and active"
  }

  assert {
    condition     = can(regex("^cred_[0-9a-f]{24}$", output.credential_id))
    error_message = "the platform gave the credential an id of the form cred_ + 24 hex"
  }
}
