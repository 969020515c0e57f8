//! The week and its sessions: read, plan, mark, move, pin, undo.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brightpath_core::calendar::{family_today, parse_date};
use brightpath_core::model::Family;
use brightpath_core::services::progress::{self, ChangeSummary, DoneInput, RatingInput, Selector};
use brightpath_core::services::{lists, pacing, planning, view, web};
use serde::Deserialize;

use super::{ApiResult, body, family, if_match, school};
use crate::http::AppState;
use crate::http::auth::Caller;
use crate::http::problem::from_core;

#[derive(Deserialize, schemars::JsonSchema)]
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
    let m = family(&caller, &fid).await?;
    let f = &m.family;
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
        let week = brightpath_core::calendar::monday_of(date);
        let fp = match caller.cache.week(&f.id, week) {
            Some(fp) => fp,
            None => {
                let fp = view::week_fingerprint(&caller.store, f, date).await?;
                caller.cache.keep_week(&f.id, week, fp);
                fp
            }
        };
        let now = format!("\"{fp:x}\"");
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
    let v = view::load_week(&caller.store, f, date).await?;
    // The family's fingerprint, also for a student's part of it, so that
    // a conditional GET compares like with like.
    let etag = format!("\"{:x}\"", v.fingerprint());
    caller.cache.keep_week(
        &f.id,
        brightpath_core::calendar::monday_of(date),
        v.fingerprint(),
    );
    let v = match m.student() {
        Some(s) => v.for_student(s),
        None => v,
    };
    let mut r = Json(v).into_response();
    if let Ok(h) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, h);
    }
    Ok(r)
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DoneBody {
    /// Minutes it took, 1-1440 (for every child of a group lesson).
    minutes: Option<u32>,
    /// 1 (checked out) to 5 (absorbed), for every child.
    engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard), for every child.
    difficulty: Option<u8>,
    grade: Option<String>,
    note: Option<String>,
    #[serde(default)]
    partial: bool,
    /// Children's own ratings of a group lesson, one per child (a child
    /// left out keeps the lesson's figures, or their own from before).
    /// Each child must be in the lesson.
    #[serde(default)]
    ratings: Vec<RatingBody>,
}

/// One child's own rating of a group lesson.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// The child, by name or id.
    student: String,
    /// 1 (checked out) to 5 (absorbed).
    engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard).
    difficulty: Option<u8>,
    /// Minutes it took this child, 1-1440.
    minutes: Option<u32>,
    note: Option<String>,
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
    /// The child whose own login this is, if it is a student's.
    student: Option<String>,
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
    // Whose family first: another tenant's paths are 404 whatever the body.
    let m = family(caller, &fid).await?;
    if let Some(student) = m.student()
        && !view::session_is_students(&caller.store, &m.family, &sid, student).await?
    {
        return Err(brightpath_core::Error::forbidden(
            "a student's login may mark only their own lessons",
        )
        .into());
    }
    let version = if_match(headers)?;
    let body = body(b)?;
    let student = m.student().map(str::to_string);
    let family = m.family;
    Ok(SessionChange {
        student,
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
    let mut input = DoneInput {
        actual_minutes: c.body.minutes,
        grade: c.body.grade,
        note: c.body.note,
        engagement: c.body.engagement,
        difficulty: c.body.difficulty,
        partial: c.body.partial,
        ratings: c
            .body
            .ratings
            .into_iter()
            .map(|r| RatingInput {
                student: r.student,
                actual_minutes: r.minutes,
                engagement: r.engagement,
                difficulty: r.difficulty,
                note: r.note,
            })
            .collect(),
    };
    if let Some(me) = &c.student {
        input = own_rating(&caller.store, &c.family.id, me, input).await?;
    }
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
        crate::learning::after_marks(&caller.store, bus, &c.family.id, state.options.learning)
            .await;
    }
    Ok(Json(summary))
}

