//! Roster import benchmark: a generated co-op (by default 30,000 families,
//! about 100,000 users, 300,000 enrollments, 2,000 classes meeting weekly)
//! written as a OneRoster 1.2 folder, imported fresh, then imported again
//! unchanged; peak memory (VmHWM) after each. On PostgreSQL the same rows are
//! then loaded with `COPY` (psql `\copy`, one transaction) into a fresh
//! database: the physical limit to compare with. `--once` stops after the
//! first import (for a memory profile of it alone); `--out DIR` only writes
//! the co-op's files to DIR.
//!
//!   cargo run --release -p brightpath-core --example roster_bench -- [--families 30000] [--db postgres://…] [--once] [--out DIR]
//!
//! Without --db it uses a fresh SQLite file in a temp directory. With a
//! PostgreSQL URL it creates fresh databases next to the one named.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use brightpath_core::Store;
use brightpath_core::services::coop;
use brightpath_core::services::roster::{self, ImportOptions, Source};

#[path = "support/bench.rs"]
mod bench;

use bench::{Res, Rng, drop_db, fresh_postgres};

const CLASSES: usize = 2_000;
const DAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// Writes the co-op's files; returns (users, enrollments).
fn generate(dir: &Path, families: usize) -> Res<(usize, usize)> {
    let w = |name: &str, text: &str| std::fs::write(dir.join(name), text);
    w(
        "manifest.csv",
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\nfile.classes,bulk\nfile.users,bulk\nfile.roles,bulk\nfile.enrollments,bulk\n",
    )?;
    w(
        "orgs.csv",
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-1,active,2026-08-01,Big Co-op,school,BIG,\n",
    )?;
    w(
        "academicSessions.csv",
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\nterm-1,active,2026-08-01,Fall,term,2026-08-31,2026-12-18,,2027\n",
    )?;
    let mut courses = String::from(
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n",
    );
    for i in 0..200 {
        writeln!(
            courses,
            "crs-{i},active,2026-08-01,,Course {i},C{i},,org-1,subject,{:04}",
            i % 50
        )?;
    }
    w("courses.csv", &courses)?;
    let mut classes = String::from(
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n",
    );
    let mut meetings = String::from("classSourcedId,day,start,end,place\n");
    for i in 0..CLASSES {
        writeln!(
            classes,
            "cls-{i},active,2026-08-01,Class {i},,crs-{},K{i},scheduled,Room {},org-1,term-1,,,",
            i % 200,
            i % 40
        )?;
        let start = 9 * 60 + (i % 5) * 75;
        writeln!(
            meetings,
            "cls-{i},{},{:02}:{:02},{:02}:{:02},Room {}",
            DAYS[i % 5],
            start / 60,
            start % 60,
            (start + 60) / 60,
            (start + 60) % 60,
            i % 40
        )?;
    }
    w("classes.csv", &classes)?;
    w("class_meetings.csv", &meetings)?;
    let mut users = String::from(
        "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n",
    );
    let mut roles = String::from(
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n",
    );
    let mut enr = String::from(
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n",
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut n_users, mut n_enr) = (0, 0);
    for f in 0..families {
        let parents: Vec<String> = (0..1 + rng.below(2))
            .map(|p| format!("u-{f}-p{p}"))
            .collect();
        let kids: Vec<String> = (0..1 + rng.below(3))
            .map(|k| format!("u-{f}-k{k}"))
            .collect();
        for (i, p) in parents.iter().enumerate() {
            writeln!(
                users,
                "{p},active,2026-08-01,true,{p},,Parent{i},Fam{f},,,{p}@example.org,,,\"{}\",,,,,,,org-1,",
                kids.join(",")
            )?;
            writeln!(roles, "r-{p},active,2026-08-01,{p},primary,parent,,,org-1,")?;
        }
        for (i, k) in kids.iter().enumerate() {
            writeln!(
                users,
                "{k},active,2026-08-01,true,,,Kid{i},Fam{f},,,,,,\"{}\",0{},,,,,,org-1,",
                parents.join(","),
                1 + i
            )?;
            writeln!(
                roles,
                "r-{k},active,2026-08-01,{k},primary,student,,,org-1,"
            )?;
            let mut taken = Vec::new();
            while taken.len() < 5 {
                let c = rng.below(CLASSES as u64);
                if !taken.contains(&c) {
                    taken.push(c);
                    writeln!(
                        enr,
                        "e-{k}-{c},active,2026-08-01,cls-{c},org-1,{k},student,false,,"
                    )?;
                }
            }
            n_enr += 5;
        }
        if f % 15 == 0 {
            writeln!(
                enr,
                "e-{}-t,active,2026-08-01,cls-{},org-1,{},teacher,true,,",
                parents[0],
                f % CLASSES,
                parents[0]
            )?;
            n_enr += 1;
        }
        n_users += parents.len() + kids.len();
    }
    w("users.csv", &users)?;
    w("roles.csv", &roles)?;
    w("enrollments.csv", &enr)?;
    Ok((n_users, n_enr))
}

