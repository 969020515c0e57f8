//! Who is calling and what they may reach: their families, starting a
//! family (onboarding), invitations, API tokens, co-ops and their jobs.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use brightpath_core::model::{Coop, Family};
use brightpath_core::services::coop;
use brightpath_core::services::school::NewFamily;
use brightpath_core::services::web::{self, FamilyRole, Invitation, NewToken, Scope, Via};
use brightpath_core::store::ApiToken;
use serde::{Deserialize, Serialize};

use super::{ApiResult, Page, PageQuery, body, family, page};
use crate::http::AppState;
use crate::http::auth::Caller;

/// Who is calling.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Me {
    /// Who changes are recorded as: the verified e-mail, or this computer's user.
    pub actor: String,
    pub session_expires_at: String,
    /// `local link`, `provider` or `api token`.
    pub signed_in_with: String,
    /// `read`, `write` or `admin`.
    pub scope: Scope,
    pub families: Vec<FamilyRole>,
    /// Co-ops the caller administers.
    pub coops: Vec<Coop>,
    /// Signed in, but no family yet: the web app starts onboarding.
    pub needs_onboarding: bool,
}

/// How people may sign in here (asked before anyone is signed in).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SignInOptions {
    /// A provider is configured: "Sign in with Google" works.
    pub provider: bool,
}

/// `GET /api/v1/sign-in-options` (no session needed).
pub async fn sign_in_options(State(state): State<AppState>) -> Json<SignInOptions> {
    Json(SignInOptions {
        provider: state.provider.is_some(),
    })
}

/// `GET /api/v1/me`
pub async fn me(caller: Caller) -> ApiResult<Json<Me>> {
    let s = &caller.session;
    let families: Vec<FamilyRole> = web::memberships(&caller.store, s)
        .await?
        .iter()
        .map(web::Membership::role)
        .collect();
    let coops = web::coops_for(&caller.store, s).await?;
    Ok(Json(Me {
        actor: s.actor.clone(),
        session_expires_at: s.expires_at.clone(),
        signed_in_with: match s.via {
            Via::LocalLink => "local link",
            Via::Provider => "provider",
            Via::ApiToken => "api token",
        }
        .into(),
        scope: s.scope,
        needs_onboarding: families.is_empty() && coops.is_empty(),
        families,
        coops,
    }))
}

/// `GET /api/v1/families`: the caller's families, with their role in each.
pub async fn families(
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<FamilyRole>>> {
    let all: Vec<FamilyRole> = web::memberships(&caller.store, &caller.session)
        .await?
        .iter()
        .map(web::Membership::role)
        .collect();
    Ok(Json(page(all, &q, |f| format!("{}\u{0}{}", f.name, f.id))?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFamilyBody {
    name: String,
    /// An IANA time zone, e.g. `America/Chicago`.
    time_zone: String,
    /// How the family calls the caller (default: from their e-mail).
    guardian_name: Option<String>,
}

/// `POST /api/v1/families`: onboarding. The caller becomes the family's
/// first guardian.
pub async fn create_family(caller: Caller, b: Bytes) -> ApiResult<Response> {
    let b: NewFamilyBody = body(&b)?;
    let (f, _) = web::start_family(
        &caller.store,
        &caller.session,
        NewFamily {
            name: b.name,
            time_zone: b.time_zone,
        },
        b.guardian_name.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json::<Family>(f)).into_response())
}

// ---- invitations ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// Only this e-mail may accept (recommended).
    email: Option<String>,
}

/// An invitation and the link to send.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct InvitationLink {
    /// Open it, sign in, accept. Single use; shown only now.
    pub url: String,
    #[serde(flatten)]
    pub invitation: Invitation,
}

fn link(state: &AppState, i: Invitation) -> InvitationLink {
    let base = state.options.public_origin.clone().unwrap_or_default();
    InvitationLink {
        url: format!("{base}/invitations/{}", i.token),
        invitation: i,
    }
}

/// `POST …/families/{family}/invitations`: a link for a second guardian.
pub async fn invite_guardian(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let m = family(&caller, &fid).await?;
    let b: InviteBody = body(&b)?;
    let now = jiff::Timestamp::now();
    let i =
        web::invite_guardian(&caller.store, &caller.session, &m, b.email.as_deref(), now).await?;
    Ok((StatusCode::CREATED, Json(link(&state, i))).into_response())
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// How the family will call you (a guardian's invitation).
    name: Option<String>,
    /// Which of your families joins (a co-op's invitation).
    family: Option<String>,
}

/// `POST /api/v1/invitations/{token}/accept`
pub async fn accept(
    caller: Caller,
    Path(token): Path<String>,
    b: Bytes,
) -> ApiResult<Json<Family>> {
    let b: AcceptBody = body(&b)?;
    let now = jiff::Timestamp::now();
    Ok(Json(
        web::accept_invitation(
            &caller.store,
            &caller.session,
            &token,
            b.name.as_deref(),
            b.family.as_deref(),
            now,
        )
        .await?,
    ))
}

// ---- API tokens ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// What it is for, e.g. "weekly plan cron".
    name: String,
    /// `read`, `write` (default) or `admin`.
    scope: Option<Scope>,
    /// Days until it expires (1 to 366, default 90).
    expires_days: Option<u32>,
}

pub async fn list_tokens(
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<ApiToken>>> {
    let all = web::list_tokens(&caller.store, &caller.session).await?;
    Ok(Json(page(all, &q, |t| t.id.clone())?))
}

/// `POST /api/v1/tokens`: the secret is in the answer, and only there.
pub async fn create_token(caller: Caller, b: Bytes) -> ApiResult<Response> {
    let b: TokenBody = body(&b)?;
    let t: NewToken = web::create_token(
        &caller.store,
        &caller.session,
        &b.name,
        b.scope.unwrap_or(Scope::Write),
        b.expires_days.unwrap_or(90),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

pub async fn revoke_token(caller: Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    web::revoke_token(&caller.store, &caller.session, &id, jiff::Timestamp::now()).await?;
    caller.cache.forget_tokens_of(&caller.session.actor);
    Ok(StatusCode::NO_CONTENT)
}

// ---- co-ops ----

pub async fn list_coops(caller: Caller) -> ApiResult<Json<Vec<Coop>>> {
    Ok(Json(web::coops_for(&caller.store, &caller.session).await?))
}

/// `GET /api/v1/coops/{coop}/families`: the roster.
pub async fn roster(
    caller: Caller,
    Path(cid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<coop::RosterFamily>>> {
    let c = web::admin_coop(&caller.store, &caller.session, &cid, Scope::Read).await?;
    let out = coop::roster(&caller.store, &c.id).await?;
    Ok(Json(page(out, &q, |f| format!("{}\u{0}{}", f.name, f.id))?))
}

/// `POST /api/v1/coops/{coop}/invitations`: a link for a family to join.
pub async fn invite_family(
    caller: Caller,
    State(state): State<AppState>,
    Path(cid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let b: InviteBody = body(&b)?;
    let now = jiff::Timestamp::now();
    let i = web::invite_to_coop(
        &caller.store,
        &caller.session,
        &cid,
        b.email.as_deref(),
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(link(&state, i))).into_response())
}
