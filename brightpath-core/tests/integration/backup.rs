//! Backups move a school between backends: the demo school is backed up from
//! SQLite, restored into PostgreSQL and back into a fresh SQLite, and each
//! copy gives the same plan, reports and calendar. Broken, newer and
//! conflicting archives are refused with nothing written.

use crate::backends;

use brightpath_core::Store;
use brightpath_core::model::Family;
use brightpath_core::services::demo::{DemoOptions, build_with, play_history};
use brightpath_core::services::records::{AttendanceRule, attendance_report, records, to_csv};
use brightpath_core::services::{backup, ics, lists, view};
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 12, 1);

/// What a family sees: four weeks of plans, the attendance report of the
/// year so far and the calendar export, as text.
async fn what_it_shows(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for family in lists::families(store).await.expect("families") {
        out.push(format!("{family:?}"));
        for w in 0..4 {
            let week = TODAY.saturating_add(jiff::Span::new().weeks(w - 2));
            let v = view::load_week(store, &family, week).await.expect("week");
            out.push(serde_json::to_string(&v).expect("json"));
        }
        let recs = records(
            store,
            &family,
            date(2026, 8, 1),
            TODAY,
            &[],
            AttendanceRule::default(),
        )
        .await
        .expect("records");
        out.push(to_csv(&attendance_report(&family.name, &recs)));
        let stamp: jiff::Timestamp = "2026-12-01T12:00:00Z".parse().expect("stamp");
        out.push(
            ics::export(
                store,
                &family,
                date(2026, 11, 1),
                date(2026, 12, 31),
                &[],
                stamp,
            )
            .await
            .expect("calendar"),
        );
    }
    out
}

/// The archive's rows without its manifest line (which carries the time).
fn rows_of(archive: &[u8]) -> String {
    let text = String::from_utf8(archive.to_vec()).expect("utf8");
    text.split_once('\n').expect("manifest line").1.to_owned()
}

async fn take(store: &Store, family: Option<&Family>) -> Vec<u8> {
    let mut out = Vec::new();
    backup::backup(store, family, &mut out)
        .await
        .expect("backup");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_school_moves_from_sqlite_to_postgres_and_back() {
    let Some(pg) = backends::postgres().await else {
        return;
    };
    let laptop = backends::sqlite().await;
    let demo = build_with(&laptop.store, TODAY, DemoOptions { history: true })
        .await
        .expect("demo");
    // The weeks so far planned and marked, as `brightpath demo` does.
    let played = play_history(&laptop.store, &demo.family, TODAY, 1)
        .await
        .expect("history");
    assert!(played.weeks > 0 && played.done > 0, "{played:?}");
    let before = what_it_shows(&laptop.store).await;
    assert!(
        before.iter().any(|s| s.contains("BEGIN:VEVENT")),
        "the calendar has events"
    );

    let archive = take(&laptop.store, None).await;
    let m = backup::restore(&pg.store, archive.as_slice())
        .await
        .expect("restore into PostgreSQL");
    assert_eq!(m.scope, "all");
    assert!(m.tables["sessions"] > 0 && m.tables["plans"] > 0, "{m:?}");
    assert_eq!(
        what_it_shows(&pg.store).await,
        before,
        "PostgreSQL shows the same"
    );
    let from_pg = take(&pg.store, None).await;
    assert_eq!(
        rows_of(&from_pg),
        rows_of(&archive),
        "the same rows, byte for byte"
    );

    let back = backends::sqlite().await;
    backup::restore(&back.store, from_pg.as_slice())
        .await
        .expect("restore into SQLite");
    assert_eq!(
        what_it_shows(&back.store).await,
        before,
        "and back on SQLite"
    );

    back.finish().await;
    laptop.finish().await;
    pg.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_family_moves_alone_and_a_second_restore_is_refused() {
    let laptop = backends::sqlite().await;
    let demo = build_with(&laptop.store, TODAY, DemoOptions::default())
        .await
        .expect("demo");
    let archive = take(&laptop.store, Some(&demo.family)).await;
    let server = backends::sqlite().await;
    let m = backup::restore(&server.store, archive.as_slice())
        .await
        .expect("restore");
    assert_eq!(
        (m.scope.as_str(), m.families.as_slice()),
        ("family", [demo.family.id.clone()].as_slice())
    );
    assert_eq!(
        what_it_shows(&server.store).await,
        what_it_shows(&laptop.store).await
    );

    let before = take(&server.store, None).await;
    let e = backup::restore(&server.store, archive.as_slice())
        .await
        .expect_err("already there");
    assert_eq!(e.kind(), brightpath_core::ErrorKind::Conflict, "{e}");
    assert!(e.to_string().contains(&demo.family.id), "{e}");
    assert_eq!(
        rows_of(&take(&server.store, None).await),
        rows_of(&before),
        "nothing written"
    );
    server.finish().await;
    laptop.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_newer_and_foreign_archives_are_refused() {
    let laptop = backends::sqlite().await;
    build_with(&laptop.store, TODAY, DemoOptions::default())
        .await
        .expect("demo");
    let archive = String::from_utf8(take(&laptop.store, None).await).expect("utf8");
    let target = backends::sqlite().await;
    let refused = |text: String| {
        let store = target.store.clone();
        async move {
            backup::restore(&store, text.as_bytes())
                .await
                .expect_err("refused")
                .to_string()
        }
    };

    // Cut short: the last line is missing.
    let cut = archive
        .trim_end()
        .rsplit_once('\n')
        .expect("lines")
        .0
        .to_owned();
    assert!(refused(cut).await.contains("cut short"));
    // From a newer schema than this database has.
    let (head, rest) = archive.split_once('\n').expect("manifest");
    let mut manifest: serde_json::Value = serde_json::from_str(head).expect("manifest json");
    manifest["schema_version"] = 999.into();
    let newer_schema = format!("{manifest}\n{rest}");
    assert!(refused(newer_schema).await.contains("schema version 999"));
    manifest["schema_version"] = 1.into();
    manifest["format_version"] = 7.into();
    assert!(
        refused(format!("{manifest}\n{rest}"))
            .await
            .contains("format version 7")
    );
    // Not a backup at all.
    assert!(
        refused("BEGIN:VCALENDAR\n".into())
            .await
            .contains("not a BrightPath backup")
    );
    assert!(refused(String::new()).await.contains("empty"));
    assert!(
        lists::families(&target.store)
            .await
            .expect("families")
            .is_empty(),
        "nothing written"
    );
    target.finish().await;
    laptop.finish().await;
}
