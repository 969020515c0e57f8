//! Backups in the object store: `brightpath backup --to s3://…`, `restore
//! s3://…`, and the worker's scheduled backup of the whole database
//! (`backup.to`, `backup.at`, `backup.retention_days`) with retention.

use brightpath_bus::schedule::{Recurrence, Rule, ScheduleEntry, ScheduleSource};
use brightpath_bus::{Priority, Queue};
use brightpath_core::Store;
use brightpath_core::config::{S3Settings, Settings};
use brightpath_core::model::Family;
use brightpath_core::services::backup::{self, Manifest};

use crate::objects::{self, ObjectError, ObjectStore, parse_s3_url};
use crate::worker::{JobError, Registry};

/// The scheduled backup's job kind.
pub const BACKUP_RUN: &str = "backup.run";
/// What every backup file's name ends with.
pub const SUFFIX: &str = ".bpbackup";

/// Why a backup to or from the object store failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Objects(#[from] ObjectError),
    #[error(transparent)]
    Core(#[from] brightpath_core::Error),
}

/// Where a backup went.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub url: String,
    pub bytes: usize,
    pub manifest: Manifest,
}

/// Backs up the whole database (or one family) to `url`: `s3://BUCKET/KEY`,
/// or `s3://BUCKET/PREFIX/` for a file named by the time.
pub async fn to_object_store(
    store: &Store,
    s3: &S3Settings,
    url: &str,
    family: Option<&Family>,
) -> Result<Uploaded, BackupError> {
    let objects = ObjectStore::from_settings(s3)?;
    let (bucket, mut key) = parse_s3_url(url)?;
    if key.is_empty() || key.ends_with('/') {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ");
        key = format!("{key}brightpath-{stamp}{SUFFIX}");
    }
    let mut body = Vec::new();
    let manifest = backup::backup(store, family, &mut body).await?;
    let bytes = body.len();
    objects.put(&bucket, &key, body).await?;
    Ok(Uploaded {
        url: format!("s3://{bucket}/{key}"),
        bytes,
        manifest,
    })
}

/// The backup file at `s3://BUCKET/KEY`.
pub async fn from_object_store(s3: &S3Settings, url: &str) -> Result<Vec<u8>, BackupError> {
    let objects = ObjectStore::from_settings(s3)?;
    let (bucket, key) = parse_s3_url(url)?;
    Ok(objects.get(&bucket, &key).await?)
}

/// Registers [`BACKUP_RUN`] when `backup.to` is set: a whole-database backup
/// to that prefix, then the deletion of backups there older than
/// `backup.retention_days`.
pub fn register(reg: &mut Registry, store: Store, settings: &Settings) {
    let Some(to) = settings.backup.to.clone() else {
        return;
    };
    let s3 = settings.s3.clone();
    let days = settings.backup.retention_days;
    reg.register(BACKUP_RUN, move |_ctx| {
        let (store, s3, to) = (store.clone(), s3.clone(), to.clone());
        async move {
            let up = to_object_store(&store, &s3, &to, None)
                .await
                .map_err(|e| match e {
                    BackupError::Objects(ObjectError::Config(_)) => JobError::permanent(e),
                    other => JobError::retry(other),
                })?;
            let mut expired = Vec::new();
            if days > 0 {
                let objects = ObjectStore::from_settings(&s3).map_err(JobError::permanent)?;
                let (bucket, key) = parse_s3_url(&up.url).map_err(JobError::permanent)?;
                let prefix = key.rsplit_once('/').map_or("", |(p, _)| p);
                let prefix = if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}/")
                };
                let cutoff = jiff::Timestamp::now()
                    .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
                    .map_err(JobError::permanent)?;
                expired = objects::expire(&objects, &bucket, &prefix, SUFFIX, cutoff)
                    .await
                    .map_err(JobError::retry)?;
            }
            Ok(serde_json::json!({
                "url": up.url,
                "bytes": up.bytes,
                "families": up.manifest.families.len(),
                "rows": up.manifest.tables.values().sum::<usize>(),
                "expired": expired,
            }))
        }
    });
}

/// A schedule source plus the scheduled backup (when `backup.to` is set).
pub struct WithBackup<S> {
    pub inner: S,
    entry: Option<ScheduleEntry>,
}

impl<S> WithBackup<S> {
    /// Adds the backup at `backup.at` (UTC); a bad `backup.at` is an error
    /// naming the setting.
    pub fn new(inner: S, settings: &Settings) -> Result<Self, String> {
        let entry = match &settings.backup.to {
            None => None,
            Some(to) => {
                parse_s3_url(to).map_err(|e| format!("backup.to: {e}"))?;
                let recurrence = Recurrence::parse(&settings.backup.at)
                    .map_err(|e| format!("backup.at: {e}"))?;
                Some(ScheduleEntry {
                    // Not a family: the whole database, once per occurrence.
                    family_id: "all".into(),
                    time_zone: "UTC".into(),
                    rule: Rule {
                        name: "backup".into(),
                        recurrence,
                        queue: Queue::new(Queue::SCHEDULES).map_err(|e| e.to_string())?,
                        kind: BACKUP_RUN.into(),
                        payload: serde_json::json!({}),
                        priority: Priority::Normal,
                    },
                })
            }
        };
        Ok(Self { inner, entry })
    }
}

impl<S: ScheduleSource> ScheduleSource for WithBackup<S> {
    async fn entries(&self) -> brightpath_bus::Result<Vec<ScheduleEntry>> {
        let mut all = self.inner.entries().await?;
        all.extend(self.entry.clone());
        Ok(all)
    }
}
