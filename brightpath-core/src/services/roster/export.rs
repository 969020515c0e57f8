//! Export: the co-op's roster as a OneRoster 1.2 CSV zip (every file bulk),
//! with BrightPath's templates beside it, so that importing the export gives
//! back exactly what was there.

use std::collections::BTreeMap;
use std::io::Write;

use super::spec::{self, Fields, Kind, Spec};
use crate::error::{Error, Result};
use crate::store::Store;

/// The 1.2 users.csv header; role and orgs go to roles.csv.
const USER_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
];
const ROLE_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
];

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Internal(format!("cannot write CSV: {e}"));
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::Internal(format!("cannot write CSV: {e}")))
}

fn get(f: &Fields, k: &str) -> String {
    f.get(k).map(|v| v.to_string()).unwrap_or_default()
}

/// Rows of a kind in the spec's columns (with sourcedId, status, date first
/// for OneRoster files).
fn plain(s: &Spec, recs: &BTreeMap<String, Fields>, oneroster: bool) -> Result<Vec<u8>> {
    let mut header: Vec<&str> = if oneroster {
        vec!["sourcedId", "status", "dateLastModified"]
    } else {
        vec![]
    };
    header.extend(s.fields);
    let rows = recs
        .iter()
        .map(|(sid, f)| {
            header
                .iter()
                .map(|c| {
                    if *c == "sourcedId" {
                        sid.clone()
                    } else {
                        get(f, c)
                    }
                })
                .collect()
        })
        .collect();
    csv_bytes(&header, rows)
}

fn users(recs: &BTreeMap<String, Fields>) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    for (sid, f) in recs {
        let orgs: Vec<String> = get(f, "orgSourcedIds")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        users.push(
            USER_COLUMNS
                .iter()
                .map(|c| match *c {
                    "sourcedId" => sid.clone(),
                    "primaryOrgSourcedId" => orgs.first().cloned().unwrap_or_default(),
                    c => get(f, c),
                })
                .collect(),
        );
        let orgs = if orgs.is_empty() {
            vec![String::new()]
        } else {
            orgs
        };
        for (i, org) in orgs.iter().enumerate() {
            roles.push(vec![
                format!("{sid}-role-{}", i + 1),
                get(f, "status"),
                get(f, "dateLastModified"),
                sid.clone(),
                if i == 0 { "primary" } else { "secondary" }.to_string(),
                get(f, "role"),
                String::new(),
                String::new(),
                org.clone(),
                String::new(),
            ]);
        }
    }
    Ok((
        csv_bytes(USER_COLUMNS, users)?,
        csv_bytes(ROLE_COLUMNS, roles)?,
    ))
}

/// The co-op named `coop` (name or id) as a OneRoster 1.2 CSV zip.
pub async fn export(store: &Store, coop: &str) -> Result<Vec<u8>> {
    let mut by_kind: BTreeMap<Kind, BTreeMap<String, Fields>> = BTreeMap::new();
    {
        let mut tx = store.read().await?;
        let c = tx.find_coop(coop).await?;
        for r in tx.roster_records(&c.id).await? {
            let Some(kind) = Kind::parse(&r.kind) else {
                continue;
            };
            let f: Fields = spec::parse_fields(&r.fields).ok_or_else(|| {
                Error::Internal(format!(
                    "stored roster record {} is unreadable",
                    r.sourced_id
                ))
            })?;
            by_kind.entry(kind).or_default().insert(r.sourced_id, f);
        }
    }
    let empty = BTreeMap::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest = vec![
        vec!["manifest.version".to_string(), "1.0".into()],
        vec!["oneroster.version".into(), "1.2".into()],
    ];
    for s in spec::ONEROSTER {
        let recs = by_kind.get(&s.kind).unwrap_or(&empty);
        if s.kind == Kind::User {
            let (u, r) = users(recs)?;
            files.push((s.file.into(), u));
            files.push(("roles.csv".into(), r));
            manifest.push(vec!["file.roles".into(), "bulk".into()]);
        } else {
            files.push((s.file.into(), plain(s, recs, true)?));
        }
        manifest.push(vec![format!("file.{}", s.name), "bulk".into()]);
    }
    for s in [&spec::MEETINGS, &spec::TIME_ZONES] {
        if let Some(recs) = by_kind.get(&s.kind) {
            files.push((s.file.into(), plain(s, recs, false)?));
        }
    }
    manifest.push(vec!["source.systemName".into(), "BrightPath".into()]);
    files.insert(
        0,
        (
            "manifest.csv".into(),
            csv_bytes(&["propertyName", "value"], manifest)?,
        ),
    );
    zip_files(files)
}

fn zip_files(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>> {
    let fail = |e: String| Error::Internal(format!("cannot write the zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
    }
    Ok(zip.finish().map_err(|e| fail(e.to_string()))?.into_inner())
}
