#!/usr/bin/env bash
# Run golangci-lint v2, building it from the Go module proxy on first use.
# The binary is cached outside the repository, in ${XDG_CACHE_HOME:-$HOME/.cache}/flero/.
#
#   scripts/golangci-lint.sh run ./...
#   scripts/golangci-lint.sh --path      # print the binary's path (installing it if needed)
set -euo pipefail

export GOTOOLCHAIN=local

version="${GOLANGCI_LINT_VERSION:-v2.15.0}" # go directive 1.26.0: builds with the local Go 1.26
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/flero/golangci-lint-$version"
bin="$bin_dir/golangci-lint"

if [ ! -x "$bin" ]; then
  echo "installing golangci-lint $version into $bin_dir (one-time, a few minutes)..." >&2
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir" CGO_ENABLED=0 go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
fi

if [ "${1:-}" = "--path" ]; then
  echo "$bin"
  exit 0
fi
exec "$bin" "$@"
