//! `GET /feeds/{token}.ics`: a family's calendar for calendar apps to
//! subscribe to. The token is the key (secret, revocable); the answer is the
//! same RFC 5545 text as `export ics`, with an ETag so a subscriber that
//! polls gets 304 while nothing changed.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brightpath_core::calendar::family_today;
use brightpath_core::services::{ics, lists, school, web};
use sha2::{Digest, Sha256};

use super::AppState;
use super::problem::Problem;

pub async fn calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return Problem::new(StatusCode::NOT_FOUND, "not_found", "no such feed").into_response();
    };
    let result = async {
        let fid = web::feed_family(&state.store, token).await?;
        let f = lists::family_by_id(&state.store, &fid).await?;
        let years = lists::years(&state.store, &f.id).await?;
        let today = family_today(&f.time_zone, state.today);
        let from = school::report_start(&years, today);
        let to = school::export_end(&years, today);
        // DTSTAMP is the start of the day, so an unchanged plan gives
        // the same text (and ETag) all day.
        let stamp = today
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        ics::export(&state.store, &f, from, to, &[], stamp).await
    }
    .await;
    let text = match result {
        Ok(t) => t,
        Err(e) => return Problem::from(e).into_response(),
    };
    let etag = format!(
        "\"{}\"",
        Sha256::digest(text.as_bytes())
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|seen| {
            seen.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut r = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        text.into_response()
    };
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    r
}
