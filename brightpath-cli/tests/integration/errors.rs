//! Error kinds and exit codes for what is not the user's input: no terminal
//! for `tui`, an unreachable database.

use crate::common;

use common::Env;

#[test]
fn tui_without_a_terminal_is_a_usage_error_not_a_database_outage() {
    let e = Env::new();
    e.ok(&["demo"]);
    let (code, err) = e.fails(&["tui"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("database"), "{err}");
    let (code, err) = e.fails(&["--json", "tui"]);
    assert_eq!(code, 2, "{err}");
    let body: serde_json::Value = serde_json::from_str(err.trim()).expect("json error");
    assert_eq!(body["error"]["kind"], "invalid");
}

#[test]
fn an_unreachable_postgres_says_refused_once_and_exits_unavailable() {
    let e = Env::new();
    let (code, err) = e.fails(&["--db", "postgres://x@127.0.0.1:1/db", "today"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("cannot reach PostgreSQL at 127.0.0.1:1: connection refused"),
        "{err}"
    );
    assert!(!err.contains("timed out"), "{err}");
    assert_eq!(err.matches("refused").count(), 1, "said once: {err}");
}

#[test]
fn core_remedies_are_said_as_commands() {
    let e = Env::new();
    let (code, err) = e.fails(&["today"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("`brightpath init`"), "{err}");
    e.ok(&["demo"]);
    let (code, err) = e.fails(&["skip", "feedfacefeedface", "--reason", "x"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("`brightpath plan show --csv` lists session ids"),
        "{err}"
    );
    let (code, err) = e.fails(&["student", "edit", "Zed", "--grade", "3"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("`brightpath student list` shows them"),
        "{err}"
    );
    let (_, json) = e.fails(&["--json", "course", "edit", "Nothing", "--minutes", "30"]);
    let body: serde_json::Value = serde_json::from_str(json.trim()).expect("a JSON error");
    assert_eq!(body["error"]["kind"], "not_found");
    assert_eq!(body["error"]["hint"], "`brightpath course list` shows them");
}
