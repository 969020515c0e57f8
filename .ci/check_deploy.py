#!/usr/bin/env python3
"""Checks of the deployment files that no installed linter covers (promtool
and Grafana are not available here): the Prometheus configuration and alert
rules, the Grafana provisioning and dashboard, that every metric they query is
one the code exports, and that every BRIGHTPATH_* variable the deployment
files set is a documented setting. Prints each problem; exits 1 if any."""

import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
problems = []


def problem(path, msg):
    problems.append(f"{path.relative_to(ROOT)}: {msg}")


def load_yaml(rel):
    path = ROOT / rel
    try:
        return path, yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as e:
        problem(path, f"unreadable: {e}")
        return path, None


def exported_metrics():
    """Metric names written by the Rust sources (string literals)."""
    names = set()
    for src in ROOT.glob("brightpath-*/src/**/*.rs"):
        names.update(re.findall(r"\b(brightpath_[a-z0-9_]+)", src.read_text()))
    return names


def base_name(metric):
    return re.sub(r"_(bucket|sum|count)$", "", metric)


def check_metrics(path, exprs, exported):
    for expr in exprs:
        for m in re.findall(r"\b(brightpath_[a-z0-9_]+)", expr):
            if m not in exported and base_name(m) not in exported:
                problem(path, f"queries {m}, which the code does not export")


def check_prometheus(exported):
    path, cfg = load_yaml("deploy/prometheus/prometheus.yml")
    if cfg is not None:
        jobs = [s.get("job_name") for s in cfg.get("scrape_configs", [])]
        for want in ("brightpath-serve", "brightpath-worker"):
            if want not in jobs:
                problem(path, f"no scrape job {want}")
        if "/etc/prometheus/alerts.yml" not in cfg.get("rule_files", []):
            problem(path, "does not load /etc/prometheus/alerts.yml")
    path, rules = load_yaml("deploy/prometheus/alerts.yml")
    if rules is None:
        return
    exprs, names = [], set()
    for g in rules.get("groups", []):
        for r in g.get("rules", []):
            name = r.get("alert")
            if not name or not r.get("expr"):
                problem(path, f"rule without alert name or expr: {r}")
                continue
            if name in names:
                problem(path, f"alert {name} twice")
            names.add(name)
            if r.get("labels", {}).get("severity") not in ("warning", "critical"):
                problem(path, f"{name}: severity must be warning or critical")
            if not r.get("annotations", {}).get("summary"):
                problem(path, f"{name}: no summary")
            if str(r["expr"]).count("(") != str(r["expr"]).count(")"):
                problem(path, f"{name}: unbalanced parentheses")
            exprs.append(str(r["expr"]))
    for want in ("DeadLetters", "QueueWait", "5xx", "NotReady"):
        if not any(want in n for n in names):
            problem(path, f"no alert about {want}")
    check_metrics(path, exprs, exported)


def check_grafana(exported):
    path, ds = load_yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
    uids = {d.get("uid") for d in (ds or {}).get("datasources", [])}
    _, _ = load_yaml("deploy/grafana/provisioning/dashboards/brightpath.yml")
    for dash_path in sorted((ROOT / "deploy/grafana/dashboards").glob("*.json")):
        try:
            dash = json.loads(dash_path.read_text())
        except ValueError as e:
            problem(dash_path, f"not JSON: {e}")
            continue
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in dash:
                problem(dash_path, f"no {key}")
        ids, exprs = set(), []
        for p in dash.get("panels", []):
            if p.get("id") in ids:
                problem(dash_path, f"panel id {p.get('id')} twice")
            ids.add(p.get("id"))
            if "gridPos" not in p:
                problem(dash_path, f"panel {p.get('title')!r} has no gridPos")
            if p.get("type") == "row":
                continue
            if not p.get("targets"):
                problem(dash_path, f"panel {p.get('title')!r} has no query")
            for t in p.get("targets", []):
                uid = t.get("datasource", {}).get("uid")
                if uid not in uids:
                    problem(dash_path, f"panel {p.get('title')!r} uses datasource {uid!r}, not provisioned")
                exprs.append(t.get("expr", ""))
        check_metrics(dash_path, exprs, exported)


def check_settings():
    """Every BRIGHTPATH_* variable set by a deployment file is documented."""
    documented = set(re.findall(r"`(BRIGHTPATH_[A-Z0-9_]+)`", (ROOT / "docs/configuration.md").read_text()))
    files = ["compose.yaml", ".do/app.yaml", "deploy/env.example", "deploy/terraform/app.tf"]
    for rel in files:
        path = ROOT / rel
        for var in sorted(set(re.findall(r"\b(BRIGHTPATH_[A-Z0-9_]+)\b", path.read_text()))):
            if var in ("BRIGHTPATH_IMAGE", "BRIGHTPATH_PORT", "BRIGHTPATH_PUBLIC_URL"):
                continue  # compose's own knobs, not settings
            if var not in documented:
                problem(path, f"sets {var}, which docs/configuration.md does not list")


exported = exported_metrics()
check_prometheus(exported)
check_grafana(exported)
check_settings()
for p in problems:
    print(p)
print(f"check_deploy: {len(problems)} problems")
sys.exit(1 if problems else 0)
