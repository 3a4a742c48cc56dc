#!/usr/bin/env bash
# Runs every check of the project: the web app's build and component tests,
# formatting, lints, the whole test suite (against real PostgreSQL, Redis and
# NATS that the tests start themselves, and Chromium for the web app) and a
# short run of every fuzz target.
# Installs whatever is missing first.
#
# Run with: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh

echo "== web app (build and component tests)"
scripts/web.sh --test
echo "== cargo fmt"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== SDKs (generated from the API's OpenAPI document, up to date)"
scripts/sdk.sh --check
echo "== cargo test"
cargo test --workspace --locked
echo "== fuzz"
scripts/fuzz.sh 15
