#!/usr/bin/env bash
# Real MCP clients not written here, against the real binary: the official MCP Python SDK
# (stdio and streamable HTTP) and langchain-mcp-adapters (tests in tests/clients/).
#
# Builds `toolwire`, starts the HTTPS Zendesk simulator (`toolwire sim --ca-out`), starts
# `toolwire serve` pointed at it, connects an account through the REST API, then runs pytest
# in a venv (.venv-clients, pinned versions from tests/clients/requirements.txt; needs PyPI).
# Exits non-zero on any failure. Ports: TOOLWIRE_CLIENTS_SIM_PORT / _SERVE_PORT (default: free).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim_port="${TOOLWIRE_CLIENTS_SIM_PORT:-$(free_port)}"
serve_port="${TOOLWIRE_CLIENTS_SERVE_PORT:-$(free_port)}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "--> Python venv (.venv-clients) with pinned MCP clients"
if [ ! -x .venv-clients/bin/python ]; then
  python3 -m venv .venv-clients
fi
.venv-clients/bin/pip install -q --disable-pip-version-check -r tests/clients/requirements.txt

echo "--> building toolwire"
cargo build -q -p toolwire-server --bin toolwire
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug/toolwire"

echo "--> simulator (HTTPS) on 127.0.0.1:$sim_port"
"$bin" sim --addr "127.0.0.1:$sim_port" --ca-out "$work/sim-ca.pem" >"$work/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/sim-ca.pem" ] && break; sleep 0.1; done
[ -s "$work/sim-ca.pem" ] || { cat "$work/sim.log"; echo "simulator did not start"; exit 1; }

export TOOLWIRE_API_KEY="tw_clients_$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export TOOLWIRE_MASTER_KEY="$("$bin" keys generate 2>/dev/null | tail -n1)"
data="$work/data"
echo "--> toolwire serve on 127.0.0.1:$serve_port"
"$bin" serve --addr "127.0.0.1:$serve_port" --data-dir "$data" \
  --extra-ca "$work/sim-ca.pem" --resolve "zendesk.com=127.0.0.1:$sim_port" >"$work/serve.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$serve_port"
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/readyz" >/dev/null || { cat "$work/serve.log"; echo "server did not start"; exit 1; }

echo "--> connecting identifier user_zd_clients (acme) through the REST API"
creds="$(curl -fsS --cacert "$work/sim-ca.pem" --resolve "acme.zendesk.com:$sim_port:127.0.0.1" \
  "https://acme.zendesk.com:$sim_port/__sim/tenants" | python3 -c '
import json, sys
t = next(t for t in json.load(sys.stdin) if t["subdomain"] == "acme")
a = next(a for a in t["agents"] if a["role"] == "agent")
print(json.dumps({"email": a["email"], "api_token": a["api_token"]}))')"
status="$(curl -fsS -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H 'Content-Type: application/json' \
  -d "{\"connection_name\":\"zendesk\",\"identifier\":\"user_zd_clients\",\"config\":{\"subdomain\":\"acme\"},\"credentials\":$creds}" \
  "$base/v1/connected_accounts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
[ "$status" = ACTIVE ] || { echo "account is $status, not ACTIVE"; exit 1; }

echo "--> pytest tests/clients"
set +e
TOOLWIRE_BIN="$bin" TOOLWIRE_URL="$base" TOOLWIRE_IDENTIFIER=user_zd_clients \
TOOLWIRE_DATA_DIR="$data" TOOLWIRE_SIM_CA="$work/sim-ca.pem" TOOLWIRE_SIM_ADDR="127.0.0.1:$sim_port" \
  .venv-clients/bin/python -m pytest -q -p no:cacheprovider tests/clients
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "--- serve log (tail) ---"; tail -n 40 "$work/serve.log"
fi
exit "$rc"
