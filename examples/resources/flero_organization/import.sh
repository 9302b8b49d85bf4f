# An organization is imported by its id or by its name.
# Names are written as they are, except that a "/" in a name is written %2F and a "%"
# is written %25 (percent-encoding; "+" may stay as it is). An import block can also
# import by identity (Terraform >= 1.12): see the guide "Adopting an existing organization".
terraform import flero_organization.acme org_7508df297252b41607715a0e
terraform import flero_organization.acme acme
