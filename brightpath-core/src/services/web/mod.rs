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

mod access;
mod invite;
mod tokens;

pub use access::{
    Access, FamilyRole, Membership, admin_coop, coops_for, families_for, family_for, memberships,
    set_student_login, start_family, student_logins,
};
pub use invite::{Invitation, InvitationKind, accept_invitation, invite_guardian, invite_to_coop};
pub use tokens::{MAX_TOKEN_DAYS, NewToken, create_token, list_tokens, revoke_token};

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

/// A signed-in browser or script: who it acts as, how, and until when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebSession {
    pub actor: String,
    pub expires_at: String,
    /// Signed in with a provider: only the families where `actor` (the
    /// verified e-mail) is a guardian's or a student's. A local session
    /// sees every family.
    pub walled: bool,
    pub via: Via,
    /// What it may do (a browser session: everything its person may).
    pub scope: Scope,
}

/// How a caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The one-time link `serve` printed on the parent's own computer.
    LocalLink,
    /// An OpenID Connect provider (Google).
    Provider,
    /// An API token (scripts, cron).
    ApiToken,
}

/// What an API token may do; browser sessions have `Admin`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Reads only.
    Read,
    /// Reads, plans and marks; changes the school.
    Write,
    /// Also manages tokens, invitations and co-op imports.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Scope> {
        match text.trim().to_ascii_lowercase().as_str() {
            "read" => Ok(Scope::Read),
            "write" => Ok(Scope::Write),
            "admin" => Ok(Scope::Admin),
            _ => Err(Error::invalid("scope", format!("{text:?} is not a scope"))
                .with_hint("use read, write or admin")),
        }
    }
}

impl WebSession {
    /// Whoever runs the CLI on the database itself: every family.
    pub fn operator(actor: &str) -> WebSession {
        WebSession {
            actor: actor.to_string(),
            expires_at: String::new(),
            walled: false,
            via: Via::LocalLink,
            scope: Scope::Admin,
        }
    }

    /// A person known by e-mail, walled to their families (as if they
    /// had signed in with the provider).
    pub fn person(email: &str) -> WebSession {
        WebSession {
            actor: email.trim().to_lowercase(),
            expires_at: String::new(),
            walled: true,
            via: Via::Provider,
            scope: Scope::Admin,
        }
    }

    /// Refuses (403) a caller whose scope is below `need`.
    pub fn require(&self, need: Scope) -> Result<()> {
        if self.scope >= need {
            Ok(())
        } else {
            Err(Error::forbidden(format!(
                "this token's scope is {}; this needs {}",
                self.scope.as_str(),
                need.as_str()
            ))
            .with_hint("create a token with a wider scope"))
        }
    }
}

/// When browser sessions end: after `idle` without use, and `lifetime`
/// after sign-in whatever happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: SignedDuration,
    pub lifetime: SignedDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: SESSION_IDLE,
            lifetime: SESSION_LIFETIME,
        }
    }
}

/// How long a browser session lasts without being used.
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(24 * 3);
/// A session's last use is written at most this often (not on every request).
const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(5);

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
            last_seen_at: None,
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
    policy: &SessionPolicy,
) -> Result<(String, WebSession)> {
    let link = take(store, token, LINK, now).await?.ok_or_else(refused)?;
    let session = issue(store, SESSION, &link.actor, now, policy.lifetime).await?;
    let expires = now
        .checked_add(policy.lifetime)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let s = WebSession {
        actor: link.actor,
        expires_at: stamp(expires),
        walled: false,
        via: Via::LocalLink,
        scope: Scope::Admin,
    };
    Ok((session, s))
}

