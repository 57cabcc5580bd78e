#!/usr/bin/env bash
# examples/connector-yaml end to end (the steps of its README.md, scripted): a test CA and a
# certificate for *.notes.example (openssl), the Notes stand-in over HTTPS, then
# `toolwire spec check`, `toolwire spec test` (its cassettes, offline), `toolwire accounts add`
# and `toolwire exec` on notes.yaml, with `--extra-ca` and `--resolve` sending *.notes.example to
# the stand-in. Prints each step; exits
# non-zero if anything is not as expected.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/processes.sh"
tw_init
here=examples/connector-yaml
tw_build_bin
tw() { echo "\$ toolwire $*" >&2; "$TW_BIN" "$@"; }

echo "--> a test CA and a certificate for *.notes.example"
(
  cd "$TW_WORK"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=Notes example test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=*.notes.example" 2>/dev/null
  printf 'subjectAltName=DNS:*.notes.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > leaf.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile leaf.ext -out server.pem 2>/dev/null
)

echo "--> the Notes stand-in (workspace acme)"
port="$(tw_free_port)"
token="$(tw_random_key notes_)"
log="$TW_WORK/notes.log"
tw_spawn "$log" python3 "$here/notes_server.py" --port "$port" \
  --cert "$TW_WORK/server.pem" --key "$TW_WORK/server.key" --token "acme=$token"
tw_wait "the Notes stand-in" "$TW_LAST_PID" "$log" \
  curl -fsS --cacert "$TW_WORK/ca.pem" --resolve "acme.notes.example:$port:127.0.0.1" \
    -H "Authorization: Bearer $token" "https://acme.notes.example:$port/api/me"

echo "--> check the spec"
tw spec check "$here/connectors/notes.yaml"

echo "--> replay its cassettes offline (connectors/cassettes/notes.yaml, no stand-in needed)"
out="$(tw spec test "$here/connectors/notes.yaml")"
echo "$out"
[[ "$out" == *"passed, 0 failed"* ]]

flags=(--data-dir "$TW_WORK/data" --connectors "$here/connectors"
       --extra-ca "$TW_WORK/ca.pem" --resolve "notes.example=127.0.0.1:$port")
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

echo "--> connect alice's workspace (the token is verified live, then sealed in the vault)"
status="$(echo "{\"token\": \"$token\"}" |
  tw accounts add notes alice --config workspace=https://acme.notes.example/ --credentials-file - \
    --json "${flags[@]}" | json 'v["status"]')"
echo "alice: $status"
[ "$status" = ACTIVE ]

echo "--> run the tools"
id="$(tw exec notes_note_create --identifier alice "${flags[@]}" \
  --input '{"title": "Call the printer vendor", "body": "Ask about the jammed tray.", "tags": ["todo"]}' |
  json 'v["data"]["id"]')"
echo "created note $id"
found="$(tw exec notes_notes_search --identifier alice --input '{"text": "printer"}' "${flags[@]}" |
  json '", ".join(n["title"] for n in v["data"]["notes"])')"
echo "search 'printer': $found"
[ "$found" = "Call the printer vendor" ]

echo "--> a bad input is refused before any request"
before="$(wc -l <"$log")"
set +e
err="$(tw exec notes_note_get --identifier alice --input '{"note_id": "seven"}' "${flags[@]}" 2>&1 >/dev/null)"
rc=$?
set -e
echo "$err"
[ "$rc" = 4 ] && [[ "$err" == *INVALID_INPUT* && "$err" == *note_id* ]]
[ "$(wc -l <"$log")" = "$before" ] || { echo "the stand-in was called"; exit 1; }
echo "connector-yaml example: ok"
