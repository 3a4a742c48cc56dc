#!/usr/bin/env bash
# Builds the web app into web/dist (served by the control plane): installs its
# npm dependencies exactly as locked when they changed, type-checks, bundles.
# With --test it also runs the component tests (Vitest).
#
# Run with: scripts/web.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "web: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
npm run build
if [ "${1:-}" = "--test" ]; then
  npm test
fi
