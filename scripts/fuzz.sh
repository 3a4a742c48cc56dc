#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a while (SECONDS each, 20 by default),
# with debug assertions on. A crash stops the run and leaves its input under
# fuzz/artifacts/<target>/ to reproduce with `cargo fuzz run <target> <file>`.
#
# Run with: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
seconds="${1:-20}"

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

# libFuzzer builds need unstable compiler flags; the stable toolchain allows
# them under RUSTC_BOOTSTRAP. Their artifacts live apart from the workspace's.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz"
corpus_root="$CARGO_TARGET_DIR/corpus"
for target in $(cargo fuzz list --fuzz-dir fuzz); do
  echo "== fuzz $target (${seconds}s)"
  mkdir -p "$corpus_root/$target"
  log="$CARGO_TARGET_DIR/$target.log"
  if ! cargo fuzz run --fuzz-dir fuzz --sanitizer none --debug-assertions "$target" "$corpus_root/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz: $target failed; the input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added)" "$log" || true
done
