//! Roster uploads (what the API's import jobs read), on every backend: the
//! bytes come back as they went in (BLOB and BYTEA), a dry run writes
//! nothing, an apply is recorded on the upload, and a body that is not a
//! zip is refused before anything is kept.

use std::io::Write as _;
use std::path::PathBuf;

use brightpath_core::Store;
use brightpath_core::services::coop;
use brightpath_core::services::roster::{self, ImportOptions, uploads};

use crate::backends;

/// The in-repo example roster as a zip.
fn riverside_zip() -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("example roster")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    names.sort();
    for p in names {
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        z.write_all(&std::fs::read(&p).expect("read"))
            .expect("write");
    }
    z.finish().expect("zip").into_inner()
}

async fn an_upload_is_checked_then_applied(store: Store) {
    let c = coop::create(&store, "Riverside", "America/Chicago")
        .await
        .expect("co-op");
    let now = jiff::Timestamp::now();
    let err = uploads::keep(&store, &c, "x.csv", b"name\n", "ines", now)
        .await
        .expect_err("not a zip");
    assert!(err.to_string().contains("not a zip"), "{err}");
    assert!(uploads::list(&store, &c).await.expect("list").is_empty());

    let zip = riverside_zip();
    let u = uploads::keep(&store, &c, "fall.zip", &zip, "ines", now)
        .await
        .expect("kept");
    assert_eq!(u.bytes as usize, zip.len());
    let body = store
        .read()
        .await
        .expect("read")
        .roster_upload_body(&c.id, &u.id)
        .await
        .expect("body");
    assert_eq!(body, zip, "the bytes come back as they went in");

    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let r = uploads::import(&store, &c.id, &u.id, "job-1", &dry)
        .await
        .expect("dry run");
    assert!(!r.refused(), "{:#?}", r.problems);
    assert!(r.changed());
    assert!(
        coop::roster(&store, &c.id)
            .await
            .expect("roster")
            .is_empty()
    );
    let listed = uploads::get(&store, &c, &u.id).await.expect("get");
    assert_eq!(listed.last_job.as_deref(), Some("job-1"));
    assert!(listed.applied_at.is_none());

    let r = uploads::import(&store, &c.id, &u.id, "job-2", &ImportOptions::default())
        .await
        .expect("apply");
    assert!(!r.refused());
    let families = coop::roster(&store, &c.id).await.expect("roster");
    assert!(!families.is_empty());
    let s = r.summary();
    assert_eq!(s.changes["families"].created, families.len());
    let listed = uploads::get(&store, &c, &u.id).await.expect("get");
    assert!(listed.applied_at.is_some());
    assert_eq!(listed.last_job.as_deref(), Some("job-2"));

    // The admin's class lists: course, meetings, teacher, children by family.
    let classes = roster::classes::classes(&store, &c.id)
        .await
        .expect("classes");
    let titles: Vec<&str> = classes.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Art Studio", "Hands-on Science"]);
    let science = &classes[1];
    assert_eq!(science.meetings.len(), 1);
    assert_eq!(science.meetings[0].day, "wed");
    assert_eq!(
        science.meetings[0].place.as_deref(),
        Some("Fellowship Hall")
    );
    assert_eq!(science.teachers.len(), 1, "{science:?}");
    assert_eq!(science.students.len(), 2, "{science:?}");
    let names: Vec<&str> = families.iter().map(|f| f.name.as_str()).collect();
    assert!(
        science
            .students
            .iter()
            .all(|s| s.family.as_deref().is_some_and(|f| names.contains(&f))),
        "every child is placed in a family of the roster: {science:?}"
    );
    let art: Vec<&str> = classes[0].meetings.iter().map(|m| m.day.as_str()).collect();
    assert_eq!(
        art,
        ["wed", "fri"],
        "Art meets twice a week, in the week's order"
    );

    // Another co-op cannot read this one's upload.
    let other = coop::create(&store, "Elsewhere", "America/Chicago")
        .await
        .expect("co-op");
    assert!(uploads::get(&store, &other, &u.id).await.is_err());
}

/// A database from before migration 10 kept one row per roster record
/// (`roster_records`); the migration moves them into chunks. Here the old
/// table is rebuilt from an imported co-op, migration 10 runs again, and the
/// co-op reads back the same: the same export, the same class lists, and an
/// unchanged re-import changes nothing.
async fn migration_10_moves_roster_records_into_chunks(store: Store) {
    let c = coop::create(&store, "Riverside", "America/Chicago")
        .await
        .expect("co-op");
    let now = jiff::Timestamp::now();
    let u = uploads::keep(&store, &c, "r.zip", &riverside_zip(), "ines", now)
        .await
        .expect("kept");
    let first = uploads::import(&store, &c.id, &u.id, "j1", &ImportOptions::default())
        .await
        .expect("import");
    assert!(!first.refused());
    let before = roster::export(&store, &c.id).await.expect("export");
    let classes_before = roster::classes::classes(&store, &c.id)
        .await
        .expect("classes");
    let records = store
        .read()
        .await
        .expect("read")
        .roster_records(&c.id)
        .await
        .expect("records");
    assert!(records.len() > 10);

    // Back to the layout of migration 7, holding the same records.
    let lit = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let opt = |v: &Option<String>| v.as_deref().map_or("NULL".to_string(), lit);
    store
        .raw_execute(
            "CREATE TABLE roster_records (
                coop_id TEXT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
                kind TEXT NOT NULL, sourced_id TEXT NOT NULL, fields TEXT NOT NULL,
                family_id TEXT REFERENCES families(id) ON DELETE SET NULL, target_id TEXT,
                PRIMARY KEY (coop_id, kind, sourced_id))",
        )
        .await
        .expect("old table");
    for r in &records {
        store
            .raw_execute(&format!(
                "INSERT INTO roster_records VALUES ({}, {}, {}, {}, {}, {})",
                lit(&c.id),
                lit(&r.kind),
                lit(&r.sourced_id),
                lit(&r.fields),
                opt(&r.family_id),
                opt(&r.target_id)
            ))
            .await
            .expect("old row");
    }
    store
        .raw_execute("DROP TABLE roster_chunks")
        .await
        .expect("drop");
    store
        .raw_execute("DELETE FROM brightpath_migrations WHERE version = 10")
        .await
        .expect("forget 10");
    store.migrate().await.expect("migration 10 runs again");
    assert!(
        store
            .raw_execute("SELECT 1 FROM roster_records")
            .await
            .is_err(),
        "the old table is gone"
    );

    let unzip = |b: &[u8]| {
        roster::oneroster::source::read_zip(b, "x", &Default::default())
            .expect("unzip")
            .files
    };
    let after = roster::export(&store, &c.id).await.expect("export");
    assert_eq!(unzip(&before), unzip(&after), "the same roster");
    assert_eq!(
        roster::classes::classes(&store, &c.id)
            .await
            .expect("classes"),
        classes_before
    );
    let again = uploads::import(&store, &c.id, &u.id, "j2", &ImportOptions::default())
        .await
        .expect("import again");
    assert!(!again.changed(), "{:#?}", again.changes);
}

backends::conformance!(
    an_upload_is_checked_then_applied,
    migration_10_moves_roster_records_into_chunks,
);
