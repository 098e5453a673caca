#!/usr/bin/env bash
# Stops the dev servers started by dev-up.sh. Data stays in the cache for the next dev:up.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [ -f "$STATE_DIR/temporal.pid" ]; then
  pid=$(cat "$STATE_DIR/temporal.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "Temporal dev server stopped"
  fi
  rm -f "$STATE_DIR/temporal.pid"
fi
if [ -f "$PG_ROOT/$PG_DATA/postmaster.pid" ]; then
  chroot "$PG_ROOT" su postgres -c "/usr/lib/postgresql/17/bin/pg_ctl -D $PG_DATA -m fast -w stop >/dev/null" \
    && log "PostgreSQL stopped"
fi
