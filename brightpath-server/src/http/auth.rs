//! Who is calling: a session cookie (or `Authorization: Bearer` with the
//! same token, for scripts) becomes a caller with a store handle that
//! records their changes as theirs. Handlers never act without one.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use brightpath_core::Store;
use brightpath_core::services::web::{self, SESSION_LIFETIME, WebSession};
use serde::Deserialize;

use super::AppState;
use super::problem::Problem;

pub const COOKIE: &str = "bp_session";

/// A signed-in caller.
pub struct Caller {
    pub session: WebSession,
    /// The store, acting as the caller.
    pub store: Store,
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(v.trim().to_string());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let token = token_of(&parts.headers).ok_or_else(Problem::unauthorized)?;
        match web::session_of(&state.store, &token, jiff::Timestamp::now()).await {
            Ok(session) => Ok(Caller {
                store: state.store.acting_as(&session.actor),
                session,
            }),
            Err(e) if e.kind() == brightpath_core::ErrorKind::Invalid => {
                Err(Problem::unauthorized())
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Home, with the session's cookie: `HttpOnly` (no script reads it),
/// `SameSite=Lax` (no cross-site POST carries it), `Secure` over HTTPS.
pub fn signed_in(token: &str, secure: bool) -> Response {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        SESSION_LIFETIME.as_secs()
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
    match web::redeem_link(&state.store, &q.token, jiff::Timestamp::now()).await {
        Ok((token, _)) => signed_in(&token, state.secure_cookies),
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

/// `POST /api/v1/logout`: the session ends; the cookie is cleared.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(t) = token_of(&headers)
        && let Err(e) = web::end_session(&state.store, &t).await
    {
        return Problem::from(e).into_response();
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("bp_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"),
    );
    r
}
