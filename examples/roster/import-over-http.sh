#!/bin/sh
# A co-op admin's roster import over the HTTP API, for a script or cron:
# upload the zip as a dry run, wait for the check, print what would change
# (or every problem, and exit 1), then with --apply import the same upload.
#
#   BP_SERVER=https://plans.example.org BP_TOKEN=… \
#     examples/roster/import-over-http.sh COOP_ID roster.zip [--apply]
#
# The token needs the admin scope (`brightpath token create --scope admin
# --email you@example.org`, for a co-op admin). Needs curl and jq.
# Exit codes: 0 done, 1 the file was refused (nothing written), 2 usage,
# 3 the server or the job failed.
set -eu

url=${BP_SERVER:?set BP_SERVER to the server, e.g. http://127.0.0.1:8080}
token=${BP_TOKEN:?set BP_TOKEN to an API token with the admin scope}
[ $# -ge 2 ] || { echo "usage: $0 COOP_ID ROSTER.zip [--apply]" >&2; exit 2; }
coop=$1 zip=$2 apply=${3:-}

call() { # METHOD PATH [curl args…]: the answer's body; exits 3 on a problem
  method=$1 path=$2; shift 2
  out=$(curl -sS -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}' "$@" "$url/api/v1$path") || exit 3
  code=$(printf '%s' "$out" | tail -n 1)
  body=$(printf '%s' "$out" | sed '$d')
  case $code in
    2??) printf '%s' "$body" ;;
    *) printf '%s\n' "$body" | jq -r '"error \(.status): \(.detail)" + (if .hint then " (\(.hint))" else "" end)' >&2; exit 3 ;;
  esac
}

wait_for() { # JOB_ID: the finished job
  while :; do
    job=$(call GET "/jobs/$1")
    case $(printf '%s' "$job" | jq -r .status) in
      succeeded) printf '%s' "$job"; return ;;
      failed | dead) printf '%s' "$job" | jq -r '"the import job failed: \(.error)"' >&2; exit 3 ;;
    esac
    sleep 1
  done
}

report() { # JOB: print the report; exit 1 when refused
  printf '%s' "$1" | jq -r '.result | (.changes | to_entries[] |
      "\(.key): \(.value.created) created, \(.value.updated) updated, \(.value.unchanged) unchanged, \(.value.removed) removed"),
    (.warnings[] | "warning: \(.file) line \(.line): \(.message)")'
  if [ "$(printf '%s' "$1" | jq -r .result.refused)" = true ]; then
    printf '%s' "$1" | jq -r '.result | "refused, nothing written (\(.problems_total) problems):",
      (.problems[] | "  \(.file) line \(.line), column \(.column // "-"): \(.message) (\(.fix))")' >&2
    exit 1
  fi
}

name=$(basename "$zip")
queued=$(call POST "/coops/$coop/imports?dry_run=true&file_name=$name" \
  -H 'Content-Type: application/zip' --data-binary "@$zip")
echo "checking $name…"
report "$(wait_for "$(printf '%s' "$queued" | jq -r .job)")"
[ "$apply" = --apply ] || { echo "dry run only: add --apply to import it"; exit 0; }
upload=$(printf '%s' "$queued" | jq -r .import)
applied=$(call POST "/coops/$coop/imports/$upload/apply")
echo "importing…"
report "$(wait_for "$(printf '%s' "$applied" | jq -r .job)")"
echo "imported"
