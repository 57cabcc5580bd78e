#!/usr/bin/env bash
# Server at 100,000 connected accounts: start-up time (spawn to the first `/readyz` 200) and RSS
# of `toolwire serve` on a data directory holding ACCOUNTS accounts (filled through the store +
# vault APIs by `--bin fill_accounts`, spread over TENANTS simulator tenants), next to the same
# figures on an empty data directory; then RSS after execute_tool calls across the accounts
# (wrk, 64 connections, consecutive calls hit accounts 7,919 apart: every call a different
# account until all have been touched).
#
#   benches/server_scale.sh
#   ACCOUNTS=100000 TENANTS=50 STARTS=3 CALL_SECS="2 20" benches/server_scale.sh
set -euo pipefail
source "$(dirname "$0")/server_common.sh"
need wrk wrk

ACCOUNTS=${ACCOUNTS:-100000}
TENANTS=${TENANTS:-50}
STARTS=${STARTS:-3}
CALL_SECS=${CALL_SECS:-2 20}
CONNECTIONS=${CONNECTIONS:-64}

build_release
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && cargo build --release -q -p toolwire-benches --bin fill_accounts)
fi
start_sim
create_tenants "$TENANTS"

"$ROOT/target/release/fill_accounts" --data-dir "$WORK/big" --tenants "$WORK/tenants.txt" \
  --accounts "$ACCOUNTS"
echo "data dir: $(du -sh "$WORK/big" | cut -f1) ($(ls "$WORK/big" | tr '\n' ' '))"

stop_server() { kill -INT "$SRV_PID"; wait "$SRV_PID" || true; SRV_PID=""; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for dir in empty big; do
  times=""; rss=""
  for _ in $(seq "$STARTS"); do
    start_server "$WORK/$dir"
    times="$times $SERVER_READY_MS"; rss="$rss $(rss_kib "$SRV_PID")"
    stop_server
  done
  echo "start-up ($dir data dir): ready in [$times ] ms, median $(tr ' ' '\n' <<<"$times" | grep . | median) ms; RSS when ready [$rss ] KiB"
done

start_server "$WORK/big"
echo "server on $ACCOUNTS accounts: ready in $SERVER_READY_MS ms, RSS $(rss_kib "$SRV_PID") KiB"
srv_curl -d '{"identifier":"user_0000001","tool_name":"zendesk_ticket_get","tool_input":{"ticket_id":1}}' \
  "$(srv_url /v1/execute_tool)" | jq -e '.data.ticket.id == 1' >/dev/null
export TW_IDENTIFIERS=$ACCOUNTS TW_STRIDE=7919
total=0
for secs in $CALL_SECS; do
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${secs}s" -s "$ROOT/benches/wrk/execute_tool.lua" "$(srv_url /)" | grep '^WRK')
  n=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  total=$((total + n))
  distinct=$((total < ACCOUNTS ? total : ACCOUNTS))
  echo "after $total calls (~$distinct distinct accounts): RSS $(rss_kib "$SRV_PID") KiB, peak $(hwm_kib "$SRV_PID") KiB; ${line#WRK }"
done
sleep "${SETTLE:-5}"
echo "${SETTLE:-5} s later: RSS $(rss_kib "$SRV_PID") KiB ($(rss_detail "$SRV_PID"))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
