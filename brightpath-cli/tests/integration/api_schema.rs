//! The live API against its own OpenAPI document: schemathesis (PyPI)
//! generates requests from `/api/openapi.json` for every operation, sent
//! with an API token to the real `brightpath serve` on the demo school, and
//! checks that no answer is a server error and every answer matches the
//! document (status, content type, body schema). Skips with a note when
//! schemathesis is not installed; on CI it must run.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common;

use common::Env;

fn schemathesis() -> Option<String> {
    let ok = Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some("schemathesis".into());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but schemathesis is not installed (.ci/run installs it with pip)"
    );
    eprintln!("note: schemathesis is not installed (pip install schemathesis); skipping");
    None
}

#[test]
fn the_live_api_keeps_to_its_openapi_document() {
    let Some(st) = schemathesis() else { return };
    let e = Env::new();
    e.ok(&["demo"]);
    let families = e.json(&["--json", "family", "list"]);
    let family = families[0]["id"].as_str().expect("family id").to_string();
    let token = e.json(&[
        "--json",
        "token",
        "create",
        "--name",
        "schemathesis",
        "--scope",
        "write",
    ]);
    let token = token["token"].as_str().expect("secret").to_string();
    let mut child = e
        .cmd_std()
        .args(["--json", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let started: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    let addr = started["listening"].as_str().expect("addr").to_string();
    // Path parameters it cannot guess: the demo family's id.
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("schemathesis.toml"),
        format!("[parameters]\nfamily = \"{family}\"\n"),
    )
    .expect("config");
    let out = Command::new(st)
        .current_dir(dir.path())
        .args([
            "run",
            &format!("http://{addr}/api/openapi.json"),
            "-H",
            &format!("Authorization: Bearer {token}"),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "40",
            "--seed",
            "20261205",
            "--workers",
            "2",
            "--no-color",
        ])
        .output()
        .expect("schemathesis runs");
    let _ = child.kill();
    let _ = child.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Tested:"), "{text}");
}
