# An organization can be imported by its id or by its name.
terraform import flero_organization.acme org_8c1e5f0a9b7d42e6c3a1f5d8
terraform import flero_organization.acme acme
