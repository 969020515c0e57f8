//! `roster.import` on the `default` queue: a co-op admin's uploaded roster,
//! checked (a dry run) or imported. The job's result is the report's
//! summary, which the API's job status returns; a refused file is a
//! successful job whose report lists the problems (nothing was written).

use brightpath_bus::{Bus, Enqueued, JobSpec, Queue};
use brightpath_core::services::roster::{self, ImportOptions};
use brightpath_core::{ErrorKind, Store};

use crate::worker::{JobError, Registry};

pub const ROSTER_IMPORT: &str = "roster.import";

/// Queues the import (or, with `dry_run`, the check) of upload `upload` of
/// co-op `coop`, on behalf of `actor`.
pub async fn enqueue(
    bus: &Bus,
    coop: &str,
    upload: &str,
    dry_run: bool,
    actor: &str,
) -> brightpath_bus::Result<Enqueued> {
    let spec = JobSpec::new(
        Queue::default_queue(),
        ROSTER_IMPORT,
        serde_json::json!({"coop_id": coop, "upload_id": upload, "dry_run": dry_run, "actor": actor}),
    )
    // One import of a co-op at a time: two would race on the same records.
    .group(format!("coop:{coop}"));
    bus.enqueue(spec).await
}

pub(crate) fn register(reg: &mut Registry, store: Store) {
    reg.register(ROSTER_IMPORT, move |ctx| {
        let store = store.clone();
        async move {
            let p = &ctx.job.payload;
            let (Some(coop), Some(upload)) = (p["coop_id"].as_str(), p["upload_id"].as_str())
            else {
                return Err(JobError::permanent("payload needs coop_id and upload_id"));
            };
            let options = ImportOptions {
                dry_run: p["dry_run"].as_bool().unwrap_or(true),
                ..Default::default()
            };
            let job = ctx.job.id.to_string();
            let report = roster::uploads::import(&store, coop, upload, &job, &options)
                .await
                .map_err(|e| match e.kind() {
                    // An unreadable or hostile zip, or a co-op or upload gone: trying again changes nothing.
                    ErrorKind::Invalid | ErrorKind::NotFound | ErrorKind::Conflict => {
                        JobError::permanent(e)
                    }
                    _ => JobError::retry(e),
                })?;
            serde_json::to_value(report.summary()).map_err(JobError::permanent)
        }
    });
}
