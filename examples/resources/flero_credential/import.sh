# A credential is imported by its id, by <workspace_id>/<name> or by
# <organization>/<workspace>/<name> (the organization by id or name, the workspace by
# name). Its secret is never read back: leave data and data_wo out of the configuration
# to keep the secret as it is on the platform (the plan is then empty), or add data_wo
# with a data_wo_version to send a new one (a rotation).
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_credential.stripe cred_8da512fac08ccba7288e685e
terraform import flero_credential.stripe ws_2cfb479040d8a008f5e18942/stripe-live
terraform import flero_credential.stripe acme/payments/stripe-live
