//! Signing in to the web app: a one-time link that a parent's own computer
//! prints (`brightpath serve` on a loopback address), or a provider's
//! sign-in (OpenID Connect), each traded once for a browser session. Tokens
//! are random (244 bits), kept only as SHA-256 digests, and expire. A local
//! session may use every family of its database; a provider's session only
//! the families where its verified e-mail is a guardian's.

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::{Store, WebToken};

/// How long a printed sign-in link works.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_mins(15);
/// How long a browser stays signed in.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 14);

const LINK: &str = "login_link";
const SESSION: &str = "session";
/// A session from a provider's sign-in: walled to the e-mail's families.
const PROVIDER_SESSION: &str = "session_provider";
/// A sign-in in progress with a provider (its `state`).
const ATTEMPT: &str = "sign_in_attempt";
/// How long a sign-in at the provider may take.
pub const ATTEMPT_LIFETIME: SignedDuration = SignedDuration::from_mins(10);

/// A signed-in browser: who it acts as, and until when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebSession {
    pub actor: String,
    pub expires_at: String,
    /// Signed in with a provider: only the families where `actor` (the
    /// verified e-mail) is a guardian's. A local session sees every family.
    pub walled: bool,
}

fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Times as fixed-width UTC text, so that they sort as they compare.
fn stamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Keeps `token` (as its digest) of `kind` for `actor` until `now + life`,
/// forgetting expired tokens on the way.
async fn keep(
    store: &Store,
    token: &str,
    kind: &str,
    actor: &str,
    now: Timestamp,
    life: SignedDuration,
) -> Result<()> {
    let expires = now
        .checked_add(life)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut tx = store.tx().await?;
    tx.delete_expired_web_tokens(&stamp(now)).await?;
    tx.insert_web_token(
        &digest(token),
        &WebToken {
            kind: kind.into(),
            actor: actor.into(),
            created_at: stamp(now),
            expires_at: stamp(expires),
        },
    )
    .await?;
    tx.commit().await
}

/// A new random token of `kind` for `actor`.
async fn issue(
    store: &Store,
    kind: &str,
    actor: &str,
    now: Timestamp,
    life: SignedDuration,
) -> Result<String> {
    let token = new_token();
    keep(store, &token, kind, actor, now, life).await?;
    Ok(token)
}

/// Takes a current token of `kind` once: it is deleted before it is
/// trusted, so two requests racing for it cannot both have it.
async fn take(store: &Store, token: &str, kind: &str, now: Timestamp) -> Result<Option<WebToken>> {
    let hash = digest(token);
    let mut tx = store.tx().await?;
    let found = tx.web_token(&hash).await?;
    let Some(t) = found.filter(|t| t.kind == kind && t.expires_at >= stamp(now)) else {
        return Ok(None);
    };
    if !tx.delete_web_token(&hash).await? {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(t))
}

/// A one-time sign-in link's token for `actor`.
pub async fn issue_link(store: &Store, actor: &str, now: Timestamp) -> Result<String> {
    issue(store, LINK, actor, now, LINK_LIFETIME).await
}

fn refused() -> Error {
    Error::invalid(
        "sign-in",
        "this link or session is unknown, used or expired",
    )
}

/// Trades a sign-in link (once) for a session token.
pub async fn redeem_link(
    store: &Store,
    token: &str,
    now: Timestamp,
) -> Result<(String, WebSession)> {
    let link = take(store, token, LINK, now).await?.ok_or_else(refused)?;
    let session = issue(store, SESSION, &link.actor, now, SESSION_LIFETIME).await?;
    let expires = now
        .checked_add(SESSION_LIFETIME)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let s = WebSession {
        actor: link.actor,
        expires_at: stamp(expires),
        walled: false,
    };
    Ok((session, s))
}

