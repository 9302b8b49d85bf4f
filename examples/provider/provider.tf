terraform {
  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

# The endpoint and the token come from FLERO_ENDPOINT and FLERO_TOKEN in the
# environment: the token never lands in a file. To set the endpoint in the
# configuration, use a variable, never a literal that would win over FLERO_ENDPOINT.
variable "flero_endpoint" {
  type    = string
  default = null # null: FLERO_ENDPOINT
}

provider "flero" {
  endpoint = var.flero_endpoint
}
