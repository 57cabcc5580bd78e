# Sourced by scripts/test-*.sh: background processes (the simulator, `toolwire serve`, stand-ins)
# started in their own process group, waited for by polling a readiness check (never a fixed
# sleep), and stopped on exit. Needs bash, curl and python3.
#
#   source "$(dirname "$0")/lib/processes.sh"
#   tw_init                      # cd to the repo root; $TW_ROOT, $TW_WORK (removed on exit)
#   tw_build_bin                 # $TW_BIN: target/debug/toolwire, built as `cargo run --bin toolwire` builds it
#   tw_start_sim                 # $TW_SIM_PORT, $TW_SIM_CA, $TW_SIM_ADDR (the HTTPS simulator)
#   tw_start_serve DIR [FLAGS]   # $TW_URL; needs TOOLWIRE_API_KEY exported
#   tw_connect ID SUB            # connects identifier ID to sim tenant SUB through REST

TW_PIDS=()

tw_init() {
  TW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$TW_ROOT"
  TW_WORK="$(mktemp -d)"
  trap tw_cleanup EXIT
}

# Stops every process group started by tw_spawn (by its id), then removes the work dir.
tw_cleanup() {
  local rc=$?
  for p in "${TW_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${TW_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TW_WORK"
  return "$rc"
}

tw_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# tw_spawn LOG COMMAND...: runs COMMAND in the background in a new process group (so `cargo run`
# and what it starts stop together); its id is $TW_LAST_PID.
tw_spawn() {
  local log="$1"; shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  TW_LAST_PID=$!
  TW_PIDS+=("$TW_LAST_PID")
}

# tw_stop PID: stops one process group started by tw_spawn and waits for it.
tw_stop() {
  kill -TERM -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# tw_wait WHAT PID LOG CHECK...: polls CHECK (every 0.1 s, up to TW_WAIT_S, default 120 s)
# until it succeeds; fails at once, showing LOG, if process PID exits first.
tw_wait() {
  local what="$1" pid="$2" log="$3"; shift 3
  local deadline=$((SECONDS + ${TW_WAIT_S:-120}))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- $log ---"; tail -n 40 "$log"; echo "$what exited before it was ready"; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "--- $log ---"; tail -n 40 "$log"; echo "$what not ready in ${TW_WAIT_S:-120} s"; return 1
    fi
    sleep 0.1
  done
}

tw_build_bin() {
  cargo build -q --bin toolwire
  local target_dir
  target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
  TW_BIN="$target_dir/debug/toolwire"
}

# The simulator answers its admin API through the name and CA a client would use.
tw_sim_ready() {
  curl -fsS --cacert "$TW_SIM_CA" --resolve "acme.zendesk.com:$TW_SIM_PORT:127.0.0.1" \
    "https://acme.zendesk.com:$TW_SIM_PORT/__sim/tenants" >/dev/null
}

# tw_start_sim [SIM FLAGS]: `toolwire sim` on a free port, its CA in the work dir.
tw_start_sim() {
  TW_SIM_PORT="$(tw_free_port)"
  TW_SIM_ADDR="127.0.0.1:$TW_SIM_PORT"
  TW_SIM_CA="$TW_WORK/sim-ca.pem"
  tw_spawn "$TW_WORK/sim.log" "$TW_BIN" sim --addr "$TW_SIM_ADDR" --ca-out "$TW_SIM_CA" "$@"
  tw_wait "the simulator" "$TW_LAST_PID" "$TW_WORK/sim.log" tw_sim_ready
}

# tw_sim_creds SUB: {"email", "api_token"} of the sim tenant's first agent (JSON).
tw_sim_creds() {
  curl -fsS --cacert "$TW_SIM_CA" --resolve "$1.zendesk.com:$TW_SIM_PORT:127.0.0.1" \
    "https://$1.zendesk.com:$TW_SIM_PORT/__sim/tenants" | python3 -c '
import json, sys
t = next(t for t in json.load(sys.stdin) if t["subdomain"] == sys.argv[1])
a = next(a for a in t["agents"] if a["role"] == "agent")
print(json.dumps({"email": a["email"], "api_token": a["api_token"]}))' "$1"
}

# tw_start_serve DATA_DIR [SERVE FLAGS]: `toolwire serve` on a free port against the simulator.
tw_start_serve() {
  local data="$1"; shift
  TW_SERVE_PORT="$(tw_free_port)"
  TW_URL="http://127.0.0.1:$TW_SERVE_PORT"
  tw_spawn "$TW_WORK/serve.log" "$TW_BIN" serve --addr "127.0.0.1:$TW_SERVE_PORT" --data-dir "$data" \
    --extra-ca "$TW_SIM_CA" --resolve "zendesk.com=$TW_SIM_ADDR" "$@"
  TW_SERVE_PID="$TW_LAST_PID"
  tw_wait "toolwire serve" "$TW_SERVE_PID" "$TW_WORK/serve.log" curl -fsS "$TW_URL/readyz"
}

# tw_connect IDENTIFIER SUB: connects the sim tenant's agent through the REST API; fails unless ACTIVE.
tw_connect() {
  local creds status
  creds="$(tw_sim_creds "$2")"
  status="$(curl -fsS -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H 'Content-Type: application/json' \
    -d "{\"connection_name\":\"zendesk\",\"identifier\":\"$1\",\"config\":{\"subdomain\":\"$2\"},\"credentials\":$creds}" \
    "$TW_URL/v1/connected_accounts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  [ "$status" = ACTIVE ] || { echo "account $1 is $status, not ACTIVE"; return 1; }
}

# tw_random_key PREFIX: a fresh random API key.
tw_random_key() {
  echo "$1$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
}
