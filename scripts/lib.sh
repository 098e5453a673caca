# Shared paths for the dev-server scripts. Caches live outside the work tree.
STP_CACHE="${STP_CACHE:-$HOME/.cache/stp-upgrade}"
PG_ROOT="${STP_PG_ROOT:-$STP_CACHE/trixie-root}"
PG_PORT="${STP_PG_PORT:-55432}"
PG_DATA=/var/lib/stp-pg                 # inside the root
BIN_DIR="$STP_CACHE/bin"
STATE_DIR="$STP_CACHE/state"
TEMPORAL_PORT="${STP_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${STP_TEMPORAL_UI_PORT:-8233}"
TEMPORAL_CLI="${TEMPORAL_CLI_PATH:-$BIN_DIR/temporal}"
TEMPORAL_TEST_SERVER="${TEMPORAL_TEST_SERVER_PATH:-$BIN_DIR/temporal-test-server}"
mkdir -p "$STP_CACHE" "$BIN_DIR" "$STATE_DIR"

log() { printf '[stp] %s\n' "$*" >&2; }
