#!/usr/bin/env bash
# start-flero-server.sh: start the Flero reference server for a CI job, and return
# only once it accepts connections, or fail at once with its log.
#
#   FLERO_TOKEN=... start-flero-server.sh SERVER_BINARY DIR
#
# - The bootstrap token (a platform admin's) comes from the environment, never from the
#   command line: FLERO_TOKEN, or FLERO_TOKEN_FILE (a file holding it) for a server
#   built with --token-file, the preferred form where the CI hands secrets as files.
# - A fixed address, FLERO_ADDR (default 127.0.0.1:8080), so the endpoint is known in
#   advance; a taken port ends the server at once, and this script with it.
# - The database is DIR/flero.db (a fresh platform when DIR is new); a directory the
#   server cannot write ends it at once with "open database" and a non-zero status.
# - Waits for the ready file (the server writes its URL there once it listens) at most
#   FLERO_READY_TIMEOUT seconds (default 60).
#
# Prints the endpoint (e.g. http://127.0.0.1:8080) on stdout. The server's log is
# DIR/server.log, its pid DIR/server.pid; SIGTERM stops it cleanly.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: FLERO_TOKEN=... $0 SERVER_BINARY DIR" >&2
  exit 2
fi
server=$1 dir=$2
addr=${FLERO_ADDR:-127.0.0.1:8080}
timeout=${FLERO_READY_TIMEOUT:-60}
if [ -z "${FLERO_TOKEN:-}" ] && [ -z "${FLERO_TOKEN_FILE:-}" ]; then
  echo "error: set FLERO_TOKEN (or FLERO_TOKEN_FILE, for a server with --token-file) to the bootstrap token" >&2
  exit 2
fi

mkdir -p "$dir"
rm -f "$dir/flero.url"
"$server" --addr "$addr" --db "$dir/flero.db" --ready-file "$dir/flero.url" </dev/null >"$dir/server.log" 2>&1 &
pid=$!
echo "$pid" >"$dir/server.pid"

deadline=$((SECONDS + timeout))
until [ -s "$dir/flero.url" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    rc=0
    wait "$pid" || rc=$?
    echo "error: flero-server exited with status $rc before it was ready; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: flero-server was not ready after ${timeout}s; its log:" >&2
    cat "$dir/server.log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
head -n 1 "$dir/flero.url"
