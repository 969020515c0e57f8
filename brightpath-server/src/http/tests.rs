//! The API through its router (no socket): sign-in, the caller wall, ETags
//! and If-Match, problem+json for every refusal, health and metrics.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use brightpath_core::services::{demo, web};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;

pub(super) async fn app() -> (Router, AppState, tempfile::TempDir, String) {
    app_with(false).await
}

/// The demo school, with its year so far played (marks and feedback) when
/// `history` is set.
pub(super) async fn app_with(history: bool) -> (Router, AppState, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open(&url).await.expect("store");
    let today: Date = "2026-11-29".parse().expect("date");
    let s = demo::build_with(&store, today, demo::DemoOptions { history })
        .await
        .expect("demo");
    if history {
        demo::play_history(&store, &s.family, today, 1)
            .await
            .expect("history");
    }
    brightpath_core::services::planning::plan_week(
        &store,
        &s.family,
        s.week,
        &brightpath_core::services::planning::PlanOptions {
            seed: 1,
            ..Default::default()
        },
    )
    .await
    .expect("plan");
    let state = AppState {
        store,
        bus: None,
        metrics: Arc::new(HttpMetrics::default()),
        today: Some(today),
        secure_cookies: false,
        provider: None,
        sign_ins: Default::default(),
        cache: Default::default(),
        options: Default::default(),
    };
    (router(state.clone()), state, dir, s.family.id)
}

pub(super) async fn send(
    app: &Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let res = app.clone().oneshot(req).await.expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, json)
}

pub(super) fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).expect("request")
}

