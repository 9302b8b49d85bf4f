# shellcheck shell=bash
# The machinery the demos share (sourced by scripts/demo.sh and scripts/adopt-demo.sh):
# build the provider and the reference server, start the server on a temporary SQLite
# database with a random bootstrap token, point Terraform at the provider build through
# a temporary filesystem mirror, and clean all of it up on exit. Nothing is written
# inside the repository; nothing is downloaded.
#
# The sourcing script sets -euo pipefail, then calls demo_setup, and may use:
#   $repo $terraform $work $mirror $os_arch   paths and the platform
#   demo_build, demo_start_server, demo_mirror  the three steps, in this order
#   step "title"                                a header
#   tf SUBCOMMAND ARGS...                       terraform without colours off a terminal
#   api METHOD PATH [JSON]                      the API as the bootstrap admin (prints the body)
# Knobs: TERRAFORM=/abs/path/terraform, FLERO_DEMO_KEEP=1 (keep the server and the work
# directory at the end).

export GOTOOLCHAIN=local CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1 TF_INPUT=0

# The provider's address and the version the mirror advertises (any version satisfies
# the examples' constraint-free requirement).
provider_host=registry.terraform.io
provider_namespace=flero
provider_type=flero
provider_version=0.0.1

demo_setup() {
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  terraform="${TERRAFORM:-$(command -v terraform || true)}"
  if [ -z "$terraform" ] || [ ! -x "$terraform" ]; then
    echo "error: terraform not found on PATH (set TERRAFORM=/abs/path/to/terraform)" >&2
    exit 1
  fi
  os_arch="$(go env GOOS)_$(go env GOARCH)"
  keep="${FLERO_DEMO_KEEP:-}"
  work=$(mktemp -d "${TMPDIR:-/tmp}/flero-demo.XXXXXX")
  server_pid=""
  trap demo_cleanup EXIT
  trap 'exit 130' INT TERM

  # Colours only on a terminal.
  color=()
  bold=$'\033[1m' plain=$'\033[0m'
  if [ ! -t 1 ]; then
    color=(-no-color)
    bold="" plain=""
  fi
}

demo_cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    if [ "$keep" = "1" ] && [ "$rc" -eq 0 ]; then
      (umask 077 && printf 'export FLERO_ENDPOINT=%q FLERO_TOKEN=%q TF_CLI_CONFIG_FILE=%q\n' \
        "$FLERO_ENDPOINT" "$FLERO_TOKEN" "$TF_CLI_CONFIG_FILE" >"$work/env")
      echo
      echo "FLERO_DEMO_KEEP=1: the server is still running (pid $server_pid) at $FLERO_ENDPOINT"
      echo "  source $work/env && cd $work/<example> && terraform plan"
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

step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

# tf SUBCOMMAND ARGS...: terraform, without colours when the output is not a terminal.
tf() {
  local sub=$1
  shift
  "$terraform" "$sub" "${color[@]}" -input=false "$@"
}

demo_build() {
  step "Building the provider and the reference server"
  mirror="$work/mirror"
  local pdir="$mirror/$provider_host/$provider_namespace/$provider_type/$provider_version/$os_arch"
  mkdir -p "$pdir" "$work/bin"
  (
    cd "$repo"
    go build -trimpath -ldflags "-X main.version=$provider_version" \
      -o "$pdir/terraform-provider-${provider_type}_v$provider_version" .
    go build -trimpath -o "$work/bin/flero-server" ./cmd/flero-server
  )
  echo "provider: $pdir"
}

demo_start_server() {
  step "Starting the reference server on a temporary database"
  # The server reads FLERO_* settings (faults, rate limits, …) from the environment too:
  # the demo wants none of the caller's.
  local v
  for v in $(compgen -e | grep '^FLERO_' || true); do unset "$v"; done

  local token
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
  FLERO_ENDPOINT="$(head -n 1 "$work/ready")"
  export FLERO_ENDPOINT
  export FLERO_TOKEN="$token"

  # Ready = the API answers an authenticated request.
  printf 'Authorization: Bearer %s\n' "$token" >"$work/auth-header" # not on a command line
  local ready=""
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
}

demo_mirror() {
  step "Pointing Terraform at the local provider build"
  cat >"$work/terraform.rc" <<RC
# Generated by scripts/demo-lib.sh: install flero/flero from a local filesystem mirror,
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
}

# demo_example NAME: a fresh copy of examples/NAME in the work directory, with the
# mirror's checksum in its lock file (as `terraform providers lock` records a release's),
# so that init finds a complete lock file. The caller cds into "$work/NAME".
demo_example() {
  local cfg="$work/$1"
  cp -R "$repo/examples/$1" "$cfg"
  rm -rf "$cfg/.terraform" "$cfg/.terraform.lock.hcl" "$cfg"/terraform.tfstate*
  (cd "$cfg" && "$terraform" providers lock -fs-mirror="$mirror" -platform="$os_arch" >/dev/null)
}

# api METHOD PATH [JSON]: one API request as the bootstrap admin; prints the answer's
# body, fails on an HTTP error.
api() {
  local args=(-fsS -X "$1" -H @"$work/auth-header")
  if [ $# -ge 3 ]; then
    args+=(-H 'Content-Type: application/json' -d "$3")
  fi
  curl "${args[@]}" "$FLERO_ENDPOINT$2"
}
