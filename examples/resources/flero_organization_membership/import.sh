# An organization membership is imported as <organization_id>/<email>.
terraform import flero_organization_membership.bob org_7KfQ2mXcR9/bob@acme.example
