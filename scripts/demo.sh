#!/usr/bin/env bash
# make demo: the quickstart on a fresh machine, offline.
#
# 1. builds the provider and the reference server (cmd/flero-server),
# 2. starts the server on a temporary SQLite database with a random bootstrap token,
# 3. installs the provider build into a temporary filesystem mirror and points Terraform
#    at it with a generated CLI configuration (so `terraform init` works with no registry),
# 4. runs terraform init, plan and apply of a copy of examples/quickstart,
# 5. records a few credential uses, then shows the plan of two scope changes (a widening
#    and a narrowing) with their warnings,
# 6. stops the server and removes every temporary file.
#
# Nothing is written inside the repository. Environment knobs:
#   TERRAFORM=/abs/path/terraform   the Terraform (or OpenTofu) binary (default: from PATH)
#   FLERO_DEMO_KEEP=1               keep the server running and the work dir at the end
set -euo pipefail

# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/demo-lib.sh"
demo_setup
demo_build
demo_start_server
demo_mirror

demo_example quickstart
cd "$work/quickstart"

# ---------------------------------------------------------------------------
step "terraform init"
tf init

step "terraform plan"
tf plan -out=quickstart.tfplan

step "terraform apply"
tf apply quickstart.tfplan

step "terraform plan (no changes expected)"
tf plan -detailed-exitcode

# ---------------------------------------------------------------------------
step "Workflows use the credentials"
# What a running workflow reports to the platform; the narrowing warning below is built
# from this usage.
value() { echo "$1" | "$terraform" console | tr -d '"'; }
salesforce=$(value flero_credential.salesforce.id)
growth=$(value flero_workspace.growth.id)
payments=$(value flero_workspace.payments.id)
record_use() { # credential workspace workflow
  api POST "/v1/credentials/$1/uses" "{\"workflow\":\"$3\",\"workspace_id\":\"$2\"}" >/dev/null
}
for _ in 1 2 3; do record_use "$salesforce" "$growth" lead-routing; done
record_use "$salesforce" "$payments" invoice-sync
echo "salesforce-prod: used 3 times by workflow lead-routing (growth), once by invoice-sync (payments)"

# ---------------------------------------------------------------------------
step "Scope changes in review: widen stripe-live to organization, narrow salesforce-prod to workspace"
echo "(terraform plan -var stripe_scope=organization -var salesforce_scope=workspace:"
echo " two in-place '~ scope' changes, each with a warning that says who gains or loses the credential)"
tf plan -var stripe_scope=organization -var salesforce_scope=workspace

step "Done"
