//! A co-op admin's class lists and roster imports: upload a OneRoster zip, which is checked
//! as a dry run by a `roster.import` job; read the diff from the job; apply
//! the same upload with a second job. Who administers the co-op is core's
//! rule; the jobs run in `brightpath worker` (or in `serve` itself without
//! a Valkey).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use brightpath_core::model::Coop;
use brightpath_core::services::roster::classes::CoopClass;
use brightpath_core::services::roster::{self, uploads};
use brightpath_core::services::web::{self, Scope};
use brightpath_core::store::RosterUpload;
use serde::{Deserialize, Serialize};

use super::sessions::{accepted, job_url};
use super::{ApiResult, Page, PageQuery, page};
use crate::http::AppState;
use crate::http::auth::Caller;
use crate::http::limits;
use crate::http::problem::Problem;

/// `?dry_run=&file_name=` of an upload.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Only check the file and show what would change (default true).
    #[serde(default = "yes")]
    dry_run: bool,
    /// The file's name, for the list of uploads.
    file_name: Option<String>,
}

fn yes() -> bool {
    true
}

/// An import job queued.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ImportQueued {
    /// The upload (apply it later with `…/imports/{import}/apply`).
    pub import: String,
    pub job: String,
    /// Where the job's status and, when done, its report are read.
    pub url: String,
    pub dry_run: bool,
}

fn no_bus() -> Problem {
    brightpath_core::Error::invalid("import", "this server has no job bus to import with")
        .with_hint("run `brightpath serve` (it imports in-process), or set valkey_url and run `brightpath worker`")
        .into()
}

async fn queue(
    caller: &Caller,
    state: &AppState,
    coop: &Coop,
    upload: &str,
    dry_run: bool,
) -> ApiResult<Response> {
    let bus = state.bus.as_ref().ok_or_else(no_bus)?;
    let q = crate::roster_import::enqueue(bus, &coop.id, upload, dry_run, &caller.session.actor)
        .await
        .map_err(|e| brightpath_core::Error::Io(e.to_string()))?;
    let url = job_url(&q.id);
    Ok(accepted(
        &url,
        ImportQueued {
            import: upload.to_string(),
            job: q.id.to_string(),
            url: url.clone(),
            dry_run,
        },
    ))
}

/// `POST /api/v1/coops/{coop}/imports?dry_run=true`: the body is the
/// roster's zip. Answers 202 with the job that checks (or imports) it.
pub async fn upload(
    caller: Caller,
    State(state): State<AppState>,
    Path(cid): Path<String>,
    Query(q): Query<UploadQuery>,
    body: Body,
) -> ApiResult<Response> {
    let coop = web::admin_coop(&caller.store, &caller.session, &cid, Scope::Admin).await?;
    // Read here, not by an extractor: uploads have their own, larger limit.
    let limit = state.options.upload_limit;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        limits::too_large(limit)
            .with_hint("raise server.upload_limit_mib, or split the roster into delta files")
    })?;
    let u = uploads::keep(
        &caller.store,
        &coop,
        q.file_name.as_deref().unwrap_or("roster.zip"),
        &bytes,
        &caller.session.actor,
        jiff::Timestamp::now(),
    )
    .await?;
    queue(&caller, &state, &coop, &u.id, q.dry_run).await
}

/// `POST /api/v1/coops/{coop}/imports/{import}/apply`: imports for real the
/// file already uploaded (and, usually, checked).
pub async fn apply(
    caller: Caller,
    State(state): State<AppState>,
    Path((cid, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let coop = web::admin_coop(&caller.store, &caller.session, &cid, Scope::Admin).await?;
    let u = uploads::get(&caller.store, &coop, &id).await?;
    queue(&caller, &state, &coop, &u.id, false).await
}

/// `GET /api/v1/coops/{coop}/classes`: the class lists, by title.
pub async fn classes(
    caller: Caller,
    Path(cid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<CoopClass>>> {
    let coop = web::admin_coop(&caller.store, &caller.session, &cid, Scope::Read).await?;
    let all = roster::classes::classes(&caller.store, &coop.id).await?;
    Ok(Json(page(all, &q, |c| {
        format!("{}\u{0}{}", c.title, c.sourced_id)
    })?))
}

/// `GET /api/v1/coops/{coop}/imports`: the co-op's uploads, newest first.
pub async fn list(
    caller: Caller,
    Path(cid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<RosterUpload>>> {
    let coop = web::admin_coop(&caller.store, &caller.session, &cid, Scope::Read).await?;
    let all = uploads::list(&caller.store, &coop).await?;
    // Newest first, and stable: the key sorts by time descending, then id.
    let key = |u: &RosterUpload| {
        let ms = u
            .uploaded_at
            .parse::<jiff::Timestamp>()
            .map_or(0, |t| t.as_millisecond());
        format!("{:020}\u{0}{}", i64::MAX - ms, u.id)
    };
    Ok(Json(page(all, &q, key)?))
}
