#!/usr/bin/env bash
# Builds and runs the three examples in examples/ and checks their output:
#   connector-yaml  a YAML-only connector through the CLI against an HTTPS stand-in (its run.sh)
#   rust-app        the typed tools of the facade crate against the simulator
#   python-agent    LangChain over MCP against `toolwire serve` (venv of tests/clients)
# Processes: scripts/lib/processes.sh. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/lib/processes.sh"
tw_init

expect() { # expect WHAT TEXT PATTERN: TEXT matches the bash regex PATTERN
  [[ "$2" =~ $3 ]] || { echo "FAILED: $1: no match for /$3/ in:"; echo "$2"; exit 1; }
}

echo "==> examples/connector-yaml"
out="$(examples/connector-yaml/run.sh)"
echo "$out"
expect connector-yaml "$out" "alice: ACTIVE"
expect connector-yaml "$out" "search 'printer': Call the printer vendor"

tw_build_bin
echo "==> simulator (HTTPS) for the next two"
tw_start_sim
creds="$(tw_sim_creds acme)"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$creds" "$1"; }

echo "==> examples/rust-app"
out="$(ZENDESK_SUBDOMAIN=acme ZENDESK_EMAIL="$(field email)" ZENDESK_API_TOKEN="$(field api_token)" \
  TOOLWIRE_MASTER_KEY='' cargo run -q -p toolwire-example-rust-app -- --data-dir "$TW_WORK/rust-app" \
  --extra-ca "$TW_SIM_CA" --resolve "zendesk.com=$TW_SIM_ADDR")"
echo "$out"
expect rust-app "$out" "connected user_zd_123: ACTIVE"
expect rust-app "$out" "ticket #[0-9]+ subject: Printer on fire \(status New, priority Some\(Urgent\)\)"
expect rust-app "$out" "refused bad input: INVALID_INPUT"

echo "==> examples/python-agent"
scripts/setup-clients-venv.sh
export TOOLWIRE_API_KEY="$(tw_random_key tw_examples_)"
export TOOLWIRE_MASTER_KEY="$("$TW_BIN" keys generate 2>/dev/null | tail -n1)"
tw_start_serve "$TW_WORK/serve-data"
tw_connect user_zd_agent acme
# What the search returns when asked directly: the agent's answer must name its first ticket.
subject="$(curl -fsS -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H 'Content-Type: application/json' \
  -d '{"identifier": "user_zd_agent", "tool_name": "zendesk_search_tickets", "tool_input":
       {"query": "status:open priority:urgent", "sort_by": "created_at", "sort_order": "asc"}}' \
  "$TW_URL/v1/execute_tool" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["results"][0]["subject"])')"
out="$(TOOLWIRE_URL="$TW_URL" TOOLWIRE_IDENTIFIER=user_zd_agent \
  .venv-clients/bin/python examples/python-agent/agent.py "Which urgent tickets are open?")"
echo "$out"
expect python-agent "$out" "assistant -> zendesk_search_tickets "
expect python-agent "$out" "assistant: [0-9]+ urgent tickets are open\. The oldest is #[0-9]+ \"$(printf '%s' "$subject" | sed 's/[][\.*^$?+(){}|/]/\\&/g')\""
echo "==> examples: ok"
