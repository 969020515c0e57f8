//! Each crate's `tests/integration/` is one test binary whose `main.rs` names
//! the files beside it. Cargo compiles nothing it is not told about, so a file
//! dropped in without its `mod` line would never run; this test says so.

use std::path::Path;

#[test]
fn every_integration_test_file_is_a_module_of_its_binary() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut binaries = 0;
    let mut missing = Vec::new();
    for krate in std::fs::read_dir(&workspace).expect("read the workspace") {
        let dir = krate
            .expect("workspace entry")
            .path()
            .join("tests/integration");
        let Ok(main) = std::fs::read_to_string(dir.join("main.rs")) else {
            continue;
        };
        binaries += 1;
        for file in std::fs::read_dir(&dir).expect("read tests/integration") {
            let path = file.expect("entry").path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let is_rust = path.extension().is_some_and(|e| e == "rs");
            if is_rust
                && stem != "main"
                && !main.lines().any(|l| l.trim() == format!("mod {stem};"))
            {
                missing.push(path.display().to_string());
            }
        }
    }
    assert!(binaries >= 4, "found {binaries} tests/integration/main.rs");
    assert!(
        missing.is_empty(),
        "not named in their main.rs: {missing:?}"
    );
}
