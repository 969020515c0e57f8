//! `ml.train`: a family's feedback trained into a kept model version; nothing
//! new, nothing trained; `learning = off`, nothing at all; each run that
//! trains is the next version and the current one.

use brightpath_core::Store;
use brightpath_core::calendar::parse_date;
use brightpath_core::config::Learning;
use brightpath_core::services::progress::{self, DoneInput, Selector};
use brightpath_core::services::{demo, learned, planning};
use brightpath_server::learning::train_family;

#[tokio::test]
async fn training_keeps_versions_and_skips_when_nothing_is_new() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ml.db").display()))
        .await
        .expect("store");
    let today = parse_date("d", "2026-10-05").expect("date");
    let demo = demo::build_with(&store, today, demo::DemoOptions { history: true })
        .await
        .expect("demo");
    let f = demo.family;
    demo::play_history(&store, &f, today, 1)
        .await
        .expect("history");
    let pending = learned::pending(&store, &f.id).await.expect("pending");
    assert!(pending > 100, "{pending}");

    let off = train_family(&store, &f, Learning::Off, "2026-10-05T12:00:00Z")
        .await
        .expect("off");
    assert_eq!(off["trained"], false, "{off}");
    assert_eq!(learned::current(&store, &f.id).await.expect("read"), None);

    let first = train_family(&store, &f, Learning::Suggest, "2026-10-05T12:00:00Z")
        .await
        .expect("train");
    assert_eq!(
        (first["trained"].clone(), first["version"].clone()),
        (true.into(), 1.into()),
        "{first}"
    );
    assert_eq!(first["new_feedback"], pending);
    let again = train_family(&store, &f, Learning::Suggest, "2026-10-05T13:00:00Z")
        .await
        .expect("again");
    assert_eq!(again["reason"], "no new feedback", "{again}");

    // One more lesson with feedback, marked on the 6th: a new version.
    let opts = planning::PlanOptions {
        actor: "t".into(),
        ..Default::default()
    };
    let week = planning::plan_week(&store, &f, today, &opts)
        .await
        .expect("plan");
    let id = week.sessions[0].id.clone();
    let input = DoneInput {
        actual_minutes: Some(30),
        engagement: Some(4),
        ..Default::default()
    };
    let day = parse_date("d", "2026-10-06").expect("date");
    progress::mark_done(&store, &f, &Selector::one(&id, None), input, "t", day)
        .await
        .expect("mark");
    assert_eq!(learned::pending(&store, &f.id).await.expect("pending"), 1);
    let second = train_family(&store, &f, Learning::Apply, "2026-10-06T12:00:00Z")
        .await
        .expect("train");
    assert_eq!(second["version"], 2, "{second}");
    let current = learned::current(&store, &f.id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(current.version, 2);
    assert_eq!(current.trained_at, "2026-10-06T12:00:00Z");
    assert_eq!(current.data_to, Some(week.sessions[0].date));
}