/// Signs in through the one-time link; returns the cookie to send.
pub(super) async fn sign_in(app: &Router, state: &AppState, actor: &str) -> String {
    let link = web::issue_link(&state.store, actor, jiff::Timestamp::now())
        .await
        .expect("link");
    let (status, headers, _) = send(app, get(&format!("/login/local?token={link}"), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let set = headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // A link signs in once.
    let (again, h2, body) = send(app, get(&format!("/login/local?token={link}"), None)).await;
    assert_eq!(again, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(h2[header::CONTENT_TYPE], "application/problem+json");
    set.split(';').next().expect("name=value").to_string()
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let (app, _, _dir, _) = app().await;
    let (s, h, body) = send(&app, get("/healthz", None)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert!(h.contains_key("x-request-id"));
    let (s, _, body) = send(&app, get("/readyz", None)).await;
    assert_eq!(
        (s, &body["database"]),
        (StatusCode::OK, &serde_json::json!("ok"))
    );
    let res = app
        .clone()
        .oneshot(get("/metrics", None))
        .await
        .expect("metrics");
    let text = String::from_utf8(
        res.into_body()
            .collect()
            .await
            .expect("b")
            .to_bytes()
            .to_vec(),
    )
    .expect("text");
    assert!(
        text.contains("brightpath_http_requests_total{route=\"/healthz\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("brightpath_db_pool_max_connections "),
        "{text}"
    );
    assert!(
        text.contains("brightpath_db_pool_connections{state=\"in_use\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn the_api_needs_a_session_and_says_so_as_a_problem() {
    let (app, state, _dir, _) = app().await;
    let (s, h, body) = send(&app, get("/api/v1/me", None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(body["status"], 401);
    assert!(
        body["hint"]
            .as_str()
            .is_some_and(|t| t.contains("brightpath serve"))
    );
    let (s, _, _) = send(&app, get("/api/v1/me", Some("bp_session=forged"))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let cookie = sign_in(&app, &state, "maria").await;
    let (s, _, me) = send(&app, get("/api/v1/me", Some(&cookie))).await;
    assert_eq!(
        (s, &me["actor"]),
        (StatusCode::OK, &serde_json::json!("maria"))
    );
    // Signing out ends the session.
    let out = Request::post("/api/v1/logout")
        .header(header::COOKIE, &cookie)
        .header(auth::CSRF_HEADER, "1")
        .body(Body::empty())
        .expect("req");
    assert_eq!(send(&app, out).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        send(&app, get("/api/v1/me", Some(&cookie))).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn marks_name_the_version_read_and_a_stale_one_is_412() {
    let (app, state, _dir, fid) = app().await;
    let cookie = sign_in(&app, &state, "maria").await;
    let (s, h, week) = send(
        &app,
        get(&format!("/api/v1/families/{fid}/week"), Some(&cookie)),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{week}");
    let etag = h[header::ETAG].to_str().expect("etag").to_string();
    // The same version again: 304, nothing sent.
    let cached = |tag: &str| {
        Request::get(format!("/api/v1/families/{fid}/week"))
            .header(header::COOKIE, &cookie)
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .expect("req")
    };
    assert_eq!(send(&app, cached(&etag)).await.0, StatusCode::NOT_MODIFIED);
    let first = &week["sessions"][0];
    let (sid, version) = (
        first["id"].as_str().expect("id").to_string(),
        first["version"].as_i64().expect("version"),
    );
    let done = |v: Option<i64>, body: &str| {
        let mut b = Request::post(format!("/api/v1/families/{fid}/sessions/{sid}/done"))
            .header(header::COOKIE, &cookie)
            .header(auth::CSRF_HEADER, "1")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(v) = v {
            b = b.header(header::IF_MATCH, format!("\"{v}\""));
        }
        b.body(Body::from(body.to_string())).expect("req")
    };
    let (s, _, p) = send(&app, done(None, "{}")).await;
    assert_eq!(s, StatusCode::PRECONDITION_REQUIRED, "{p}");
    let (s, _, p) = send(&app, done(Some(version), r#"{"minutes": "lots"}"#)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    let (s, _, p) = send(
        &app,
        done(Some(version), r#"{"minutes": 50, "engagement": 4}"#),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // The same version again is stale now: refused, and nothing changes.
    let (s, h, p) = send(&app, done(Some(version), r#"{"minutes": 10}"#)).await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{p}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    // The week changed: its old ETag no longer matches.
    assert_eq!(send(&app, cached(&etag)).await.0, StatusCode::OK);
    let (_, _, after) = send(
        &app,
        get(&format!("/api/v1/families/{fid}/week"), Some(&cookie)),
    )
    .await;
    let s0 = after["sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == sid.as_str()))
        .expect("the session");
    assert_eq!(s0["status"], "done");
    // The mark is the caller's: their undo takes it back.
    let undo = Request::post(format!("/api/v1/families/{fid}/undo"))
        .header(header::COOKIE, &cookie)
        .header(auth::CSRF_HEADER, "1")
        .body(Body::empty())
        .expect("req");
    let (s, _, p) = send(&app, undo).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert!(
        p["message"].as_str().is_some_and(|m| m.contains("undid")),
        "{p}"
    );
}

#[tokio::test]
async fn a_group_lesson_is_marked_with_each_childs_rating() {
    let (app, state, _dir, fid) = app().await;
    let cookie = sign_in(&app, &state, "maria").await;
    let week_of = || get(&format!("/api/v1/families/{fid}/week"), Some(&cookie));
    let (_, _, week) = send(&app, week_of()).await;
    let group = week["sessions"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|s| s["students"].as_array().is_some_and(|k| k.len() == 2))
        })
        .expect("a group lesson")
        .clone();
    let sid = group["id"].as_str().expect("id").to_string();
    let version = group["version"].as_i64().expect("version");
    let (a, b) = (
        group["students"][0].as_str().expect("a").to_string(),
        group["students"][1].as_str().expect("b").to_string(),
    );
    let done = |body: String| {
        Request::post(format!("/api/v1/families/{fid}/sessions/{sid}/done"))
            .header(header::COOKIE, &cookie)
            .header(auth::CSRF_HEADER, "1")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, format!("\"{version}\""))
            .body(Body::from(body))
            .expect("req")
    };
    // Refused, naming the field; nothing written (the version still holds).
    let bad = serde_json::json!({"ratings": [{"student": a, "engagement": 4}, {"student": b, "engagement": 8}]});
    let (s, h, p) = send(&app, done(bad.to_string())).await;
    assert!(s.is_client_error(), "{s} {p}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(p["field"], "ratings[1].engagement", "{p}");
    let stranger = serde_json::json!({"ratings": [{"student": "Nobody", "engagement": 4}]});
    let (s, _, p) = send(&app, done(stranger.to_string())).await;
    assert!(s.is_client_error(), "{s} {p}");
    assert_eq!(p["field"], "ratings[0].student", "{p}");
    let body = serde_json::json!({
        "minutes": 30,
        "ratings": [
            {"student": a, "engagement": 5, "difficulty": 2},
            {"student": b, "engagement": 2, "difficulty": 4, "minutes": 40, "note": "tired"}
        ]
    });
    let (s, _, p) = send(&app, done(body.to_string())).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (_, _, after) = send(&app, week_of()).await;
    let shown = after["sessions"]
        .as_array()
        .and_then(|x| x.iter().find(|s| s["id"] == sid.as_str()))
        .expect("the session");
    let rated: Vec<_> = shown["ratings"]
        .as_array()
        .expect("ratings")
        .iter()
        .map(|r| {
            (
                r["student"].clone(),
                r["engagement"].clone(),
                r["actual_minutes"].clone(),
                r["note"].clone(),
            )
        })
        .collect();
    use serde_json::Value::Null;
    assert_eq!(
        rated,
        [
            (a.clone().into(), 5.into(), 30.into(), Null),
            (b.clone().into(), 2.into(), 40.into(), "tired".into())
        ]
    );
}

#[tokio::test]
async fn unknown_things_are_404_problems() {
    let (app, state, _dir, _) = app().await;
    let cookie = sign_in(&app, &state, "maria").await;
    for path in [
        "/api/v1/families/nope/week",
        "/api/v1/no-such-endpoint",
        // Other paths are the web app's pages (spa.rs); server paths stay 404.
        "/healthz/nothing-here",
    ] {
        let (s, h, body) = send(&app, get(path, Some(&cookie))).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(
            h[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
        assert_eq!(body["kind"], "not_found");
    }
    let (s, _, body) = send(
        &app,
        get("/api/v1/families/nope/week?date=someday", Some(&cookie)),
    )
    .await;
    assert!(s.is_client_error(), "{body}");
}

#[test]
fn only_loopback_without_a_provider() {
    let local: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
    let v6: SocketAddr = "[::1]:8080".parse().expect("addr");
    let all: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
    assert!(check_exposure(local, false).is_ok());
    assert!(check_exposure(v6, false).is_ok());
    let e = check_exposure(all, false).expect_err("exposed");
    assert!(e.to_string().contains("127.0.0.1"), "{e}");
    assert!(check_exposure(all, true).is_ok());
}

/// The tenant probe: two families whose guardians signed in with a
/// provider; each route is called as one with the other's ids.
#[tokio::test]
async fn a_provider_session_cannot_cross_into_another_family() {
    let (app, state, _dir, rivera) = app().await;
    // The demo's Maria has maria@example.org; a second family has its own guardian.
    let lee = brightpath_core::services::school::create_family(
        &state.store,
        brightpath_core::services::school::NewFamily {
            name: "Lee Family".into(),
            time_zone: "America/Chicago".into(),
        },
    )
    .await
    .expect("family");
    brightpath_core::services::school::add_guardian(
        &state.store,
        &lee.id,
        brightpath_core::services::school::GuardianInput {
            name: "Kim".into(),
            email: Some("kim@example.org".into()),
            availability: brightpath_core::calendar::WeeklyAvailability::parse(
                "a",
                "mon-fri 08:00-15:00",
            )
            .expect("hours"),
        },
    )
    .await
    .expect("guardian");
    let now = jiff::Timestamp::now();
    let kim = web::provider_session(
        &state.store,
        "test|KIM@example.org",
        "KIM@example.org",
        now,
        &Default::default(),
    )
    .await
    .expect("session");
    let kim = format!("bp_session={kim}");
    let maria = web::provider_session(
        &state.store,
        "test|maria@example.org",
        "maria@example.org",
        now,
        &Default::default(),
    )
    .await
    .expect("session");
    let maria = format!("bp_session={maria}");
    let (_, _, week) = send(
        &app,
        get(&format!("/api/v1/families/{rivera}/week"), Some(&maria)),
    )
    .await;
    let sid = week["sessions"][0]["id"]
        .as_str()
        .expect("a session")
        .to_string();
    let before = week.to_string();

    let (_, _, mine) = send(&app, get("/api/v1/families", Some(&kim))).await;
    let names: Vec<&str> = mine["items"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["Lee Family"], "the e-mail matches in any case");
    let post = |path: String| {
        Request::post(path)
            .header(header::COOKIE, &kim)
            .header(auth::CSRF_HEADER, "1")
            .header(header::IF_MATCH, "\"1\"")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"reason": "x"}"#))
            .expect("req")
    };
    let (s, _, b) = send(
        &app,
        get(&format!("/api/v1/families/{rivera}/week"), Some(&kim)),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    for path in [
        format!("/api/v1/families/{rivera}/sessions/{sid}/skip"),
        format!("/api/v1/families/{rivera}/undo"),
        // Her own family's path with the other family's session: not found either.
        format!("/api/v1/families/{}/sessions/{sid}/skip", lee.id),
    ] {
        let (s, _, b) = send(&app, post(path.clone())).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {b}");
    }
    let done = Request::post(format!("/api/v1/families/{rivera}/sessions/{sid}/done"))
        .header(header::COOKIE, &kim)
        .header(auth::CSRF_HEADER, "1")
        .header(header::IF_MATCH, "\"1\"")
        .body(Body::empty())
        .expect("req");
    assert_eq!(send(&app, done).await.0, StatusCode::NOT_FOUND);
    let (_, _, after) = send(
        &app,
        get(&format!("/api/v1/families/{rivera}/week"), Some(&maria)),
    )
    .await;
    assert_eq!(
        after.to_string(),
        before,
        "the other family's week is unchanged"
    );
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let (app, state, _dir, fid) = app().await;
    let cookie = sign_in(&app, &state, "maria").await;
    let big = format!("{{\"note\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let req = Request::post(format!("/api/v1/families/{fid}/sessions/any/done"))
        .header(header::COOKIE, &cookie)
        .header(auth::CSRF_HEADER, "1")
        .header(header::IF_MATCH, "\"1\"")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .expect("req");
    let (s, h, body) = send(&app, req).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(body["kind"], "too_large");
}

#[tokio::test]
async fn a_calendar_feed_is_served_by_its_secret_until_revoked() {
    let (app, state, _dir, fid) = app().await;
    let token = web::issue_feed(&state.store, &fid, jiff::Timestamp::now())
        .await
        .expect("feed");
    let path = format!("/feeds/{token}.ics");
    let res = app
        .clone()
        .oneshot(get(&path, None))
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/calendar")
    );
    let etag = res.headers()[header::ETAG]
        .to_str()
        .expect("etag")
        .to_string();
    let text = String::from_utf8(
        res.into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec(),
    )
    .expect("text");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.contains("UID:event-"), "fixed events are in the feed");
    let cached = Request::get(&path)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .expect("req");
    assert_eq!(send(&app, cached).await.0, StatusCode::NOT_MODIFIED);
    assert_eq!(
        send(&app, get("/feeds/guessed.ics", None)).await.0,
        StatusCode::NOT_FOUND
    );
    web::revoke_feed(&state.store, &token)
        .await
        .expect("revoke");
    let (s, h, _) = send(&app, get(&path, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
}
