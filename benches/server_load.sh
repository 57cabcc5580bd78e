#!/usr/bin/env bash
# Server load: REST `POST /v1/execute_tool` (zendesk_ticket_get) at 64 connections from a second
# process (wrk), spread over IDENTIFIERS connected accounts on TENANTS simulator tenants.
# Release build; `toolwire sim` (HTTPS, rate limit off) and `toolwire serve` (SQLite data dir in
# a temp dir) on loopback; wrk, the server and the sim share this machine's cores.
#
#   benches/server_load.sh                       # defaults below
#   CONNECTIONS=64 DURATION=20 IDENTIFIERS=1000 TENANTS=50 WRK_THREADS=2 benches/server_load.sh
#
# Prints: accounts connected, server RSS before / after, wrk calls/s and latency percentiles,
# server and sim CPU per call, and the server's error counters. Needs wrk, curl, jq.
set -euo pipefail
source "$(dirname "$0")/server_common.sh"
need wrk wrk

CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
IDENTIFIERS=${IDENTIFIERS:-1000}
TENANTS=${TENANTS:-50}
WRK_THREADS=${WRK_THREADS:-2}

build_release
start_sim
create_tenants "$TENANTS"
start_server "$WORK/data"
echo "server ready in ${SERVER_READY_MS} ms (empty data dir); RSS $(rss_kib "$SRV_PID") KiB"

# Connect IDENTIFIERS accounts through REST (credentials verified live against the sim).
t0=$(now_ns)
mapfile -t TEN <"$WORK/tenants.txt"
for i in $(seq 0 $((IDENTIFIERS - 1))); do
  read -r sub email token <<<"${TEN[$((i % TENANTS))]}"
  printf '{"connection_name":"zendesk","identifier":"user_%07d","config":{"subdomain":"%s"},"credentials":{"email":"%s","api_token":"%s"}}\n' \
    "$i" "$sub" "$email" "$token"
done >"$WORK/accounts.jsonl"
# shellcheck disable=SC2016
xargs -P 8 -d '\n' -n 1 sh -c 'curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H "content-type: application/json" -d "$1" "$0"' \
  "$(srv_url /v1/connected_accounts)" <"$WORK/accounts.jsonl" >"$WORK/connect.codes"
ok=$(grep -c '^200$' "$WORK/connect.codes" || true)
echo "connected $ok/$IDENTIFIERS accounts over $TENANTS tenants in $((($(now_ns) - t0) / 1000000)) ms"
[ "$ok" = "$IDENTIFIERS" ] || { sort "$WORK/connect.codes" | uniq -c >&2; exit 1; }

# One call by hand: the answer is the ticket.
srv_curl -d '{"identifier":"user_0000000","tool_name":"zendesk_ticket_get","tool_input":{"ticket_id":1}}' \
  "$(srv_url /v1/execute_tool)" | jq -e '.data.ticket.id == 1' >/dev/null

export TW_IDENTIFIERS=$IDENTIFIERS
rss_before=$(rss_kib "$SRV_PID")
echo "server RSS before load: $rss_before KiB"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/benches/wrk/execute_tool.lua" \
  "$(srv_url /)" | grep '^WRK' | sed 's/^WRK/warm-up:/'
rss_warm=$(rss_kib "$SRV_PID")
srv_cpu0=$(cpu_ticks "$SRV_PID")
sim_cpu0=$(cpu_ticks "$SIM_PID")
# RSS every RSS_EVERY seconds while loaded.
(while sleep "${RSS_EVERY:-5}"; do printf '%s ' "$(rss_kib "$SRV_PID")"; done) >"$WORK/rss.txt" &
sampler=$!
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s "$ROOT/benches/wrk/execute_tool.lua" "$(srv_url /)" >"$WORK/wrk.out"
kill "$sampler"; wait "$sampler" 2>/dev/null || true
srv_cpu=$(($(cpu_ticks "$SRV_PID") - srv_cpu0))
sim_cpu=$(($(cpu_ticks "$SIM_PID") - sim_cpu0))
rss_after=$(rss_kib "$SRV_PID")
sed -n '/Latency Distribution/,/requests in/p' "$WORK/wrk.out"
line=$(grep '^WRK' "$WORK/wrk.out")
echo "measured: ${line#WRK }"
requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$line")
awk -v s="$srv_cpu" -v m="$sim_cpu" -v n="$requests" 'BEGIN {
  printf "CPU per call: server %.1f µs, sim %.1f µs (process CPU time / calls)\n", s * 10000 / n, m * 10000 / n }'
echo "server RSS: before load $rss_before KiB, after warm-up $rss_warm KiB, after load $rss_after KiB, peak $(hwm_kib "$SRV_PID") KiB"
echo "server RSS every ${RSS_EVERY:-5} s under load (KiB): $(cat "$WORK/rss.txt")"
sleep "${SETTLE:-5}"
echo "server RSS ${SETTLE:-5} s after the load: $(rss_kib "$SRV_PID") KiB"
echo "non-2xx responses: $non2xx"
echo "server metrics (errors):"
srv_curl "$(srv_url /metrics)" | grep -E '^toolwire_(tool_)?(errors|calls)[a-z_]*\{' | head -20 || true
calls=$(srv_curl "$(srv_url /metrics)" | awk '/^toolwire_tool_calls_total\{/ {s += $2} END {print s}')
rows=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from executions").fetchone()[0])' "$WORK/data/toolwire.db" 2>/dev/null || echo "?")
echo "audit: $calls calls counted, $rows execution rows in the store ${SETTLE:-5} s after the load"
uptime
