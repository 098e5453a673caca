#!/usr/bin/env bash
# Makes sure the real dev servers run on loopback; fast when they already do.
#   PostgreSQL 17 + pgvector + AGE  127.0.0.1:55432  (database stp_dev, user postgres, trust auth)
#   Temporal dev server             127.0.0.1:7233, Web UI 127.0.0.1:8233, persisted to SQLite
# Usage: dev-up.sh [pg|temporal]...   (default: both)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

want=("$@"); [ ${#want[@]} -gt 0 ] || want=(pg temporal)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_up() {
  if port_open "$PG_PORT" && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    ensure_dev_db; return 0
  fi
  bash "$here/install.sh"
  mountpoint -q "$PG_ROOT/proc" || mount -t proc proc "$PG_ROOT/proc"
  chroot "$PG_ROOT" bash -c "
    set -e
    mkdir -p /var/run/postgresql && chown postgres /var/run/postgresql
    if [ ! -f $PG_DATA/PG_VERSION ]; then
      mkdir -p $PG_DATA && chown postgres $PG_DATA
      su postgres -c '/usr/lib/postgresql/17/bin/initdb -D $PG_DATA -A trust -U postgres >/tmp/initdb.log'
      cat >> $PG_DATA/postgresql.conf <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
max_connections = 200
shared_buffers = 512MB
maintenance_work_mem = 512MB
work_mem = 32MB
max_wal_size = 4GB
fsync = on
CONF
    fi
    rm -f $PG_DATA/postmaster.pid.stale
    su postgres -c '/usr/lib/postgresql/17/bin/pg_ctl -D $PG_DATA -l $PG_DATA/server.log -w -t 60 start >/dev/null'
  " || { log "PostgreSQL did not start; see $PG_ROOT$PG_DATA/server.log"; exit 1; }
  ensure_dev_db
  log "PostgreSQL 17 up on 127.0.0.1:$PG_PORT"
}

ensure_dev_db() {
  local psql=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -Atq)
  if [ "$("${psql[@]}" -d postgres -c "select 1 from pg_database where datname='stp_dev'")" != 1 ]; then
    "${psql[@]}" -d postgres -c 'create database stp_dev'
  fi
  "${psql[@]}" -d stp_dev -c 'set client_min_messages=warning; create extension if not exists vector; create extension if not exists age'
}

# The typed search attributes of upgrade runs (common/search-attributes.ts; `stp-upgrade setup-namespace`).
STP_SEARCH_ATTRIBUTES=(StpDatabase=Keyword StpPhase=Keyword StpStep=Keyword StpRowsCopied=Int StpOutcome=Keyword StpSchemaVersion=Int)

# Idempotent on a running server: creates only the attributes the default namespace lacks.
register_search_attributes() {
  local have; have=$("$TEMPORAL_CLI" operator search-attribute list --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null) || return 0
  local sa name
  for sa in "${STP_SEARCH_ATTRIBUTES[@]}"; do
    name=${sa%%=*}
    grep -qw "$name" <<<"$have" && continue
    "$TEMPORAL_CLI" operator search-attribute create --address "127.0.0.1:$TEMPORAL_PORT" --name "$name" --type "${sa#*=}" >/dev/null 2>&1 \
      || log "could not register search attribute $name (stp-upgrade setup-namespace says why)"
  done
}

temporal_up() {
  if port_open "$TEMPORAL_PORT"; then register_search_attributes; return 0; fi
  bash "$here/install.sh"
  local sa_flags=() sa
  for sa in "${STP_SEARCH_ATTRIBUTES[@]}"; do sa_flags+=(--search-attribute "$sa"); done
  nohup "$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$STATE_DIR/temporal.sqlite" --log-level warn "${sa_flags[@]}" \
    >"$STATE_DIR/temporal.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/temporal.pid"
  for _ in $(seq 1 120); do
    if "$TEMPORAL_CLI" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" >/dev/null 2>&1; then
      log "Temporal dev server up on 127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT)"
      return 0
    fi
    sleep 0.5
  done
  log "the Temporal dev server did not become healthy; see $STATE_DIR/temporal.log"; exit 1
}

for w in "${want[@]}"; do
  case "$w" in
    pg) pg_up ;;
    temporal) temporal_up ;;
    *) log "unknown server '$w' (expected pg or temporal)"; exit 2 ;;
  esac
done
