//! Roster files uploaded through the API. An upload is kept so that its dry
//! run and its apply read the very same bytes, in whichever process runs the
//! import job; the job's result is the report's [`ReportSummary`].

use super::{ImportOptions, ImportReport, Source};
use crate::error::{Error, Result};
use crate::model::{Coop, new_id};
use crate::store::{RosterUpload, Store};

/// Uploads older than this are forgotten when the next one arrives.
pub const KEEP_DAYS: i64 = 30;

/// Keeps `body` (a OneRoster zip) as an upload to `coop`. Only its shape is
/// checked here (a zip); the rows are checked by the import job.
pub async fn keep(
    store: &Store,
    coop: &Coop,
    file_name: &str,
    body: &[u8],
    actor: &str,
    now: jiff::Timestamp,
) -> Result<RosterUpload> {
    if body.is_empty() {
        return Err(Error::invalid("body", "is empty")
            .with_hint("send the roster's .zip file as the request body"));
    }
    // A zip starts with a local file header, or is an empty archive.
    if !(body.starts_with(b"PK\x03\x04") || body.starts_with(b"PK\x05\x06")) {
        return Err(Error::invalid("body", "is not a zip file").with_hint(
            "zip the OneRoster CSV files (manifest.csv, users.csv, …) and upload the .zip",
        ));
    }
    let name: String = file_name.trim().chars().take(200).collect();
    let u = RosterUpload {
        id: new_id(),
        coop_id: coop.id.clone(),
        file_name: if name.is_empty() {
            "roster.zip".into()
        } else {
            name
        },
        bytes: i64::try_from(body.len()).unwrap_or(i64::MAX),
        uploaded_by: actor.to_string(),
        uploaded_at: now.to_string(),
        applied_at: None,
        last_job: None,
    };
    let before = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * KEEP_DAYS))
        .unwrap_or(now);
    let mut tx = store.tx().await?;
    tx.prune_roster_uploads(&coop.id, &before.to_string())
        .await?;
    tx.insert_roster_upload(&u, body).await?;
    tx.commit().await?;
    Ok(u)
}

/// The co-op's uploads, newest first.
pub async fn list(store: &Store, coop: &Coop) -> Result<Vec<RosterUpload>> {
    store.read().await?.roster_uploads(&coop.id).await
}

pub async fn get(store: &Store, coop: &Coop, id: &str) -> Result<RosterUpload> {
    store.read().await?.roster_upload(&coop.id, id).await
}

/// Imports upload `id` into its co-op (checked only, with
/// `options.dry_run`), noting `job` as the one that read it and, when
/// applied, when.
pub async fn import(
    store: &Store,
    coop_id: &str,
    id: &str,
    job: &str,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let body = store.read().await?.roster_upload_body(coop_id, id).await?;
    let report = super::import(store, coop_id, &Source::Zip(body), options).await?;
    let applied = !report.dry_run && !report.refused();
    let at = applied.then(|| jiff::Timestamp::now().to_string());
    let mut tx = store.tx().await?;
    tx.note_roster_upload(id, job, at.as_deref()).await?;
    tx.commit().await?;
    Ok(report)
}
