#!/usr/bin/env bash
# Build OpenTofu from its Go module once and cache the binary outside the repository.
# Prints the absolute path of the tofu binary on stdout (last line); progress goes to stderr.
#
#   scripts/build-tofu.sh            # build if missing, print path
#   TOFU_VERSION=v1.12.6 scripts/build-tofu.sh
#
# Nothing of OpenTofu's code is copied into this repository: the source lives in the Go
# module cache and only the binary is kept, in ${XDG_CACHE_HOME:-$HOME/.cache}/flero/.
set -euo pipefail

export GOTOOLCHAIN=local CHECKPOINT_DISABLE=1

version="${TOFU_VERSION:-v1.12.6}"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/flero"
out="$cache_dir/tofu-$version"

if [ -x "$out" ] && "$out" version >/dev/null 2>&1; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache_dir"
lock="$cache_dir/tofu-$version.lock"
# Serialise concurrent builds (e.g. a background CI build and a developer's make target).
exec 9>"$lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if [ -x "$out" ] && "$out" version >/dev/null 2>&1; then
    echo "$out"
    exit 0
  fi
fi

echo "building OpenTofu $version from its Go module (takes ~9 minutes on 2 cores)..." >&2
dir=$(go mod download -json "github.com/opentofu/opentofu@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "error: could not download github.com/opentofu/opentofu@$version from the Go module proxy" >&2
  exit 1
fi

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(
  cd "$dir"
  # The module cache is read-only; -modcacherw is not needed since we only write $tmp.
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp" ./cmd/tofu
)
"$tmp" version >&2
mv -f "$tmp" "$out"
trap - EXIT
echo "$out"
