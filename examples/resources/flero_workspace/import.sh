# A workspace is imported by its id or as <organization>/<workspace_name>.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_workspace.payments ws_2cfb479040d8a008f5e18942
terraform import flero_workspace.payments acme/payments
terraform import flero_workspace.eu_payments acme/payments%2Feu
