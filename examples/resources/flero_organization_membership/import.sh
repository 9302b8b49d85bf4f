# An organization membership is imported as <organization_id>/<email>.
terraform import flero_organization_membership.bob org_8c1e5f0a9b7d42e6c3a1f5d8/bob@acme.example
