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
# The terminal shows one short line per step and, last, the scope-change review (the
# plan and its warnings) as a screen of its own; everything else (builds, the server,
# terraform's output) goes to a log file whose path is printed first and last, and which
# is kept. Nothing is written inside the repository. Environment knobs:
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
log=$(mktemp "${TMPDIR:-/tmp}/flero-demo-XXXXXX.log")
server_pid=""
current_step=""

# fd 3 is the terminal; stdout and stderr go to the log from here on.
exec 3>&1
exec >>"$log" 2>&1
say() { printf '%s\n' "$*" >&3; printf '%s\n' "$*"; }

cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    if [ "$keep" = "1" ] && [ "$rc" -eq 0 ]; then
      (umask 077 && printf 'export FLERO_ENDPOINT=%q FLERO_TOKEN=%q TF_CLI_CONFIG_FILE=%q\n' \
        "$FLERO_ENDPOINT" "$FLERO_TOKEN" "$TF_CLI_CONFIG_FILE" >"$work/env")
      say ""
      say "FLERO_DEMO_KEEP=1: the server is still running (pid $server_pid) at $FLERO_ENDPOINT"
      say "  source $work/env && cd $work/quickstart && terraform plan"
      say "  stop it with: kill $server_pid; rm -rf $work"
      return
    fi
    echo "stopping the server (pid $server_pid)"
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    if [ -s "$work/server.log" ]; then
      echo "---- last lines of the server log ----"
      tail -n 20 "$work/server.log" || true
    fi
    {
      echo
      echo "error: the demo failed at: ${current_step:-start-up} (exit status $rc). The log's last lines:"
      tail -n 40 "$log" | sed 's/^/  /'
      echo "full log: $log"
    } >&3
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Terraform's colours only for the review, and only on a terminal; the log has none.
color=(-no-color)
review_color=(-no-color)
bold="" plain=""
if [ -t 3 ]; then
  review_color=()
  bold=$'\033[1m' plain=$'\033[0m'
fi
steps=7 n=0
# step TEXT: a short header on the terminal (and in the log).
step() {
  n=$((n + 1))
  current_step="$*"
  printf '%s[%d/%d] %s%s\n' "$bold" "$n" "$steps" "$*" "$plain" >&3
  printf '\n==> [%d/%d] %s\n' "$n" "$steps" "$*"
}
printf 'flero demo: the quickstart against a local reference server (about a minute once Go'"'"'s cache is warm)\nfull log: %s\n' "$log" >&3

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
say "      server: $FLERO_ENDPOINT (pid $server_pid)"

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
step "terraform init, plan and apply of examples/quickstart"
# Record the mirror's checksum first, as `terraform providers lock` would for a release:
# init then finds a complete lock file instead of warning about one.
"$terraform" providers lock -fs-mirror="$mirror" -platform="$os_arch" >/dev/null
tf init

tf plan -out=quickstart.tfplan
tf apply quickstart.tfplan
say "      $(grep -o 'Apply complete! Resources: [0-9]* added' "$log" | tail -n 1)"

step "terraform plan (no changes expected)"
tf plan -detailed-exitcode
say "      No changes: the platform matches the configuration."

# ---------------------------------------------------------------------------
step "Workflows use the credentials (the usage the review reads)"
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
say "      salesforce-prod: used 3 times by workflow lead-routing (growth), once by invoice-sync (payments)"

# ---------------------------------------------------------------------------
step "Scope changes in review (the next screen)"
rule='=========================================================================='
{
  printf '\n%s%s\n' "$bold" "$rule"
  printf ' SCOPE-CHANGE REVIEW\n'
  printf ' terraform plan -var stripe_scope=organization -var salesforce_scope=workspace\n'
  printf ' Two in-place "~ scope" changes, each with a warning that says who gains or\n'
  printf ' loses the credential (nothing is applied).\n'
  printf '%s%s\n\n' "$rule" "$plain"
} | tee -a "$log" >&3
# The terminal gets the plan without its 22 "Refreshing state..." lines (the log has them).
"$terraform" plan "${review_color[@]}" -input=false -var stripe_scope=organization -var salesforce_scope=workspace 2>&1 |
  tee -a "$log" | grep -v ': Refreshing state\.\.\.' >&3
{
  printf '\n%s%s\n' "$bold" "$rule"
  printf ' END OF THE REVIEW. Full log of the demo: %s\n' "$log"
  printf '%s%s\n' "$rule" "$plain"
} | tee -a "$log" >&3
current_step=""
