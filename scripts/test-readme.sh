#!/usr/bin/env bash
# The README's own commands, run as a newcomer types them, from the repo root: every
# `cargo run ...` line of README.md (in fenced code blocks and inline code) is extracted and
# run literally (same flags, ports 8080/8443, paths), so a README that drifts from the code
# fails here; `export VAR=...` lines of its code blocks are evaluated in order, as a reader's
# shell would. How each kind of line is run and checked:
#   --help                 exits 0 and lists the commands and exit codes
#   demo                   run with `--once` appended (it serves forever otherwise): exits 0 and
#                          prints the story's key lines
#   spec check FILE        exits 0, reports the spec ok
#   spec test FILE         exits 0, every cassette ok (`N passed, 0 failed`)
#   tools schemas FILE     prints a JSON array naming every tool, in the format asked
#   spec docs FILE > OUT   prints exactly the committed OUT
#   sim ... &              started in the background, polled until its admin API answers
#   serve ...              started in the background, polled until /readyz; lists tools with
#                          its API key (TOOLWIRE_API_KEY, else DATA_DIR/api.key); when it
#                          routes (--resolve zendesk.com=...) to the simulator, connects an
#                          account (verified live) and runs a tool; then stopped
# A `cargo run` line of any other kind fails this script: cover new README commands here.
# Background processes: scripts/lib/processes.sh.
set -euo pipefail
source "$(dirname "$0")/lib/processes.sh"
tw_init
# A newcomer's environment: none of toolwire's settings.
unset TOOLWIRE_MASTER_KEY TOOLWIRE_API_KEY TOOLWIRE_DATABASE_URL TOOLWIRE_PUBLIC_URL \
  TOOLWIRE_AUDIT_LOG TOOLWIRE_LOG RUST_LOG
export TW_WAIT_S=600 # the first `cargo run` may compile

mapfile -t lines < <(python3 - <<'EOF'
import re
fenced = False
for line in open("README.md", encoding="utf-8"):
    if line.lstrip().startswith("```"):
        fenced = not fenced
        continue
    cmd = r"(?:[A-Z_][A-Z0-9_]*=\S+\s+)*cargo run\s+-"
    if fenced:
        if re.match(r"\s*(export\s+[A-Z_][A-Z0-9_]*=|" + cmd + ")", line):
            print(line.strip())
    else:
        for m in re.finditer(r"`(" + cmd + r"[^`]*)`", line):
            print(m.group(1).strip())
EOF
)
[ "${#lines[@]}" -gt 0 ] || { echo "no cargo run lines found in README.md"; exit 1; }

fail() { echo "FAILED: $*"; exit 1; }
expect() { # expect LINE TEXT PATTERN: TEXT matches the bash regex PATTERN
  [[ "$2" =~ $3 ]] || { echo "$2" | tail -n 30; fail "\`$1\`: no match for /$3/"; }
}
flag() { # flag LINE NAME DEFAULT: the value of --NAME in LINE
  if [[ "$1" =~ --$2[\ =]([^ ]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo "$3"; fi
}
port_free() { ! (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null; }
# Runs LINE in the foreground; output in $out, status in $rc.
run() {
  echo "\$ $1"
  set +e
  out="$(bash -c "$1" 2>"$TW_WORK/stderr")"
  rc=$?
  set -e
  [ "$rc" = 0 ] || { echo "$out"; tail -n 30 "$TW_WORK/stderr"; fail "\`$1\` exited with $rc"; }
}

sim_ca="" sim_addr=""
n=0
for raw in "${lines[@]}"; do
  if [[ "$raw" == "export "* ]]; then
    echo; echo "--> README: $raw"; eval "$raw"; continue
  fi
  n=$((n + 1))
  line="$(printf '%s' "$raw" | sed -E 's/[[:space:]]+#.*$//; s/[[:space:]]+$//')"
  background=false
  if [[ "$line" == *"&" ]]; then background=true; line="$(printf '%s' "${line%&}" | sed -E 's/[[:space:]]+$//')"; fi
  [[ "$line" == *\\ ]] && fail "\`$raw\`: continued lines are not supported here"
  args="${line#* -- }"
  [ "$args" != "$line" ] || fail "\`$raw\`: no \` -- \` before the toolwire arguments"
  echo
  echo "--> README command $n: $raw"
  case "$args" in
    --help)
      run "$line"
      expect "$line" "$out" "Usage: toolwire"
      expect "$line" "$out" "Exit codes:"
      ;;
    demo | "demo "*)
      run "$line --once"
      expect "$line" "$out" "acme: .*status ACTIVE"
      expect "$line" "$out" "globex is ACTIVE on oauth2"
      expect "$line" "$out" "sla_watch"
      expect "$line" "$out" "error ACCOUNT_REVOKED: .*reconnect at http"
      expect "$line" "$out" "account acme is ACTIVE again"
      expect "$line" "$out" "status history: .*REVOKED -> ACTIVE"
      ;;
    "spec check "*)
      run "$line"
      expect "$line" "$out" "^ok "
      ;;
    "spec test "*)
      run "$line"
      expect "$line" "$out" "^ok "
      expect "$line" "$out" "[0-9]+ passed, 0 failed"
      ;;
    "tools schemas "*)
      run "$line"
      format="$(flag "$line" format mcp)"
      printf '%s' "$out" | python3 -c '
