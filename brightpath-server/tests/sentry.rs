//! Errors reach Sentry: a local receiver stands in for Sentry's ingest, and
//! the envelopes it gets are checked for the request id and the absence of
//! personal data. One test, in a test binary of its own (not in
//! `integration/`): Sentry's client and panic hook are process-wide, so a 5xx
//! or a panic in any other test of the same process would reach this receiver.

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

#[path = "integration/support/http.rs"]
mod http;

use brightpath_core::config::SentrySettings;
use brightpath_server::telemetry;

/// Requests received: (path, lower-cased head, body).
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// Accepts HTTP requests on 127.0.0.1, keeps them, answers 200.
fn receiver() -> (u16, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let (head, body) = http::read_request_sync(&mut reader);
            let path = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            seen.lock().expect("lock").push((
                path,
                head.to_ascii_lowercase(),
                String::from_utf8_lossy(&body).into_owned(),
            ));
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        }
    });
    (port, got)
}

#[test]
fn panics_and_5xx_reach_sentry_with_the_request_id_and_no_personal_data() {
    // Off by default: no DSN, no client.
    assert!(
        telemetry::init(&SentrySettings::default())
            .expect("ok")
            .is_none()
    );
    let bad = SentrySettings {
        dsn: Some("not a dsn with secretkey".into()),
        ..Default::default()
    };
    let err = telemetry::init(&bad).err().expect("refused").to_string();
    assert!(
        err.contains("sentry.dsn") && !err.contains("secretkey"),
        "{err}"
    );

    let (port, got) = receiver();
    let settings = SentrySettings {
        dsn: Some(format!("http://publickey@127.0.0.1:{port}/42")),
        environment: Some("test".into()),
    };
    let guard = telemetry::init(&settings).expect("valid dsn").expect("on");

    telemetry::report_server_error("req-5xx-1", "GET", "/api/v1/families/{family}/week", 500);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(telemetry::in_request("req-panic-2", async {
            panic!("cannot mail the agenda to ada.rivera@example.org");
        }))
    }));
    assert!(panicked.is_err());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(telemetry::in_job("job-3", "plan.week", async {
            panic!("the planner gave up");
        }))
    }));
    assert!(panicked.is_err());
    drop(guard); // flushes

    let got = got.lock().expect("lock").clone();
    assert_eq!(got.len(), 3, "{got:#?}");
    for (path, head, _) in &got {
        assert_eq!(path, "/api/42/envelope/");
        assert!(
            head.contains("x-sentry-auth: sentry sentry_key=publickey"),
            "{head}"
        );
    }
    let (_, _, server_error) = got
        .iter()
        .find(|(_, _, b)| b.contains("req-5xx-1"))
        .expect("the 5xx event");
    assert!(server_error.contains(r#""status":"500""#), "{server_error}");
    assert!(server_error.contains("HTTP 500 on GET /api/v1/families/{family}/week"));
    assert!(
        server_error.contains(r#""environment":"test""#),
        "{server_error}"
    );
    let (_, _, panic) = got
        .iter()
        .find(|(_, _, b)| b.contains("req-panic-2"))
        .expect("the panic event carries the request id");
    assert!(
        panic.contains("cannot mail the agenda to [email]"),
        "{panic}"
    );
    let (_, _, job) = got
        .iter()
        .find(|(_, _, b)| b.contains("the planner gave up"))
        .expect("the job's panic");
    assert!(
        job.contains(r#""job_id":"job-3""#) && job.contains(r#""job_kind":"plan.week""#),
        "{job}"
    );
    for (_, _, body) in &got {
        assert!(!body.contains("ada.rivera"), "{body}");
        assert!(!body.contains(r#""user""#), "{body}");
    }
}
