#!/usr/bin/env bash
# Added compile time of `toolwire::connector!`: `cargo build` of a tiny crate (probe/) with no
# macro call, with zendesk.yaml (14 tools), with all five shipped connectors (62 tools) and
# with a generated 500-tool spec
# (gen_large_spec.py), dependencies already built; the probe alone is rebuilt each time
# (`cargo clean -p`), RUNS times per variant, median. Also times the expansion work alone
# (`--bin codegen_time`) in the dev and release profiles.
#
#   benches/codegen/compile_time.sh          # PROFILES="dev release" RUNS=3 TOOLS=500
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-500}
PROFILES=${PROFILES:-dev release}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PROBE="$HERE/probe"
trap 'rm -f "$PROBE/large.yaml" "$PROBE/Cargo.lock"' EXIT

python3 "$HERE/gen_large_spec.py" --tools "$TOOLS" --out "$PROBE/large.yaml"
(cd "$ROOT" && cargo build -q --release -p toolwire-server --bin toolwire)
"$ROOT/target/release/toolwire" spec check "$PROBE/large.yaml"
echo
cp "$ROOT/Cargo.lock" "$PROBE/Cargo.lock"

for profile in $PROFILES; do
  flag=""; [ "$profile" = release ] && flag="--release"
  (cd "$ROOT" && cargo build -q $flag -p toolwire-benches --bin codegen_time)
  "$CARGO_TARGET_DIR/$([ "$profile" = release ] && echo release || echo debug)/codegen_time" \
    --runs 5 "$ROOT"/connectors/{zendesk,github,slack,linear,salesforce}.yaml "$PROBE/large.yaml"
  # Dependencies (toolwire, the macro) built once, untimed.
  (cd "$PROBE" && cargo build -q $flag --features zendesk,others,large)
  for variant in none zendesk five large; do
    case "$variant" in
      none) features="" ;;
      five) features="--features zendesk,others" ;;
      *) features="--features $variant" ;;
    esac
    times=""
    for _ in $(seq "$RUNS"); do
      (cd "$PROBE" && cargo clean -q $flag -p toolwire-codegen-probe)
      t0=$(date +%s%N)
      (cd "$PROBE" && cargo build -q $flag $features)
      times="$times $((($(date +%s%N) - t0) / 1000000))"
    done
    med=$(tr ' ' '\n' <<<"$times" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    echo "[$profile] cargo build of the probe, $variant: [$times ] ms, median $med ms"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
