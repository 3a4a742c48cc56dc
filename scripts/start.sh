#!/usr/bin/env bash
# Builds the VMS and starts it on its embedded default: PostgreSQL, Redis and
# NATS from this machine's packages, then every plane under supervision.
# Installs whatever is missing first. Extra arguments go to `vms up`.
#
# Run with: scripts/start.sh            (Ctrl-C stops everything)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh

scripts/web.sh
cargo build --release --locked -p vms
# PostgreSQL refuses to run as root, so as root the VMS runs it as the
# `postgres` user, who must be able to reach the data directory.
if [ "$(id -u)" -eq 0 ] && [ -z "${VMS_DATA_DIR:-}" ] && [[ " $* " != *" --data-dir "* ]]; then
  export VMS_DATA_DIR=/var/lib/techno-vms
  echo "start: running as root; data directory is $VMS_DATA_DIR"
fi
exec "$CARGO_TARGET_DIR/release/vms" up "$@"
