#!/usr/bin/env bash
# Real MCP clients not written here, against the real binary: the official MCP Python SDK
# (stdio and streamable HTTP) and langchain-mcp-adapters (tests in tests/clients/).
#
# Builds `toolwire`, starts the HTTPS Zendesk simulator (`toolwire sim --ca-out`), starts
# `toolwire serve` pointed at it, connects an account through the REST API, then runs pytest
# in a venv (.venv-clients, pinned versions from tests/clients/requirements.txt; needs PyPI).
# Exits non-zero on any failure. Processes: scripts/lib/processes.sh.
set -euo pipefail
source "$(dirname "$0")/lib/processes.sh"
tw_init

scripts/setup-clients-venv.sh

echo "--> building toolwire"
tw_build_bin

echo "--> simulator (HTTPS)"
tw_start_sim

export TOOLWIRE_API_KEY="$(tw_random_key tw_clients_)"
export TOOLWIRE_MASTER_KEY="$("$TW_BIN" keys generate 2>/dev/null | tail -n1)"
data="$TW_WORK/data"
# OAuth for MCP clients (tests/clients/test_oauth.py plays the host app behind this login URL).
export TOOLWIRE_MCP_LOGIN_URL="https://login.example/signin"
export TOOLWIRE_MCP_LOGIN_SECRET="$(tw_random_key login_secret_)"
echo "--> toolwire serve"
tw_start_serve "$data"

echo "--> connecting identifier user_zd_clients (acme) through the REST API"
tw_connect user_zd_clients acme

echo "--> pytest tests/clients"
set +e
TOOLWIRE_BIN="$TW_BIN" TOOLWIRE_URL="$TW_URL" TOOLWIRE_IDENTIFIER=user_zd_clients \
TOOLWIRE_DATA_DIR="$data" TOOLWIRE_SIM_CA="$TW_SIM_CA" TOOLWIRE_SIM_ADDR="$TW_SIM_ADDR" \
  .venv-clients/bin/python -m pytest -q -p no:cacheprovider tests/clients
rc=$?
echo "--> pytest tests/clients/test_{oauth,elicitation,stateless}.py with the 2.x SDK"
TOOLWIRE_BIN="$TW_BIN" TOOLWIRE_URL="$TW_URL" TOOLWIRE_IDENTIFIER=user_zd_clients \
TOOLWIRE_DATA_DIR="$data" TOOLWIRE_SIM_CA="$TW_SIM_CA" TOOLWIRE_SIM_ADDR="$TW_SIM_ADDR" \
  .venv-clients-2/bin/python -m pytest -q -p no:cacheprovider tests/clients/test_oauth.py \
  tests/clients/test_elicitation.py tests/clients/test_stateless.py || rc=1
set -e
if [ "$rc" -ne 0 ]; then
  echo "--- serve log (tail) ---"; tail -n 40 "$TW_WORK/serve.log"
fi
exit "$rc"
