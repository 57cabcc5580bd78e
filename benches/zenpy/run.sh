#!/usr/bin/env bash
# toolwire vs zenpy (the Python client people use instead), same simulator, same calls:
# get ticket, search (`status:open`, one page), add internal note — one call at a time.
#
#   benches/zenpy/run.sh                 # CALLS=2000 ROUNDS=2
#   PEER_ARGS="--audit off" benches/zenpy/run.sh   # toolwire in-process without the audit log
#
# - sim: `toolwire sim` (release, HTTPS, rate limit off) in its own process;
# - zenpy 2.0.57 (benches/zenpy/.venv, pinned in requirements.txt): `domain="zendesk.com:PORT"`
#   puts the port in zenpy's URL template, `*.zendesk.com` resolves to 127.0.0.1 inside the
#   Python process (getaddrinfo override in bench.py; no /etc/hosts change), TLS checked
#   against the sim's CA via REQUESTS_CA_BUNDLE;
# - toolwire in-process: `--bin peer_calls` (dynamic execute_tool, SQLite store, audit on), on
#   tokio's multi-thread runtime (`#[tokio::main]`, what most apps use) and on a current-thread
#   one ("ct"), each also timing the same GET built by hand with reqwest (the Rust floor);
# - toolwire REST: bench.py posting to `toolwire serve` (server CPU per call from /proc).
# Rounds alternate the three clients; the summary takes the median over rounds.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../server_common.sh"
CALLS=${CALLS:-2000}
ROUNDS=${ROUNDS:-2}
WARM=${WARM:-100}

if [ ! -x "$HERE/.venv/bin/python" ]; then
  python3 -m venv "$HERE/.venv"
fi
"$HERE/.venv/bin/pip" install -q -r "$HERE/requirements.txt"
PY="$HERE/.venv/bin/python"

build_release
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && cargo build --release -q -p toolwire-benches --bin peer_calls)
fi
start_sim
read -r EMAIL TOKEN < <(awk '$1 == "admin" && $2 ~ /@acme\./ {print $2, $4; exit}' "$WORK/sim.log")
export REQUESTS_CA_BUNDLE="$WORK/ca.pem"
start_server "$WORK/data"
srv_curl -o /dev/null -w '' -d "{\"connection_name\":\"zendesk\",\"identifier\":\"bench_user\",\"config\":{\"subdomain\":\"acme\"},\"credentials\":{\"email\":\"$EMAIL\",\"api_token\":\"$TOKEN\"}}" \
  "$(srv_url /v1/connected_accounts)"

run_client() { # CLIENT -> RESULT lines, then the sim's request count for the run
  sim_curl -X DELETE "https://admin.zendesk.com:$SIM_PORT/__sim/requests" >/dev/null
  case "$1" in
    zenpy) "$PY" "$HERE/bench.py" --client zenpy --sim-port "$SIM_PORT" --email "$EMAIL" --token "$TOKEN" --calls "$CALLS" --warmup "$WARM" ;;
    toolwire) "$ROOT/target/release/peer_calls" --sim "127.0.0.1:$SIM_PORT" --ca "$WORK/ca.pem" --email "$EMAIL" --token "$TOKEN" --calls "$CALLS" --warmup "$WARM" ${PEER_ARGS:-} ;;
    toolwire-ct) "$ROOT/target/release/peer_calls" --sim "127.0.0.1:$SIM_PORT" --ca "$WORK/ca.pem" --email "$EMAIL" --token "$TOKEN" --calls "$CALLS" --warmup "$WARM" --flavor current ${PEER_ARGS:-} | sed 's/client=toolwire/client=toolwire-ct/' ;;
    rest) "$PY" "$HERE/bench.py" --client rest --server "$(srv_url '')" --api-key "$TOOLWIRE_API_KEY" --server-pid "$SRV_PID" --calls "$CALLS" --warmup "$WARM" ;;
  esac
  n=$(sim_curl "https://admin.zendesk.com:$SIM_PORT/__sim/requests" | jq 'length')
  per=3; case "$1" in toolwire*) per=4 ;; esac # + the hand-built floor GET
  echo "SIMREQ client=$1 requests=$n calls=$((per * (CALLS + WARM)))"
}

: >"$WORK/results.txt"
for r in $(seq "$ROUNDS"); do
  for c in zenpy toolwire toolwire-ct rest; do
    run_client "$c" | tee -a "$WORK/results.txt"
  done
done

echo
echo "== $CALLS calls per operation, sequential, medians over $ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg) =="
"$PY" - "$WORK/results.txt" <<'PYEOF'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("RESULT")]
req = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("SIMREQ")]
def med(client, op, key):
    return statistics.median(float(r[key]) for r in rows if r["client"] == client and r["op"] == op)
print(f"{'operation':<11} {'client':<18} {'calls/s':>8} {'CPU µs/call':>12} {'p50 µs':>8} {'p99 µs':>8}")
for op in ["get_ticket", "search", "add_note"]:
    for client, name in [("zenpy", "zenpy"), ("toolwire", "toolwire in-proc"), ("toolwire-ct", "toolwire in-proc ct"), ("rest", "toolwire REST*")]:
        print(f"{op:<11} {name:<18} {med(client, op, 'calls_per_s'):>8.0f} {med(client, op, 'cpu_us_per_call'):>12.1f} "
              f"{med(client, op, 'p50_us'):>8.0f} {med(client, op, 'p99_us'):>8.0f}")
    z, t, ct = (med(c, op, "cpu_us_per_call") for c in ("zenpy", "toolwire", "toolwire-ct"))
    print(f"{op:<11} CPU per call zenpy / toolwire in-process = {z / t:.1f}x multi-thread runtime, "
          f"{z / ct:.1f}x current-thread (target >= 10x)")
for client, name in [("toolwire", "multi-thread"), ("toolwire-ct", "current-thread")]:
    f = med(client, "get_ticket_floor", "cpu_us_per_call")
    print(f"floor (reqwest by hand, {name}): get_ticket {f:.1f} CPU µs/call, {med(client, 'get_ticket_floor', 'calls_per_s'):.0f} calls/s; "
          f"zenpy / floor = {med('zenpy', 'get_ticket', 'cpu_us_per_call') / f:.1f}x")
for c in ["zenpy", "toolwire", "toolwire-ct", "rest"]:
    rs = [r for r in req if r["client"] == c]
    print(f"sim requests per call, {c}: {statistics.median(int(r['requests']) / int(r['calls']) for r in rs):.3f}")
print("* REST: CPU is the server process's, per call (the Python client's is not counted)")
PYEOF
