#!/usr/bin/env bash
# Real MCP clients not written here, against the real binary: the official MCP Python SDK
# (stdio and streamable HTTP) and langchain-mcp-adapters (tests in tests/clients/).
#
# Builds `toolwire`, starts the HTTPS Zendesk simulator (`toolwire sim --ca-out`), starts
# `toolwire serve` pointed at it, connects an account through the REST API, then runs pytest
# in a venv (.venv-clients, pinned versions from tests/clients/requirements.txt; needs PyPI), and
# the OAuth / elicitation / stateless-revision tests again with the 2.x SDK (.venv-clients-2).
# An HTTPS host (tests/clients/client_document_server.py) serves an MCP client's metadata document.
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
echo "--> an MCP client's metadata document on https://client.example (test CA)"
(
  cd "$TW_WORK"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout doc-ca.key -out doc-ca.pem -days 2 -subj "/CN=client document test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req "${ec[@]}" -keyout doc.key -out doc.csr -subj "/CN=client.example" 2>/dev/null
  printf 'subjectAltName=DNS:client.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > doc.ext
  openssl x509 -req -in doc.csr -CA doc-ca.pem -CAkey doc-ca.key -CAcreateserial -days 2 \
    -extfile doc.ext -out doc.pem 2>/dev/null
)
doc_port="$(tw_free_port)"
export TOOLWIRE_CLIENT_DOCUMENT_URL="https://client.example:$doc_port/mcp/client.json"
tw_spawn "$TW_WORK/doc.log" python3 tests/clients/client_document_server.py --port "$doc_port" \
  --cert "$TW_WORK/doc.pem" --key "$TW_WORK/doc.key" --client-id "$TOOLWIRE_CLIENT_DOCUMENT_URL" \
  --client-name "SDK metadata-document client" --redirect-uri "http://localhost:3030/callback"
tw_wait "the client document host" "$TW_LAST_PID" "$TW_WORK/doc.log" curl -fsS --cacert "$TW_WORK/doc-ca.pem" \
  --resolve "client.example:$doc_port:127.0.0.1" "$TOOLWIRE_CLIENT_DOCUMENT_URL"
# toolwire trusts both test CAs (one --extra-ca file) and routes client.example to the host.
cat "$TW_SIM_CA" "$TW_WORK/doc-ca.pem" > "$TW_WORK/test-cas.pem"

echo "--> toolwire serve"
TW_SIM_CA="$TW_WORK/test-cas.pem" tw_start_serve "$data" --resolve "client.example=127.0.0.1:$doc_port"

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
