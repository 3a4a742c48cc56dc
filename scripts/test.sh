#!/usr/bin/env bash
# Runs every check of the project: formatting, lints, the whole test suite
# (against real PostgreSQL, Redis and NATS that the tests start themselves)
# and a short run of every fuzz target.
# Installs whatever is missing first.
#
# Run with: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh

echo "== cargo fmt"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
echo "== fuzz"
scripts/fuzz.sh 15