/// The process's peak resident memory (Linux), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

const TABLES: [&str; 6] = [
    "coops",
    "families",
    "people",
    "students",
    "fixed_events",
    "roster_chunks",
];

fn psql(url: &str, script: &str) -> Res<()> {
    let out = std::process::Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-1", url, "-c", script])
        .output()?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
}

/// COPY of the rows the import wrote, into the same tables of a fresh database.
async fn copy_limit(base: &str, from: &str, dir: &Path) -> Res<f64> {
    for t in TABLES {
        let file = dir.join(format!("{t}.copy"));
        let cmd = format!("\\copy {t} TO '{}'", file.display());
        std::process::Command::new("psql")
            .args(["-q", from, "-c", &cmd])
            .status()?;
    }
    let to = fresh_postgres(base).await?;
    let store = Store::open(&to).await?;
    store.close().await;
    let t = Instant::now();
    // One transaction, one psql: every table's rows with COPY.
    let mut script = String::new();
    for table in TABLES {
        let _ = writeln!(
            script,
            "\\copy {table} FROM '{}'",
            dir.join(format!("{table}.copy")).display()
        );
    }
    let file = dir.join("copy.sql");
    std::fs::write(&file, script)?;
    let out = std::process::Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-1", &to, "-f"])
        .arg(&file)
        .output()?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let secs = t.elapsed().as_secs_f64();
    psql(&to, "SELECT 1")?;
    drop_db(base, &to).await?;
    Ok(secs)
}

#[tokio::main]
async fn main() -> Res<()> {
    // RUST_LOG=brightpath_core=debug shows where each import's time goes.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let families = bench::number("--families", 30_000)?;
    let dir = tempfile::tempdir()?;
    // `--out DIR`: write the co-op's files there and stop (to import them
    // with the CLI, as a co-op admin's script would).
    let out = bench::arg("--out");
    let files = out
        .as_ref()
        .map_or_else(|| dir.path().join("roster"), std::path::PathBuf::from);
    std::fs::create_dir_all(&files)?;
    let t = Instant::now();
    let (users, enrollments) = generate(&files, families)?;
    println!(
        "generated {families} families, {users} users, {enrollments} enrollments, {CLASSES} classes in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    if out.is_some() {
        println!("wrote {}", files.display());
        return Ok(());
    }
    let base = bench::arg("--db");
    let url = match &base {
        Some(u) if u.starts_with("postgres") => fresh_postgres(u).await?,
        Some(u) => u.clone(),
        None => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let store = Store::open(&url).await?;
    coop::create(&store, "Big Co-op", "America/Chicago").await?;
    let source = Source::Path(files.clone());
    let options = ImportOptions::default();
    let before = peak_mib();
    let t = Instant::now();
    let r = roster::import(&store, "Big Co-op", &source, &options)
        .await?
        .into_result()?;
    let first = t.elapsed().as_secs_f64();
    let events = r.changes.get("events").map_or(0, |d| d.totals.created);
    println!(
        "import: {first:.2}s ({} families, {events} events), peak {:.0} MiB (before: {before:.0} MiB)",
        r.changes.get("families").map_or(0, |d| d.totals.created),
        peak_mib()
    );
    if std::env::args().any(|a| a == "--once") {
        // For a profile of the first import alone.
        return Ok(());
    }
    let t = Instant::now();
    let r = roster::import(&store, "Big Co-op", &source, &options)
        .await?
        .into_result()?;
    let again = t.elapsed().as_secs_f64();
    assert!(!r.changed(), "an unchanged re-import changed something");
    println!(
        "re-import unchanged: {again:.2}s, peak {:.0} MiB",
        peak_mib()
    );
    store.close().await;
    if let Some(b) = base.filter(|u| u.starts_with("postgres")) {
        let copy = copy_limit(&b, &url, dir.path()).await?;
        println!(
            "COPY of the same rows into the same tables: {copy:.2}s (import is {:.1}x)",
            first / copy
        );
        drop_db(&b, &url).await?;
    }
    Ok(())
}
