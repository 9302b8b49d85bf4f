# Adopt a credential created outside Terraform. Its secret cannot be read back, so the
# first plan after the import shows an update that sends the configured data_wo.
import {
  to = flero_credential.stripe
  id = "cred_3f9a2c41d7e85b06a1c4f932"
}
