//! Web sign-in tokens: stored by their SHA-256, never in the clear.

use super::Tx;
use super::rows::*;
use crate::error::Result;

/// A stored token (a one-time sign-in link or a browser session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebToken {
    pub kind: String,
    pub actor: String,
    pub created_at: String,
    pub expires_at: String,
}

impl Tx {
    pub async fn insert_web_token(&mut self, hash: &str, t: &WebToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO web_tokens (token_hash, kind, actor, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash)
        .bind(&t.kind)
        .bind(&t.actor)
        .bind(&t.created_at)
        .bind(&t.expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn web_token(&mut self, hash: &str) -> Result<Option<WebToken>> {
        let row = sqlx::query("SELECT * FROM web_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(WebToken {
                kind: text(&r, "kind")?,
                actor: text(&r, "actor")?,
                created_at: text(&r, "created_at")?,
                expires_at: text(&r, "expires_at")?,
            })
        })
        .transpose()
    }

    /// Removes a token; returns whether it was there (so a one-time link is
    /// used once even when two requests race for it).
    pub async fn delete_web_token(&mut self, hash: &str) -> Result<bool> {
        let n = sqlx::query("DELETE FROM web_tokens WHERE token_hash = $1")
            .bind(hash)
            .execute(self.conn())
            .await?
            .rows_affected();
        Ok(n > 0)
    }

    /// Forgets every token that expired before `now` (RFC 3339 text sorts by time).
    pub async fn delete_expired_web_tokens(&mut self, now: &str) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM web_tokens WHERE expires_at < $1")
            .bind(now)
            .execute(self.conn())
            .await?
            .rows_affected())
    }
}
