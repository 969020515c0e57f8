//! One error mapping for the HTTP surface: core's error kinds become
//! problem+json bodies and status codes here and nowhere else (as the CLI
//! maps them to exit codes in one place).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brightpath_core::{Error, ErrorKind};
use serde::Serialize;

/// An RFC 9457 problem: what went wrong, for people and for programs.
/// Serialized with its `type` and `title` derived from the kind and status.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: u16,
    /// Core's error kind: invalid, not_found, conflict, unavailable, internal
    /// (or unauthorized, precondition_required).
    pub kind: String,
    pub detail: String,
    pub hint: Option<String>,
    /// The input at fault, when one is (a body field, a query parameter, a
    /// file's line): the web app shows the message next to it.
    pub field: Option<String>,
}

/// The problem body (its schema is the OpenAPI document's `Problem`).
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "Problem")]
pub struct Body<'a> {
    /// `/problems/{kind}`
    #[serde(rename = "type")]
    kind_uri: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    /// `invalid`, `not_found`, `conflict`, `forbidden`, `unauthorized`, `csrf`,
    /// `precondition_required`, `rate_limited`, `too_large`, `unavailable`, `internal` …
    kind: &'a str,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    /// The input at fault (a field of the body, a parameter, a file's line).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let title = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|c| c.canonical_reason())
            .unwrap_or("Error");
        Body {
            kind_uri: format!("/problems/{}", self.kind),
            title,
            status: self.status,
            detail: &self.detail,
            kind: &self.kind,
            hint: self.hint.as_deref(),
            field: self.field.as_deref(),
        }
        .serialize(s)
    }
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            status: status.as_u16(),
            kind: kind.to_string(),
            detail: detail.into(),
            hint: None,
            field: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub fn unauthorized() -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in first")
            .with_hint("open the sign-in link that `brightpath serve` printed")
    }
}

/// The status for a core error. A conflict is 412 when the request named
/// the version it read (If-Match): that version is stale.
pub fn status_of(kind: ErrorKind, precondition: bool) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict if precondition => StatusCode::PRECONDITION_FAILED,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        from_core(&e, false)
    }
}

/// A core error as a problem; `precondition` as in [`status_of`].
pub fn from_core(e: &Error, precondition: bool) -> Problem {
    let status = status_of(e.kind(), precondition);
    if status.is_server_error() {
        tracing::error!(error = %e, "request failed");
    }
    let detail = match e.kind() {
        // Never show a database's or a bug's inner text to a browser.
        ErrorKind::Internal => "an internal error occurred; it has been logged".to_string(),
        ErrorKind::Unavailable => "the database or job bus is unavailable".to_string(),
        // A constraint the database enforced: say what it means, not its text.
        ErrorKind::Conflict if matches!(e, Error::Database(_)) => {
            "this conflicts with what is stored: a duplicate, or a reference to something \
             removed meanwhile"
                .to_string()
        }
        _ => e.to_string(),
    };
    let mut p = Problem::new(status, &e.kind().to_string(), detail);
    if let Error::Invalid { field, .. } = e {
        p.field = Some(field.clone());
    }
    match e.hint() {
        Some(h) if !status.is_server_error() => p.with_hint(h),
        _ => p,
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, Json(self)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}
