# An API key is imported by its id. The platform shows a key's value once, at its
# creation: after an import, value is null (the key keeps working; rotate it through
# keepers to get a value Terraform knows).
terraform import flero_api_key.ci key_4b2d9e7f1a6c3058e9d2b7a4
