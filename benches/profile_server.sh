#!/usr/bin/env bash
# Instruction-count profile of the REST server per `POST /v1/execute_tool` call: the release
# `toolwire serve` runs under valgrind's callgrind (the sim, the client and curl outside it).
# After connecting the accounts and WARMUP calls, the counters are zeroed, CALLS calls are sent
# (CONCURRENCY keep-alive connections, consecutive identifiers as in benches/wrk), and the
# counters dumped: everything the server process executed in that window, divided by CALLS,
# is its cost per call (request path, runtime, TLS to the sim, background audit writes).
# Instruction counts repeat on a loaded machine, unlike CPU time.
#
#   benches/profile_server.sh     # CALLS=2000 WARMUP=200 CONCURRENCY=4 IDENTIFIERS=200 TENANTS=10 TOP=60 OUT=target/profile_server
#
# TOOLWIRE_BIN=/tmp/copy/toolwire profiles a copy (so a concurrent build cannot replace it).
# Prints instructions per call, then the top inclusive and exclusive functions per call; the
# whole annotations stay in $OUT. Needs valgrind, python3, curl, jq.
set -euo pipefail
source "$(dirname "$0")/server_common.sh"
need valgrind valgrind
need callgrind_control valgrind

CALLS=${CALLS:-2000}
WARMUP=${WARMUP:-200}
CONCURRENCY=${CONCURRENCY:-4}
IDENTIFIERS=${IDENTIFIERS:-200}
TENANTS=${TENANTS:-10}
TOP=${TOP:-60}
OUT=$(mkdir -p "${OUT:-$ROOT/target/profile_server}" && cd "${OUT:-$ROOT/target/profile_server}" && pwd)

build_release
start_sim
create_tenants "$TENANTS"
SERVER_WRAP="valgrind --tool=callgrind --callgrind-out-file=$OUT/callgrind.out.%p" \
  start_server "$WORK/data"
echo "server (under callgrind) ready in ${SERVER_READY_MS} ms"
connect_accounts "$IDENTIFIERS" "$TENANTS"

# send N -> N calls over CONCURRENCY keep-alive connections; exits unless all answered 200.
send() {
  python3 - "$1" "$CONCURRENCY" "$IDENTIFIERS" "$SRV_PORT" <<'EOF'
import http.client, os, sys, threading
n, conc, ids, port = (int(a) for a in sys.argv[1:])
key = os.environ["TOOLWIRE_API_KEY"]
bad = []
def worker(t):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for k in range(t, n, conc):
        body = '{"identifier":"user_%07d","tool_name":"zendesk_ticket_get","tool_input":{"ticket_id":1}}' % (k % ids)
        c.request("POST", "/v1/execute_tool", body,
                  {"Content-Type": "application/json", "Authorization": "Bearer " + key})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            bad.append(r.status)
ts = [threading.Thread(target=worker, args=(t,)) for t in range(conc)]
for t in ts: t.start()
for t in ts: t.join()
if bad:
    sys.exit(f"{len(bad)} of {n} calls failed: {sorted(set(bad))}")
EOF
}

send "$WARMUP"
rm -f "$OUT"/callgrind.out.*.*
callgrind_control -z "$SRV_PID" >/dev/null
t0=$(now_ns)
send "$CALLS"
echo "$CALLS calls in $((($(now_ns) - t0) / 1000000)) ms under callgrind"
callgrind_control -d "$SRV_PID" >/dev/null
dump=$(ls -t "$OUT"/callgrind.out."$SRV_PID".* | head -1)
callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$dump" >"$OUT/incl.txt" 2>/dev/null
callgrind_annotate --auto=no --threshold=100 "$dump" >"$OUT/excl.txt" 2>/dev/null

python3 - "$OUT" "$CALLS" "$TOP" <<'EOF'
import re, sys
out, calls, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def totals(path):
    total, funcs = 0, {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*)$", line)
        if m:
            name = re.sub(r"^(\?\?\?|[^ :]*\.(rs|c|h|S)):", "", m.group(2))
            name = re.sub(r" \[[^\]]*\]$", "", name)
            funcs[name] = funcs.get(name, 0) + int(m.group(1).replace(",", ""))
    return total, funcs
total, incl = totals(f"{out}/incl.txt")
_, excl = totals(f"{out}/excl.txt")
print(f"server instructions per call: {total / calls / 1e3:.1f} K ({calls} calls)")
for title, funcs in (("inclusive", incl), ("exclusive", excl)):
    print(f"\ntop {top} {title} per call:")
    for k, v in sorted(funcs.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{v / calls / 1e3:9.1f} K  {k[:150]}")
EOF
