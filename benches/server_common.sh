# Shared by benches/server_load.sh and benches/server_scale.sh (source it; bash only).
# Starts a release `toolwire sim` and `toolwire serve` on loopback, creates simulator tenants,
# reads RSS / CPU time from /proc, and cleans everything up on exit.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${TOOLWIRE_BIN:-$ROOT/target/release/toolwire}
SIM_PORT=${SIM_PORT:-18443}
SRV_PORT=${SRV_PORT:-18080}
export TOOLWIRE_API_KEY=${TOOLWIRE_API_KEY:-tw_bench_key_0123456789_abcdef}
unset TOOLWIRE_MASTER_KEY # the data dir's master.key is used
WORK=$(mktemp -d "${TMPDIR:-/tmp}/toolwire-bench.XXXXXX")
SIM_PID=""
SRV_PID=""

cleanup() {
  set +e
  for pid in $SRV_PID $SIM_PID; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

need() {
  command -v "$1" >/dev/null || { echo "needs $1 (apt-get install -y $2)" >&2; exit 2; }
}
need curl curl
need jq jq

build_release() {
  if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$ROOT" && cargo build --release -q -p toolwire-server --bin toolwire "$@")
  fi
}

# rss_kib PID -> VmRSS in KiB
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# rss_detail PID -> "anon A, file F, shmem S KiB"
rss_detail() { awk '/^RssAnon:/ {a = $2} /^RssFile:/ {f = $2} /^RssShmem:/ {s = $2}
  END {printf "anon %d, file %d, shmem %d KiB", a, f, s}' "/proc/$1/status"; }
# hwm_kib PID -> VmHWM (peak RSS) in KiB
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
# cpu_ticks PID -> utime + stime in clock ticks (1/100 s)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
now_ns() { date +%s%N; }

# start_sim -> HTTPS sim on SIM_PORT, CA in $WORK/ca.pem, no rate limit in practice.
start_sim() {
  "$BIN" sim --addr "127.0.0.1:$SIM_PORT" --ca-out "$WORK/ca.pem" --rate-limit 100000000 \
    --tickets 5 >"$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 100); do
    grep -q "admin API" "$WORK/sim.log" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "sim did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1
}

sim_curl() { curl -sf --cacert "$WORK/ca.pem" --resolve "admin.zendesk.com:$SIM_PORT:127.0.0.1" "$@"; }

# create_tenants T -> T tenants lt0000.. (1 ticket each, id 1); writes "sub email token" lines
# to $WORK/tenants.txt
create_tenants() {
  : >"$WORK/tenants.txt"
  for i in $(seq 0 $(($1 - 1))); do
    sub=$(printf 'lt%04d' "$i")
    sim_curl -H 'content-type: application/json' \
      -d "{\"subdomain\":\"$sub\",\"seed_tickets\":1,\"rate_limit\":100000000}" \
      "https://admin.zendesk.com:$SIM_PORT/__sim/tenants" |
      jq -r '.subdomain + " " + .agents[0].email + " " + .agents[0].api_token' >>"$WORK/tenants.txt"
  done
}

srv_url() { echo "http://127.0.0.1:$SRV_PORT$1"; }
srv_curl() { curl -s -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H 'content-type: application/json' "$@"; }

# start_server DATA_DIR -> sets SRV_PID, SERVER_READY_MS (spawn to first /readyz 200)
start_server() {
  local t0
  t0=$(now_ns)
  # SERVER_WRAP: a command the server runs under (benches/profile_server.sh: valgrind).
  # shellcheck disable=SC2086
  ${SERVER_WRAP:-} "$BIN" serve --addr "127.0.0.1:$SRV_PORT" --data-dir "$1" --extra-ca "$WORK/ca.pem" \
    --resolve "zendesk.com=127.0.0.1:$SIM_PORT" >"$WORK/server.log" 2>&1 &
  SRV_PID=$!
  for _ in $(seq 6000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$(srv_url /readyz)")" = 200 ]; then
      SERVER_READY_MS=$((($(now_ns) - t0) / 1000000))
      return 0
    fi
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "server did not become ready:" >&2; cat "$WORK/server.log" >&2; exit 1
}

# connect_accounts N T -> connects user_0000000.. user_{N-1} through REST, round-robin over the
# T tenants of $WORK/tenants.txt (credentials verified live against the sim, 8 in flight);
# exits unless all N answered 200.
connect_accounts() {
  local n=$1 t=$2 t0 ok
  t0=$(now_ns)
  mapfile -t TEN <"$WORK/tenants.txt"
  for i in $(seq 0 $((n - 1))); do
    read -r sub email token <<<"${TEN[$((i % t))]}"
    printf '{"connection_name":"zendesk","identifier":"user_%07d","config":{"subdomain":"%s"},"credentials":{"email":"%s","api_token":"%s"}}\n' \
      "$i" "$sub" "$email" "$token"
  done >"$WORK/accounts.jsonl"
  # shellcheck disable=SC2016
  xargs -P 8 -d '\n' -n 1 sh -c 'curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $TOOLWIRE_API_KEY" -H "content-type: application/json" -d "$1" "$0"' \
    "$(srv_url /v1/connected_accounts)" <"$WORK/accounts.jsonl" >"$WORK/connect.codes"
  ok=$(grep -c '^200$' "$WORK/connect.codes" || true)
  echo "connected $ok/$n accounts over $t tenants in $((($(now_ns) - t0) / 1000000)) ms"
  [ "$ok" = "$n" ] || { sort "$WORK/connect.codes" | uniq -c >&2; exit 1; }
}
