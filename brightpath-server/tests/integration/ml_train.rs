//! `ml.train`: a family's feedback trained into a kept model version; nothing
//! new, nothing trained; `learning = off`, nothing at all; each run that
//! trains is the next version and the current one.

use brightpath_core::Store;
use brightpath_core::calendar::parse_date;
use brightpath_core::config::Learning;
use brightpath_core::services::progress::{self, DoneInput, Selector};
use brightpath_core::services::{demo, learned, planning};
use brightpath_server::learning::{TrainOptions, train_family};
use brightpath_server::tracking::Tracking;

fn opts(learning: Learning, runs: &std::path::Path) -> TrainOptions {
    TrainOptions {
        learning,
        tracking: Some(Tracking::Local(runs.to_path_buf())),
    }
}

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
    let runs = dir.path().join("mlruns");
    let pending = learned::pending(&store, &f.id).await.expect("pending");
    assert!(pending > 100, "{pending}");

    let off = train_family(
        &store,
        &f,
        &opts(Learning::Off, &runs),
        "2026-10-05T12:00:00Z",
    )
    .await
    .expect("off");
    assert_eq!(off["trained"], false, "{off}");
    assert_eq!(learned::current(&store, &f.id).await.expect("read"), None);

    let first = train_family(
        &store,
        &f,
        &opts(Learning::Suggest, &runs),
        "2026-10-05T12:00:00Z",
    )
    .await
    .expect("train");
    assert_eq!(
        (first["trained"].clone(), first["version"].clone()),
        (true.into(), 1.into()),
        "{first}"
    );
    assert_eq!(first["new_feedback"], pending);
    let again = train_family(
        &store,
        &f,
        &opts(Learning::Suggest, &runs),
        "2026-10-05T13:00:00Z",
    )
    .await
    .expect("again");
    assert_eq!(again["reason"], "no new feedback", "{again}");

    // One more lesson with feedback, marked on the 6th: a new version.
    let plan_opts = planning::PlanOptions {
        actor: "t".into(),
        ..Default::default()
    };
    let week = planning::plan_week(&store, &f, today, &plan_opts)
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
    let second = train_family(
        &store,
        &f,
        &opts(Learning::Apply, &runs),
        "2026-10-06T12:00:00Z",
    )
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

    // MLflow's own client reads both runs back, with their metrics and tags.
    let Some(python) = mlflow_python() else {
        return;
    };
    let script = r#"
import json, sys, mlflow
mlflow.set_tracking_uri("file://" + sys.argv[1])
runs = mlflow.search_runs(experiment_names=["brightpath"], output_format="list")
out = []
for r in runs:
    c = mlflow.MlflowClient()
    hist = c.get_metric_history(r.info.run_id, "lengths.ridge.mae")
    out.append({"version": r.data.tags["model_version"], "family": r.data.tags["family"],
                "window": r.data.tags["data_window"], "mae": r.data.metrics.get("lengths.ridge.mae"),
                "planned_mae": r.data.metrics.get("lengths.planned.mae"),
                "steps": [m.step for m in hist], "lambda": r.data.params["lambda"],
                "status": r.info.status})
print(json.dumps(sorted(out, key=lambda o: o["version"])))
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script, runs.to_str().expect("path")])
        .env("MLFLOW_ALLOW_FILE_STORE", "true")
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let runs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(runs.as_array().map(Vec::len), Some(2), "{runs}");
    assert_eq!(runs[0]["version"], "1");
    assert_eq!(runs[1]["version"], "2");
    assert_eq!(runs[1]["family"], f.id.as_str());
    assert_eq!(runs[1]["status"], "FINISHED");
    assert_eq!(runs[1]["lambda"], "1");
    assert_eq!(runs[1]["steps"], serde_json::json!([2]), "{runs}");
    assert!(
        runs[1]["window"]
            .as_str()
            .is_some_and(|w| w.starts_with("2026-08-")),
        "{runs}"
    );
    let expected = first["mlflow_run"].as_str().expect("recorded");
    assert_eq!(expected.len(), 32);
    let (mae, planned) = (runs[0]["mae"].as_f64(), runs[0]["planned_mae"].as_f64());
    assert!(
        mae.is_some_and(|m| m > 0.0) && planned.is_some_and(|p| p > 0.0),
        "{runs}"
    );
}

/// A Python with MLflow's client (`BRIGHTPATH_TEST_PYTHON`, else `python3`);
/// without one the MLflow half is skipped with a note, and fails under CI.
fn mlflow_python() -> Option<String> {
    let python = std::env::var("BRIGHTPATH_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&python)
        .args(["-c", "import mlflow"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {python} cannot import mlflow (pip install mlflow-skinny)"
    );
    eprintln!(
        "skipped: {python} has no mlflow (pip install mlflow-skinny, or set BRIGHTPATH_TEST_PYTHON)"
    );
    None
}
