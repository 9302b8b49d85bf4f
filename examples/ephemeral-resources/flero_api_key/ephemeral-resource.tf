# A short-lived workspace key for this run only (Terraform >= 1.10, OpenTofu >= 1.11):
# minted when the run needs it, renewed if the run outlasts its ttl, revoked when the
# run ends. It is never written to the state or the plan.
ephemeral "flero_api_key" "deploy" {
  workspace_id = var.workspace_id
  name         = "terraform-run"
  ttl          = "30m"
}

# A second flero provider configuration acting with that key: whatever it manages is
# confined to the workspace (a workspace key acts as a workspace admin of that
# workspace only, and is refused at plan anywhere else).
provider "flero" {
  alias = "workspace"
  token = ephemeral.flero_api_key.deploy.value
}

resource "flero_workspace_membership" "oncall" {
  provider     = flero.workspace
  workspace_id = var.workspace_id
  team_id      = var.oncall_team_id
  role         = "editor"
}

variable "workspace_id" {
  type = string
}

variable "oncall_team_id" {
  type = string
}
