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
  # npm ci insists on every platform's optional packages (rollup's native
  # builds) being in the lockfile; where the registry lacks some of them it
  # refuses, and npm install, which takes the locked versions and skips
  # optional packages it cannot fetch, does the job.
  if ! npm ci --no-audit --no-fund 2>/tmp/vms-npm-ci.log; then
    echo "web: npm ci refused the lockfile ($(grep -m1 -o 'Missing: [^ ]*' /tmp/vms-npm-ci.log || echo 'see /tmp/vms-npm-ci.log')); using npm install"
    npm install --no-audit --no-fund
  fi
fi
npm run build
if [ "${1:-}" = "--test" ]; then
  npm test
fi