import json, sys
tools = json.load(sys.stdin)
name = (lambda t: t["function"]["name"]) if sys.argv[1] == "openai" else (lambda t: t["name"])
names = [name(t) for t in tools]
assert len(names) > 0 and all(n.startswith("zendesk_") for n in names), names
print(f"{len(names)} tools in the {sys.argv[1]} format")' "$format" || fail "\`$line\`: not the $format tool list"
      ;;
    "spec docs "*" > "*)
      target="${line##*> }"
      run "${line% > *}"
      diff <(printf '%s\n' "$out") "$target" >/dev/null ||
        fail "\`$line\`: the output differs from the committed $target"
      echo "same as $target"
      ;;
    "sim "*)
      $background || fail "\`$raw\`: the README should start the simulator in the background (&)"
      sim_ca="$(flag "$line" ca-out toolwire-sim-ca.pem)"
      sim_addr="$(flag "$line" addr 127.0.0.1:8443)"
      port_free "$sim_addr" || fail "$sim_addr is in use: stop what listens there and run again"
      rm -f "$sim_ca"
      echo "\$ $line &"
      tw_spawn "$TW_WORK/sim.log" bash -c "$line"
      TW_SIM_CA="$sim_ca" TW_SIM_PORT="${sim_addr#*:}"
      tw_wait "the simulator" "$TW_LAST_PID" "$TW_WORK/sim.log" tw_sim_ready
      echo "simulator ready on $sim_addr"
      ;;
    "serve "*)
      addr="$(flag "$line" addr 127.0.0.1:8080)"
      data="$(flag "$line" data-dir data)"
      port_free "$addr" || fail "$addr is in use: stop what listens there and run again"
      echo "\$ $line &"
      tw_spawn "$TW_WORK/serve.log" bash -c "$line"
      pid="$TW_LAST_PID"
      TW_URL="http://$addr"
      tw_wait "toolwire serve" "$pid" "$TW_WORK/serve.log" curl -fsS "$TW_URL/readyz"
      key="${TOOLWIRE_API_KEY:-}"
      [[ "$line" =~ TOOLWIRE_API_KEY=([^ ]+) ]] && key="${BASH_REMATCH[1]}"
      [ -n "$key" ] || key="$(cat "$data/api.key")"
      tools="$(curl -fsS -H "Authorization: Bearer $key" "$TW_URL/v1/tools?connection_name=zendesk&format=mcp" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tools"]))')"
      echo "serving $tools zendesk tools on $TW_URL"
      [ "$tools" -gt 0 ] || fail "\`$line\`: no tools"
      if [[ "$line" == *"--resolve zendesk.com="* ]]; then
        [ -n "$sim_addr" ] || fail "\`$line\` routes to a simulator the README did not start before it"
        TOOLWIRE_API_KEY="$key" tw_connect readme_check acme
        result="$(curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
          -d '{"identifier": "readme_check", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}}' \
          "$TW_URL/v1/execute_tool" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["ticket"]["id"])')"
        [ "$result" = 1 ] || fail "\`$line\`: zendesk_ticket_get did not return ticket 1"
        curl -fsS -X DELETE -H "Authorization: Bearer $key" "$TW_URL/v1/connected_accounts/zendesk/readme_check" >/dev/null
        echo "connected an account through the simulator and ran zendesk_ticket_get"
      fi
      tw_stop "$pid"
      ;;
    *)
      fail "scripts/test-readme.sh does not know how to run \`$raw\`: add a case for it"
      ;;
  esac
done
echo
echo "==> all $n README commands work as written"
