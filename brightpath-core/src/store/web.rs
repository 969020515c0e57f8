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
    /// Last use of a browser session (for its idle expiry).
    pub last_seen_at: Option<String>,
}

/// An API token for scripts: found by its digest, listed and revoked by id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    /// Who it acts as (the history records its changes as theirs).
    pub actor: String,
    /// Walled like a provider's session (only the actor's families).
    pub walled: bool,
    /// `read`, `write` or `admin`.
    pub scope: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

fn api_token(r: &sqlx::any::AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: text(r, "id")?,
        name: text(r, "name")?,
        actor: text(r, "actor")?,
        walled: flag(r, "walled")?,
        scope: text(r, "scope")?,
        created_at: text(r, "created_at")?,
        expires_at: text(r, "expires_at")?,
        last_used_at: opt_text(r, "last_used_at")?,
        revoked_at: opt_text(r, "revoked_at")?,
    })
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
                last_seen_at: opt_text(&r, "last_seen_at")?,
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

    /// Records a session's use, at most once per `every` (a stamp prefix
    /// compare would do, but the caller decides when it is stale).
    pub async fn touch_web_token(&mut self, hash: &str, now: &str) -> Result<()> {
        sqlx::query("UPDATE web_tokens SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of one person (sign out everywhere).
    pub async fn delete_web_tokens_of(&mut self, kinds: &[&str], actor: &str) -> Result<u64> {
        let mut n = 0;
        for kind in kinds {
            n += sqlx::query("DELETE FROM web_tokens WHERE kind = $1 AND actor = $2")
                .bind(*kind)
                .bind(actor)
                .execute(self.conn())
                .await?
                .rows_affected();
        }
        Ok(n)
    }

    pub async fn insert_api_token(&mut self, hash: &str, t: &ApiToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (id, token_hash, name, actor, walled, scope, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&t.id)
        .bind(hash)
        .bind(&t.name)
        .bind(&t.actor)
        .bind(i64::from(t.walled))
        .bind(&t.scope)
        .bind(&t.created_at)
        .bind(&t.expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn api_token_by_hash(&mut self, hash: &str) -> Result<Option<ApiToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(self.conn())
            .await?
            .as_ref()
            .map(api_token)
            .transpose()
    }

    /// One person's tokens, newest first.
    pub async fn api_tokens_of(&mut self, actor: &str) -> Result<Vec<ApiToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE actor = $1 ORDER BY created_at DESC, id")
            .bind(actor)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(api_token)
            .collect()
    }

    /// Revokes one of `actor`'s tokens; whether it was theirs and live.
    pub async fn revoke_api_token(&mut self, id: &str, actor: &str, now: &str) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1
             WHERE id = $2 AND actor = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(actor)
        .execute(self.conn())
        .await?
        .rows_affected()
            > 0)
    }

    pub async fn touch_api_token(&mut self, id: &str, now: &str) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Remembers a provider's user by subject, with the e-mail it vouched for now.
    pub async fn upsert_user(&mut self, subject: &str, email: &str, now: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO users (subject, email, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
             ON CONFLICT (subject) DO UPDATE SET email = $2, last_seen_at = $3",
        )
        .bind(subject)
        .bind(email)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Gives a student their own login (or changes or removes it).
    pub async fn set_student_login(
        &mut self,
        family: &str,
        student: &str,
        email: Option<&str>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM student_logins WHERE student_id = $1")
            .bind(student)
            .execute(self.conn())
            .await?;
        if let Some(e) = email {
            sqlx::query(
                "INSERT INTO student_logins (student_id, family_id, email) VALUES ($1, $2, $3)",
            )
            .bind(student)
            .bind(family)
            .bind(e.trim().to_lowercase())
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// The (family, student) pairs whose login is `email`.
    pub async fn student_logins_of(&mut self, email: &str) -> Result<Vec<(String, String)>> {
        sqlx::query("SELECT family_id, student_id FROM student_logins WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(|r| Ok((text(r, "family_id")?, text(r, "student_id")?)))
            .collect()
    }

    /// The login e-mails of a family's students, by student id.
    pub async fn student_logins(&mut self, family: &str) -> Result<Vec<(String, String)>> {
        sqlx::query("SELECT student_id, email FROM student_logins WHERE family_id = $1")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(|r| Ok((text(r, "student_id")?, text(r, "email")?)))
            .collect()
    }

    /// The digests and creation times of one actor's tokens of a kind.
    pub async fn web_tokens_of(
        &mut self,
        kind: &str,
        actor: &str,
    ) -> Result<Vec<(String, String)>> {
        sqlx::query(
            "SELECT token_hash, created_at FROM web_tokens WHERE kind = $1 AND actor = $2
             ORDER BY created_at, token_hash",
        )
        .bind(kind)
        .bind(actor)
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|r| Ok((text(r, "token_hash")?, text(r, "created_at")?)))
        .collect()
    }
}
