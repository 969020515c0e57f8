//! Co-op roster import and export, on every backend: the real OneRoster
//! fixtures, the round trip, refused files (nothing written), and a class
//! that moves re-planning the family's week.

use std::path::PathBuf;

use brightpath_core::Store;
use brightpath_core::services::coop;
use brightpath_core::services::roster::{self, Files, ImportOptions, ImportReport, Source};

use crate::backends;
#[path = "roster/bad.rs"]
mod bad;
#[path = "roster/events.rs"]
mod events;
#[path = "roster/replan.rs"]
mod replan;

use bad::*;
use events::*;
use replan::*;

/// The shared OneRoster fixtures, or `None` (skip; on CI: fail).
pub fn fixtures() -> Option<PathBuf> {
    brightpath_core::testing::shared_testdata("oneroster/catalyst-moodle-enrol_oneroster")
}

pub async fn new_coop(store: &Store, name: &str) {
    coop::create(store, name, "America/Chicago")
        .await
        .expect("co-op");
}

pub async fn run(store: &Store, coop: &str, source: &Source) -> ImportReport {
    roster::import(store, coop, source, &ImportOptions::default())
        .await
        .expect("import runs")
}

/// A folder's files plus (or minus) some, as an in-memory roster.
pub fn files_of(dir: &std::path::Path, extra: &[(&str, &str)]) -> Files {
    let mut files = match Source::Path(dir.to_path_buf()).read(&Default::default()) {
        Ok(f) => f,
        Err(e) => panic!("read {}: {e}", dir.display()),
    };
    for (name, text) in extra {
        if text.is_empty() {
            files.files.remove(*name);
        } else {
            files
                .files
                .insert(name.to_string(), text.as_bytes().to_vec());
        }
    }
    files
}

fn counts(r: &ImportReport, kind: &str) -> (usize, usize, usize, usize) {
    let d = r.changes.get(kind).cloned().unwrap_or_default();
    (
        d.totals.created,
        d.totals.updated,
        d.unchanged,
        d.totals.removed,
    )
}

pub const MEETINGS: &str =
    "classSourcedId,day,start,end,place\ncls-222-123456,wed,13:00,14:30,Room 2-B\n";

async fn both_fixture_sets_import_and_a_second_import_changes_nothing(store: Store) {
    let Some(dir) = fixtures() else { return };
    new_coop(&store, "Physics Co-op").await;
    let v11 = Source::Files(files_of(
        &dir.join("v1p1_Test_full_data_set"),
        &[("class_meetings.csv", MEETINGS)],
    ));
    let r = run(&store, "Physics Co-op", &v11).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert_eq!(r.version, "1.1");
    // John Doe is Mary's and mmichel's agent and Thomas is Mary's parent: one
    // family; Jim Smith is Anna's: another. Jim's link to John (two grown-ups)
    // forms no family.
    assert_eq!(counts(&r, "families").0, 2, "{:#?}", r.changes);
    assert_eq!(counts(&r, "students").0, 3);
    assert_eq!(counts(&r, "guardians").0, 3);
    // The tobedeleted class, session and its enrollments are not kept.
    assert_eq!(counts(&r, "classes").0, 1);
    assert_eq!(counts(&r, "academicSessions").0, 4);
    assert_eq!(counts(&r, "enrollments").0, 3);
    // Physics meets on Wednesday: one event for the family of mmichel (a child
    // enrolled) with John who teaches it; Jim is enrolled as a student but is
    // a grown-up, so his family gets none.
    assert_eq!(counts(&r, "events").0, 1, "{:#?}", r.changes);
    let warned = |text: &str| r.warnings.iter().any(|w| w.message.contains(text));
    assert!(
        warned("courses.csv"),
        "a class's course in an absent file: {:#?}",
        r.warnings
    );
    assert!(warned("is deleted by this import"), "{:#?}", r.warnings);
    assert!(warned("two grown-ups"), "{:#?}", r.warnings);
    let again = run(&store, "Physics Co-op", &v11).await;
    assert!(!again.changed(), "{:#?}", again.changes);

    new_coop(&store, "Gotham").await;
    let v12 = Source::Path(dir.join("v1p2_oneroster_test_data"));
    let r = run(&store, "Gotham", &v12).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert_eq!(r.version, "1.2");
    assert_eq!(counts(&r, "students").0, 1);
    assert_eq!(counts(&r, "families").0, 1);
    // The subject code stays text.
    let zip = roster::export(&store, "Gotham").await.expect("export");
    let files =
        roster::oneroster::source::read_zip(&zip, "export", &Default::default()).expect("unzip");
    let courses =
        String::from_utf8(files.get("courses.csv").expect("courses").to_vec()).expect("utf8");
    assert!(courses.contains(",0101"), "{courses}");
    assert!(files.get("demographics.csv").is_none());
    assert!(
        r.warnings.iter().any(|w| w.file == "demographics.csv"),
        "{:#?}",
        r.warnings
    );
    assert!(!run(&store, "Gotham", &v12).await.changed());
}

