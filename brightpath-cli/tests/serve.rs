//! `brightpath serve` on a real socket, as a parent on their own computer
//! uses it: the printed one-time link signs the browser in, the API answers
//! as them, and SIGTERM stops the server cleanly. Exposed addresses are
//! refused without a sign-in provider.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

mod common;

use common::Env;

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
