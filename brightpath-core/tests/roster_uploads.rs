//! Roster uploads (what the API's import jobs read), on every backend: the
//! bytes come back as they went in (BLOB and BYTEA), a dry run writes
//! nothing, an apply is recorded on the upload, and a body that is not a
//! zip is refused before anything is kept.

use std::io::Write as _;
use std::path::PathBuf;

use brightpath_core::Store;
use brightpath_core::services::coop;
use brightpath_core::services::roster::{self, ImportOptions, uploads};

#[path = "support/backends.rs"]
mod backends;

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

backends::conformance!(an_upload_is_checked_then_applied,);
