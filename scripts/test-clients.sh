#!/usr/bin/env bash
# The generated Python and TypeScript clients (clients/): fresh, built, and working against a
# real `toolwire serve` and the HTTPS Zendesk simulator.
#
# 1. staleness: regenerates everything into a temp dir (scripts/gen-clients.sh --out) and diffs
#    it against the committed clients/openapi.json, clients/python/src/toolwire_client/_api/ and
#    clients/typescript/src/generated/schema.ts; any difference fails with the command to fix it;
# 2. builds: the Python wheel (hatchling) installed into target/clients-venv, `tsc` for TypeScript;
# 3. starts the simulator and `toolwire serve`, connects identifiers through the REST API, revokes
#    one of them at the simulator (token rotated) and rate-limits another's tenant, then runs pytest (clients/python/tests, which
#    also runs the README's quickstart) and node --test (clients/typescript/test).
# Needs PyPI and the npm registry the first time only (pinned, cached). Processes: scripts/lib/processes.sh.
set -euo pipefail
source "$(dirname "$0")/lib/processes.sh"
source "$(dirname "$0")/lib/clients.sh"
tw_init

tw_build_bin
tw_clients_python_venv
tw_clients_node_modules

echo "--> generated code is fresh (scripts/gen-clients.sh --out)"
fresh="$TW_WORK/fresh"
scripts/gen-clients.sh --out "$fresh" >/dev/null
stale=0
diff -u clients/openapi.json "$fresh/openapi.json" >"$TW_WORK/stale.diff" || stale=1
diff -ru clients/python/src/toolwire_client/_api "$fresh/python/_api" -x __pycache__ >>"$TW_WORK/stale.diff" || stale=1
diff -u clients/typescript/src/generated/schema.ts "$fresh/typescript/schema.ts" >>"$TW_WORK/stale.diff" || stale=1
if [ "$stale" -ne 0 ]; then
  head -n 60 "$TW_WORK/stale.diff"
  echo "FAILED: the committed clients are stale (the server's OpenAPI document changed)."
  echo "Fix: scripts/gen-clients.sh   then commit clients/"
  exit 1
fi

echo "--> Python: ruff (the hand-written layer, tests, examples)"
(cd clients/python && "$TW_CLIENTS_VENV/bin/ruff" check -q src tests examples \
  && "$TW_CLIENTS_VENV/bin/ruff" format -q --check src tests examples)

echo "--> Python: build and install the package"
"$TW_CLIENTS_VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps \
  --force-reinstall "clients/python[langchain]"

echo "--> TypeScript: tsc"
(cd clients/typescript && rm -rf dist && node_modules/.bin/tsc -p tsconfig.json)

echo "--> simulator (HTTPS) and toolwire serve"
tw_start_sim
export TOOLWIRE_API_KEY="$(tw_random_key tw_clients_)"
export TOOLWIRE_MASTER_KEY="$("$TW_BIN" keys generate 2>/dev/null | tail -n1)"
tw_start_serve "$TW_WORK/data"

echo "--> connecting identifiers (acme; globex, then its token rotated at the simulator)"
tw_connect user_py_agent acme
tw_connect user_ts_agent acme
tw_connect user_py_revoked globex
tw_connect user_ts_revoked globex
globex_email="$(tw_sim_creds globex | python3 -c 'import json,sys; print(json.load(sys.stdin)["email"])')"
curl -fsS -o /dev/null --cacert "$TW_SIM_CA" --resolve "globex.zendesk.com:$TW_SIM_PORT:127.0.0.1" \
  -H 'Content-Type: application/json' -d "{\"email\":\"$globex_email\"}" \
  "https://globex.zendesk.com:$TW_SIM_PORT/__sim/tenants/globex/tokens/rotate"

# A third tenant whose API answers 429 with Retry-After: 300 (beyond toolwire's retry cap).
sim_admin() {  # sim_admin PATH JSON: POST to the simulator's admin API
  curl -fsS -o /dev/null --cacert "$TW_SIM_CA" --resolve "acme.zendesk.com:$TW_SIM_PORT:127.0.0.1" \
    -H 'Content-Type: application/json' -d "$2" "https://acme.zendesk.com:$TW_SIM_PORT$1"
}
sim_admin /__sim/tenants '{"subdomain":"initech","users":[{"name":"Ann Agent","email":"ann@initech.test","role":"agent"}]}'
tw_connect user_py_limited initech
tw_connect user_ts_limited initech
sim_admin /__sim/faults '{"kind":"rate_limit","retry_after":300,"tenant":"initech"}'

rc=0
echo "--> pytest clients/python/tests"
TOOLWIRE_URL="$TW_URL" TOOLWIRE_IDENTIFIER=user_py_agent TOOLWIRE_REVOKED_IDENTIFIER=user_py_revoked \
TOOLWIRE_LIMITED_IDENTIFIER=user_py_limited \
TOOLWIRE_SIM_CREDS="$(tw_sim_creds acme)" \
  "$TW_CLIENTS_VENV/bin/python" -m pytest -q -p no:cacheprovider clients/python/tests || rc=1

echo "--> node --test clients/typescript/test"
(cd clients/typescript && TOOLWIRE_URL="$TW_URL" TOOLWIRE_IDENTIFIER=user_ts_agent \
  TOOLWIRE_REVOKED_IDENTIFIER=user_ts_revoked TOOLWIRE_LIMITED_IDENTIFIER=user_ts_limited node --test test/) || rc=1

if [ "$rc" -ne 0 ]; then
  echo "--- serve log (tail) ---"; tail -n 40 "$TW_WORK/serve.log"
fi
exit "$rc"
