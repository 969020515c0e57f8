//! Bad rows and bad files: refused with file, line and column, nothing written.

use brightpath_core::Store;
use brightpath_core::services::roster::{Files, Source};

use super::{MEETINGS, files_of, fixtures, new_coop, run};

const TABLES: &[&str] = &[
    "families",
    "people",
    "students",
    "fixed_events",
    "roster_chunks",
    "changes",
];

async fn rows(store: &Store) -> Vec<i64> {
    let mut tx = store.read().await.expect("read");
    let mut out = Vec::new();
    for t in TABLES {
        out.push(tx.count_rows(t).await.expect("count"));
    }
    out
}

fn replace(dir: &std::path::Path, file: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).expect("read fixture");
    assert!(text.contains(from), "{file} has no {from:?}");
    text.replacen(from, to, 1)
}

pub async fn every_bad_row_is_refused_with_its_line_and_nothing_is_written(store: Store) {
    let Some(root) = fixtures() else { return };
    let dir = root.join("v1p1_Test_full_data_set");
    new_coop(&store, "Strict").await;
    // A first good import, so that a refusal must also leave it as it was.
    let good = run(
        &store,
        "Strict",
        &Source::Files(files_of(&dir, &[("class_meetings.csv", MEETINGS)])),
    )
    .await;
    assert!(!good.refused(), "{:#?}", good.problems);
    let before = rows(&store).await;
    let users_header = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password";
    let cases: Vec<(&str, String, &str, usize, &str)> = vec![
        (
            "wrong header",
            replace(&dir, "users.csv", "givenName", "firstName"),
            "users.csv",
            1,
            "givenName",
        ),
        (
            "duplicate sourcedId",
            replace(&dir, "users.csv", "usr-222-987654,", "usr-222-123456,"),
            "users.csv",
            5,
            "sourcedId",
        ),
        (
            "dangling reference",
            replace(&dir, "enrollments.csv", "usr-222-987654", "usr-nobody"),
            "enrollments.csv",
            3,
            "userSourcedId",
        ),
        (
            "unknown enum",
            replace(&dir, "enrollments.csv", ",teacher,", ",headmaster,"),
            "enrollments.csv",
            2,
            "role",
        ),
        (
            "invalid date",
            replace(&dir, "enrollments.csv", "2022-03-15", "2022-13-45"),
            "enrollments.csv",
            2,
            "beginDate",
        ),
        (
            "unknown status",
            replace(
                &dir,
                "users.csv",
                "usr-222-1234561,active",
                "usr-222-1234561,gone",
            ),
            "users.csv",
            4,
            "status",
        ),
        (
            "a child as a child's guardian",
            replace(
                &dir,
                "users.csv",
                "anna.brown@myschool.com,6039991234,6038885678,usr-222-987654",
                "anna.brown@myschool.com,6039991234,6038885678,usr-222-1234561232",
            ),
            "users.csv",
            7,
            "agentSourcedIds",
        ),
        (
            "a field too many",
            format!("{users_header}\nusr-1,active,,TRUE,o,student,u,,A,B,,,,,,,1,,extra\n"),
            "users.csv",
            2,
            "",
        ),
    ];
    for (what, text, file, line, column) in cases {
        let name = if text.starts_with("sourcedId,status,dateLastModified,classSourcedId") {
            "enrollments.csv"
        } else {
            file
        };
        let src = Source::Files(files_of(
            &dir,
            &[(name, &text), ("class_meetings.csv", MEETINGS)],
        ));
        let r = run(&store, "Strict", &src).await;
        assert!(r.refused(), "{what}: not refused");
        let hit = r.problems.iter().any(|p| {
            p.file == file
                && p.line == line
                && (column.is_empty() || p.column.as_deref() == Some(column))
        });
        assert!(
            hit,
            "{what}: no problem at {file} line {line} column {column}: {:#?}",
            r.problems
        );
        assert!(
            r.problems.iter().all(|p| !p.fix.is_empty()),
            "{what}: every problem says what to fix"
        );
        assert_eq!(rows(&store).await, before, "{what}: something was written");
    }
    // A bad class meeting time, in BrightPath's own template.
    let src = Source::Files(files_of(
        &dir,
        &[(
            "class_meetings.csv",
            "classSourcedId,day,start,end,place\ncls-222-123456,someday,25:00,14:30,\n",
        )],
    ));
    let r = run(&store, "Strict", &src).await;
    let cols: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.line == 2)
        .filter_map(|p| p.column.clone())
        .collect();
    assert!(
        cols.contains(&"day".to_string()) && cols.contains(&"start".to_string()),
        "{:#?}",
        r.problems
    );
    assert_eq!(rows(&store).await, before);
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).expect("start");
        z.write_all(bytes).expect("write");
    }
    z.finish().expect("finish").into_inner()
}

