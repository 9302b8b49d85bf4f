#!/usr/bin/env bash
# make adopt-demo: adopt an organization that already exists, with terraform query.
#
# 1. builds the provider and the reference server, starts the server on a temporary
#    database and points Terraform at the provider build (scripts/demo-lib.sh),
# 2. makes an organization through the API, as people do by hand: 3 workspaces, 2 teams,
#    12 memberships of every kind and 6 credentials of every scope,
# 3. in a copy of examples/adopt: terraform query (what is there), then
#    terraform query -generate-config-out=generated.tf (the configuration and its import
#    blocks), with a note on each credential saying that its secret is not adopted,
# 4. terraform plan: only imports (N to import, 0 to add, 0 to change, 0 to destroy),
#    terraform apply, and a plan with no changes,
# 5. checks that no credential secret is in the generated file, the state or any output,
# 6. stops the server and removes every temporary file.
#
# Needs Terraform >= 1.14 (list resources and terraform query): `make adopt-demo` runs
# it with ../shared/tools/terraform-1.15.9. Environment knobs: TERRAFORM=/abs/path,
# FLERO_DEMO_KEEP=1 (see scripts/demo-lib.sh).
set -euo pipefail

# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/demo-lib.sh"
demo_setup

tf_version=$("$terraform" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
if [ "$(printf '%s\n1.14.0\n' "$tf_version" | sort -V | head -n 1)" != "1.14.0" ]; then
  echo "error: terraform query needs Terraform >= 1.14; $terraform is $tf_version" >&2
  echo "       (make adopt-demo uses ../shared/tools/terraform-1.15.9; or set TERRAFORM=)" >&2
  exit 1
fi
echo "terraform: $terraform ($tf_version)"

demo_build
demo_start_server
demo_mirror

# ---------------------------------------------------------------------------
step "An existing organization, made through the API (not by Terraform)"
id_of() { sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -n 1; }
secret() { echo "s3cr3t-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }
secrets=()

org=$(api POST /v1/organizations '{"name":"acme","plan":"enterprise"}' | id_of)
declare -A ws team user
for name in payments web ops; do
  ws[$name]=$(api POST "/v1/organizations/$org/workspaces" "{\"name\":\"$name\",\"description\":\"The $name workspace\"}" | id_of)
done
for name in sre devs; do
  team[$name]=$(api POST "/v1/organizations/$org/teams" "{\"name\":\"$name\"}" | id_of)
done
for member in alice@example.com:admin bob@example.com:member carol+ops@example.com:member dave@example.com:member; do
  email=${member%%:*}
  user[$email]=$(api POST /v1/admin/users "{\"email\":\"$email\"}" | id_of)
  api POST "/v1/organizations/$org/memberships" "{\"email\":\"$email\",\"role\":\"${member##*:}\"}" >/dev/null
done
api POST "/v1/teams/${team[sre]}/memberships" "{\"user_id\":\"${user[alice@example.com]}\"}" >/dev/null
api POST "/v1/teams/${team[sre]}/memberships" "{\"user_id\":\"${user[bob@example.com]}\"}" >/dev/null
api POST "/v1/teams/${team[devs]}/memberships" "{\"user_id\":\"${user[carol+ops@example.com]}\"}" >/dev/null
api POST "/v1/workspaces/${ws[payments]}/memberships" "{\"user_id\":\"${user[bob@example.com]}\",\"role\":\"viewer\"}" >/dev/null
api POST "/v1/workspaces/${ws[payments]}/memberships" "{\"team_id\":\"${team[sre]}\",\"role\":\"editor\"}" >/dev/null
api POST "/v1/workspaces/${ws[web]}/memberships" "{\"user_id\":\"${user[carol+ops@example.com]}\",\"role\":\"editor\"}" >/dev/null
api POST "/v1/workspaces/${ws[web]}/memberships" "{\"team_id\":\"${team[devs]}\",\"role\":\"viewer\"}" >/dev/null
api POST "/v1/workspaces/${ws[ops]}/memberships" "{\"user_id\":\"${user[dave@example.com]}\",\"role\":\"admin\"}" >/dev/null
for cred in payments:slack-bot:workspace payments:stripe-live:organization payments:my-token:personal \
  web:web-hook:workspace web:cdn-key:organization ops:pager:personal; do
  IFS=: read -r home name scope <<<"$cred"
  s=$(secret)
  secrets+=("$s")
  api POST "/v1/workspaces/${ws[$home]}/credentials" \
    "{\"name\":\"$name\",\"type\":\"api_key\",\"scope\":\"$scope\",\"data\":{\"token\":\"$s\"}}" >/dev/null
done
echo "organization acme ($org): workspaces payments, web, ops; teams sre, devs;"
echo "4 members besides the admin, 3 team memberships, 5 workspace memberships, 6 credentials"

# ---------------------------------------------------------------------------
demo_example adopt
cd "$work/adopt"
printf 'organization_name = "acme"\norganization_id   = "%s"\n' "$org" >terraform.tfvars
out="$work/outputs.log"

step "terraform init"
tf init | tee -a "$out"

step "terraform query: what exists"
"$terraform" query "${color[@]}" | tee -a "$out"

step "terraform query -generate-config-out=generated.tf"
"$terraform" query "${color[@]}" -generate-config-out=generated.tf | tee -a "$out" | tail -n 3
# Terraform writes the file; a provider cannot add comments to it. Say on each
# credential what its null data and data_wo mean.
awk '/^resource "flero_credential"/ {
  print "# Adopted without its secret: data and data_wo stay out, and the secret stays as it is"
  print "# on the platform. To manage it, set data_wo (with data_wo_version = 1): the next apply"
  print "# sends it (a rotation)."
} { print }' generated.tf >generated.tf.new && mv generated.tf.new generated.tf
echo "generated.tf: $(grep -c '^resource ' generated.tf) resources, $(grep -c '^import {' generated.tf) import blocks"
sed -n '/^# Adopted without its secret/,/^}/p' generated.tf | head -n 14

step "terraform plan: only imports"
tf plan -out=adopt.tfplan | tee -a "$out"
if ! grep -Eq 'Plan: [0-9]+ to import, 0 to add, 0 to change, 0 to destroy' "$out"; then
  echo "error: the plan of the generated configuration is not imports only" >&2
  exit 1
fi

step "terraform apply"
tf apply adopt.tfplan | tee -a "$out"

step "terraform plan (no changes expected)"
tf plan -detailed-exitcode | tee -a "$out"

step "No credential secret in the generated file, the state or the outputs"
for s in "${secrets[@]}"; do
  if grep -qF "$s" generated.tf terraform.tfstate "$out"; then
    echo "error: a credential secret was found" >&2
    exit 1
  fi
done
echo "none of the ${#secrets[@]} secrets appears in generated.tf, terraform.tfstate or the outputs"

step "Done"
