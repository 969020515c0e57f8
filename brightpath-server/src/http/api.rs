//! `/api/v1`: thin handlers. Each extracts and validates, calls one core
//! service as the caller, and renders; rules live in core.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brightpath_core::calendar::{family_today, parse_date};
use brightpath_core::model::Family;
use brightpath_core::services::progress::{self, ChangeSummary, DoneInput, Selector};
use brightpath_core::services::{pacing, planning, view, web};
use serde::Deserialize;

use super::AppState;
use super::auth::Caller;
use super::problem::{Problem, from_core};

type ApiResult<T> = Result<T, Problem>;

/// `GET /api/v1/me`
pub async fn me(caller: Caller) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "actor": caller.session.actor,
        "session_expires_at": caller.session.expires_at,
        "signed_in_with": if caller.session.walled { "provider" } else { "local link" },
    }))
}

/// `GET /api/v1/families`: the caller's families (see `web::families_for`).
pub async fn families(caller: Caller) -> ApiResult<Json<Vec<Family>>> {
    Ok(Json(
        web::families_for(&caller.store, &caller.session).await?,
    ))
}

/// The family named in the path, if the caller may use it.
async fn family(caller: &Caller, id: &str) -> ApiResult<Family> {
    Ok(web::family_for(&caller.store, &caller.session, id).await?)
}

#[derive(Deserialize)]
pub struct WeekQuery {
    /// Any day of the week (default: this week, or next from Saturday on).
    date: Option<String>,
}

/// `GET /api/v1/families/{family}/week?date=D`: the week as a parent sees
/// it, with its fingerprint as the ETag.
pub async fn week(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    Query(q): Query<WeekQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let f = family(&caller, &fid).await?;
    let date = match q.date.as_deref() {
        Some(d) => parse_date("date", d)?,
        None => brightpath_core::calendar::planning_week(family_today(&f.time_zone, state.today)),
    };
    // A client that has this version of the week gets 304 without the
    // week being read: only the plan's and sessions' versions are.
    if let Some(seen) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let now = format!(
            "\"{:x}\"",
            view::week_fingerprint(&caller.store, &f, date).await?
        );
        if seen
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == now)
        {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            if let Ok(h) = HeaderValue::from_str(&now) {
                r.headers_mut().insert(header::ETAG, h);
            }
            return Ok(r);
        }
    }
    let v = view::load_week(&caller.store, &f, date).await?;
    let etag = format!("\"{:x}\"", v.fingerprint());
    let mut r = Json(v).into_response();
    if let Ok(h) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, h);
    }
    Ok(r)
}

/// The version an `If-Match` header names: `"7"`, `W/"7"` or `7`. Changing a
/// session needs it, so a stale edit is refused (412), never applied.
fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "say which version of the session you read",
        )
        .with_hint("send If-Match with the session's version from the week"));
    };
    raw.to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                "If-Match is not a session version",
            )
            .with_hint("send the session's version, e.g. If-Match: \"3\"")
        })
}

/// A JSON body (empty: the defaults), or a problem naming what is wrong.
fn body<T: Default + serde::de::DeserializeOwned>(b: &Bytes) -> ApiResult<T> {
    if b.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(b).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("the request body: {e}"),
        )
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoneBody {
    minutes: Option<u32>,
    engagement: Option<u8>,
    difficulty: Option<u8>,
    grade: Option<String>,
    note: Option<String>,
    #[serde(default)]
    partial: bool,
}

/// A change to one session: the version read, the body, the family, its
/// today and the selector, all checked before any service runs.
struct SessionChange<B> {
    body: B,
    family: Family,
    today: jiff::civil::Date,
    session: String,
    /// The version the caller read (If-Match).
    version: i64,
}

impl<B> SessionChange<B> {
    fn selector(&self) -> Selector {
        Selector::one(&self.session, Some(self.version))
    }
}

async fn session_change<B: Default + serde::de::DeserializeOwned>(
    caller: &Caller,
    state: &AppState,
    (fid, sid): (String, String),
    headers: &HeaderMap,
    b: &Bytes,
) -> ApiResult<SessionChange<B>> {
    let version = if_match(headers)?;
    let body = body(b)?;
    let family = family(caller, &fid).await?;
    Ok(SessionChange {
        body,
        today: family_today(&family.time_zone, state.today),
        family,
        session: sid,
        version,
    })
}

