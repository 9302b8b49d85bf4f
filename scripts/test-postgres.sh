#!/usr/bin/env bash
# make test-postgres: start a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh),
# run the store's and the server's tests (with the two-instance race tests), the kill -9
# test of one of two flero-server processes, and the acceptance suite with every test
# server on PostgreSQL (FLERO_TEST_DB=postgres, one schema per test), then stop the
# cluster.
#
#   TERRAFORM=/abs/terraform ACC_PKGS="pkg…" scripts/test-postgres.sh [go test args…]
#   PG_TEST_PKGS="./internal/store ./internal/server"  the packages run without TF_ACC
#   PG_SKIP_ACC=1                                       skip the acceptance suite
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/flero-pg.XXXXXX")
cleanup() { scripts/pg-test-cluster.sh stop "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

url=$(scripts/pg-test-cluster.sh start "$dir")
echo "PostgreSQL test cluster: $url"
export FLERO_TEST_POSTGRES="$url" FLERO_TEST_DB=postgres

timeout=${TEST_TIMEOUT:-30m}
echo "== go test ${PG_TEST_PKGS:-./internal/store ./internal/server} (PostgreSQL)"
# shellcheck disable=SC2086
go test ${PG_TEST_PKGS:-./internal/store ./internal/server} -count=1 -timeout "$timeout" "$@"

echo "== go test ./internal/reliability -run '^TestPostgres' (two flero-server processes, one killed)"
go test ./internal/reliability -run '^TestPostgres' -count=1 -timeout "$timeout"

if [ "${PG_SKIP_ACC:-}" != "1" ]; then
  if [ -z "${TERRAFORM:-}" ] || [ -z "${ACC_PKGS:-}" ]; then
    echo "error: TERRAFORM and ACC_PKGS are needed for the acceptance suite (run make test-postgres)" >&2
    exit 1
  fi
  echo "== acceptance suite on $("$TERRAFORM" version | head -n 1) (PostgreSQL): $ACC_PKGS"
  # shellcheck disable=SC2086
  TF_ACC=1 TF_ACC_TERRAFORM_PATH="$TERRAFORM" go test $ACC_PKGS -count=1 -timeout "$timeout" "$@"
fi
