#!/usr/bin/env bash
# Runs a benchmark against release builds, printing its figures (nothing is
# asserted; compare runs made on the same machine).
#
#   scripts/bench.sh media|recorder|live|audit|ranges [--counts 1,16,64] [--viewers 50] [--callers 64] [--seconds 30]
#                    [--cameras 16] [--days 30] [--rounds 50]
#
# `media`: vms-media ingest + RTSP restream of N simulated 1080p cameras at
# 4 Mbit/s, one reader each, against one `ffmpeg -c copy` reader per camera.
# `recorder`: the same cameras recorded by vms-media + vms-recorder, against
# one `ffmpeg -c copy -f segment -segment_time 10` per camera.
# `live`: one camera watched by 50 WebRTC viewers, against 50 MSE viewers and
# none; then, in Chromium, time to first picture per transport and WebRTC latency.
# `audit`: audited writes per second from 64 concurrent callers through the
# audit writer, against the old serial path, with PostgreSQL up and down.
# `ranges`: server time of the recorded ranges of 16 cameras over 30 days for
# a timeline, one query against one listing per camera.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
case "${1:-}" in audit|ranges) ;; *) scripts/web.sh ;; esac
cargo build --release --locked -p vms -p vms-bench
exec "$CARGO_TARGET_DIR/release/vms-bench" "$@" --clips "$CARGO_TARGET_DIR/camsim-clips"
