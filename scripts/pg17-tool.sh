#!/usr/bin/env bash
# Runs a PostgreSQL 17 client tool (pg_dump, pg_restore, psql, ...) from the project's Debian 13
# root, because the host's own client tools are older than the 17 server and refuse it.
#   scripts/pg17-tool.sh pg_dump -Fc -d postgres://...      (tool from the first argument)
#   $STP_CACHE/bin/pg_dump -Fc ...                          (a symlink: its name selects the tool)
# stdin, stdout, stderr and the environment (PGPASSWORD) pass through chroot unchanged; file paths
# in arguments are the root's, so callers stream through stdin/stdout instead.
set -euo pipefail
self=$(readlink -f "${BASH_SOURCE[0]}")
STP_CACHE="${STP_CACHE:-$HOME/.cache/stp-upgrade}"
PG_ROOT="${STP_PG_ROOT:-$STP_CACHE/trixie-root}"

tool=$(basename "$0")
if [ "$tool" = "$(basename "$self")" ]; then
  [ $# -ge 1 ] || { echo "usage: $0 TOOL [ARGS...]   e.g. $0 pg_dump --version" >&2; exit 2; }
  tool=$1
  shift
fi
case "$tool" in
  *[!a-z0-9_]*|'') echo "pg17-tool: invalid tool name \"$tool\"" >&2; exit 2 ;;
esac
bin=/usr/lib/postgresql/17/bin/$tool
if [ ! -x "$PG_ROOT$bin" ]; then
  echo "pg17-tool: $PG_ROOT$bin not found: run 'npm run install:servers' (or set STP_PG_ROOT)" >&2
  exit 127
fi
exec chroot "$PG_ROOT" "$bin" "$@"
