//! A co-op admin's roster import over HTTP: upload a zip, read the dry run's
//! diff from the job, apply it, and the walls around it (a guardian who is
//! not the co-op's admin, a token without the admin scope, a file that is
//! not a zip, a file with a bad row: nothing written).

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use brightpath_core::services::coop;
use serde_json::Value;

use super::access_tests::provider_cookie;
use super::tests::{app, send};
use super::*;

/// The shared OneRoster 1.1 set, or `None` (skip; on CI: fail).
fn fixtures() -> Option<PathBuf> {
    brightpath_core::testing::shared_testdata(
        "oneroster/catalyst-moodle-enrol_oneroster/v1p1_Test_full_data_set",
    )
}

/// The folder's files as a zip, with some files replaced or added.
fn zip_of(dir: &std::path::Path, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") && !extra.iter().any(|(x, _)| x == n))
        .collect();
    names.sort();
    for n in &names {
        z.start_file(n.as_str(), opts).expect("zip entry");
        z.write_all(&std::fs::read(dir.join(n)).expect("read"))
            .expect("write");
    }
    for (n, text) in extra {
        z.start_file(*n, opts).expect("zip entry");
        z.write_all(text.as_bytes()).expect("write");
    }
    z.finish().expect("zip").into_inner()
}

fn upload(path: &str, auth: &str, body: Vec<u8>) -> Request<Body> {
    let b = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/zip");
    let b = match auth.strip_prefix("Bearer ") {
        Some(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        None => b
            .header(header::COOKIE, auth)
            .header(auth::CSRF_HEADER, "1"),
    };
    b.body(Body::from(body)).expect("request")
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

/// The app with an in-process bus and worker (as `serve` runs without a
/// Valkey), a co-op, and a signed-in admin of it.
/// The worker runs while the returned [`LocalWorker`] is held.
async fn with_worker() -> (
    axum::Router,
    AppState,
    (tempfile::TempDir, crate::worker::LocalWorker),
    String,
    String,
) {
    let (_, mut state, dir, _) = app().await;
    let reg = crate::jobs::core_registry_with(
        state.store.clone(),
        Default::default(),
        Default::default(),
    );
    let worker = crate::worker::LocalWorker::start(brightpath_bus::BusConfig::memory(), reg);
    state.bus = Some(worker.bus.clone());
    let c = coop::create(&state.store, "Physics Co-op", "America/Chicago")
        .await
        .expect("co-op");
    coop::add_admin(&state.store, &c.id, "Ines", Some("ines@example.org".into()))
        .await
        .expect("admin");
    let admin = provider_cookie(&state, "ines@example.org").await;
    (router(state.clone()), state, (dir, worker), c.id, admin)
}

/// Polls the job until it finishes; its record.
async fn finished(app: &axum::Router, url: &str, cookie: &str) -> Value {
    for _ in 0..600 {
        let (s, _, j) = send(app, get(url, cookie)).await;
        assert_eq!(s, StatusCode::OK, "{j}");
        if j["finished_at"].is_string() {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the job at {url} did not finish");
}

async fn people(state: &AppState) -> usize {
    brightpath_core::services::coop::list(&state.store)
        .await
        .expect("co-ops")
        .iter()
        .map(|c| c.families.len())
        .sum()
}

#[tokio::test]
async fn an_admin_checks_then_applies_a_roster_and_others_cannot() {
    let Some(dir) = fixtures() else { return };
    let (app, state, _tmp, cid, admin) = with_worker().await;
    let meetings = "classSourcedId,day,start,end,place\ncls-222-123456,wed,13:00,14:30,Room 2-B\n";
    let good = zip_of(&dir, &[("class_meetings.csv", meetings)]);
    let imports = format!("/api/v1/coops/{cid}/imports");

    // A guardian of a family is not this co-op's admin: as if it did not exist.
    let maria = provider_cookie(&state, "maria@example.org").await;
    let (s, _, p) = send(&app, upload(&imports, &maria, good.clone())).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{p}");

    // Not a zip: refused at once, naming the body.
    let (s, _, p) = send(&app, upload(&imports, &admin, b"name,grade\n".to_vec())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["field"], "body", "{p}");

    // The dry run: a job whose result is the diff; nothing written.
    let (s, h, q) = send(
        &app,
        upload(&format!("{imports}?file_name=fall.zip"), &admin, good),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{q}");
    assert_eq!(q["dry_run"], true);
    assert_eq!(h[header::LOCATION], q["url"].as_str().expect("url"));
    let j = finished(&app, q["url"].as_str().expect("url"), &admin).await;
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!(j["kind"], "roster.import");
    let r = &j["result"];
    assert_eq!(r["refused"], false, "{r}");
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["changes"]["families"]["created"], 2, "{r}");
    assert_eq!(r["changes"]["students"]["created"], 3, "{r}");
    assert!(r["warnings_total"].as_u64().is_some_and(|n| n > 0), "{r}");
    assert_eq!(people(&state).await, 0, "a dry run writes nothing");
    // Another guardian cannot read the co-op's job either.
    let (s, _, _) = send(&app, get(q["url"].as_str().expect("url"), &maria)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The list shows the upload, not yet applied.
    let (s, _, list) = send(&app, get(&imports, &admin)).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["items"][0]["file_name"], "fall.zip", "{list}");
    assert!(list["items"][0]["applied_at"].is_null());

    // Apply the same upload: the families are made, the upload is applied.
    let id = q["import"].as_str().expect("import id");
    let (s, _, q2) = send(
        &app,
        upload(&format!("{imports}/{id}/apply"), &admin, Vec::new()),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{q2}");
    assert_eq!(q2["dry_run"], false);
    let j = finished(&app, q2["url"].as_str().expect("url"), &admin).await;
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!(j["result"]["changes"]["families"]["created"], 2);
    assert_eq!(people(&state).await, 2);
    let (_, _, list) = send(&app, get(&imports, &admin)).await;
    assert!(list["items"][0]["applied_at"].is_string(), "{list}");
    let (s, _, roster) = send(&app, get(&format!("/api/v1/coops/{cid}/families"), &admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        roster["items"].as_array().map(Vec::len),
        Some(2),
        "{roster}"
    );

    // The class lists: the admin's, not a guardian's.
    let classes = format!("/api/v1/coops/{cid}/classes");
    let (s, _, list) = send(&app, get(&classes, &admin)).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let class = &list["items"][0];
    assert_eq!(class["meetings"][0]["day"], "wed", "{list}");
    assert!(
        class["students"].as_array().is_some_and(|s| !s.is_empty()),
        "{list}"
    );
    let (s, _, _) = send(&app, get(&classes, &maria)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Applying it again changes nothing.
    let (_, _, q3) = send(
        &app,
        upload(&format!("{imports}/{id}/apply"), &admin, Vec::new()),
    )
    .await;
    let j = finished(&app, q3["url"].as_str().expect("url"), &admin).await;
    assert_eq!(j["result"]["changed"], false, "{j}");
}

#[tokio::test]
async fn a_bad_row_is_reported_with_its_line_and_nothing_is_written() {
    let Some(dir) = fixtures() else { return };
    let (app, state, _tmp, cid, admin) = with_worker().await;
    let users = std::fs::read_to_string(dir.join("users.csv")).expect("users");
    // Every user's role made unknown on line 2.
    let mut lines: Vec<String> = users.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let role = header
        .iter()
        .position(|h| *h == "role")
        .expect("role column");
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[role] = "wizard".into();
    lines[1] = cells.join(",");
    let bad = zip_of(&dir, &[("users.csv", &lines.join("\n"))]);
    let (s, _, q) = send(
        &app,
        upload(
            &format!("/api/v1/coops/{cid}/imports?dry_run=false"),
            &admin,
            bad,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{q}");
    let j = finished(&app, q["url"].as_str().expect("url"), &admin).await;
    let r = &j["result"];
    assert_eq!(r["refused"], true, "{j}");
    let p = &r["problems"][0];
    assert_eq!(p["file"], "users.csv", "{r}");
    assert_eq!(p["line"], 2, "{r}");
    assert_eq!(p["column"], "role", "{r}");
    assert!(p["fix"].as_str().is_some_and(|f| !f.is_empty()));
    assert_eq!(people(&state).await, 0, "nothing written");
    let (_, _, list) = send(&app, get(&format!("/api/v1/coops/{cid}/imports"), &admin)).await;
    assert!(list["items"][0]["applied_at"].is_null(), "{list}");
}

#[tokio::test]
async fn a_token_without_the_admin_scope_cannot_import() {
    let (app, _state, _tmp, cid, admin) = with_worker().await;
    let (s, _, t) = send(
        &app,
        Request::post("/api/v1/tokens")
            .header(header::COOKIE, &admin)
            .header(auth::CSRF_HEADER, "1")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({"name": "script", "scope": "write"}).to_string(),
            ))
            .expect("request"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["token"].as_str().expect("secret").to_string();
    let (s, _, p) = send(
        &app,
        upload(
            &format!("/api/v1/coops/{cid}/imports"),
            &format!("Bearer {token}"),
            b"PK\x05\x06".to_vec(),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    // Reading the list needs only read.
    let (s, _, p) = send(
        &app,
        Request::get(format!("/api/v1/coops/{cid}/imports"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
}
