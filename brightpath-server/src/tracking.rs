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
