#!/usr/bin/env bash
# Server soak: REST `POST /v1/execute_tool` (zendesk_ticket_get) from wrk for DURATION seconds
# with faults injected into the simulator the whole time (a share of 500s, 503s with
# Retry-After, 429s with Retry-After, dropped connections and slow answers), sampling the
# server's RSS every SAMPLE_SECS. Answers "is memory flat?" over minutes, not rounds.
# Release build; `toolwire sim` and `toolwire serve` (SQLite data dir) on loopback.
#
#   benches/server_soak.sh                      # DURATION=600 SAMPLE_SECS=30 CONNECTIONS=64
#   DURATION=300 MALLOC_ARENA_MAX=2 benches/server_soak.sh
#
# Prints one line per sample (elapsed, RSS, calls/s, p99, non-2xx), then the RSS growth over
# the second half of the run (the part after warm-up) and the server's status at the end.
set -euo pipefail
source "$(dirname "$0")/server_common.sh"
need wrk wrk

DURATION=${DURATION:-600}
SAMPLE_SECS=${SAMPLE_SECS:-30}
CONNECTIONS=${CONNECTIONS:-64}
IDENTIFIERS=${IDENTIFIERS:-1000}
TENANTS=${TENANTS:-50}
WRK_THREADS=${WRK_THREADS:-2}

build_release
start_sim
create_tenants "$TENANTS"
start_server "$WORK/data"

connect_accounts "$IDENTIFIERS" "$TENANTS"
echo "server RSS $(rss_kib "$SRV_PID") KiB"

# Faults for the whole run, on every tenant's API (not on the admin API).
fault() {
  sim_curl -o /dev/null -H 'content-type: application/json' -d "$1" \
    "https://admin.zendesk.com:$SIM_PORT/__sim/faults"
}
fault '{"kind":"status","status":500,"share":0.03,"path_prefix":"/api/v2/tickets"}'
fault '{"kind":"status","status":503,"retry_after":1,"share":0.01,"path_prefix":"/api/v2/tickets"}'
fault '{"kind":"rate_limit","retry_after":1,"share":0.005,"path_prefix":"/api/v2/tickets"}'
fault '{"kind":"drop","share":0.01,"path_prefix":"/api/v2/tickets"}'
fault '{"kind":"latency","ms":50,"share":0.01,"path_prefix":"/api/v2/tickets"}'
echo "faults: $(sim_curl "https://admin.zendesk.com:$SIM_PORT/__sim/faults" | jq -c '[.[] | .kind]')"

export TW_IDENTIFIERS=$IDENTIFIERS
field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }
samples=$((DURATION / SAMPLE_SECS))
: >"$WORK/rss.txt"
printf '%8s %10s %9s %9s %8s\n' elapsed_s rss_kib calls/s p99_us non2xx
for s in $(seq "$samples"); do
  l=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SAMPLE_SECS}s" -s "$ROOT/benches/wrk/execute_tool.lua" \
    "$(srv_url /)" | grep '^WRK')
  kill -0 "$SRV_PID" 2>/dev/null || { echo "server died" >&2; cat "$WORK/server.log" >&2; exit 1; }
  rss=$(rss_kib "$SRV_PID")
  echo "$rss" >>"$WORK/rss.txt"
  printf '%8d %10d %9d %9d %8d\n' $((s * SAMPLE_SECS)) "$rss" "$(field rps "$l")" \
    "$(field p99_us "$l")" "$(field non2xx "$l")"
done
half=$((samples / 2))
awk -v h="$half" '{r[NR] = $1} END {
  lo = r[h + 1]; hi = r[h + 1]; for (i = h + 1; i <= NR; i++) { if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i] }
  printf "second half (%d samples): RSS first %d, last %d, min %d, max %d KiB; last - first = %+d KiB (%+.1f%%)\n",
    NR - h, r[h + 1], r[NR], lo, hi, r[NR] - r[h + 1], (r[NR] - r[h + 1]) * 100 / r[h + 1]
}' "$WORK/rss.txt"
echo "peak RSS $(hwm_kib "$SRV_PID") KiB; now $(rss_detail "$SRV_PID")"
echo "readyz: $(curl -s -o /dev/null -w '%{http_code}' "$(srv_url /readyz)")"
calls=$(srv_curl "$(srv_url /metrics)" | awk '/^toolwire_tool_calls_total\{/ {s += $2} END {print s}')
echo "tool calls counted: $calls; errors by code:"
srv_curl "$(srv_url /metrics)" | grep '^toolwire_tool_errors_total{' | sed -E 's/.*code="([^"]+)".* ([0-9.e+]+)$/  \1 \2/' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
