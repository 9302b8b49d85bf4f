# A team is imported by its id or as <organization>/<team>.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_team.platform team_08971bfb36e26ec066a52fc6
terraform import flero_team.platform acme/platform
