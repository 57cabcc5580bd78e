#!/usr/bin/env bash
# Server load: REST `POST /v1/execute_tool` (zendesk_ticket_get) at 64 connections from a second
# process (wrk), spread over IDENTIFIERS connected accounts on TENANTS simulator tenants.
# Release build; `toolwire sim` (HTTPS, rate limit off) and `toolwire serve` (SQLite data dir in
# a temp dir) on loopback; wrk, the server and the sim share this machine's cores.
#
#   benches/server_load.sh                       # defaults below
#   CONNECTIONS=64 PHASES=3 PHASE_SECS=10 IDENTIFIERS=1000 TENANTS=50 WRK_THREADS=2 benches/server_load.sh
#   TW_SIM_PATH='/api/v2/tickets/1.json' benches/server_load.sh   # floor: the bare ticket (before)
#
# Side by side: rounds alternate wrk straight to the sim (by default the very request the tool
# sends, `GET /api/v2/tickets/1.json?include=users,groups,organizations`, same connections: the
# floor on this box) and wrk to the server; medians over the rounds.
#
# Prints: accounts connected, server RSS before / after, wrk calls/s and latency percentiles,
# server and sim CPU per call, and the server's error counters. Needs wrk, curl, jq.
set -euo pipefail
source "$(dirname "$0")/server_common.sh"
need wrk wrk

CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-5}
IDENTIFIERS=${IDENTIFIERS:-1000}
TENANTS=${TENANTS:-50}
WRK_THREADS=${WRK_THREADS:-2}
PHASES=${PHASES:-3}
PHASE_SECS=${PHASE_SECS:-10}

build_release
start_sim
create_tenants "$TENANTS"
start_server "$WORK/data"
echo "server ready in ${SERVER_READY_MS} ms (empty data dir); RSS $(rss_kib "$SRV_PID") KiB"

connect_accounts "$IDENTIFIERS" "$TENANTS"

# One call by hand: the answer is the ticket.
srv_curl -d '{"identifier":"user_0000000","tool_name":"zendesk_ticket_get","tool_input":{"ticket_id":1}}' \
  "$(srv_url /v1/execute_tool)" | jq -e '.data.ticket.id == 1' >/dev/null

export TW_IDENTIFIERS=$IDENTIFIERS
# The floor: the same 64 connections straight to the sim (acme's admin, ticket 1).
TW_SIM_AUTH="$(awk '$1 == "admin" && $2 ~ /@acme\./ {print $2 "/token:" $4; exit}' "$WORK/sim.log")"
export TW_SIM_AUTH
curl -sf --cacert "$WORK/ca.pem" --resolve "acme.zendesk.com:$SIM_PORT:127.0.0.1" -u "$TW_SIM_AUTH" \
  "https://acme.zendesk.com:$SIM_PORT/api/v2/tickets/1.json" | jq -e '.ticket.id == 1' >/dev/null

# run_wrk KIND SECONDS -> the WRK line; KIND server|sim
run_wrk() {
  if [ "$1" = server ]; then
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2s" -s "$ROOT/benches/wrk/execute_tool.lua" "$(srv_url /)"
  else
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2s" -s "$ROOT/benches/wrk/sim_ticket.lua" \
      "https://127.0.0.1:$SIM_PORT/"
  fi | grep '^WRK'
}
field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }

rss_before=$(rss_kib "$SRV_PID")
echo "server RSS before load: $rss_before KiB"
echo "warm-up server: $(run_wrk server "$WARMUP" | cut -c5-)"
echo "warm-up sim:    $(run_wrk sim "$WARMUP" | cut -c5-)"
rss_warm=$(rss_kib "$SRV_PID")

# PHASES rounds of (sim floor, server), PHASE_SECS each; figures are medians over rounds.
: >"$WORK/server.lines"
: >"$WORK/sim.lines"
rss_samples=""
for r in $(seq "$PHASES"); do
  l=$(run_wrk sim "$PHASE_SECS")
  echo "round $r sim:    ${l#WRK }"
  echo "$l" >>"$WORK/sim.lines"
  s0=$(cpu_ticks "$SRV_PID"); m0=$(cpu_ticks "$SIM_PID")
  l=$(run_wrk server "$PHASE_SECS")
  s1=$(cpu_ticks "$SRV_PID"); m1=$(cpu_ticks "$SIM_PID")
  echo "round $r server: ${l#WRK }"
  echo "$l srv_ticks=$((s1 - s0)) sim_ticks=$((m1 - m0))" >>"$WORK/server.lines"
  rss_samples="$rss_samples $(rss_kib "$SRV_PID")"
done
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
med() { while read -r l; do field "$2" "$l"; done <"$WORK/$1.lines" | median; }
srv_rps=$(med server rps); sim_rps=$(med sim rps)
non2xx=$(while read -r l; do field non2xx "$l"; done <"$WORK/server.lines" | paste -sd+ | bc)
sockerr=$(while read -r l; do field socket_errors "$l"; done <"$WORK/server.lines" | paste -sd+ | bc)
cpu=$(awk '{for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] += kv[2]}}
  END {printf "server %.1f µs, sim %.1f µs", v["srv_ticks"] * 10000 / v["requests"], v["sim_ticks"] * 10000 / v["requests"]}' \
  "$WORK/server.lines")
echo
echo "== $CONNECTIONS connections, $IDENTIFIERS identifiers / $TENANTS tenants, $PHASES x ${PHASE_SECS}s per side (medians) =="
echo "REST execute_tool: $srv_rps calls/s, p50 $(med server p50_us) µs, p99 $(med server p99_us) µs"
echo "sim alone (floor): $sim_rps req/s,  p50 $(med sim p50_us) µs, p99 $(med sim p99_us) µs (GET ${TW_SIM_PATH:-/api/v2/tickets/1.json?include=users,groups,organizations})"
awk -v a="$srv_rps" -v b="$sim_rps" 'BEGIN {printf "throughput ratio server / sim alone: %.2f\n", a / b}'
echo "CPU per call while the server is loaded: $cpu (process CPU time / calls)"
echo "non-2xx responses: $non2xx, socket errors: $sockerr"
echo "server RSS (KiB): before load $rss_before, after warm-up $rss_warm, after each round:$rss_samples, peak $(hwm_kib "$SRV_PID")"
sleep "${SETTLE:-5}"
echo "server RSS ${SETTLE:-5} s after the load: $(rss_kib "$SRV_PID") KiB ($(rss_detail "$SRV_PID"))"
calls=$(srv_curl "$(srv_url /metrics)" | awk '/^toolwire_tool_calls_total\{/ {s += $2} END {print s}')
rows=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from executions").fetchone()[0])' "$WORK/data/toolwire.db" 2>/dev/null || echo "?")
echo "audit: $calls calls counted by the server, $rows execution rows in the store"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
