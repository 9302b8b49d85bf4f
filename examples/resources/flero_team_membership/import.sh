# A team membership is imported as <team_id>/<user_id>, <team_id>/<email> or
# <organization>/<team>/<email or user_id>.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_team_membership.platform_bob team_08971bfb36e26ec066a52fc6/usr_2cc6ba68b159f5f568a862b8
terraform import flero_team_membership.platform_bob acme/platform/bob@acme.example