/// A student's login rates only its own child: ratings of another child are
/// refused, and the figures given for the lesson become the child's own (a
/// group lesson's other children keep theirs).
async fn own_rating(
    store: &brightpath_core::Store,
    family: &str,
    me: &str,
    mut input: DoneInput,
) -> ApiResult<DoneInput> {
    let mut mine = None;
    for (i, r) in input.ratings.iter().enumerate() {
        match lists::find_student(store, family, r.student.trim()).await {
            Ok(s) if s.id == me => mine = Some(i),
            Ok(_) => {
                return Err(brightpath_core::Error::forbidden(
                    "a student's login may rate only their own part of a lesson",
                )
                .into());
            }
            // Not a child of the family: core names the field.
            Err(brightpath_core::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let figures = input.actual_minutes.is_some()
        || input.engagement.is_some()
        || input.difficulty.is_some()
        || input.note.is_some();
    let i = match mine {
        Some(i) => i,
        None if !figures => return Ok(input),
        None => {
            input.ratings.push(RatingInput {
                student: me.to_string(),
                ..Default::default()
            });
            input.ratings.len() - 1
        }
    };
    let r = &mut input.ratings[i];
    r.actual_minutes = r.actual_minutes.or(input.actual_minutes.take());
    r.engagement = r.engagement.or(input.engagement.take());
    r.difficulty = r.difficulty.or(input.difficulty.take());
    r.note = r.note.take().or(input.note.take());
    Ok(input)
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
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
    let f = family(&caller, &fid).await?.family;
    Ok(Json(pacing::explain(&caller.store, &f, &sid).await?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Any day of the week to plan (default: the week being planned now).
    week: Option<String>,
    #[serde(default)]
    seed: u64,
    /// Show what would change; save nothing.
    #[serde(default)]
    dry_run: bool,
    /// Plan as a job on the `schedules` queue: answers 202 with the job's URL.
    #[serde(default)]
    background: bool,
}

/// A job queued for the caller.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Queued {
    pub job: String,
    /// Where its status is read.
    pub url: String,
}

/// `POST /api/v1/families/{family}/plan`: plans (or re-plans) a week now;
/// done, partly done and pinned sessions stay.
pub async fn plan(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: PlanBody = body(&b)?;
    let today = family_today(&f.time_zone, state.today);
    let week = match b.week.as_deref() {
        Some(w) => brightpath_core::calendar::parse_week("week", w)?,
        None => brightpath_core::calendar::planning_week(today),
    };
    if b.background {
        return plan_in_background(&caller, &state, &f, week).await;
    }
    let opts = planning::PlanOptions {
        seed: b.seed,
        dry_run: b.dry_run,
        actor: caller.session.actor.clone(),
        today: Some(today),
        effort: planning::default_effort(false),
        ..Default::default()
    };
    Ok(Json(planning::plan_week(&caller.store, &f, week, &opts).await?).into_response())
}

async fn plan_in_background(
    caller: &Caller,
    state: &AppState,
    f: &Family,
    week: jiff::civil::Date,
) -> ApiResult<Response> {
    let Some(bus) = &state.bus else {
        return Err(brightpath_core::Error::invalid(
            "background",
            "this server has no job bus to plan in the background",
        )
        .with_hint("plan without \"background\" (it answers when the plan is made), or set valkey_url and run `brightpath worker`")
        .into());
    };
    let queue = brightpath_bus::Queue::new("schedules")
        .map_err(|e| brightpath_core::Error::Internal(e.to_string()))?;
    let spec = brightpath_bus::JobSpec::new(
        queue,
        crate::jobs::PLAN_WEEK,
        serde_json::json!({"family_id": f.id, "date": week.to_string(), "actor": caller.session.actor}),
    );
    let q = bus
        .enqueue(spec)
        .await
        .map_err(|e| brightpath_core::Error::Io(e.to_string()))?;
    let url = job_url(&q.id);
    Ok(accepted(
        &url,
        Queued {
            job: q.id.to_string(),
            url: url.clone(),
        },
    ))
}

/// Where a job's status is read.
pub(super) fn job_url(id: &uuid::Uuid) -> String {
    format!("/api/v1/jobs/{id}")
}

/// `202 Accepted` with `body`, and `Location` the job's status.
pub(super) fn accepted(url: &str, body: impl serde::Serialize) -> Response {
    let mut r = (StatusCode::ACCEPTED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A job's status, as its requester sees it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct JobView {
    pub id: String,
    pub kind: String,
    /// `queued`, `running`, `succeeded`, `failed` or `dead`.
    pub status: String,
    pub attempts: u32,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub error: Option<String>,
    pub result: Option<serde_json::Value>,
}

/// `GET /api/v1/jobs/{id}`: a job about one of the caller's families (a
/// local session, the operator's own computer: any job).
pub async fn job(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<JobView>> {
    let missing = || brightpath_core::Error::not_found("job", &id);
    let Some(bus) = &state.bus else {
        return Err(missing().into());
    };
    let uuid: uuid::Uuid = id.parse().map_err(|_| missing())?;
    let j = bus
        .get(uuid)
        .await
        .map_err(|e| brightpath_core::Error::Io(e.to_string()))?
        .ok_or_else(missing)?;
    if caller.session.walled {
        // A co-op's job (an import) is its admins'; any other, its family's.
        if let Some(coop) = j.payload["coop_id"].as_str() {
            web::admin_coop(&caller.store, &caller.session, coop, web::Scope::Read)
                .await
                .map_err(|_| missing())?;
        } else {
            let fam = j.payload["family_id"].as_str().unwrap_or_default();
            family(&caller, fam)
                .await
                .map_err(|_| missing())?
                .school()?;
        }
    }
    let status = serde_json::to_value(j.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Ok(Json(JobView {
        id: j.id.to_string(),
        kind: j.kind,
        status,
        attempts: j.attempts,
        created_at: j.created_at.to_string(),
        finished_at: j.finished_at.map(|t| t.to_string()),
        error: j.last_error,
        result: j.result,
    }))
}

/// `GET /api/v1/families/{family}/today?date=D`: each child's agenda.
pub async fn today(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<Vec<view::Agenda>>> {
    let m = family(&caller, &fid).await?;
    let f = &m.family;
    let date = match q.date.as_deref() {
        Some(d) => parse_date("date", d)?,
        None => family_today(&f.time_zone, state.today),
    };
    let v = view::load_week(&caller.store, f, date).await?;
    let v = match m.student() {
        Some(s) => v.for_student(s),
        None => v,
    };
    Ok(Json(view::agenda(&v, date)))
}

/// `GET /api/v1/families/{family}/progress`: pacing of every course.
pub async fn progress_of(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
) -> ApiResult<Json<Vec<pacing::Pacing>>> {
    let f = school(&caller, &fid).await?;
    let today = family_today(&f.time_zone, state.today);
    Ok(Json(pacing::pacing(&caller.store, &f, today).await?))
}

/// `POST /api/v1/families/{family}/undo`: the caller's own last change.
pub async fn undo(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
) -> ApiResult<Json<ChangeSummary>> {
    let f = family(&caller, &fid).await?.family;
    let today = family_today(&f.time_zone, state.today);
    Ok(Json(
        progress::undo(&caller.store, &f, &caller.session.actor, false, today).await?,
    ))
}
