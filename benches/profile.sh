#!/usr/bin/env bash
# Instruction-count profile of one `zendesk_ticket_get` call: toolwire (`execute_tool`) vs the
# hand-built reqwest floor, with valgrind's callgrind (counts instructions, so the figures repeat
# on a loaded machine). Each mode runs twice, with 1 and with CALLS+1 measured calls; the
# difference / CALLS is the cost of one call (client + in-process sim, + toolwire for dynamic).
# Then the inclusive cost per call of toolwire's own functions (same subtraction per function).
#
#   benches/profile.sh                    # CALLS=1000 TENANTS=5 CONCURRENCY=1 TOP=40 OUT=target/profile BIN=
#
# Needs valgrind (callgrind, callgrind_annotate) and python3. The release profile keeps line
# tables (Cargo.toml), enough for function names.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000}
TENANTS=${TENANTS:-5}
CONCURRENCY=${CONCURRENCY:-1}
TOP=${TOP:-40}
OUT=${OUT:-target/profile}
mkdir -p "$OUT"

# BIN=path/to/profile_call skips the build (e.g. a copy, so a concurrent build cannot replace it).
if [ -z "${BIN:-}" ]; then
  cargo build --release -p toolwire-benches --bin profile_call
  BIN=target/release/profile_call
fi

# The four runs are independent (instruction counts do not depend on load): run them at once.
for mode in floor dynamic; do
  for calls in 1 $((CALLS + 1)); do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$mode.$calls" \
      "$BIN" --mode "$mode" --calls "$calls" --tenants "$TENANTS" --concurrency "$CONCURRENCY" \
      >"$OUT/log.$mode.$calls" 2>&1 &
  done
done
wait

for mode in floor dynamic; do
  for calls in 1 $((CALLS + 1)); do
    callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$OUT/cg.$mode.$calls" >"$OUT/incl.$mode.$calls.txt" 2>/dev/null
    callgrind_annotate --auto=no --threshold=100 "$OUT/cg.$mode.$calls" >"$OUT/excl.$mode.$calls.txt" 2>/dev/null
  done
done

python3 - "$OUT" "$CALLS" "$TOP" <<'EOF'
import re, sys
out, calls, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def totals(path):
    # "1,234,567 ( 1.23%)  file:function" lines of callgrind_annotate --inclusive=yes
    total, funcs = 0, {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*)$", line)
        if m:
            # drop the "file:" prefix and the " [binary]" suffix; keep the function
            name = re.sub(r"^(\?\?\?|[^ :]*\.(rs|c|h|S)):", "", m.group(2))
            name = re.sub(r" \[[^\]]*\]$", "", name)
            funcs[name] = funcs.get(name, 0) + int(m.group(1).replace(",", ""))
    return total, funcs
def per_call(kind, mode):
    # (instructions per call, {function: instructions per call}); a function's entries for
    # several source files (inlined code) are summed.
    t1, f1 = totals(f"{out}/{kind}.{mode}.1.txt")
    tn, fn = totals(f"{out}/{kind}.{mode}.{calls + 1}.txt")
    return (tn - t1) / calls, {k: (v - f1.get(k, 0)) / calls for k, v in fn.items()}
per = {mode: per_call("incl", mode) for mode in ("floor", "dynamic")}
floor, dyn = per["floor"][0], per["dynamic"][0]
print(f"instructions per call: floor {floor/1e3:.1f} K, toolwire dynamic {dyn/1e3:.1f} K, "
      f"ratio {dyn/floor:.3f}, added {(dyn-floor)/1e3:.1f} K")
print(f"\ntop {top} inclusive costs per call in toolwire's own code (dynamic):")
rows = sorted(((v, k) for k, v in per["dynamic"][1].items() if "toolwire_runtime" in k or "toolwire_spec" in k), reverse=True)
for v, k in rows[:top]:
    print(f"{v/1e3:9.1f} K  {k[:160]}")
_, ef = per_call("excl", "floor")
_, ed = per_call("excl", "dynamic")
diff = sorted(((ed.get(k, 0) - ef.get(k, 0), k) for k in set(ed) | set(ef)), reverse=True)
print(f"\ntop {top} exclusive costs per call, dynamic minus floor (any crate):")
for v, k in diff[:top]:
    print(f"{v/1e3:9.1f} K  {k[:160]}")
EOF
