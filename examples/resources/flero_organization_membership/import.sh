# An organization membership is imported as <organization>/<email> or
# <organization>/<user_id>, the organization by id or by name.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_organization_membership.bob acme/bob@acme.example
terraform import flero_organization_membership.bob org_7508df297252b41607715a0e/usr_2cc6ba68b159f5f568a862b8
terraform import flero_organization_membership.ops acme/ops+alerts@acme.example
