//! API tokens for scripts and cron jobs (`Authorization: Bearer`): made by a
//! signed-in person, acting as them within a scope, shown once, kept as a
//! digest, expiring and revocable, with their last use recorded.

use jiff::{SignedDuration, Timestamp};

use super::{Scope, Via, WebSession, digest, new_token, refused, stamp};
use crate::error::{Error, Result};
use crate::store::{ApiToken, Store};

/// The longest a token may live.
pub const MAX_TOKEN_DAYS: u32 = 366;
/// A token's last use is written at most this often.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// A token just made: the secret is in `token`, here and nowhere else.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NewToken {
    /// The secret: send it as `Authorization: Bearer …`. Shown only now.
    pub token: String,
    #[serde(flatten)]
    pub info: ApiToken,
}

/// Makes a token for the caller, acting as them (walled as they are).
/// Its scope cannot exceed the caller's own.
pub async fn create_token(
    store: &Store,
    caller: &WebSession,
    name: &str,
    scope: Scope,
    days: u32,
    now: Timestamp,
) -> Result<NewToken> {
    caller.require(Scope::Admin)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(
            Error::invalid("name", "a token needs a name of 1 to 100 characters")
                .with_hint("say what it is for, e.g. \"weekly plan cron\""),
        );
    }
    if days == 0 || days > MAX_TOKEN_DAYS {
        return Err(Error::invalid(
            "expires_days",
            format!("{days} is not between 1 and {MAX_TOKEN_DAYS}"),
        ));
    }
    let expires = now
        .checked_add(SignedDuration::from_hours(24 * i64::from(days)))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let secret = format!("bpt_{}", new_token());
    let info = ApiToken {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        actor: caller.actor.clone(),
        walled: caller.walled,
        scope: scope.as_str().to_string(),
        created_at: stamp(now),
        expires_at: stamp(expires),
        last_used_at: None,
        revoked_at: None,
    };
    let mut tx = store.tx().await?;
    tx.insert_api_token(&digest(&secret), &info).await?;
    tx.commit().await?;
    Ok(NewToken {
        token: secret,
        info,
    })
}

/// The caller's own tokens (never their secrets).
pub async fn list_tokens(store: &Store, caller: &WebSession) -> Result<Vec<ApiToken>> {
    store.read().await?.api_tokens_of(&caller.actor).await
}

/// Revokes one of the caller's tokens; another person's is "not found".
pub async fn revoke_token(
    store: &Store,
    caller: &WebSession,
    id: &str,
    now: Timestamp,
) -> Result<()> {
    caller.require(Scope::Admin)?;
    let mut tx = store.tx().await?;
    if !tx.revoke_api_token(id, &caller.actor, &stamp(now)).await? {
        return Err(Error::not_found("API token", id)
            .with_hint("list your tokens to see their ids; a revoked token stays revoked"));
    }
    tx.commit().await
}

/// The caller an API token's digest names, if it is live.
pub(super) async fn caller_of(store: &Store, hash: &str, now: Timestamp) -> Result<WebSession> {
    let t = store.read().await?.api_token_by_hash(hash).await?;
    let Some(t) = t.filter(|t| t.revoked_at.is_none() && t.expires_at >= stamp(now)) else {
        return Err(refused());
    };
    let touch_before = now
        .checked_sub(TOUCH_EVERY)
        .map_err(|e| Error::Internal(e.to_string()))?;
    if t.last_used_at
        .as_deref()
        .is_none_or(|l| l < stamp(touch_before).as_str())
    {
        let mut tx = store.tx().await?;
        tx.touch_api_token(&t.id, &stamp(now)).await?;
        tx.commit().await?;
    }
    Ok(WebSession {
        scope: Scope::parse(&t.scope)?,
        actor: t.actor,
        expires_at: t.expires_at,
        walled: t.walled,
        via: Via::ApiToken,
    })
}
