//! The files that say how to read the others: `manifest.csv` (the version
//! and each file's mode) and a 1.2 `roles.csv` (each user's primary role and
//! orgs, which 1.1 keeps in `users.csv`).

use super::{HashMap, Limits, Parsed, Problem, table};
use crate::services::roster::spec::{self, Kind};

pub(super) fn read_manifest(
    input: &mut dyn std::io::Read,
    limits: &Limits,
    out: &mut Parsed,
) -> HashMap<String, String> {
    let mut map = HashMap::default();
    let Some(t) = table::read("manifest.csv", input, limits, &mut out.problems) else {
        return map;
    };
    let (Some(k), Some(v)) = (t.col("propertyName"), t.col("value")) else {
        out.problems.push(Problem::new(
            "manifest.csv",
            1,
            None,
            "the header is not propertyName,value",
            "the first line of manifest.csv is propertyName,value",
        ));
        return map;
    };
    for r in &t.rows {
        map.insert(r.fields[k].to_string(), r.fields[v].to_string());
    }
    match map.get("oneroster.version").map(String::as_str) {
        Some(v @ ("1.0" | "1.1" | "1.2")) => out.version = v.to_string(),
        Some(v) => out.problems.push(Problem::new(
            "manifest.csv",
            0,
            Some("value"),
            format!("oneroster.version {v:?} is not one BrightPath reads"),
            "BrightPath reads OneRoster 1.1 and 1.2 CSV",
        )),
        None => out.problems.push(Problem::new(
            "manifest.csv",
            0,
            None,
            "no oneroster.version line",
            "add oneroster.version,1.2",
        )),
    }
    map
}

/// Roles from a 1.2 roles.csv: each user's primary role and its orgs.
#[derive(Default)]
pub(super) struct Roles {
    pub(super) role: HashMap<String, String>,
    pub(super) orgs: HashMap<String, Vec<String>>,
}

pub(super) fn read_roles(
    input: &mut dyn std::io::Read,
    limits: &Limits,
    out: &mut Parsed,
) -> Roles {
    let mut roles = Roles::default();
    let Some(t) = table::read("roles.csv", input, limits, &mut out.problems) else {
        return roles;
    };
    let cols = ["userSourcedId", "roleType", "role", "orgSourcedId"];
    let idx: Vec<Option<usize>> = cols.iter().map(|c| t.col(c)).collect();
    for (c, i) in cols.iter().zip(&idx) {
        if i.is_none() {
            out.problems.push(Problem::new(
                "roles.csv",
                1,
                Some(c),
                "the column is missing",
                format!("roles.csv needs the columns {}", cols.join(", ")),
            ));
        }
    }
    let [Some(user), Some(kind), Some(role), Some(org)] = idx[..] else {
        return roles;
    };
    let status = t.col("status");
    for r in &t.rows {
        if status.is_some_and(|s| r.fields[s].eq_ignore_ascii_case("tobedeleted")) {
            continue;
        }
        let u = r.fields[user].to_string();
        match spec::check(Kind::User, "role", &r.fields[role]) {
            Ok(v) if r.fields[kind].eq_ignore_ascii_case("primary") => {
                roles.role.insert(u.clone(), v);
            }
            Ok(_) => {}
            Err((m, fix)) => {
                out.problems
                    .push(Problem::new("roles.csv", r.line, Some("role"), m, fix))
            }
        }
        if !r.fields[org].is_empty() {
            roles
                .orgs
                .entry(u)
                .or_default()
                .push(r.fields[org].to_string());
        }
    }
    roles
}
