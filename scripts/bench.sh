#!/usr/bin/env bash
# Runs a benchmark against release builds, printing its figures (nothing is
# asserted; compare runs made on the same machine).
#
#   scripts/bench.sh media|recorder|live|audit|ranges|events|analytics|timeline [--counts 1,16,64] [--viewers 50] [--callers 64] [--seconds 30]
#                    [--clip h264_1080p_4mbps] [--sources camsim,gstreamer]
#                    [--cameras 16] [--days 30] [--rounds 50]
#
# `media`: vms-media ingest + RTSP restream of N simulated 1080p cameras at
# 4 Mbit/s, one reader each, against one `ffmpeg -c copy` reader per camera.
# `recorder`: the same cameras recorded by vms-media + vms-recorder, against
# one `ffmpeg -c copy -f segment -segment_time 10` per camera; the cameras
# are sent by camsim, then by GStreamer's RTSP server looping the same clip
# (`--sources camsim|gstreamer`, `--clip NAME`), with pictures sent against
# pictures written.
# `live`: one camera watched by 50 WebRTC viewers, against 50 MSE viewers and
# none; then, in Chromium, time to first picture per transport and WebRTC latency.
# `audit`: audited writes per second from 64 concurrent callers through the
# audit writer, against the old serial path, with PostgreSQL up and down.
# `ranges`: server time of the recorded ranges of 16 cameras over 30 days for
# a timeline, one query against one listing per camera.
# `events`: events persisted per second from the bus through control into
# PostgreSQL (fsync on), against plain INSERTs of the same rows; then the time
# from publish to a live feed at 1,000 events/s, against a plain NATS
# subscriber (`--events 100000`, `--rate 1000`, `--seconds 30`); then webhook
# calls delivered per second to a local receiver (a tenth of `--events`, at
# most 5,000), against the same receiver called by a plain HTTP client.
# `analytics`: one camera's analysis (decode, motion, a person model,
# tracking) on a minute of real footage, motion-gated against looking at
# every analysed picture: time per stage, CPU per second of footage,
# pictures per CPU-second, objects followed.
# `timeline`: in Chromium, the time the playback timeline of 16 cameras over
# 30 days takes to draw after a pan, against one camera over one hour (the
# app's drawing alone: its API is answered with generated footage).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ "${1:-}" = analytics ]; then
  scripts/setup.sh
  source scripts/env.sh
  exec cargo run --release --locked -q -p vms-ai --example bench
fi
if [ "${1:-}" = timeline ]; then
  # Node, Chromium and the built app, then the browser alone.
  scripts/setup.sh
  source scripts/env.sh
  scripts/web.sh
  cd web
  exec node e2e/timeline-bench.mjs
fi
case "${1:-}" in audit|ranges|events) ;; *) scripts/web.sh ;; esac
if [ "${1:-}" = recorder ]; then
  # The third-party camera source: GStreamer's RTSP server, driven from Debian's python3.
  missing=()
  for pkg in gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0 \
      gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}"
    run_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    run_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
cargo build --release --locked -p vms -p vms-bench
exec "$CARGO_TARGET_DIR/release/vms-bench" "$@" --clips "$CARGO_TARGET_DIR/camsim-clips"
