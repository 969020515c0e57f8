#!/usr/bin/env bash
# Compares the planner with CP-SAT per size class.
#   bench/compare.sh [--seeds A-B] [--sizes "small medium large xl"] [--cpsat-only]
#                    [--solver-seeds N] [-- PLANBENCH ARGS...]   e.g. -- --batch
# --seeds are plan-gen's (which requests); --solver-seeds N solves each request with
# our seeds 0..N-1 (default 1) and sums up over all of them.
# Requests come from plan-gen (made again when missing: plan-gen is deterministic).
# CP-SAT's results (--time-limit 60, 2 workers) are cached in bench/cpsat-t60.tsv,
# committed, so a rerun needs neither OR-Tools nor the 60 s per request: a request
# is only given to CP-SAT when the cache has no line for it (or its hash changed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="${TOOLS:-/work/shared/tools}"
seeds="101-105"
sizes="small medium large xl"
cpsat_only=0
solver_seeds=1
limit="${CPSAT_LIMIT:-60}"
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --cpsat-only) cpsat_only=1; shift ;;
    --solver-seeds) solver_seeds="$2"; shift 2 ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/planner-bench"
table="$here/cpsat-t$limit.tsv"
mkdir -p "$work/req" "$work/ours"
[ -s "$table" ] || printf 'name\tsha\tstatus\tobjective\tbound\treferee_total\tseconds\n' > "$table"
a="${seeds%-*}"; b="${seeds#*-}"
files=()
for size in $sizes; do
  for seed in $(seq "$a" "$b"); do
    name="$size-$seed"
    req="$work/req/$name.json"
    [ -s "$req" ] || "$tools/plan-gen" one "$size" "$seed" -o "$req"
    files+=("$req")
    sha="$(sha256sum "$req" | cut -c1-16)"
    if ! grep -q "^$name	$sha	" "$table"; then
      echo "CP-SAT on $name ($limit s)..." >&2
      line="$("$tools/plan-cpsat" "$req" --time-limit "$limit" --workers 2)"
      python3 - "$table" "$name" "$sha" "$line" <<'PY'
import json, sys
table, name, sha, line = sys.argv[1:]
r = json.loads(line)
rows = [l for l in open(table) if not l.startswith(name + "\t")]
rows.append("\t".join(map(str, [name, sha, r["status"], r["objective"], r["bound"],
                                r.get("referee_total"), r.get("wall")])) + "\n")
open(table, "w").writelines(rows[:1] + sorted(rows[1:]))
PY
    fi
  done
done
[ "$cpsat_only" = 1 ] && exit 0

cd "$root"
CARGO_TARGET_DIR="$target" cargo build --release -q -p brightpath-planner --example planbench
: > "$work/ours.tsv"
for s in $(seq 0 $((solver_seeds - 1))); do
  mkdir -p "$work/ours/$s"
  "$target/release/examples/planbench" "${files[@]}" --seed "$s" --out "$work/ours/$s" "${bench_args[@]}" \
    | sed "s/^/$s /" >> "$work/ours.tsv"
done

python3 - "$work" "$table" "$tools" <<'PY'
import json, os, statistics, subprocess, sys
work, table, tools = sys.argv[1], sys.argv[2], sys.argv[3]
cp = {}
for line in open(table):
    f = line.rstrip("\n").split("\t")
    if f[0] != "name":
        cp[f[0]] = {"status": f[2], "objective": int(f[3]), "bound": f[4]}
by = {}
for line in open(os.path.join(work, "ours.tsv")):
    parts = line.split()
    if len(parts) < 2 or not parts[1].endswith(".json"):
        continue
    seed = parts[0]
    kv = dict(p.split("=", 1) for p in parts[2:])
    path = parts[1]
    name = os.path.basename(path)[:-5]
    size = name.split("-")[0]
    ours = int(kv["total"])
    plan = os.path.join(work, "ours", seed, name + ".plan.json")
    ref = subprocess.run([os.path.join(tools, "plan-check"), path, plan, "--json"],
                         capture_output=True, text=True)
    verdict = json.loads(ref.stdout)
    ok = verdict["valid"] and verdict["score"]["total"] == ours
    c = cp[name]
    best = c["objective"]
    ratio = ours / best if best else (1.0 if ours == 0 else float("inf"))
    cpu = float(kv["cpu_ms"]) if kv.get("cpu_ms", "?") != "?" else float("nan")
    by.setdefault(size, []).append((ratio, float(kv["median_ms"]), ok, cpu, c["status"] == "OPTIMAL"))
    print(f"{name:12} seed={seed} ours={ours:6} cpsat={best:6} ({c['status']}, bound {c['bound']}) "
          f"ratio={ratio:.4f} ms={kv['median_ms']} cpu_ms={kv.get('cpu_ms')} "
          f"referee={'ok' if ok else 'MISMATCH'}")
print()
print(f"{'size':8} {'n':>3} {'opt':>3} {'median ratio':>13} {'worst ratio':>12} {'median ms':>10} "
      f"{'max ms':>8} {'median cpu ms':>14} valid")
for size in ("small", "medium", "large", "xl"):
    if size not in by:
        continue
    r = by[size]
    print(f"{size:8} {len(r):3} {sum(x[4] for x in r):3} {statistics.median(x[0] for x in r):13.4f} "
          f"{max(x[0] for x in r):12.4f} {statistics.median(x[1] for x in r):10.1f} "
          f"{max(x[1] for x in r):8.1f} {statistics.median(x[3] for x in r):14.1f} {all(x[2] for x in r)}")
print("(n: requests x solver seeds; ms: wall time of the whole job in process, median of")
print(" the runs; cpu ms: CPU time per job, all search threads together; opt: how many of")
print(" the n CP-SAT proved optimal)")
PY
