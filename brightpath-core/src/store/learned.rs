//! Learned models (see `model::Learned`), versioned per family.

use super::Tx;
use super::rows::*;
use crate::error::{Error, Result};
use crate::model::Learned;

impl Tx {
    /// Keeps `learned` as the family's next version (its `version` is set
    /// here); returns it.
    pub async fn save_learned(&mut self, family: &str, learned: &Learned) -> Result<i64> {
        let last: Option<i64> = {
            use sqlx::Row;
            sqlx::query("SELECT MAX(version) AS v FROM learned_models WHERE family_id = $1")
                .bind(family)
                .fetch_one(self.conn())
                .await?
                .try_get::<Option<i64>, _>("v")?
        };
        let version = last.unwrap_or(0) + 1;
        let body = Learned {
            version,
            ..learned.clone()
        };
        let text = serde_json::to_string(&body)
            .map_err(|e| Error::Internal(format!("learned model: {e}")))?;
        sqlx::query(
            "INSERT INTO learned_models (family_id, version, trained_at, data_from, data_to, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(family)
        .bind(version)
        .bind(&body.trained_at)
        .bind(body.data_from.map(|d| d.to_string()))
        .bind(body.data_to.map(|d| d.to_string()))
        .bind(text)
        .execute(self.conn())
        .await?;
        Ok(version)
    }

    /// The family's current model: the newest version, if any.
    pub async fn current_learned(&mut self, family: &str) -> Result<Option<Learned>> {
        let row = sqlx::query(
            "SELECT body FROM learned_models WHERE family_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(family)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            serde_json::from_str(&text(&r, "body")?)
                .map_err(|e| Error::Internal(format!("stored learned model: {e}")))
        })
        .transpose()
    }
}

impl Tx {
    /// Sessions done or partly done with feedback (minutes or engagement,
    /// the session's or a child's own)
    /// marked after `since` (RFC 3339), or in all when `since` is `None`.
    pub async fn feedback_count(&mut self, family: &str, since: Option<&str>) -> Result<i64> {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sessions WHERE family_id = $1
             AND status IN ('done', 'partial')
             AND (actual_minutes IS NOT NULL OR engagement IS NOT NULL
                  OR EXISTS (SELECT 1 FROM child_ratings r WHERE r.session_id = sessions.id
                             AND (r.actual_minutes IS NOT NULL OR r.engagement IS NOT NULL)))
             AND ($2 = '' OR completed_at > $2)",
        )
        .bind(family)
        .bind(since.unwrap_or(""))
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }
}
