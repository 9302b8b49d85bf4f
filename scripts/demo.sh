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

export GOTOOLCHAIN=local CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1 TF_INPUT=0

repo=$(cd "$(dirname "$0")/.." && pwd)
terraform="${TERRAFORM:-$(command -v terraform || true)}"
if [ -z "$terraform" ] || [ ! -x "$terraform" ]; then
  echo "error: terraform not found on PATH (set TERRAFORM=/abs/path/to/terraform)" >&2
  exit 1
fi

# The provider's address, as examples/quickstart names it, and the version the mirror
# advertises (any version satisfies the quickstart's constraint-free requirement).
provider_host=registry.terraform.io
provider_namespace=flero
provider_type=flero
provider_version=0.0.1
os_arch="$(go env GOOS)_$(go env GOARCH)"

keep="${FLERO_DEMO_KEEP:-}"
work=$(mktemp -d "${TMPDIR:-/tmp}/flero-demo.XXXXXX")
server_pid=""

cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    if [ "$keep" = "1" ] && [ "$rc" -eq 0 ]; then
      (umask 077 && printf 'export FLERO_ENDPOINT=%q FLERO_TOKEN=%q TF_CLI_CONFIG_FILE=%q\n' \
        "$FLERO_ENDPOINT" "$FLERO_TOKEN" "$TF_CLI_CONFIG_FILE" >"$work/env")
      echo
      echo "FLERO_DEMO_KEEP=1: the server is still running (pid $server_pid) at $FLERO_ENDPOINT"
      echo "  source $work/env && cd $work/quickstart && terraform plan"
      echo "  stop it with: kill $server_pid; rm -rf $work"
      return
    fi
    echo "stopping the server (pid $server_pid)"
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "---- last lines of the server log ----" >&2
    tail -n 20 "$work/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Colours only on a terminal.
color=()
bold=$'\033[1m' plain=$'\033[0m'
if [ ! -t 1 ]; then
  color=(-no-color)
  bold="" plain=""
fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

# tf SUBCOMMAND ARGS...: terraform, without colours when the output is not a terminal.
tf() {
  local sub=$1
  shift
  "$terraform" "$sub" "${color[@]}" -input=false "$@"
}

# ---------------------------------------------------------------------------
step "Building the provider and the reference server"
mirror="$work/mirror"
pdir="$mirror/$provider_host/$provider_namespace/$provider_type/$provider_version/$os_arch"
mkdir -p "$pdir" "$work/bin"
(
  cd "$repo"
  go build -trimpath -ldflags "-X main.version=$provider_version" \
    -o "$pdir/terraform-provider-${provider_type}_v$provider_version" .
  go build -trimpath -o "$work/bin/flero-server" ./cmd/flero-server
)
echo "provider: $pdir"

# ---------------------------------------------------------------------------
step "Starting the reference server on a temporary database"
# The server reads FLERO_* settings (faults, rate limits, …) from the environment too:
# the demo wants none of the caller's.
for v in $(compgen -e | grep '^FLERO_' || true); do unset "$v"; done

token="flero_demo_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
"$work/bin/flero-server" --addr 127.0.0.1:0 --db "$work/flero.db" --token "$token" \
  --ready-file "$work/ready" </dev/null >"$work/server.log" 2>&1 &
server_pid=$!

# The server writes its URL to the ready file once it accepts connections.
for _ in $(seq 1 150); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "error: the server exited during start-up" >&2
    exit 1
  fi
  [ -s "$work/ready" ] && break
  sleep 0.2
done
if [ ! -s "$work/ready" ]; then
  echo "error: the server did not report ready within 30 s" >&2
  exit 1
fi
export FLERO_ENDPOINT="$(head -n 1 "$work/ready")"
export FLERO_TOKEN="$token"

# Ready = the API answers an authenticated request.
printf 'Authorization: Bearer %s\n' "$token" >"$work/auth-header" # not on a command line
ready=""
for _ in $(seq 1 50); do
  if curl -fsS -o /dev/null -H @"$work/auth-header" "$FLERO_ENDPOINT/v1/me" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "error: the server at $FLERO_ENDPOINT did not answer GET /v1/me" >&2
  exit 1
fi
echo "server: $FLERO_ENDPOINT (pid $server_pid, database $work/flero.db)"

# ---------------------------------------------------------------------------
step "Pointing Terraform at the local provider build"
cat >"$work/terraform.rc" <<RC
# Generated by scripts/demo.sh: install flero/flero from a local filesystem mirror,
# never from the network.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$provider_host/$provider_namespace/$provider_type"]
  }
}
disable_checkpoint = true
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc"
unset TF_PLUGIN_CACHE_DIR
cat "$TF_CLI_CONFIG_FILE"

cfg="$work/quickstart"
cp -R "$repo/examples/quickstart" "$cfg"
rm -rf "$cfg/.terraform" "$cfg/.terraform.lock.hcl" "$cfg"/terraform.tfstate*
cd "$cfg"

# ---------------------------------------------------------------------------
step "terraform init"
# Record the mirror's checksum first, as `terraform providers lock` would for a release:
# init then finds a complete lock file instead of warning about one.
"$terraform" providers lock -fs-mirror="$mirror" -platform="$os_arch" >/dev/null
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
  curl -fsS -o /dev/null -X POST -H @"$work/auth-header" -H 'Content-Type: application/json' \
    -d "{\"workflow\":\"$3\",\"workspace_id\":\"$2\"}" "$FLERO_ENDPOINT/v1/credentials/$1/uses"
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