/// The session a browser's token names, if it is current.
pub async fn session_of(store: &Store, token: &str, now: Timestamp) -> Result<WebSession> {
    let t = store.read().await?.web_token(&digest(token)).await?;
    match t {
        Some(t)
            if (t.kind == SESSION || t.kind == PROVIDER_SESSION) && t.expires_at >= stamp(now) =>
        {
            Ok(WebSession {
                walled: t.kind == PROVIDER_SESSION,
                actor: t.actor,
                expires_at: t.expires_at,
            })
        }
        _ => Err(refused()),
    }
}

/// Remembers a sign-in started at a provider, under its `state`, with what
/// the callback needs (the PKCE verifier and the nonce, as `payload`).
pub async fn remember_attempt(
    store: &Store,
    state: &str,
    payload: &str,
    now: Timestamp,
) -> Result<()> {
    keep(store, state, ATTEMPT, payload, now, ATTEMPT_LIFETIME).await
}

/// The payload of a sign-in attempt, once: an unknown, used or expired
/// `state` (a forged or replayed callback) is refused.
pub async fn take_attempt(store: &Store, state: &str, now: Timestamp) -> Result<String> {
    take(store, state, ATTEMPT, now)
        .await?
        .map(|a| a.actor)
        .ok_or_else(|| Error::invalid("state", "this sign-in is unknown, used or expired"))
}

/// A session for someone a provider vouched for (by verified e-mail).
pub async fn provider_session(store: &Store, email: &str, now: Timestamp) -> Result<String> {
    issue(store, PROVIDER_SESSION, email, now, SESSION_LIFETIME).await
}

/// A calendar feed's token: for one family, until revoked.
const FEED: &str = "calendar_feed";
/// Feeds do not expire by themselves (a subscription lives for years).
const FEED_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 365 * 100);

/// A new secret token for a family's calendar feed (`/feeds/{token}.ics`).
pub async fn issue_feed(store: &Store, family: &str, now: Timestamp) -> Result<String> {
    issue(store, FEED, family, now, FEED_LIFETIME).await
}

/// The family a feed token is for, if it was issued and not revoked.
pub async fn feed_family(store: &Store, token: &str) -> Result<String> {
    match store.read().await?.web_token(&digest(token)).await? {
        Some(t) if t.kind == FEED => Ok(t.actor),
        _ => Err(Error::not_found("calendar feed", "this feed")),
    }
}

/// Revokes a feed: calendars subscribed to it stop updating.
pub async fn revoke_feed(store: &Store, token: &str) -> Result<()> {
    let mut tx = store.tx().await?;
    let hash = digest(token);
    match tx.web_token(&hash).await? {
        Some(t) if t.kind == FEED => {
            tx.delete_web_token(&hash).await?;
            tx.commit().await
        }
        _ => Err(Error::not_found("calendar feed", "this feed")),
    }
}

/// Signs a browser out.
pub async fn end_session(store: &Store, token: &str) -> Result<()> {
    let mut tx = store.tx().await?;
    tx.delete_web_token(&digest(token)).await?;
    tx.commit().await
}

/// The families a session may use: every family of the database for a
/// local sign-in (one parent's own computer); for a provider's sign-in,
/// those where its verified e-mail is a guardian's.
pub async fn families_for(
    store: &Store,
    session: &WebSession,
) -> Result<Vec<crate::model::Family>> {
    if session.walled {
        super::lists::families_of_email(store, &session.actor).await
    } else {
        super::lists::families(store).await
    }
}

/// The family `id`, if the session may use it. Another tenant's family is
/// "not found", exactly like one that does not exist.
pub async fn family_for(
    store: &Store,
    session: &WebSession,
    id: &str,
) -> Result<crate::model::Family> {
    if !session.walled {
        return super::lists::family_by_id(store, id).await;
    }
    families_for(store, session)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| Error::not_found("family", id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_kept_as_digests() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(new_token(), t);
        assert_eq!(digest(&t).len(), 64);
        assert_ne!(digest(&t), t);
        assert!(
            stamp(Timestamp::UNIX_EPOCH)
                < stamp(Timestamp::UNIX_EPOCH + SignedDuration::from_secs(1))
        );
    }
}
