terraform {
  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

# The endpoint and the token can also come from FLERO_ENDPOINT and FLERO_TOKEN;
# prefer the environment for the token, so that it never lands in a file.
provider "flero" {
  endpoint = "https://api.flero.example"
}
