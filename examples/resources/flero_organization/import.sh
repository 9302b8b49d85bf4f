# An organization can be imported by its id or by its name.
terraform import flero_organization.acme org_7KfQ2mXcR9
terraform import flero_organization.acme acme