/// `POST /api/v1/families/{family}/sessions/{session}/done` (If-Match).
pub async fn done(
    caller: Caller,
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<ChangeSummary>> {
    let c: SessionChange<DoneBody> = session_change(&caller, &state, ids, &headers, &b).await?;
    let selector = c.selector();
    let input = DoneInput {
        actual_minutes: c.body.minutes,
        grade: c.body.grade,
        note: c.body.note,
        engagement: c.body.engagement,
        difficulty: c.body.difficulty,
        partial: c.body.partial,
    };
    let summary = progress::mark_done(
        &caller.store,
        &c.family,
        &selector,
        input,
        &caller.session.actor,
        c.today,
    )
    .await
    .map_err(|e| from_core(&e, true))?;
    if let Some(bus) = &state.bus {
        crate::learning::after_marks(&caller.store, bus, &c.family.id).await;
    }
    Ok(Json(summary))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipBody {
    reason: String,
}

/// `POST /api/v1/families/{family}/sessions/{session}/skip` (If-Match).
pub async fn skip(
    caller: Caller,
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<ChangeSummary>> {
    let c: SessionChange<SkipBody> = session_change(&caller, &state, ids, &headers, &b).await?;
    progress::skip(
        &caller.store,
        &c.family,
        &c.selector(),
        &c.body.reason,
        &caller.session.actor,
        c.today,
    )
    .await
    .map(Json)
    .map_err(|e| from_core(&e, true))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// `YYYY-MM-DD`
    date: String,
    /// `HH:MM`
    start: String,
}

/// `POST /api/v1/families/{family}/sessions/{session}/move` (If-Match):
/// checked against every hard rule, pinned there.
pub async fn move_session(
    caller: Caller,
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<ChangeSummary>> {
    let c: SessionChange<MoveBody> = session_change(&caller, &state, ids, &headers, &b).await?;
    let date = parse_date("date", &c.body.date)?;
    let start = brightpath_core::calendar::Clock::parse("start", &c.body.start)?;
    progress::move_session(
        &caller.store,
        &c.family,
        &c.session,
        date,
        start,
        Some(c.version),
        &caller.session.actor,
        c.today,
    )
    .await
    .map(Json)
    .map_err(|e| from_core(&e, true))
}

async fn pin_to(
    caller: Caller,
    state: AppState,
    ids: (String, String),
    headers: HeaderMap,
    pinned: bool,
) -> ApiResult<Json<ChangeSummary>> {
    let c: SessionChange<()> =
        session_change(&caller, &state, ids, &headers, &Bytes::new()).await?;
    progress::set_pinned(
        &caller.store,
        &c.family,
        &c.session,
        Some(c.version),
        pinned,
        &caller.session.actor,
        c.today,
    )
    .await
    .map(Json)
    .map_err(|e| from_core(&e, true))
}

/// `POST /api/v1/families/{family}/sessions/{session}/pin` (If-Match).
pub async fn pin(
    caller: Caller,
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<ChangeSummary>> {
    pin_to(caller, state, ids, headers, true).await
}

/// `POST /api/v1/families/{family}/sessions/{session}/unpin` (If-Match).
pub async fn unpin(
    caller: Caller,
    State(state): State<AppState>,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<ChangeSummary>> {
    pin_to(caller, state, ids, headers, false).await
}

/// `GET /api/v1/families/{family}/sessions/{session}/why`
pub async fn why(
    caller: Caller,
    Path((fid, sid)): Path<(String, String)>,
) -> ApiResult<Json<pacing::Explanation>> {
    let f = family(&caller, &fid).await?;
    Ok(Json(pacing::explain(&caller.store, &f, &sid).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Any day of the week to plan (default: the week being planned now).
    week: Option<String>,
    #[serde(default)]
    seed: u64,
    /// Show what would change; save nothing.
    #[serde(default)]
    dry_run: bool,
}

/// `POST /api/v1/families/{family}/plan`: plans (or re-plans) a week now;
/// done, partly done and pinned sessions stay.
pub async fn plan(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Json<planning::PlanOutcome>> {
    let b: PlanBody = body(&b)?;
    let f = family(&caller, &fid).await?;
    let today = family_today(&f.time_zone, state.today);
    let week = match b.week.as_deref() {
        Some(w) => brightpath_core::calendar::parse_week("week", w)?,
        None => brightpath_core::calendar::planning_week(today),
    };
    let opts = planning::PlanOptions {
        seed: b.seed,
        dry_run: b.dry_run,
        actor: caller.session.actor.clone(),
        today: Some(today),
        effort: planning::default_effort(false),
        ..Default::default()
    };
    Ok(Json(
        planning::plan_week(&caller.store, &f, week, &opts).await?,
    ))
}

/// `GET /api/v1/families/{family}/today?date=D`: each child's agenda.
pub async fn today(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<Vec<view::Agenda>>> {
    let f = family(&caller, &fid).await?;
    let date = match q.date.as_deref() {
        Some(d) => parse_date("date", d)?,
        None => family_today(&f.time_zone, state.today),
    };
    let v = view::load_week(&caller.store, &f, date).await?;
    Ok(Json(view::agenda(&v, date)))
}

/// `GET /api/v1/families/{family}/progress`: pacing of every course.
pub async fn progress_of(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
) -> ApiResult<Json<Vec<pacing::Pacing>>> {
    let f = family(&caller, &fid).await?;
    let today = family_today(&f.time_zone, state.today);
    Ok(Json(pacing::pacing(&caller.store, &f, today).await?))
}

/// `POST /api/v1/families/{family}/undo`: the caller's own last change.
pub async fn undo(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
) -> ApiResult<Json<ChangeSummary>> {
    let f = family(&caller, &fid).await?;
    let today = family_today(&f.time_zone, state.today);
    Ok(Json(
        progress::undo(&caller.store, &f, &caller.session.actor, false, today).await?,
    ))
}

/// Any other path under `/api`: a problem, not the web app's page.
pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
        .with_hint("the API lives under /api/v1")
}
