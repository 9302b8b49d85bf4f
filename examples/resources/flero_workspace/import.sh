# A workspace is imported by its id.
terraform import flero_workspace.payments ws_3bN8pLq2Vt
