#!/usr/bin/env bash
# The fault suite's own PostgreSQL 17 (pgvector + AGE), so it can restart it without touching the
# shared dev server: same Debian 13 root as dev-up.sh, its own data directory and port.
#   faults-pg.sh up                      initialise (first time) and start; fast when it runs
#   faults-pg.sh restart fast|immediate  pg_ctl restart -m MODE
#   faults-pg.sh down                    pg_ctl stop -m fast
# Port: STP_FAULTS_PG_PORT (default 55442); data: /var/lib/stp-pg-faults inside the root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

PORT="${STP_FAULTS_PG_PORT:-55442}"
DATA=/var/lib/stp-pg-faults
PG_CTL=/usr/lib/postgresql/17/bin/pg_ctl

in_root() { chroot "$PG_ROOT" su postgres -c "$1"; }
ready() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

up() {
  if ready; then return 0; fi
  [ -x "$PG_ROOT/usr/lib/postgresql/17/bin/postgres" ] || bash "$here/install.sh"
  mountpoint -q "$PG_ROOT/proc" || mount -t proc proc "$PG_ROOT/proc"
  chroot "$PG_ROOT" bash -c "mkdir -p /var/run/postgresql && chown postgres /var/run/postgresql"
  if [ ! -f "$PG_ROOT$DATA/PG_VERSION" ]; then
    chroot "$PG_ROOT" bash -c "mkdir -p $DATA && chown postgres $DATA"
    in_root "/usr/lib/postgresql/17/bin/initdb -D $DATA -A trust -U postgres >/tmp/initdb-faults.log"
    cat >> "$PG_ROOT$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
max_connections = 100
shared_buffers = 128MB
maintenance_work_mem = 128MB
max_parallel_maintenance_workers = 0
work_mem = 16MB
max_wal_size = 2GB
CONF
    log "initialised the fault suite's PostgreSQL in $PG_ROOT$DATA"
  fi
  in_root "$PG_CTL -D $DATA -l $DATA/server.log -w -t 60 start >/dev/null" \
    || { log "PostgreSQL (faults) did not start; see $PG_ROOT$DATA/server.log"; exit 1; }
  log "PostgreSQL 17 (fault suite) up on 127.0.0.1:$PORT"
}

case "${1:-up}" in
  up) up ;;
  restart)
    mode="${2:-fast}"
    in_root "$PG_CTL -D $DATA -l $DATA/server.log -m $mode -w -t 60 restart >/dev/null" ;;
  down) ready && in_root "$PG_CTL -D $DATA -m fast -w -t 60 stop >/dev/null" || true ;;
  *) log "usage: faults-pg.sh up | restart fast|immediate | down"; exit 2 ;;
esac
