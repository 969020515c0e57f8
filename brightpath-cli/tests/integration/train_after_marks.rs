//! Marks from the CLI start training after 20 new lessons with feedback:
//! without a job bus the model is trained at once (a new version exists);
//! with `learning = off` nothing is trained.

use crate::common;

use brightpath_core::Store;
use brightpath_core::services::learned;
use common::Env;

/// The current model version of the only family in `db`, if any.
fn version(db: &str) -> Option<i64> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = Store::open(db).await.expect("open");
        let f = brightpath_core::services::lists::families(&store)
            .await
            .expect("families")
            .remove(0);
        let v = learned::current(&store, &f.id)
            .await
            .expect("model")
            .map(|m| m.version);
        store.close().await;
        v
    })
}

/// The demo in its own database, and the ids of its first week's sessions.
fn demo(e: &Env) -> (String, Vec<String>) {
    let db = format!("sqlite://{}", e.home.path().join("school.db").display());
    e.ok(&["--db", &db, "demo"]);
    let week = e.json(&["--db", &db, "plan", "show"]);
    let ids = week["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    (db, ids)
}

fn mark(e: &Env, db: &str, id: &str, learning: &str) -> String {
    let out = e
        .cmd()
        .env("BRIGHTPATH_LEARNING", learning)
        .args([
            "--db",
            db,
            "done",
            id,
            "--engagement",
            "4",
            "--minutes",
            "30",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn twenty_marks_with_feedback_train_a_model() {
    let e = Env::new();
    let (db, ids) = demo(&e);
    assert!(ids.len() >= 20, "{ids:?}");
    for id in &ids[..19] {
        let said = mark(&e, &db, id, "suggest");
        assert!(!said.contains("learned from them"), "{said}");
    }
    assert_eq!(version(&db), None, "not before the 20th");
    let said = mark(&e, &db, &ids[19], "suggest");
    assert!(
        said.contains("learned from them (model version 1)"),
        "{said}"
    );
    assert_eq!(version(&db), Some(1));
    // The next mark is not 20 new ones: nothing more.
    let said = mark(&e, &db, &ids[20.min(ids.len() - 1)], "suggest");
    assert!(!said.contains("model version"), "{said}");
    assert_eq!(version(&db), Some(1));
}

#[test]
fn with_learning_off_marks_train_nothing() {
    let e = Env::new();
    let (db, ids) = demo(&e);
    for id in &ids[..20] {
        let said = mark(&e, &db, id, "off");
        assert!(!said.contains("model version"), "{said}");
    }
    assert_eq!(version(&db), None);
}
