terraform {
  # Write-only credential data (data_wo) needs Terraform 1.11 or OpenTofu 1.11.
  required_version = ">= 1.11"

  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

# FLERO_ENDPOINT and FLERO_TOKEN come from the environment (make demo sets them).
provider "flero" {}
