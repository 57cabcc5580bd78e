# Sourced by scripts/gen-clients.sh and scripts/test-clients.sh: the pinned tools of clients/,
# installed once and reused (needs PyPI / the npm registry the first time only).
#
#   tw_clients_python_venv   # $TW_CLIENTS_VENV: target/clients-venv with clients/python/requirements.txt
#   tw_clients_node_modules  # clients/typescript/node_modules from package-lock.json (npm ci)

tw_clients_python_venv() {
  TW_CLIENTS_VENV="$TW_ROOT/target/clients-venv"
  local stamp="$TW_CLIENTS_VENV/.requirements"
  if [ ! -x "$TW_CLIENTS_VENV/bin/python" ]; then
    python3 -m venv "$TW_CLIENTS_VENV"
  fi
  if ! cmp -s "$TW_ROOT/clients/python/requirements.txt" "$stamp"; then
    echo "--> Python tools for clients/ (target/clients-venv)"
    "$TW_CLIENTS_VENV/bin/pip" install -q --disable-pip-version-check -r "$TW_ROOT/clients/python/requirements.txt"
    cp "$TW_ROOT/clients/python/requirements.txt" "$stamp"
  fi
}

tw_clients_node_modules() {
  local dir="$TW_ROOT/clients/typescript"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.installed"; then
    echo "--> npm ci (clients/typescript)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
    cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.installed"
  fi
}
