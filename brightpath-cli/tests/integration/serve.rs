//! `brightpath serve` on a real socket, as a parent on their own computer
//! uses it: the printed one-time link signs the browser in, the API answers
//! as them, and SIGTERM stops the server cleanly. Exposed addresses are
//! refused without a sign-in provider.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

#[allow(unused_macros, unused_imports)]
use crate::backends;
use crate::common;

use common::Env;

/// A header's value in a response head (any case).
fn header_of(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// One HTTP/1.1 request; returns (status, head, body).
fn http(addr: &str, path: &str, cookie: Option<&str>) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("read");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

#[test]
fn an_exposed_address_is_refused_without_a_provider() {
    let e = Env::new();
    let (code, err) = e.fails(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("127.0.0.1"), "{err}");
}

#[test]
fn a_parent_signs_in_with_the_printed_link_and_stops_it_with_sigterm() {
    let e = Env::new();
    e.ok(&["demo"]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("brightpath"))
        .env_clear()
        .env("HOME", e.home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BRIGHTPATH_TODAY", "2026-11-29")
        .env("USER", "tester")
        .args(["--json", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let started: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    let addr = started["listening"].as_str().expect("addr").to_string();
    let link = started["sign_in"].as_str().expect("link").to_string();
    let path = link
        .split_once(&addr)
        .map(|(_, p)| p.to_string())
        .expect("a path on this server");

    assert_eq!(http(&addr, "/healthz", None).0, 200);
    assert_eq!(http(&addr, "/readyz", None).0, 200);
    let (status, _, body) = http(&addr, "/api/v1/me", None);
    assert_eq!(status, 401, "{body}");
    let (status, head, _) = http(&addr, &path, None);
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let (status, _, me) = http(&addr, "/api/v1/me", Some(&cookie));
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("\"actor\":\"tester\""), "{me}");
    let (status, _, families) = http(&addr, "/api/v1/families", Some(&cookie));
    assert_eq!(status, 200);
    assert!(families.contains("Rivera Family"), "{families}");
    // The link worked once.
    assert_eq!(http(&addr, &path, None).0, 401);
    // Guessing links is rate-limited per address: 30 sign-in requests a minute.
    let codes: Vec<u16> = (0..30)
        .map(|i| http(&addr, &format!("/login/local?token=guess{i}"), None).0)
        .collect();
    assert!(codes.contains(&429), "{codes:?}");
    let (status, _, body) = http(&addr, "/login/local?token=more", None);
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("rate_limited"), "{body}");
    // The API itself is not limited by that.
    assert_eq!(http(&addr, "/api/v1/me", Some(&cookie)).0, 200);
    // A calendar feed made by the CLI is served, then revoked.
    let feed = e.json(&["feed", "create"]);
    let url = feed["url"].as_str().expect("url").to_string();
    let token = url
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".ics"))
        .expect("token")
        .to_string();
    let (status, head, body) = http(&addr, &format!("/feeds/{token}.ics"), None);
    assert_eq!(status, 200, "{head}");
    assert!(body.starts_with("BEGIN:VCALENDAR"), "{body}");
    e.ok(&["feed", "revoke", &token]);
    assert_eq!(http(&addr, &format!("/feeds/{token}.ics"), None).0, 404);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("exit");
    assert!(
        status.success(),
        "serve exits cleanly on SIGTERM: {status:?}"
    );
}

/// The local OpenID provider of the server's sign-in tests, if installed.
fn provider() -> Option<(Child, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../brightpath-server/tests/oidc");
    if !dir.join("node_modules/oauth2-mock-server").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs the test provider: npm ci in {}",
            dir.display()
        );
        eprintln!("skipped: npm ci in {} for the sign-in tests", dir.display());
        return None;
    }
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("issuer line");
    let v: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    Some((child, v["issuer"].as_str().expect("issuer").to_string()))
}

/// The whole sign-in with the real binary on PostgreSQL: the browser's
/// requests to `serve` and to the provider, the callback, the cookie, and
/// an API call as the guardian.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guardian_signs_in_with_the_provider_on_postgres() {
    let Some((mut idp, issuer)) = provider() else {
        return;
    };
    let Some(db) = backends::postgres().await else {
        let _ = idp.kill();
        return;
    };
    let e = Env::new();
    e.ok(&["--db", &db.url, "demo"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("brightpath"))
        .env_clear()
        .env("HOME", e.home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BRIGHTPATH_TODAY", "2026-11-29")
        .env("BRIGHTPATH_DATABASE_URL", &db.url)
        .env("BRIGHTPATH_OAUTH__ISSUER", &issuer)
        .env("BRIGHTPATH_OAUTH__CLIENT_ID", "bp-client")
        .env("BRIGHTPATH_OAUTH__CLIENT_SECRET", "bp-secret")
        .env("BRIGHTPATH_SERVER__PUBLIC_URL", format!("http://{addr}"))
        .env("USER", "tester")
        .args(["--json", "serve", "--listen", &addr])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let started: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    assert_eq!(started["provider"], true, "{started}");

    let (status, head, _) = http(&addr, "/login/google", None);
    assert!((300..400).contains(&status), "{head}");
    let authorize = header_of(&head, "location").expect("to the provider");
    let (host, path) = authorize
        .strip_prefix("http://")
        .and_then(|r| r.split_once('/'))
        .map(|(h, p)| (h.to_string(), format!("/{p}")))
        .expect("an http URL");
    let (status, head, _) = http(&host, &path, None);
    assert!((300..400).contains(&status), "{head}");
    let back = header_of(&head, "location").expect("back to us");
    let callback = back
        .split_once(&addr)
        .map(|(_, p)| p.to_string())
        .expect("our callback");
    let (status, head, body) = http(&addr, &callback, None);
    assert_eq!(status, 303, "{head}\n{body}");
    let cookie = header_of(&head, "set-cookie")
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("a session");
    let (status, _, me) = http(&addr, "/api/v1/me", Some(&cookie));
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("maria@example.org"), "{me}");
    let (status, _, families) = http(&addr, "/api/v1/families", Some(&cookie));
    assert_eq!(status, 200);
    assert!(families.contains("Rivera Family"), "{families}");

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().expect("exit").success());
    let _ = idp.kill();
    let _ = idp.wait();
    db.finish().await;
}
