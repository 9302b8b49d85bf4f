# What terraform query looks for (Terraform >= 1.14): everything of one organization,
# whole objects (include_resource), so that -generate-config-out can write the
# configuration and its import blocks.

list "flero_organization" "org" {
  provider         = flero
  include_resource = true
  config {
    name_prefix = var.organization_name
  }
}

list "flero_workspace" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}

list "flero_team" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}

list "flero_organization_membership" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}

list "flero_team_membership" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}

list "flero_workspace_membership" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}

# Metadata only: a credential's secret is never listed. The generated configuration
# leaves data and data_wo out, which keeps each secret as it is on the platform.
list "flero_credential" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = var.organization_id
  }
}
