//! Roster files uploaded for import (see migration 9): the bytes, who sent
//! them, and whether they were applied.

use super::Tx;
use super::rows::*;
use crate::error::{Error, Result};

/// An uploaded roster file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RosterUpload {
    pub id: String,
    pub coop_id: String,
    pub file_name: String,
    /// Its size.
    pub bytes: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// When it was imported for real (not only checked); `null` until then.
    pub applied_at: Option<String>,
    /// The last import job that read it.
    pub last_job: Option<String>,
}

/// The columns of a [`RosterUpload`] (its bytes are read only when imported).
macro_rules! upload_cols {
    () => {
        "id, coop_id, file_name, bytes, uploaded_by, uploaded_at, applied_at, last_job"
    };
}

fn upload(r: &sqlx::any::AnyRow) -> Result<RosterUpload> {
    Ok(RosterUpload {
        id: text(r, "id")?,
        coop_id: text(r, "coop_id")?,
        file_name: text(r, "file_name")?,
        bytes: int(r, "bytes")?,
        uploaded_by: text(r, "uploaded_by")?,
        uploaded_at: text(r, "uploaded_at")?,
        applied_at: opt_text(r, "applied_at")?,
        last_job: opt_text(r, "last_job")?,
    })
}

impl Tx {
    pub async fn insert_roster_upload(&mut self, u: &RosterUpload, body: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO roster_uploads (id, coop_id, file_name, bytes, body, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&u.id)
        .bind(&u.coop_id)
        .bind(&u.file_name)
        .bind(u.bytes)
        .bind(body)
        .bind(&u.uploaded_by)
        .bind(&u.uploaded_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The co-op's uploads, newest first.
    pub async fn roster_uploads(&mut self, coop: &str) -> Result<Vec<RosterUpload>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            upload_cols!(),
            " FROM roster_uploads WHERE coop_id = $1 ORDER BY uploaded_at DESC, id"
        ))
        .bind(coop)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(upload).collect()
    }

    pub async fn roster_upload(&mut self, coop: &str, id: &str) -> Result<RosterUpload> {
        let row = sqlx::query(concat!(
            "SELECT ",
            upload_cols!(),
            " FROM roster_uploads WHERE coop_id = $1 AND id = $2"
        ))
        .bind(coop)
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        match row {
            Some(r) => upload(&r),
            None => Err(Error::not_found("roster upload", id)),
        }
    }

    pub async fn roster_upload_body(&mut self, coop: &str, id: &str) -> Result<Vec<u8>> {
        use sqlx::Row;
        let row = sqlx::query("SELECT body FROM roster_uploads WHERE coop_id = $1 AND id = $2")
            .bind(coop)
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| Error::not_found("roster upload", id))?;
        Ok(row.try_get::<Vec<u8>, _>("body")?)
    }

    /// Records the job that reads the upload, and when it was applied.
    pub async fn note_roster_upload(
        &mut self,
        id: &str,
        job: &str,
        applied_at: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE roster_uploads SET last_job = $2, applied_at = COALESCE($3, applied_at)
             WHERE id = $1",
        )
        .bind(id)
        .bind(job)
        .bind(applied_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Forgets the co-op's uploads made before `before` (RFC 3339).
    pub async fn prune_roster_uploads(&mut self, coop: &str, before: &str) -> Result<u64> {
        let r = sqlx::query("DELETE FROM roster_uploads WHERE coop_id = $1 AND uploaded_at < $2")
            .bind(coop)
            .bind(before)
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected())
    }
}
