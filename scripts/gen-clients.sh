#!/usr/bin/env bash
# Regenerates the Python and TypeScript clients from the server's OpenAPI document — the ONE
# command to run after changing a REST route or body:
#
#   scripts/gen-clients.sh            # writes clients/openapi.json, clients/python/src/toolwire_client/_api/,
#                                     # clients/typescript/src/generated/schema.ts
#   scripts/gen-clients.sh --out DIR  # writes the same three under DIR instead (scripts/test-clients.sh
#                                     # diffs them against the committed ones)
#
# The document comes from `toolwire openapi` (what `GET /openapi.json` serves; no server runs).
# Generators, pinned: openapi-python-client (+ ruff, its formatter) from clients/python/requirements.txt
# in target/clients-venv; openapi-typescript from clients/typescript/package-lock.json (npm ci).
# Why these: both are maintained, take OpenAPI 3.1 as utoipa writes it (type arrays, nullable
# refs), need no JVM (unlike openapi-generator) and write deterministic, typed code.
# openapi-python-client makes attrs models and httpx calls with a typed `Response` per operation;
# openapi-typescript makes types only (`paths`, `components`) and openapi-fetch is a ~6 kB typed
# fetch wrapper over them, so the TypeScript package has one small runtime dependency.
set -euo pipefail
source "$(dirname "$0")/lib/processes.sh"
source "$(dirname "$0")/lib/clients.sh"
tw_init

out=""
if [ "${1:-}" = "--out" ]; then out="$2"; fi

tw_build_bin
tw_clients_python_venv
tw_clients_node_modules

gen="$TW_WORK/gen"
mkdir -p "$gen"
echo "--> clients/openapi.json (toolwire openapi)"
"$TW_BIN" openapi > "$gen/openapi.json"

echo "--> Python: openapi-python-client"
# Generated in a scratch dir, then copied, so ruff sees the same (default) settings either way.
(cd "$gen" && RUFF_NO_CACHE=true PATH="$TW_CLIENTS_VENV/bin:$PATH" "$TW_CLIENTS_VENV/bin/openapi-python-client" generate \
  --path openapi.json --meta none --output-path _api \
  --config "$TW_ROOT/clients/python/openapi-python-client.yaml" >/dev/null)

echo "--> TypeScript: openapi-typescript"
(cd clients/typescript && node_modules/.bin/openapi-typescript "$gen/openapi.json" \
  -o "$gen/schema.ts" >/dev/null 2>&1)

if [ -n "$out" ]; then
  mkdir -p "$out/python" "$out/typescript"
  dest_json="$out/openapi.json" dest_py="$out/python/_api" dest_ts="$out/typescript/schema.ts"
else
  dest_json="clients/openapi.json" dest_py="clients/python/src/toolwire_client/_api"
  dest_ts="clients/typescript/src/generated/schema.ts"
fi
mkdir -p "$(dirname "$dest_ts")"
cp "$gen/openapi.json" "$dest_json"
rm -rf "$dest_py" && cp -R "$gen/_api" "$dest_py"
find "$dest_py" -name __pycache__ -prune -exec rm -rf {} +
cp "$gen/schema.ts" "$dest_ts"
echo "--> wrote $dest_json, $dest_py/, $dest_ts"
