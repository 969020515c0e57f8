//! `brightpath backup` and `restore` through the real binary: a family moves
//! from one SQLite file to another with its week intact; a second restore, a
//! file that is not a backup and a missing destination fail with their exit
//! codes and leave nothing behind.

use crate::common;

use common::Env;

#[test]
fn a_family_moves_between_databases_and_refusals_have_exit_codes() {
    let e = Env::new();
    let dir = e.home.path();
    let laptop = format!("sqlite://{}", dir.join("laptop.db").display());
    let server = format!("sqlite://{}", dir.join("server.db").display());
    e.ok(&["--db", &laptop, "demo"]);
    let family = e.json(&["--db", &laptop, "family", "show"]);
    let name = family["family"]["name"]
        .as_str()
        .expect("family name")
        .to_owned();

    let file = dir.join("family.bpbackup");
    let file = file.to_str().expect("utf8");
    let manifest = e.json(&["--db", &laptop, "--family", &name, "backup", "-o", file]);
    assert_eq!(manifest["scope"], "family");
    assert_eq!(manifest["format"], "brightpath-backup");
    assert!(
        !std::path::Path::new(&format!("{file}.tmp")).exists(),
        "no temporary file left"
    );

    let restored = e.json(&["--db", &server, "restore", file]);
    assert_eq!(restored["families"], manifest["families"]);
    let week = |db: &str| e.ok(&["--db", db, "plan", "show", "--json"]);
    assert_eq!(week(&server), week(&laptop), "the same week on the server");

    let (code, err) = e.fails(&["--db", &server, "restore", file]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already in this database"), "{err}");

    let junk = dir.join("notes.txt");
    std::fs::write(&junk, "shopping list\n").expect("write");
    let (code, err) = e.fails(&["--db", &server, "restore", junk.to_str().expect("utf8")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a BrightPath backup"), "{err}");

    let (code, err) = e.fails(&[
        "--db",
        &laptop,
        "backup",
        "-o",
        "/nonexistent/dir/x.bpbackup",
    ]);
    assert_eq!(code, 5, "{err}");
    let (code, err) = e.fails(&["--db", &laptop, "backup"]);
    assert_eq!(code, 2, "{err}");
    let (code, err) = e.fails(&[
        "--db",
        &laptop,
        "backup",
        "--to",
        "s3://coop-files/x.bpbackup",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("s3.endpoint is not set"), "{err}");
}
