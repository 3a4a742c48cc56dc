#!/usr/bin/env bash
# Regenerates the SDKs from the API's OpenAPI document:
#   sdk/openapi.json                 the document control serves (`vms openapi`)
#   sdk/typescript/src/schema.d.ts   TypeScript types (openapi-typescript)
#   sdk/python/                      the Python client (openapi-python-client)
# then type-checks and builds the TypeScript package (dist/, which the SDK
# tests use) and builds the Python one as pip would. With --check it leaves
# every committed file alone and fails when any differs from what it would
# write (the test command runs it so).
#
# Run with: scripts/sdk.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
check=false
[ "${1:-}" = "--check" ] && check=true

tools="${VMS_API_TOOLS:-$HOME/.cache/techno-vms/api-tools}/bin"
[ -x "$tools/openapi-python-client" ] || { echo "sdk: $tools is missing the API tools; run scripts/setup.sh" >&2; exit 1; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "sdk: the OpenAPI document"
cargo build --quiet --locked -p vms
"$CARGO_TARGET_DIR/debug/vms" openapi > "$scratch/openapi.json"
# The SDKs carry the API's version (docs/design/0006-api-versioning.md).
api_version="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).info.version' "$scratch/openapi.json")"
grep -q "^  \"version\": \"$api_version\",\$" sdk/typescript/package.json &&
  grep -q "^package_version_override: $api_version\$" sdk/python-generator.yaml || {
  echo "sdk: the API is version $api_version: set it in sdk/typescript/package.json and sdk/python-generator.yaml" >&2; exit 1; }

echo "sdk: TypeScript"
(
  cd sdk/typescript
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  fi
  npx --no-install openapi-typescript "$scratch/openapi.json" -o "$scratch/schema.d.ts" >/dev/null
)

echo "sdk: Python"
PATH="$tools:$PATH" "$tools/openapi-python-client" generate --path "$scratch/openapi.json" \
  --config sdk/python-generator.yaml --custom-template-path sdk/python-templates \
  --meta setup --output-path "$scratch/python" --fail-on-warning >/dev/null

differs=()
cmp -s "$scratch/openapi.json" sdk/openapi.json || differs+=(sdk/openapi.json)
cmp -s "$scratch/schema.d.ts" sdk/typescript/src/schema.d.ts || differs+=(sdk/typescript/src/schema.d.ts)
# Python leaves bytecode beside the sources it runs (ignored by git).
nocache=(-x __pycache__ -x '*.pyc')
diff -r -q "${nocache[@]}" "$scratch/python" sdk/python >/dev/null 2>&1 || differs+=(sdk/python)
if $check; then
  if [ ${#differs[@]} -gt 0 ]; then
    echo "sdk: out of date with the API: ${differs[*]}; run scripts/sdk.sh and commit the result" >&2
    diff -r -u "${nocache[@]}" sdk/python "$scratch/python" 2>/dev/null | head -40 >&2 || true
    exit 1
  fi
else
  cp "$scratch/openapi.json" sdk/openapi.json
  cp "$scratch/schema.d.ts" sdk/typescript/src/schema.d.ts
  rm -rf sdk/python
  cp -r "$scratch/python" sdk/python
  [ ${#differs[@]} -gt 0 ] && echo "sdk: updated ${differs[*]}"
fi

echo "sdk: checking the packages build"
(cd sdk/typescript && npx --no-install tsc -p tsconfig.json)
# From the scratch copy (identical to sdk/python by now): building leaves files behind.
"$tools/python" -m pip wheel --quiet --no-deps --no-build-isolation "$scratch/python" -w "$scratch/wheel"
echo "sdk: up to date"
