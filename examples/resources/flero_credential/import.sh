# A credential is imported by its id. Its secret cannot be read back: after an import
# the data stays unmanaged until the next data_wo_version change sends it again.
terraform import flero_credential.stripe cred_3f9a2c41d7e85b06a1c4f932
