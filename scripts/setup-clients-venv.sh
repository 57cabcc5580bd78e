#!/usr/bin/env bash
# The Python venv (.venv-clients) shared by tests/clients and examples/python-agent, with the
# pinned versions of tests/clients/requirements.txt (needs PyPI the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "--> Python venv (.venv-clients) with pinned MCP clients"
if [ ! -x .venv-clients/bin/python ]; then
  python3 -m venv .venv-clients
fi
.venv-clients/bin/pip install -q --disable-pip-version-check -r tests/clients/requirements.txt

echo "--> Python venv (.venv-clients-2) with the current 2.x MCP SDK"
if [ ! -x .venv-clients-2/bin/python ]; then
  python3 -m venv .venv-clients-2
fi
.venv-clients-2/bin/pip install -q --disable-pip-version-check -r tests/clients/requirements-2.txt
