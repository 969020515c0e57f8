//! Who may do what over HTTP: onboarding, invitations, students' own
//! logins, API tokens and their scopes, the CSRF check, pagination, and
//! the OpenAPI document's own consistency.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use brightpath_core::services::{lists, web};
use serde_json::{Value, json};

use super::tests::{app, send};
use super::*;

/// A request with a session cookie (and the CSRF header) or a bearer token.
fn call(method: &str, path: &str, auth: &str, body: Value) -> Request<Body> {
    let b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    let b = if let Some(t) = auth.strip_prefix("Bearer ") {
        b.header(header::AUTHORIZATION, format!("Bearer {t}"))
    } else {
        b.header(header::COOKIE, auth)
            .header(auth::CSRF_HEADER, "1")
    };
    b.body(Body::from(body.to_string())).expect("request")
}

pub(super) async fn provider_cookie(state: &AppState, email: &str) -> String {
    let t = web::provider_session(
        &state.store,
        &format!("t|{email}"),
        email,
        jiff::Timestamp::now(),
        &Default::default(),
    )
    .await
    .expect("session");
    format!("bp_session={t}")
}

#[tokio::test]
async fn a_newcomer_onboards_and_invites_a_second_guardian() {
    let (app, state, _dir, _) = app().await;
    let ana = provider_cookie(&state, "ana.reyes@example.org").await;
    let (s, _, me) = send(&app, call("GET", "/api/v1/me", &ana, Value::Null)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["needs_onboarding"], true, "{me}");
    // A bad time zone is named, and nothing is made.
    let (s, _, p) = send(
        &app,
        call(
            "POST",
            "/api/v1/families",
            &ana,
            json!({"name": "Reyes", "time_zone": "Mars/Olympus"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("time_zone")),
        "{p}"
    );
    assert_eq!(p["field"], "time_zone", "the field at fault is named: {p}");
    let (s, _, fam) = send(
        &app,
        call(
            "POST",
            "/api/v1/families",
            &ana,
            json!({"name": "Reyes", "time_zone": "America/Denver"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{fam}");
    let fid = fam["id"].as_str().expect("id").to_string();
    let guardians = lists::guardians(&state.store, &fid).await.expect("g");
    assert_eq!(guardians.len(), 1);
    assert_eq!(guardians[0].name, "Ana Reyes");
    assert_eq!(guardians[0].email.as_deref(), Some("ana.reyes@example.org"));
    let (_, _, me) = send(&app, call("GET", "/api/v1/me", &ana, Value::Null)).await;
    assert_eq!(me["families"][0]["role"], "guardian", "{me}");

    // An invitation for one address: another address cannot use it.
    let (s, _, inv) = send(
        &app,
        call(
            "POST",
            &format!("/api/v1/families/{fid}/invitations"),
            &ana,
            json!({"email": "luis@example.org"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    let token = inv["token"].as_str().expect("token").to_string();
    let eve = provider_cookie(&state, "eve@example.org").await;
    let accept = format!("/api/v1/invitations/{token}/accept");
    let (s, _, p) = send(&app, call("POST", &accept, &eve, json!({}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let luis = provider_cookie(&state, "luis@example.org").await;
    let (s, _, f) = send(&app, call("POST", &accept, &luis, json!({"name": "Luis"}))).await;
    assert_eq!((s, &f["id"]), (StatusCode::OK, &json!(fid)), "{f}");
    // Single use.
    let (s, _, _) = send(&app, call("POST", &accept, &luis, json!({}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, _, fams) = send(&app, call("GET", "/api/v1/families", &luis, Value::Null)).await;
    assert_eq!(fams["items"][0]["id"], json!(fid), "{fams}");
    // Eve still sees nothing of it.
    let (s, _, _) = send(
        &app,
        call("GET", &format!("/api/v1/families/{fid}"), &eve, Value::Null),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tokens_act_within_their_scope_until_revoked() {
    let (app, state, _dir, fid) = app().await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let make = |scope: &str| {
        call(
            "POST",
            "/api/v1/tokens",
            &maria,
            json!({"name": format!("{scope} cron"), "scope": scope, "expires_days": 30}),
        )
    };
    let (s, _, read) = send(&app, make("read")).await;
    assert_eq!(s, StatusCode::CREATED, "{read}");
    let read_tok = format!("Bearer {}", read["token"].as_str().expect("secret"));
    let (_, _, write) = send(&app, make("write")).await;
    let write_tok = format!("Bearer {}", write["token"].as_str().expect("secret"));
    // Listed without their secrets.
    let (_, _, list) = send(&app, call("GET", "/api/v1/tokens", &maria, Value::Null)).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "{list}");
    assert!(
        !list
            .to_string()
            .contains(read["token"].as_str().expect("s"))
    );
    // A read token reads, and is refused a change (403).
    let week = format!("/api/v1/families/{fid}/week");
    let (s, _, _) = send(&app, call("GET", &week, &read_tok, Value::Null)).await;
    assert_eq!(s, StatusCode::OK);
    let plan = format!("/api/v1/families/{fid}/plan");
    let (s, _, p) = send(
        &app,
        call("POST", &plan, &read_tok, json!({"dry_run": true})),
    )
    .await;
    assert_eq!(
        (s, &p["kind"]),
        (StatusCode::FORBIDDEN, &json!("forbidden")),
        "{p}"
    );
    // A write token plans, needs no CSRF header, but cannot make tokens.
    let (s, _, p) = send(
        &app,
        call("POST", &plan, &write_tok, json!({"dry_run": true})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (s, _, _) = send(
        &app,
        call("POST", "/api/v1/tokens", &write_tok, json!({"name": "x"})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Its last use is recorded.
    let (_, _, list) = send(&app, call("GET", "/api/v1/tokens", &maria, Value::Null)).await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|t| t["last_used_at"].is_string()),
        "{list}"
    );
    // Revoked: refused from then on.
    let id = write["id"].as_str().expect("id");
    let (s, _, _) = send(
        &app,
        call(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            &maria,
            Value::Null,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, p) = send(&app, call("GET", &week, &write_tok, Value::Null)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A script is told its token is at fault, not to open a sign-in link.
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("token")),
        "{p}"
    );
    // Out-of-range lifetimes are named.
    let (s, _, p) = send(
        &app,
        call(
            "POST",
            "/api/v1/tokens",
            &maria,
            json!({"name": "n", "expires_days": 4000}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
}

#[tokio::test]
async fn a_browser_change_needs_the_csrf_header_and_our_origin() {
    let (app, state, _dir, fid) = app().await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let plan = format!("/api/v1/families/{fid}/plan");
    let bare = Request::post(&plan)
        .header(header::COOKIE, &maria)
        .body(Body::from("{}"))
        .expect("req");
    let (s, _, p) = send(&app, bare).await;
    assert_eq!(
        (s, &p["kind"]),
        (StatusCode::FORBIDDEN, &json!("csrf")),
        "{p}"
    );
    let cross = Request::post(&plan)
        .header(header::COOKIE, &maria)
        .header(auth::CSRF_HEADER, "1")
        .header(header::HOST, "school.example.org")
        .header(header::ORIGIN, "https://evil.example.com")
        .body(Body::from(r#"{"dry_run": true}"#))
        .expect("req");
    assert_eq!(send(&app, cross).await.0, StatusCode::FORBIDDEN);
    let same = Request::post(&plan)
        .header(header::COOKIE, &maria)
        .header(auth::CSRF_HEADER, "1")
        .header(header::HOST, "school.example.org")
        .header(header::ORIGIN, "https://school.example.org")
        .body(Body::from(r#"{"dry_run": true}"#))
        .expect("req");
    assert_eq!(send(&app, same).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_students_login_sees_and_marks_only_their_own_lessons() {
    let (app, state, _dir, fid) = app().await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let people = lists::people(&state.store, &fid).await.expect("people");
    let ben = people
        .students
        .iter()
        .find(|s| s.name == "Ben")
        .expect("Ben");
    let (s, _, _) = send(
        &app,
        call(
            "PUT",
            &format!("/api/v1/families/{fid}/students/{}/login", ben.id),
            &maria,
            json!({"email": "ben@example.org"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let ben_cookie = provider_cookie(&state, "ben@example.org").await;
    let (_, _, me) = send(&app, call("GET", "/api/v1/me", &ben_cookie, Value::Null)).await;
    assert_eq!(me["families"][0]["role"], "student", "{me}");
    let (s, _, week) = send(
        &app,
        call(
            "GET",
            &format!("/api/v1/families/{fid}/week"),
            &ben_cookie,
            Value::Null,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let sessions = week["sessions"].as_array().expect("sessions");
    assert!(!sessions.is_empty());
    assert!(
        sessions.iter().all(|x| x["student_ids"]
            .as_array()
            .is_some_and(|a| a.contains(&json!(ben.id)))),
        "only Ben's lessons"
    );
    assert_eq!(week["students"].as_array().map(Vec::len), Some(1));
    // Another child's lesson: refused; his own: marked.
    let all = brightpath_core::services::view::load_week(
        &state.store,
        &lists::family_by_id(&state.store, &fid).await.expect("f"),
        "2026-11-30".parse().expect("d"),
    )
    .await
    .expect("week");
    let other = all
        .sessions
        .iter()
        .find(|x| !x.student_ids.contains(&ben.id))
        .expect("another child's lesson");
    let mark = |sid: &str, v: i64| {
        let mut r = call(
            "POST",
            &format!("/api/v1/families/{fid}/sessions/{sid}/done"),
            &ben_cookie,
            json!({}),
        );
        r.headers_mut()
            .insert(header::IF_MATCH, format!("\"{v}\"").parse().expect("h"));
        r
    };
    assert_eq!(
        send(&app, mark(&other.id, other.version)).await.0,
        StatusCode::FORBIDDEN
    );
    let mine = &sessions[0];
    let (s, _, p) = send(
        &app,
        mark(
            mine["id"].as_str().expect("id"),
            mine["version"].as_i64().expect("v"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // In a lesson shared with a sibling, his figures are his own rating,
    // and he may not rate the sibling.
    let group = all
        .sessions
        .iter()
        .find(|x| x.student_ids.len() > 1 && x.student_ids.contains(&ben.id))
        .expect("a group lesson of Ben's");
    let sibling = group
        .students
        .iter()
        .find(|n| n.as_str() != "Ben")
        .expect("a sibling");
    let rate = |body: Value| {
        let mut r = call(
            "POST",
            &format!("/api/v1/families/{fid}/sessions/{}/done", group.id),
            &ben_cookie,
            body,
        );
        r.headers_mut().insert(
            header::IF_MATCH,
            format!("\"{}\"", group.version).parse().expect("h"),
        );
        r
    };
    let (s, _, p) = send(
        &app,
        rate(json!({"ratings": [{"student": sibling, "engagement": 1}]})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    let (s, _, p) = send(&app, rate(json!({"engagement": 2, "difficulty": 4}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let rows = lists::feedback_rows(&state.store, &fid, group.date, group.date, None)
        .await
        .expect("feedback");
    let of = |name: &str| {
        rows.iter()
            .find(|r| r.session_id == group.id && r.student == name)
            .map(|r| (r.engagement, r.difficulty))
            .expect("row")
    };
    assert_eq!(of("Ben"), (Some(2), Some(4)));
    assert_eq!(of(sibling), (None, None));
    // The school itself is a parent's.
    let (s, _, _) = send(
        &app,
        call(
            "POST",
            &format!("/api/v1/families/{fid}/students"),
            &ben_cookie,
            json!({"name": "Zed"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lists_page_with_cursors_and_bad_input_is_a_problem() {
    let (app, state, _dir, fid) = app().await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let mut names = Vec::new();
    let mut url = format!("/api/v1/families/{fid}/courses?limit=2");
    loop {
        let (s, _, page) = send(&app, call("GET", &url, &maria, Value::Null)).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        names.extend(
            items
                .iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string)),
        );
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/families/{fid}/courses?limit=2&cursor={c}"),
            None => break,
        }
    }
    let all = lists::courses(&state.store, &fid).await.expect("courses");
    assert_eq!(names.len(), all.len());
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // A query the route does not know, or a wrong type: a problem, not text.
    let (s, h, p) = send(
        &app,
        call(
            "GET",
            &format!("/api/v1/families/{fid}/courses?limit=lots"),
            &maria,
            Value::Null,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    let (s, h, _) = send(&app, call("PATCH", "/api/v1/me", &maria, json!({}))).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    // Background planning needs a job bus; this server has none.
    let (s, _, p) = send(
        &app,
        call(
            "POST",
            &format!("/api/v1/families/{fid}/plan"),
            &maria,
            json!({"background": true}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
}

/// Every `$ref` in the document points at a schema it has, every route has
/// a unique operation id, and the router serves it.
#[tokio::test]
async fn the_openapi_document_is_whole() {
    let doc = api::openapi();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut refs = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in &refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .expect("a component ref");
        assert!(schemas.contains_key(name), "{r} is missing");
    }
    let mut ids: Vec<&str> = api::routes_table().iter().map(|o| o.id).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "operation ids are unique");
    assert!(text.contains("\"openapi\":\"3.1.0\""));
    let (app, _, _dir, _) = app().await;
    let (s, _, served) = send(
        &app,
        Request::get("/api/openapi.json")
            .body(Body::empty())
            .expect("r"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(served, doc);
}

#[tokio::test]
async fn edits_and_removals_that_read_an_old_version_are_412_and_change_nothing() {
    let (app, state, _dir, fid) = app().await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let (s, _, course) = send(
        &app,
        call(
            "POST",
            &format!("/api/v1/families/{fid}/courses"),
            &maria,
            json!({"name": "Latin Roots", "subject": "latin", "lesson_minutes": 15, "sessions_per_week": 2}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{course}");
    let id = course["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/families/{fid}/courses/{id}");
    let with = |method: &str, v: &str, body: Value| {
        let mut r = call(method, &path, &maria, body);
        r.headers_mut()
            .insert(header::IF_MATCH, v.parse().expect("h"));
        r
    };
    // Another parent renames it (version 1 → 2).
    let (s, _, c) = send(&app, with("PATCH", "\"1\"", json!({"name": "Keyboarding"}))).await;
    assert_eq!((s, &c["version"]), (StatusCode::OK, &json!(2)), "{c}");
    // This parent still has version 1: neither edit nor removal applies.
    let (s, _, p) = send(&app, with("PATCH", "\"1\"", json!({"lesson_minutes": 20}))).await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{p}");
    let (s, _, _) = send(&app, with("DELETE", "\"1\"", Value::Null)).await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED);
    let now = lists::courses(&state.store, &fid).await.expect("courses");
    let c = now.iter().find(|c| c.course.id == id).expect("still there");
    assert_eq!(
        (c.course.name.as_str(), c.course.lesson_minutes),
        ("Keyboarding", 15)
    );
    // With the version it has now, it goes.
    let (s, _, _) = send(&app, with("DELETE", "\"2\"", Value::Null)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn insights_are_served_per_family_and_child() {
    let (app, state, _dir, fid) = super::tests::app_with(true).await;
    let maria = provider_cookie(&state, "maria@example.org").await;
    let path = format!("/api/v1/families/{fid}/insights");
    let (s, _, all) = send(&app, call("GET", &path, &maria, Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert!(
        all["suggestions"].is_array() && all["course_lengths"].is_array(),
        "{all}"
    );
    let (s, _, ben) = send(
        &app,
        call("GET", &format!("{path}?student=Ben"), &maria, Value::Null),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{ben}");
    let lengths = ben["course_lengths"].as_array().expect("lengths");
    assert!(
        !lengths.is_empty(),
        "a year of feedback teaches something: {ben}"
    );
    assert!(lengths.iter().all(|c| c["child"] == "Ben"), "{ben}");
    assert!(
        all["course_lengths"].as_array().expect("all").len() > lengths.len(),
        "the family's insights hold the other children's too"
    );
    let (s, _, p) = send(
        &app,
        call("GET", &format!("{path}?student=Zed"), &maria, Value::Null),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{p}");
}

#[tokio::test]
async fn a_coop_admin_sees_the_roster_and_no_plans() {
    use brightpath_core::services::coop;
    let (app, state, _dir, fid) = app().await;
    let c = coop::create(&state.store, "Hill Co-op", "America/Chicago")
        .await
        .expect("coop");
    coop::add_admin(&state.store, &c.id, "Pat", Some("pat@example.org".into()))
        .await
        .expect("admin");
    let rivera = lists::family_by_id(&state.store, &fid).await.expect("f");
    coop::join(&state.store, &rivera, &c.id)
        .await
        .expect("join");
    let pat = provider_cookie(&state, "pat@example.org").await;
    let roster = format!("/api/v1/coops/{}/families", c.id);
    let (s, _, page) = send(&app, call("GET", &roster, &pat, Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let fam = &page["items"][0];
    assert_eq!(fam["name"], "Rivera Family", "{page}");
    assert!(
        fam["students"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("Ben"))),
        "{page}"
    );
    assert!(
        fam["guardians"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("Maria"))),
        "{page}"
    );
    // Not the family's plans, and not another co-op's roster for a guardian.
    let (s, _, _) = send(
        &app,
        call(
            "GET",
            &format!("/api/v1/families/{fid}/week"),
            &pat,
            Value::Null,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let maria = provider_cookie(&state, "maria@example.org").await;
    let (s, _, _) = send(&app, call("GET", &roster, &maria, Value::Null)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
