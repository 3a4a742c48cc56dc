# Sourced by the scripts: puts cargo on the PATH and builds outside the clone,
# in a target directory that later runs (and later clones) on this machine
# reuse. Set CARGO_TARGET_DIR to build elsewhere.
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/techno-vms/target}"
mkdir -p "$CARGO_TARGET_DIR"