/// The caller a browser session's token or an API token names, if it is
/// current: a session within its lifetime and not idle too long, a token
/// not expired nor revoked. Their last use is recorded (a session's at
/// most every few minutes, so reads stay reads).
pub async fn session_of(
    store: &Store,
    token: &str,
    now: Timestamp,
    policy: &SessionPolicy,
) -> Result<WebSession> {
    let hash = digest(token);
    let mut tx = store.read().await?;
    let found = tx.web_token(&hash).await?;
    let Some(t) = found.filter(|t| t.kind == SESSION || t.kind == PROVIDER_SESSION) else {
        drop(tx);
        return tokens::caller_of(store, &hash, now).await;
    };
    drop(tx);
    let last = t.last_seen_at.as_deref().unwrap_or(&t.created_at);
    let idle_since = now
        .checked_sub(policy.idle)
        .map_err(|e| Error::Internal(e.to_string()))?;
    if t.expires_at < stamp(now) || last < stamp(idle_since).as_str() {
        return Err(refused());
    }
    let touch_before = now
        .checked_sub(TOUCH_EVERY)
        .map_err(|e| Error::Internal(e.to_string()))?;
    if last < stamp(touch_before).as_str() {
        let mut tx = store.tx().await?;
        tx.touch_web_token(&hash, &stamp(now)).await?;
        tx.commit().await?;
    }
    let walled = t.kind == PROVIDER_SESSION;
    Ok(WebSession {
        walled,
        via: if walled {
            Via::Provider
        } else {
            Via::LocalLink
        },
        scope: Scope::Admin,
        actor: t.actor,
        expires_at: t.expires_at,
    })
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

/// A new session for someone a provider vouched for: `subject` is the
/// provider's stable id for them (issuer and `sub`), `email` the verified
/// address they have today (the session acts as it).
pub async fn provider_session(
    store: &Store,
    subject: &str,
    email: &str,
    now: Timestamp,
    policy: &SessionPolicy,
) -> Result<String> {
    let email = email.trim().to_lowercase();
    let mut tx = store.tx().await?;
    tx.upsert_user(subject, &email, &stamp(now)).await?;
    tx.commit().await?;
    issue(store, PROVIDER_SESSION, &email, now, policy.lifetime).await
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

/// A family's calendar feed, as a list shows it: never its secret (the URL
/// was shown once), only a short id to revoke it by.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FeedInfo {
    pub id: String,
    pub created_at: String,
}

/// The first 16 hex digits of a feed's digest name it (not the token).
fn feed_id(hash: &str) -> String {
    hash.chars().take(16).collect()
}

/// The id a new feed's token is listed under.
pub fn feed_id_of(token: &str) -> String {
    feed_id(&digest(token))
}

/// A family's calendar feeds.
pub async fn list_feeds(store: &Store, family: &str) -> Result<Vec<FeedInfo>> {
    Ok(store
        .read()
        .await?
        .web_tokens_of(FEED, family)
        .await?
        .into_iter()
        .map(|(hash, created_at)| FeedInfo {
            id: feed_id(&hash),
            created_at,
        })
        .collect())
}

/// Revokes one of a family's feeds by its id (from [`list_feeds`]).
pub async fn revoke_feed_by_id(store: &Store, family: &str, id: &str) -> Result<()> {
    let mut tx = store.tx().await?;
    let hash = tx
        .web_tokens_of(FEED, family)
        .await?
        .into_iter()
        .map(|(h, _)| h)
        .find(|h| feed_id(h) == id)
        .ok_or_else(|| Error::not_found("calendar feed", id))?;
    tx.delete_web_token(&hash).await?;
    tx.commit().await
}

/// Signs a browser out.
pub async fn end_session(store: &Store, token: &str) -> Result<()> {
    let mut tx = store.tx().await?;
    tx.delete_web_token(&digest(token)).await?;
    tx.commit().await
}

/// Signs a person out of every browser (their API tokens stay: revoke
/// those one by one). Returns how many sessions ended.
pub async fn end_all_sessions(store: &Store, session: &WebSession) -> Result<u64> {
    let kind = if session.walled {
        PROVIDER_SESSION
    } else {
        SESSION
    };
    let mut tx = store.tx().await?;
    let n = tx.delete_web_tokens_of(&[kind], &session.actor).await?;
    tx.commit().await?;
    Ok(n)
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
