#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (make test-postgres).
#
#   scripts/pg-test-cluster.sh start DIR   initdb in DIR, start it on a Unix socket in DIR
#                                          (no TCP), print its URL on standard output
#   scripts/pg-test-cluster.sh stop DIR    stop it and remove DIR
#
# PostgreSQL refuses to run as root: as root, the cluster runs as an unprivileged user
# (FLERO_PG_USER, default nobody). The binaries are taken from PG_BIN, else the newest
# /usr/lib/postgresql/*/bin. The cluster is tuned for tests (fsync off): never keep data
# in it.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "error: PostgreSQL binaries not found (set PG_BIN or install the postgresql package)" >&2
  exit 1
fi

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    local user=${FLERO_PG_USER:-nobody}
    setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"
  else
    "$@"
  fi
}

case $cmd in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown "${FLERO_PG_USER:-nobody}" "$dir"
  fi
  chmod 700 "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB" \
    start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  echo "postgres://postgres@/postgres?host=$dir&sslmode=disable"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