/// Import, export, import the export: nothing changes, and a fresh store
/// given the export exports the same files.
async fn the_round_trip_is_identity(store: Store) {
    let Some(dir) = fixtures() else { return };
    new_coop(&store, "Trip").await;
    let tz = "userSourcedId,timeZone\nusr-222-567891,America/Denver\n";
    let src = Source::Files(files_of(
        &dir.join("v1p1_Test_full_data_set"),
        &[
            ("class_meetings.csv", MEETINGS),
            ("family_time_zones.csv", tz),
        ],
    ));
    assert!(!run(&store, "Trip", &src).await.refused());
    let first = roster::export(&store, "Trip").await.expect("export");
    let r = run(&store, "Trip", &Source::Zip(first.clone())).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert!(!r.changed(), "{:#?}", r.changes);
    // The same zip as a file, its entries read as streams from the disk.
    let on_disk = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(on_disk.path(), &first).expect("the zip written");
    let r = run(&store, "Trip", &Source::Path(on_disk.path().to_path_buf())).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert!(!r.changed(), "{:#?}", r.changes);

    let other = backends::sqlite().await;
    new_coop(&other.store, "Trip").await;
    let r = run(&other.store, "Trip", &Source::Zip(first.clone())).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    let second = roster::export(&other.store, "Trip").await.expect("export");
    let unzip = |b: &[u8]| {
        roster::oneroster::source::read_zip(b, "x", &Default::default())
            .expect("unzip")
            .files
    };
    assert_eq!(unzip(&first), unzip(&second));
    other.finish().await;
}

backends::conformance!(
    both_fixture_sets_import_and_a_second_import_changes_nothing,
    the_round_trip_is_identity,
    every_bad_row_is_refused_with_its_line_and_nothing_is_written,
    bad_files_are_refused,
    a_moved_class_replans_the_family_week,
    a_family_with_two_co_op_classes_on_one_day_plans,
    a_delta_removes_what_it_marks_and_keeps_the_rest,
    events_are_told_apart_and_kept_in_order,
    a_name_the_family_uses_refuses_the_import_whole,
);

/// A delta set: a child and her enrollments marked tobedeleted go, with her
/// family's co-op events; what the delta does not name stays. Line numbers
/// hold in a CRLF file with a quoted line break.
async fn a_delta_removes_what_it_marks_and_keeps_the_rest(store: Store) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    new_coop(&store, "Riverside").await;
    assert!(
        !run(&store, "Riverside", &Source::Path(dir.clone()))
            .await
            .refused()
    );
    let manifest =
        "propertyName,value\noneroster.version,1.2\nfile.users,delta\nfile.enrollments,delta\n";
    let users = "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,agentSourcedIds,role\nusr-june,tobedeleted,2026-09-01,,,,,,\n";
    let enr = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\nenr-science-june,tobedeleted,2026-09-01,,,,\nenr-art-june,tobedeleted,2026-09-01,,,,\n";
    let mut files = Files::default();
    for (n, t) in [
        ("manifest.csv", manifest),
        ("users.csv", users),
        ("enrollments.csv", enr),
    ] {
        files.files.insert(n.into(), t.as_bytes().to_vec());
    }
    let r = run(&store, "Riverside", &Source::Files(files.clone())).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert_eq!(counts(&r, "users"), (0, 0, 4, 1));
    assert_eq!(counts(&r, "students"), (0, 0, 2, 1));
    assert_eq!(counts(&r, "enrollments"), (0, 0, 3, 2));
    // June's family keeps Sam; its three class events go (Sam teaches none).
    assert_eq!(counts(&r, "events").3, 3, "{:#?}", r.changes);
    assert_eq!(counts(&r, "classes"), (0, 0, 2, 0));
    assert!(
        !run(&store, "Riverside", &Source::Files(files))
            .await
            .changed()
    );

    // A delta enrollment of nobody is refused, at its line in a CRLF file
    // whose row before holds a quoted line break.
    let mut files = Files::default();
    let enr = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,note\r\nenr-x,active,,cls-art-a,,usr-ben,student,\"two\r\nlines\"\r\nenr-y,active,,cls-art-a,,usr-nobody,student,\r\n";
    files.files.insert(
        "manifest.csv".into(),
        b"propertyName,value\noneroster.version,1.2\nfile.enrollments,delta\n".to_vec(),
    );
    files
        .files
        .insert("enrollments.csv".into(), enr.as_bytes().to_vec());
    let r = run(&store, "Riverside", &Source::Files(files)).await;
    let hit = r.problems.iter().any(|p| {
        p.file == "enrollments.csv" && p.line == 4 && p.column.as_deref() == Some("userSourcedId")
    });
    assert!(hit, "{:#?}", r.problems);
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
}
