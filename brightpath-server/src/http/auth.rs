//! Who is calling: a session cookie (or `Authorization: Bearer` with the
//! same token, for scripts) becomes a caller with a store handle that
//! records their changes as theirs. Handlers never act without one.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use brightpath_core::Store;
use brightpath_core::services::web::{self, WebSession};
use serde::Deserialize;

use super::AppState;
use super::problem::Problem;

pub const COOKIE: &str = "bp_session";

/// A signed-in caller.
pub struct Caller {
    pub session: WebSession,
    /// The token it came with (to end this session on sign-out).
    token: String,
    /// The store, acting as the caller.
    pub store: Store,
    /// The process's short memory of sessions and memberships.
    pub cache: std::sync::Arc<super::cache::Cache>,
}

/// The header a browser's unsafe request must carry (a page on another
/// site cannot add it without the server's consent, which it never gives).
pub const CSRF_HEADER: &str = "x-brightpath-csrf";

/// Where a caller's token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Bearer,
    Cookie,
}

fn token_of(headers: &HeaderMap) -> Option<(String, Carrier)> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((v.trim().to_string(), Carrier::Bearer));
    }
    cookie_of(headers).map(|t| (t, Carrier::Cookie))
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// A browser's request that changes something must come from our own
/// pages: it carries the CSRF header, and its `Origin`, when sent, is ours.
fn check_csrf(parts: &Parts, state: &AppState) -> Result<(), Problem> {
    if parts.method.is_safe() {
        return Ok(());
    }
    let refused = |detail: &str| {
        Problem::new(StatusCode::FORBIDDEN, "csrf", detail.to_string()).with_hint(format!(
            "send the {CSRF_HEADER} header from the web app's own pages"
        ))
    };
    if !parts.headers.contains_key(CSRF_HEADER) {
        return Err(refused(
            "a change from a browser must carry the CSRF header",
        ));
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let ours = match &state.options.public_origin {
            Some(o) => origin == o,
            None => origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest == host),
        };
        if !ours {
            return Err(refused("this request comes from another site"));
        }
    }
    Ok(())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let (token, carrier) = token_of(&parts.headers).ok_or_else(Problem::unauthorized)?;
        if carrier == Carrier::Cookie {
            check_csrf(parts, state)?;
        }
        let now = jiff::Timestamp::now();
        let known = match state.cache.session(&token) {
            Some(s) => Ok(s),
            None => web::session_of(&state.store, &token, now, &state.options.sessions)
                .await
                .inspect(|s| state.cache.keep_session(&token, s)),
        };
        match known {
            Ok(session) => {
                // A read-only token reads; the scope check for admin work
                // is the service's (tokens, invitations).
                if !parts.method.is_safe() {
                    session.require(web::Scope::Write).map_err(Problem::from)?;
                }
                Ok(Caller {
                    store: state.store.acting_as(&session.actor),
                    session,
                    token,
                    cache: state.cache.clone(),
                })
            }
            Err(e) if e.kind() == brightpath_core::ErrorKind::Invalid => Err(match carrier {
                Carrier::Cookie => Problem::unauthorized(),
                // A script's token: say so, not "open the sign-in link".
                _ => Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this token is not valid: mistyped, expired or revoked",
                )
                .with_hint(
                    "make a new one with `brightpath token create` or in the web app's settings",
                ),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// Home, with the session's cookie: `HttpOnly` (no script reads it),
/// `SameSite=Lax` (no cross-site POST carries it), `Secure` over HTTPS.
pub fn signed_in(token: &str, state: &AppState) -> Response {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        state.options.sessions.lifetime.as_secs()
    );
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[derive(Deserialize)]
pub struct LinkQuery {
    token: String,
}

/// `GET /login/local?token=…`: a one-time link becomes a session cookie.
pub async fn local_login(State(state): State<AppState>, Query(q): Query<LinkQuery>) -> Response {
    let now = jiff::Timestamp::now();
    match web::redeem_link(&state.store, &q.token, now, &state.options.sessions).await {
        Ok((token, _)) => signed_in(&token, &state),
        Err(e) if e.kind() == brightpath_core::ErrorKind::Invalid => Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this sign-in link is unknown, used or expired",
        )
        .with_hint("run `brightpath serve` again for a new link")
        .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

fn cleared() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("bp_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"),
    );
    r
}

/// `POST /api/v1/logout`: this session ends; the cookie is cleared. (An
/// API token is revoked instead, under `/tokens`.)
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Response {
    if caller.session.via != web::Via::ApiToken
        && let Err(e) = web::end_session(&state.store, &caller.token).await
    {
        return Problem::from(e).into_response();
    }
    state.cache.forget_session(&caller.token);
    cleared()
}

/// `POST /api/v1/logout-everywhere`: every browser session of this person
/// ends (their API tokens stay until revoked).
pub async fn logout_everywhere(State(state): State<AppState>, caller: Caller) -> Response {
    match web::end_all_sessions(&state.store, &caller.session).await {
        Ok(_) => {
            state.cache.forget_actor(&caller.session.actor);
            cleared()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
