#!/usr/bin/env bash
# Runs the node-zendesk client (sim/tests/node/run.mjs) against the toolwire Zendesk simulator.
# Needs node + npm (registry access for `npm install`). Exits non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${SIM_PORT:-18089}"
cd "$root"
cargo build -q -p toolwire-sim --example sim
(cd sim/tests/node && npm install --no-audit --no-fund --silent)
cargo run -q -p toolwire-sim --example sim -- --http --local-links --addr "127.0.0.1:$port" >/tmp/toolwire-sim-node.log 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/__sim/tenants" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
SIM_URL="http://127.0.0.1:$port" node sim/tests/node/run.mjs
