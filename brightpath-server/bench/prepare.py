"""Reads what the wrk scripts need from the running server: every family's id,
its week's ETag, and the planned sessions (with versions) that POST done marks."""
import json
import sys
import urllib.request

base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]


def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return r.headers, json.load(r)


fams, cursor = [], None
while True:
    _, page = get("/api/v1/families?limit=500" + (f"&cursor={cursor}" if cursor else ""))
    fams += [f["id"] for f in page["items"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
with open(f"{out}/families.txt", "w") as f, open(f"{out}/etags.txt", "w") as e, open(
    f"{out}/sessions.txt", "w"
) as s:
    for fid in fams:
        f.write(fid + "\n")
        h, week = get(f"/api/v1/families/{fid}/week?date=2026-11-30")
        e.write(f"{fid} {h['ETag']}\n")
        for x in week["sessions"]:
            if x["status"] == "planned":
                s.write(f"{fid} {x['id']} {x['version']}\n")
