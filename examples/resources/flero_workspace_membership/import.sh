# A workspace membership is imported as <workspace>/<email>, <workspace>/user/<user>
# or <workspace>/team/<team>, where <workspace> is a workspace id or
# <organization>/<workspace_name>, a user an id or an email, a team an id or a name.
# A workspace named "user" or "team" is written %75ser or %74eam.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_workspace_membership.payments_carol acme/payments/carol@acme.example
terraform import flero_workspace_membership.payments_platform acme/payments/team/platform
terraform import flero_workspace_membership.payments_carol ws_2cfb479040d8a008f5e18942/user/usr_f1b40abf3a6bbf9e6ee69491
terraform import flero_workspace_membership.payments_platform ws_2cfb479040d8a008f5e18942/team/team_08971bfb36e26ec066a52fc6
