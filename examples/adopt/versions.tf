terraform {
  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

# Endpoint and token come from FLERO_ENDPOINT and FLERO_TOKEN: an organization admin's
# token sees the whole organization.
provider "flero" {}