pub async fn bad_files_are_refused(store: Store) {
    let Some(root) = fixtures() else { return };
    let dir = root.join("v1p1_Test_full_data_set");
    new_coop(&store, "Files").await;
    let before = rows(&store).await;
    // A byte-order mark and CRLF line ends are read as the same file.
    let users = std::fs::read_to_string(dir.join("users.csv")).expect("users");
    let bom = format!("\u{feff}{}", users.replace('\n', "\r\n"));
    let r = run(
        &store,
        "Files",
        &Source::Files(files_of(&dir, &[("users.csv", &bom)])),
    )
    .await;
    assert!(!r.refused(), "BOM and CRLF: {:#?}", r.problems);
    let after_good = rows(&store).await;
    // Mixed encodings: a Latin-1 byte inside a UTF-8 file.
    let mut files: Files = files_of(&dir, &[]);
    let mut bytes = users.clone().into_bytes();
    let at = bytes.len() - 5;
    bytes.insert(at, 0xE9);
    files.files.insert("users.csv".into(), bytes);
    let r = run(&store, "Files", &Source::Files(files)).await;
    assert!(
        r.problems
            .iter()
            .any(|p| p.file == "users.csv" && p.line == 7 && p.message.contains("UTF-8")),
        "{:#?}",
        r.problems
    );
    // A quote left open: the rest of the file becomes one huge field.
    let open = users.replacen("Mary,Jones", "\"Mary,Jones", 1) + &"x".repeat(70_000);
    let r = run(
        &store,
        "Files",
        &Source::Files(files_of(&dir, &[("users.csv", &open)])),
    )
    .await;
    assert!(r.refused(), "an open quote");
    // A zip that climbs out of its folder.
    let manifest = std::fs::read(dir.join("manifest.csv")).expect("manifest");
    let err = brightpath_core::services::roster::import(
        &store,
        "Files",
        &Source::Zip(zip_of(&[("../manifest.csv", &manifest)])),
        &Default::default(),
    )
    .await
    .expect_err("a .. path");
    assert!(err.to_string().contains("outside"), "{err}");
    // A size bomb: 50 MB of zeros packs to a few kilobytes.
    let zeros = vec![b'0'; 50 << 20];
    let err = brightpath_core::services::roster::import(
        &store,
        "Files",
        &Source::Zip(zip_of(&[
            ("manifest.csv", &manifest),
            ("users.csv", &zeros),
        ])),
        &Default::default(),
    )
    .await
    .expect_err("a bomb");
    assert!(err.to_string().contains("times its packed size"), "{err}");
    // Not a roster at all.
    let err = brightpath_core::services::roster::import(
        &store,
        "Files",
        &Source::Zip(b"PK\x03\x04 not really".to_vec()),
        &Default::default(),
    )
    .await
    .expect_err("not a zip");
    assert!(err.to_string().contains("zip"), "{err}");
    assert_eq!(rows(&store).await, after_good);
    assert_ne!(before, after_good);
}
