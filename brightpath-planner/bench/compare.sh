#!/usr/bin/env bash
# Compares the planner with CP-SAT per size class.
#   bench/compare.sh [--seeds A-B] [--sizes "small medium large xl"] [--cpsat-only]
# Requests come from plan-gen; CP-SAT plans (--time-limit 60) are cached under
# target/planner-bench/ so a rerun only pays for our own solver.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="${TOOLS:-/work/shared/tools}"
seeds="101-105"
sizes="small medium large xl"
cpsat_only=0
limit="${CPSAT_LIMIT:-60}"
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --cpsat-only) cpsat_only=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
cache="$root/target/planner-bench"
mkdir -p "$cache/req" "$cache/cpsat" "$cache/ours"
a="${seeds%-*}"; b="${seeds#*-}"
files=()
for size in $sizes; do
  for seed in $(seq "$a" "$b"); do
    req="$cache/req/$size-$seed.json"
    [ -s "$req" ] || "$tools/plan-gen" one "$size" "$seed" -o "$req"
    files+=("$req")
    out="$cache/cpsat/$size-$seed-t$limit.json"
    if [ ! -s "$out" ]; then
      "$tools/plan-cpsat" "$req" --time-limit "$limit" --out "$out.plan" > "$out.tmp" || true
      mv "$out.tmp" "$out"
    fi
  done
done
[ "$cpsat_only" = 1 ] && exit 0

cd "$root"
cargo build --release -q -p brightpath-planner --example planbench
"$root/target/release/examples/planbench" "${files[@]}" --out "$cache/ours" > "$cache/ours.tsv"
cat "$cache/ours.tsv"

python3 - "$cache" "$limit" "$tools" <<'PY'
import json, os, statistics, subprocess, sys
cache, limit, tools = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {}
for line in open(os.path.join(cache, "ours.tsv")):
    parts = line.split()
    if not parts or not parts[0].endswith(".json"):
        continue
    kv = dict(p.split("=", 1) for p in parts[1:])
    rows[parts[0]] = kv
by = {}
for path, kv in rows.items():
    name = os.path.basename(path)[:-5]
    size = name.split("-")[0]
    cp = json.load(open(os.path.join(cache, "cpsat", f"{name}-t{limit}.json")))
    ours = int(kv["total"])
    plan = os.path.join(cache, "ours", name + ".plan.json")
    ref = subprocess.run([os.path.join(tools, "plan-check"), path, plan, "--json"], capture_output=True, text=True)
    verdict = json.loads(ref.stdout)
    ok = verdict["valid"] and verdict["score"]["total"] == ours
    best = cp["objective"] if cp.get("objective") is not None else cp.get("referee_total")
    ratio = ours / best if best else (1.0 if ours == 0 else float("inf"))
    cpu = float(kv["cpu_ms"]) if kv.get("cpu_ms", "?") != "?" else float("nan")
    by.setdefault(size, []).append((ratio, float(kv["median_ms"]), ok, ours, best, cp.get("status"), cp.get("bound"), cpu))
    print(f"{name:12} ours={ours:6} cpsat={best:6} ({cp.get('status')}, bound {cp.get('bound')}) "
          f"ratio={ratio:.4f} ms={kv['median_ms']} cpu_ms={kv.get('cpu_ms')} referee={'ok' if ok else 'MISMATCH'}")
print()
print(f"{'size':8} {'n':>2} {'median ratio':>13} {'worst ratio':>12} {'median ms':>10} {'max ms':>8} {'median cpu ms':>14} valid")
for size in ("small", "medium", "large", "xl"):
    if size not in by:
        continue
    r = by[size]
    print(f"{size:8} {len(r):2} {statistics.median(x[0] for x in r):13.4f} {max(x[0] for x in r):12.4f} "
          f"{statistics.median(x[1] for x in r):10.1f} {max(x[1] for x in r):8.1f} "
          f"{statistics.median(x[7] for x in r):14.0f} {all(x[2] for x in r)}")
print("(ms: wall time of the whole job, median of 5 runs; cpu ms: CPU time of both search")
print(" threads together, so on an otherwise idle 2-core machine wall is about half of it)")
PY
