//! Property: the order of a roster's rows does not matter. Any shuffle of
//! the example co-op's users, roles and enrollments gives the same families,
//! the same diff and the same export as the files as written, whether the
//! big kinds are sorted in memory or on disk. Also: the
//! parser never panics on arbitrary bytes.

use std::collections::BTreeMap;
use std::path::Path;

use brightpath_core::services::roster::{self, Files, ImportOptions, Source, oneroster};
use brightpath_core::services::{coop, lists};
use proptest::prelude::*;

fn example() -> Files {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    match Source::Path(dir).read(&Default::default()) {
        Ok(f) => f,
        Err(e) => panic!("example roster: {e}"),
    }
}

fn lines(files: &Files, name: &str) -> (String, Vec<String>) {
    let text = String::from_utf8(files.get(name).unwrap_or_default().to_vec()).unwrap_or_default();
    let mut it = text.lines().map(str::to_string);
    let header = it.next().unwrap_or_default();
    (header, it.collect())
}

/// What an import did and left, in a form that does not depend on ids.
type Outcome = (
    BTreeMap<String, (Vec<String>, usize)>,
    Vec<(String, Vec<String>)>,
    BTreeMap<String, String>,
);

/// Imports `files` (the big kinds sorted on disk past `sort_bytes`), checks
/// that importing them again changes nothing, and tells what it left.
fn import(files: Files, sort_bytes: usize) -> Outcome {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let store = brightpath_core::Store::open(&url).await.expect("store");
        coop::create(&store, "Riverside", "America/Chicago")
            .await
            .expect("coop");
        let mut options = ImportOptions::default();
        options.limits.sort_bytes = sort_bytes;
        let source = Source::Files(files);
        let r = roster::import(&store, "Riverside", &source, &options)
            .await
            .expect("import");
        assert!(!r.refused(), "{:#?}", r.problems);
        let again = roster::import(&store, "Riverside", &source, &options)
            .await
            .expect("import again");
        assert!(!again.changed(), "{:#?}", again.changes);
        let diff = r
            .changes
            .iter()
            .map(|(k, d)| {
                // Event keys end in a family id, new in every store.
                let mut created: Vec<String> = d
                    .created
                    .iter()
                    .map(|c| {
                        c.rsplit_once('|')
                            .filter(|_| k == "events")
                            .map_or(c.clone(), |(a, _)| a.to_string())
                    })
                    .collect();
                created.sort();
                (k.clone(), (created, d.unchanged))
            })
            .collect();
        let mut families = Vec::new();
        for f in lists::families(&store).await.expect("families") {
            let view = brightpath_core::services::school::overview(&store, &f)
                .await
                .expect("overview");
            let mut who: Vec<String> = view.students.iter().map(|s| s.name.clone()).collect();
            who.extend(view.guardians.iter().map(|g| g.name.clone()));
            who.extend(
                view.events
                    .iter()
                    .map(|e| format!("{} {}", e.name, e.student_ids.len() + e.guardian_ids.len())),
            );
            who.sort();
            families.push((f.name, who));
        }
        families.sort();
        let zip = roster::export(&store, "Riverside").await.expect("export");
        let exported = oneroster::source::read_zip(&zip, "export", &Default::default())
            .expect("unzip")
            .files
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
            .collect();
        store.close().await;
        (diff, families, exported)
    })
}

fn shuffled(files: &Files, name: &str, order: &[usize]) -> Vec<u8> {
    let (header, rows) = lines(files, name);
    let mut out = header;
    for i in order {
        out.push('\n');
        out.push_str(&rows[i % rows.len()]);
    }
    out.into_bytes()
}

fn permutation(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<_>>()).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_row_order_gives_the_same_result(
        users in permutation(5), roles in permutation(5), enrollments in permutation(5), meetings in permutation(3),
        on_disk in any::<bool>(),
    ) {
        // Sorted in memory, or (a budget of one byte) every row a run on disk.
        let sort_bytes = if on_disk { 1 } else { usize::MAX };
        let base = example();
        let mut files = base.clone();
        files.files.insert("users.csv".into(), shuffled(&base, "users.csv", &users));
        files.files.insert("roles.csv".into(), shuffled(&base, "roles.csv", &roles));
        files.files.insert("enrollments.csv".into(), shuffled(&base, "enrollments.csv", &enrollments));
        files.files.insert("class_meetings.csv".into(), shuffled(&base, "class_meetings.csv", &meetings));
        prop_assert_eq!(import(files, sort_bytes), import(base, roster::sorter::BUDGET));
    }

    #[test]
    fn the_parser_never_panics(name in "(users|enrollments|classes|manifest|class_meetings)\\.csv", bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut files = Files::default();
        files.files.insert("manifest.csv".into(), b"propertyName,value\noneroster.version,1.2\nfile.users,bulk\nfile.enrollments,bulk\nfile.classes,bulk\n".to_vec());
        files.files.insert(name, bytes);
        let _ = oneroster::parse(&files.into(), &Default::default());
    }
}
