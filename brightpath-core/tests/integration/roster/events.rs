//! The family events an import makes: two classes of one title on one day
//! in one family are told apart, and a class whose sourcedId makes its
//! events' keys sort out of the meetings' order (here `cls-art-a|wed#2`,
//! whose `#` sorts before the `|` of `cls-art-a|wed|…`) still gives the same
//! events, and an import again changes nothing.

use brightpath_core::Store;
use brightpath_core::services::roster::{Files, Source};
use brightpath_core::services::{lists, school};

use super::{files_of, new_coop, run};

fn with_second_art_class() -> Files {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    let base = files_of(&dir, &[]);
    let text =
        |name: &str| String::from_utf8(base.get(name).expect("a file").to_vec()).expect("utf8");
    let classes = format!(
        "{}cls-art-a|wed#2,active,2026-08-01,Art Studio,,crs-art,ART-B,scheduled,Room 5,org-riverside,term-fall-2026,art,0201,\n",
        text("classes.csv")
    );
    let meetings = format!(
        "{}cls-art-a|wed#2,wed,13:00,14:00,Room 5,elective\n",
        text("class_meetings.csv")
    );
    let enrollments = format!(
        "{}enr-art2-ben,active,2026-08-01,cls-art-a|wed#2,org-riverside,usr-ben,student,false,,\n",
        text("enrollments.csv")
    );
    files_of(
        &dir,
        &[
            ("classes.csv", &classes),
            ("class_meetings.csv", &meetings),
            ("enrollments.csv", &enrollments),
        ],
    )
}

async fn event_names(store: &Store, family: &str) -> Vec<String> {
    let families = lists::families(store).await.expect("families");
    let f = families
        .iter()
        .find(|f| f.name == family)
        .unwrap_or_else(|| panic!("no {family} in {families:?}"));
    let view = school::overview(store, f).await.expect("overview");
    let mut names: Vec<String> = view.events.iter().map(|e| e.name.clone()).collect();
    names.sort();
    names
}

pub async fn events_are_told_apart_and_kept_in_order(store: Store) {
    new_coop(&store, "Riverside").await;
    let source = Source::Files(with_second_art_class());
    let r = run(&store, "Riverside", &source).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    assert_eq!(
        event_names(&store, "Rivera family").await,
        [
            "Art Studio (fri)",
            "Art Studio (wed) [cls-art-a]",
            "Art Studio (wed) [cls-art-a|wed#2]",
            "Hands-on Science (wed)",
        ],
    );
    // The Okafors take one Art Studio on Wednesday: no sourcedId in its name.
    assert!(
        event_names(&store, "Okafor family")
            .await
            .contains(&"Art Studio (wed)".to_string())
    );
    let again = run(&store, "Riverside", &source).await;
    assert!(!again.changed(), "{:#?}", again.changes);
    let events = &again.changes["events"];
    assert_eq!(events.unchanged, r.changes["events"].totals.created);
}

/// A family's own event named as a new co-op event would be: the import
/// fails with a conflict that says what to rename, and nothing of it is kept
/// (the failing statement runs behind the merge, in the same transaction).
pub async fn a_name_the_family_uses_refuses_the_import_whole(store: Store) {
    use brightpath_core::calendar::{Clock, Weekday, Window};
    use brightpath_core::model::{Recurrence, SchoolTime};
    new_coop(&store, "Riverside").await;
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    let first = files_of(&dir, &[]);
    let r = run(&store, "Riverside", &Source::Files(first)).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    let families = lists::families(&store).await.expect("families");
    let rivera = families
        .iter()
        .find(|f| f.name == "Rivera family")
        .expect("Riveras");
    let clock = |t: &str| Clock::parse("t", t).expect("time");
    let view = school::overview(&store, rivera).await.expect("overview");
    let ada = view
        .students
        .iter()
        .find(|s| s.name == "Ada Rivera")
        .expect("Ada");
    school::add_event(
        &store,
        &rivera.id,
        school::EventInput {
            name: "Art Studio (tue)".into(),
            recurrence: Recurrence::Weekly(Weekday::parse("tue").expect("day")),
            window: Window {
                start: clock("15:00"),
                end: clock("16:00"),
            },
            away: false,
            school: SchoolTime::No,
            students: vec![ada.id.clone()],
            guardians: vec![],
        },
    )
    .await
    .expect("the family's own event");
    let before = event_names(&store, "Rivera family").await;
    let meetings = "classSourcedId,day,start,end,place,school\ncls-science-a,thu,09:00,10:30,Fellowship Hall,core\ncls-art-a,tue,10:45,12:00,Room 4,elective\n";
    let moved = files_of(&dir, &[("class_meetings.csv", meetings)]);
    let err = brightpath_core::services::roster::import(
        &store,
        "Riverside",
        &Source::Files(moved),
        &Default::default(),
    )
    .await
    .expect_err("a name the family uses");
    assert!(err.to_string().contains("already has a event"), "{err}");
    assert_eq!(event_names(&store, "Rivera family").await, before);
}
