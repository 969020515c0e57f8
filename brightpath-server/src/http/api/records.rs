//! Curricula, days off and catching up, reports and calendar feeds.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brightpath_core::calendar::family_today;
use brightpath_core::model::BreakKind;
use brightpath_core::services::curriculum::{
    self, CurriculumView, Format, ImportMode, ImportReport,
};
use brightpath_core::services::progress::{self, ChangeSummary, DaysOff, default_break_name};
use brightpath_core::services::records::{self, ReportKind, ReportScope};
use brightpath_core::services::{planning, web};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ApiResult, body, school};
use crate::http::AppState;
use crate::http::auth::Caller;

// ---- curricula ----

#[derive(Debug, Default, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadFormat {
    #[default]
    Csv,
    Toml,
}

#[derive(Debug, Default, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadMode {
    /// The file becomes the whole curriculum (refused once lessons are done).
    #[default]
    Replace,
    /// The file's lessons follow the last lesson there.
    Append,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// `csv` (default) or `toml`.
    #[serde(default)]
    format: UploadFormat,
    #[serde(default)]
    mode: UploadMode,
    /// Check every row and say what would be imported; write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// `POST …/courses/{course}/curriculum`: the file is the body (CSV or
/// TOML). All or nothing: the first bad row is named with its line and
/// column, and nothing is written.
pub async fn upload_curriculum(
    caller: Caller,
    Path((fid, course)): Path<(String, String)>,
    Query(q): Query<UploadQuery>,
    b: Bytes,
) -> ApiResult<Json<ImportReport>> {
    let f = school(&caller, &fid).await?;
    let text = std::str::from_utf8(&b).map_err(|_| {
        brightpath_core::Error::invalid("body", "the file is not UTF-8 text")
            .with_hint("save the spreadsheet as CSV UTF-8")
    })?;
    let format = match q.format {
        UploadFormat::Csv => Format::Csv,
        UploadFormat::Toml => Format::Toml,
    };
    let mode = match q.mode {
        UploadMode::Replace => ImportMode::Replace,
        UploadMode::Append => ImportMode::Append,
    };
    let r = curriculum::import_checked(
        &caller.store,
        &f.id,
        Some(&course),
        "upload",
        format,
        text,
        mode,
        q.dry_run,
    )
    .await?;
    Ok(Json(r))
}

pub async fn show_curriculum(
    caller: Caller,
    Path((fid, course)): Path<(String, String)>,
) -> ApiResult<Json<CurriculumView>> {
    let f = school(&caller, &fid).await?;
    Ok(Json(curriculum::show(&caller.store, &f.id, &course).await?))
}

// ---- days off and catching up ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayOffBody {
    /// The first day off.
    date: Option<Date>,
    /// The last (default: the same day).
    end: Option<Date>,
    /// `sick`, `holiday` or `break` (default `break`).
    kind: Option<BreakKind>,
    name: Option<String>,
    /// Only these children (names or ids); empty: the whole family.
    #[serde(default)]
    students: Vec<String>,
    /// Show what would move; change nothing.
    #[serde(default)]
    dry_run: bool,
}

fn options(caller: &Caller, today: Date, dry_run: bool) -> planning::PlanOptions {
    planning::PlanOptions {
        dry_run,
        actor: caller.session.actor.clone(),
        today: Some(today),
        effort: planning::default_effort(false),
        ..Default::default()
    }
}

/// `POST …/day-off`: days off from now on; the work planned on them moves
/// (re-planned), or with `dry_run` is only shown.
pub async fn day_off(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Json<DaysOff>> {
    let f = school(&caller, &fid).await?;
    let b: DayOffBody = body(&b)?;
    let today = family_today(&f.time_zone, state.today);
    let start = b.date.unwrap_or(today);
    let kind = b.kind.unwrap_or(BreakKind::Break);
    let input = brightpath_core::services::school::BreakInput {
        year: None,
        name: b
            .name
            .unwrap_or_else(|| default_break_name(kind, &b.students)),
        kind,
        start,
        end: b.end.unwrap_or(start),
        students: b.students,
    };
    let opts = options(&caller, today, b.dry_run);
    Ok(Json(
        progress::add_days_off(&caller.store, &f, input, &opts, today).await?,
    ))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatchUpBody {
    /// Show what would move; change nothing.
    #[serde(default)]
    dry_run: bool,
}

/// What catching up did (or would do).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CatchUp {
    pub summary: ChangeSummary,
    pub outcome: planning::PlanOutcome,
}

/// `POST …/catch-up`: lessons planned before today and not marked move into
/// the rest of this week.
pub async fn catch_up(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Json<CatchUp>> {
    let f = school(&caller, &fid).await?;
    let b: CatchUpBody = body(&b)?;
    let today = family_today(&f.time_zone, state.today);
    let opts = options(&caller, today, b.dry_run);
    let (summary, outcome) = progress::catch_up(&caller.store, &f, today, &opts).await?;
    Ok(Json(CatchUp { summary, outcome }))
}

// ---- reports ----

#[derive(Debug, Default, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
    Html,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `json` (default), `csv` or `html` (printable).
    #[serde(default)]
    format: ReportFormat,
    /// Default: the school year's start.
    from: Option<Date>,
    /// Default: today.
    to: Option<Date>,
    /// Minutes of work that make a school day attended (default 1).
    min_minutes: Option<u32>,
}

/// `GET …/reports/{kind}`: attendance, hours or progress, as JSON, CSV or
/// printable HTML.
pub async fn report(
    caller: Caller,
    State(state): State<AppState>,
    Path((fid, kind)): Path<(String, ReportKind)>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let today = family_today(&f.time_zone, state.today);
    let scope = ReportScope {
        from: q.from,
        to: q.to,
        students: Vec::new(),
        rule: records::AttendanceRule {
            min_minutes: q.min_minutes.unwrap_or(1),
        },
    };
    let (r, json) = records::report(&caller.store, &f, kind, &scope, today).await?;
    let name = match kind {
        ReportKind::Attendance => "attendance",
        ReportKind::Hours => "hours",
        ReportKind::Progress => "progress",
    };
    let (text, mime, ext) = match q.format {
        ReportFormat::Json => return Ok(Json(json).into_response()),
        ReportFormat::Csv => (records::to_csv(&r), "text/csv; charset=utf-8", "csv"),
        ReportFormat::Html => (
            records::to_html(&r, &today.to_string()),
            "text/html; charset=utf-8",
            "html",
        ),
    };
    let mut res = text.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-{today}.{ext}\""))
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

// ---- calendar feeds ----

/// A feed just made: its URL (with the secret) is shown only now.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct NewFeed {
    pub url: String,
    #[serde(flatten)]
    pub info: web::FeedInfo,
}

pub async fn list_feeds(
    caller: Caller,
    Path(fid): Path<String>,
) -> ApiResult<Json<Vec<web::FeedInfo>>> {
    let f = school(&caller, &fid).await?;
    Ok(Json(web::list_feeds(&caller.store, &f.id).await?))
}

pub async fn add_feed(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let now = jiff::Timestamp::now();
    let token = web::issue_feed(&caller.store, &f.id, now).await?;
    let info = web::FeedInfo {
        id: web::feed_id_of(&token),
        created_at: now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let base = state.options.public_origin.clone().unwrap_or_default();
    let url = format!("{base}/feeds/{token}.ics");
    Ok((StatusCode::CREATED, Json(NewFeed { url, info })).into_response())
}

pub async fn remove_feed(
    caller: Caller,
    Path((fid, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    web::revoke_feed_by_id(&caller.store, &f.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
