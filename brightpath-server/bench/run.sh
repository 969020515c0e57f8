#!/usr/bin/env bash
# The HTTP benchmark (docs/http.md, "Performance"): a release `brightpath serve`
# over a co-op of generated families, loaded by wrk at 64 connections.
#
#   brightpath-server/bench/run.sh sqlite:///tmp/bp-bench/coop.db [FAMILIES]
#   brightpath-server/bench/run.sh postgres://brightpath:brightpath@127.0.0.1:5432/brightpath [FAMILIES]
#
# Needs: wrk, python3, a release build (cargo build --release -p brightpath-cli
# and --example coop_bench -p brightpath-core). Seeds with coop_bench (planned
# week of 2026-11-30), then measures GET week, GET today, conditional GET week
# (ETag still matching) and POST done.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
url="$1"; families="${2:-1000}"; secs="${BP_SECS:-20}"
bin="${BP_BIN:-$root/target/release/brightpath}"
seed="${BP_SEED_BIN:-$root/target/release/examples/coop_bench}"
data="$(mktemp -d)"
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
[ -x "$bin" ] || { echo "no release build at $bin" >&2; exit 2; }
if [[ "$url" == sqlite://* ]]; then rm -f "${url#sqlite://}"; mkdir -p "$(dirname "${url#sqlite://}")"; fi
db="$("$seed" --families "$families" --db "$url" | sed -n 's/^database: //p')"
echo "database: ${db%%//*}//…"
export BRIGHTPATH_DATABASE_URL="$db" BRIGHTPATH_TODAY=2026-12-01 RUST_LOG=warn
token="$("$bin" --json token create --name bench --scope write | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
"$bin" serve --listen 127.0.0.1:8399 >/dev/null 2>"$data/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8399/healthz >/dev/null && break; sleep 0.2; done
export BP_TOKEN="$token" BP_DATA="$data" BP_BENCH="$here"
python3 "$here/prepare.py" http://127.0.0.1:8399 "$token" "$data"
echo "families: $(wc -l < "$data/families.txt"), sessions to mark: $(wc -l < "$data/sessions.txt")"
for s in week today etag done; do
  echo "== $s"
  wrk -t2 -c64 -d"${secs}s" --latency -s "$here/$s.lua" http://127.0.0.1:8399 \
    | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
  echo "server CPU so far: $(ps -o times= -p $pid) s"
done
