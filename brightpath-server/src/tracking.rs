//! Experiment tracking: each training run recorded as an MLflow run in
//! MLflow's local file layout (`ROOT/EXPERIMENT_ID/RUN_ID/{meta.yaml,
//! params, metrics, tags}`, as MLflow 3's file store reads it, with
//! `MLFLOW_ALLOW_FILE_STORE=true`), so `mlflow.search_runs` and the MLflow UI
//! read BrightPath's runs.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One run: what it was given, what it measured (per step), how it is found.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub experiment: String,
    pub run_name: String,
    pub params: Vec<(String, String)>,
    /// (key, value, step).
    pub metrics: Vec<(String, f64, i64)>,
    pub tags: Vec<(String, String)>,
    /// Milliseconds since the epoch.
    pub start_ms: i64,
    pub end_ms: i64,
}

/// Where runs go: `file:///path` or a plain path (the local layout).
pub fn local_root(uri: &str) -> Option<PathBuf> {
    if uri.starts_with("http://") || uri.starts_with("https://") {
        return None;
    }
    Some(PathBuf::from(uri.strip_prefix("file://").unwrap_or(uri)))
}

/// A stable experiment id for a name (MLflow's are decimal strings).
fn experiment_id(name: &str) -> String {
    // FNV-1a: the same name, the same directory, from any worker.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (h % 1_000_000_000_000_000_000 + 1).to_string()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Writes `meta.yaml` unless it is there (another worker made it first).
fn experiment_meta(dir: &Path, id: &str, name: &str, now: i64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let text = format!(
        "artifact_location: {}\ncreation_time: {now}\nexperiment_id: {}\nlast_update_time: {now}\nlifecycle_stage: active\nname: {}\n",
        uri(dir),
        quote(id),
        quote(name)
    );
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join("meta.yaml"))
    {
        Ok(mut f) => f.write_all(text.as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Keys become file names: MLflow allows letters, digits, `_-. /`; anything
/// else is replaced.
fn key_file(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-. ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Records `run` under `root`; returns its run id.
pub fn record_local(root: &Path, run: &RunRecord) -> std::io::Result<String> {
    experiment_meta(&root.join("0"), "0", "Default", run.start_ms)?;
    std::fs::create_dir_all(root.join(".trash"))?;
    let exp = experiment_id(&run.experiment);
    let exp_dir = root.join(&exp);
    experiment_meta(&exp_dir, &exp, &run.experiment, run.start_ms)?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let dir = exp_dir.join(&id);
    for sub in ["params", "metrics", "tags", "artifacts"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    for (k, v) in &run.params {
        std::fs::write(dir.join("params").join(key_file(k)), v)?;
    }
    let mut by_key: std::collections::BTreeMap<String, String> = Default::default();
    for (k, v, step) in &run.metrics {
        by_key
            .entry(key_file(k))
            .or_default()
            .push_str(&format!("{} {v} {step}\n", run.end_ms));
    }
    for (k, lines) in by_key {
        std::fs::write(dir.join("metrics").join(k), lines)?;
    }
    let mut tags = run.tags.clone();
    tags.push(("mlflow.runName".into(), run.run_name.clone()));
    tags.push(("mlflow.user".into(), "brightpath".into()));
    for (k, v) in &tags {
        std::fs::write(dir.join("tags").join(key_file(k)), v)?;
    }
    let meta = format!(
        "artifact_uri: {}\nend_time: {}\nentry_point_name: ''\nexperiment_id: {}\nlifecycle_stage: active\nrun_id: {id}\nrun_name: {}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: {}\nstatus: 3\ntags: []\nuser_id: brightpath\n",
        uri(&dir.join("artifacts")),
        run.end_ms,
        quote(&exp),
        quote(&run.run_name),
        run.start_ms
    );
    // Last, so a reader never sees a run without its figures.
    std::fs::write(dir.join("meta.yaml"), meta)?;
    Ok(id)
}

/// Where runs are recorded: MLflow's local layout, or a tracking server's
/// REST API (`http(s)://host:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracking {
    Local(PathBuf),
    Server(String),
}

impl Tracking {
    pub fn parse(uri: &str) -> Tracking {
        match local_root(uri) {
            Some(p) => Tracking::Local(p),
            None => Tracking::Server(uri.trim_end_matches('/').to_string()),
        }
    }

    /// Records `run`; returns its run id.
    pub async fn record(&self, run: &RunRecord) -> Result<String, String> {
        match self {
            Tracking::Local(root) => record_local(root, run).map_err(|e| e.to_string()),
            Tracking::Server(base) => record_rest(base, run).await,
        }
    }
}

async fn call(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, String> {
    let url = format!("{base}/api/2.0/mlflow/{path}");
    let req = match body {
        Some(b) => http
            .post(&url)
            .header("content-type", "application/json")
            .body(b.to_string()),
        None => http.get(&url),
    };
    let resp = req.send().await.map_err(|e| format!("{url}: {e}"))?;
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(|e| format!("{url}: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    if !status.is_success() {
        return Err(format!("{url}: {status} {v}"));
    }
    Ok(v)
}

/// Records `run` through MLflow's REST API: the experiment by name (made if
/// missing), the run, its parameters, metrics and tags in one batch, then
/// the run finished.
pub async fn record_rest(base: &str, run: &RunRecord) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let name: String = url_encode(&run.experiment);
    let exp = match call(
        &http,
        base,
        &format!("experiments/get-by-name?experiment_name={name}"),
        None,
    )
    .await
    {
        Ok(v) => v["experiment"]["experiment_id"].as_str().map(String::from),
        Err(e) if e.contains("RESOURCE_DOES_NOT_EXIST") || e.contains("404") => None,
        Err(e) => return Err(e),
    };
    let exp = match exp {
        Some(id) => id,
        None => call(
            &http,
            base,
            "experiments/create",
            Some(serde_json::json!({"name": run.experiment})),
        )
        .await?["experiment_id"]
            .as_str()
            .ok_or("experiments/create answered no experiment_id")?
            .to_string(),
    };
    let tag = |k: &str, v: &str| serde_json::json!({"key": k, "value": v});
    let created = call(
        &http,
        base,
        "runs/create",
        Some(serde_json::json!({
            "experiment_id": exp,
            "run_name": run.run_name,
            "start_time": run.start_ms,
            "tags": [tag("mlflow.user", "brightpath")],
        })),
    )
    .await?;
    let id = created["run"]["info"]["run_id"]
        .as_str()
        .ok_or("runs/create answered no run_id")?
        .to_string();
    let metrics: Vec<serde_json::Value> = run
        .metrics
        .iter()
        .map(|(k, v, step)| serde_json::json!({"key": k, "value": v, "timestamp": run.end_ms, "step": step}))
        .collect();
    let params: Vec<serde_json::Value> = run.params.iter().map(|(k, v)| tag(k, v)).collect();
    let tags: Vec<serde_json::Value> = run.tags.iter().map(|(k, v)| tag(k, v)).collect();
    call(
        &http,
        base,
        "runs/log-batch",
        Some(serde_json::json!({"run_id": id, "metrics": metrics, "params": params, "tags": tags})),
    )
    .await?;
    call(
        &http,
        base,
        "runs/update",
        Some(serde_json::json!({"run_id": id, "status": "FINISHED", "end_time": run.end_ms})),
    )
    .await?;
    Ok(id)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::State;
    use axum::http::Uri;
    use axum::routing::{get, post};

    use super::*;

    type Seen = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

    /// A stand-in for an MLflow tracking server: it answers the five calls
    /// as MLflow does and keeps what it was sent.
    async fn mock() -> (String, Seen) {
        let seen: Seen = Arc::default();
        async fn by_name(State(s): State<Seen>, uri: Uri) -> (axum::http::StatusCode, String) {
            s.lock()
                .expect("lock")
                .push((uri.to_string(), serde_json::Value::Null));
            (
                axum::http::StatusCode::NOT_FOUND,
                r#"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no experiment"}"#.into(),
            )
        }
        async fn any(State(s): State<Seen>, uri: Uri, body: String) -> String {
            let v: serde_json::Value = serde_json::from_str(&body).expect("JSON body");
            s.lock().expect("lock").push((uri.path().to_string(), v));
            match uri.path() {
                "/api/2.0/mlflow/experiments/create" => r#"{"experiment_id":"7"}"#.into(),
                "/api/2.0/mlflow/runs/create" => r#"{"run":{"info":{"run_id":"abc123"}}}"#.into(),
                _ => "{}".into(),
            }
        }
        let app = Router::new()
            .route("/api/2.0/mlflow/experiments/get-by-name", get(by_name))
            .route("/api/2.0/mlflow/{*rest}", post(any))
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), seen)
    }

    #[tokio::test]
    async fn a_run_goes_to_a_tracking_server_in_mlflows_calls() {
        let (base, seen) = mock().await;
        let run = RunRecord {
            experiment: "bright path".into(),
            run_name: "Rivera v3".into(),
            params: vec![("lambda".into(), "1".into())],
            metrics: vec![("lengths.ridge.mae".into(), 1.8, 3)],
            tags: vec![("family".into(), "f1".into())],
            start_ms: 1_000,
            end_ms: 2_000,
        };
        let t = Tracking::parse(&format!("{base}/"));
        assert_eq!(t, Tracking::Server(base.clone()));
        assert_eq!(t.record(&run).await.expect("recorded"), "abc123");
        let seen = seen.lock().expect("lock").clone();
        let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/api/2.0/mlflow/experiments/get-by-name?experiment_name=bright%20path",
                "/api/2.0/mlflow/experiments/create",
                "/api/2.0/mlflow/runs/create",
                "/api/2.0/mlflow/runs/log-batch",
                "/api/2.0/mlflow/runs/update",
            ]
        );
        assert_eq!(seen[1].1["name"], "bright path");
        assert_eq!(seen[2].1["experiment_id"], "7");
        assert_eq!(seen[2].1["run_name"], "Rivera v3");
        let batch = &seen[3].1;
        assert_eq!(batch["run_id"], "abc123");
        assert_eq!(
            batch["metrics"][0],
            serde_json::json!({"key": "lengths.ridge.mae", "value": 1.8, "timestamp": 2000, "step": 3})
        );
        assert_eq!(
            batch["params"][0],
            serde_json::json!({"key": "lambda", "value": "1"})
        );
        assert_eq!(
            batch["tags"][0],
            serde_json::json!({"key": "family", "value": "f1"})
        );
        assert_eq!(seen[4].1["status"], "FINISHED");
        assert_eq!(
            Tracking::parse("/var/mlruns"),
            Tracking::Local("/var/mlruns".into())
        );
        assert_eq!(
            Tracking::parse("file:///var/mlruns"),
            Tracking::Local("/var/mlruns".into())
        );
    }
}
