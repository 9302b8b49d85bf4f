# A workspace is imported by its id.
terraform import flero_workspace.payments ws_2d9f4b7e1c8a3056f2b9d4e1
