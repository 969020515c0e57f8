//! The tenant probe over the whole route table: two families whose
//! guardians signed in with a provider; every operation is called as one
//! of them with the other's family id, and with their own family id and
//! the other's record ids. Each answer must be a 404 problem, and the other
//! family's school must be exactly as it was.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use brightpath_core::calendar::WeeklyAvailability;
use brightpath_core::services::school::{self, GuardianInput, NewFamily, StudentInput};
use brightpath_core::services::{lists, view, web};

use super::api::routes_table;
use super::tests::{app, send};
use super::*;

/// Everything a family's school holds, to compare before and after.
async fn snapshot(store: &Store, family: &brightpath_core::model::Family) -> String {
    let o = school::overview(store, family).await.expect("overview");
    let week = view::load_week(store, family, "2026-11-30".parse().expect("d"))
        .await
        .expect("week");
    let breaks = lists::breaks(store, &family.id).await.expect("breaks");
    let feeds = web::list_feeds(store, &family.id).await.expect("feeds");
    format!(
        "{}\n{}\n{}\n{}",
        serde_json::to_string(&o).expect("o"),
        serde_json::to_string(&week).expect("w"),
        serde_json::to_string(&breaks).expect("b"),
        serde_json::to_string(&feeds).expect("f"),
    )
}

/// A body the operation would accept, so that only the wall can refuse it.
fn body_for(op: &str) -> &'static str {
    match op {
        "setStudentLogin" => r#"{"email": "jun@example.org"}"#,
        "skip" => r#"{"reason": "probe"}"#,
        "move" => r#"{"date": "2026-12-01", "start": "09:00"}"#,
        "uploadCurriculum" => "title\nLesson 1\n",
        _ => "{}",
    }
}

fn request(method: &str, path: &str, cookie: &str, body: &'static str) -> Request<Body> {
    Request::builder()
        .method(method.to_ascii_uppercase().as_str())
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(auth::CSRF_HEADER, "1")
        .header(header::IF_MATCH, "\"1\"")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn no_route_reaches_another_family() {
    let (app, state, _dir, rivera_id) = app().await;
    let store = &state.store;
    let rivera = lists::family_by_id(store, &rivera_id).await.expect("f");
    // The second family, with a guardian who signs in with a provider.
    let lee = school::create_family(
        store,
        NewFamily {
            name: "Lee Family".into(),
            time_zone: "America/Chicago".into(),
        },
    )
    .await
    .expect("family");
    let hours = WeeklyAvailability::parse("h", "mon-fri 08:00-15:00").expect("hours");
    school::add_guardian(
        store,
        &lee.id,
        GuardianInput {
            name: "Kim".into(),
            email: Some("kim@example.org".into()),
            availability: hours.clone(),
        },
    )
    .await
    .expect("guardian");
    let lee_child = school::add_student(
        store,
        &lee.id,
        StudentInput {
            name: "Jun".into(),
            birth_date: None,
            grade: None,
            availability: hours,
            max_daily_minutes: None,
        },
    )
    .await
    .expect("student");
    let now = jiff::Timestamp::now();
    let kim = web::provider_session(store, "t|kim", "kim@example.org", now, &Default::default())
        .await
        .expect("session");
    let kim = format!("bp_session={kim}");
    web::issue_feed(store, &rivera.id, now).await.expect("feed");

    // Rivera's record ids, by the path parameter that names them.
    let people = lists::people(store, &rivera.id).await.expect("people");
    let week = view::load_week(store, &rivera, "2026-11-30".parse().expect("d"))
        .await
        .expect("week");
    let years = lists::years(store, &rivera.id).await.expect("years");
    let events = lists::events(store, &rivera.id).await.expect("events");
    let breaks = lists::breaks(store, &rivera.id).await.expect("breaks");
    let feeds = web::list_feeds(store, &rivera.id).await.expect("feeds");
    let id_for = |path: &str| -> String {
        // `{id}` means the record the path's collection names.
        if path.contains("/guardians/") {
            people.guardians[0].id.clone()
        } else if path.contains("/students/{id}") {
            people.students[0].id.clone()
        } else if path.contains("/years/") {
            years[0].id.clone()
        } else if path.contains("/breaks/") {
            breaks.first().map_or("none".into(), |b| b.brk.id.clone())
        } else if path.contains("/courses/") {
            people.courses[0].id.clone()
        } else if path.contains("/events/") {
            events.first().map_or("none".into(), |e| e.event.id.clone())
        } else if path.contains("/feeds/") {
            feeds[0].id.clone()
        } else {
            "none".into()
        }
    };
    let fill = |path: &str, family: &str| -> String {
        path.replace("{family}", family)
            .replace("{id}", &id_for(path))
            .replace("{session}", &week.sessions[0].id)
            .replace("{course}", &people.courses[0].id)
            .replace("{student}", &people.students[0].id)
            .replace("{kind}", "hours")
    };
    let before = snapshot(store, &rivera).await;
    let mut probed = 0;
    for op in routes_table() {
        if !op.path.contains("{family}") {
            continue;
        }
        // Rivera's family in the path; then Kim's own family with Rivera's ids.
        let mut targets = vec![fill(op.path, &rivera.id)];
        let names_records = ["{id}", "{session}", "{course}", "{student}"]
            .iter()
            .any(|p| op.path.contains(p));
        if names_records {
            let own = fill(op.path, &lee.id);
            // A path naming only Kim's family and a course of hers is fine;
            // here every other id is Rivera's.
            if own.contains(&lee_child.id) {
                continue;
            }
            targets.push(own);
        }
        for t in targets {
            let path = format!("/api/v1{t}");
            let (s, h, body) = send(&app, request(op.method, &path, &kim, body_for(op.id))).await;
            assert_eq!(
                s,
                StatusCode::NOT_FOUND,
                "{} {path} answered {s}: {body}",
                op.method
            );
            assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
            probed += 1;
        }
    }
    assert!(probed > 60, "only {probed} calls made");
    assert_eq!(
        snapshot(store, &rivera).await,
        before,
        "Rivera's school changed"
    );
}
