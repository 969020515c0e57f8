//! For tests (feature `test-support`): the shared test data beside the
//! repository (`../shared/testdata`), which a fresh clone does not have.

use std::path::PathBuf;

/// `../shared/testdata/<rel>` if it is there. Missing, a test skips with a
/// note; under CI (`CI` set) it fails instead, so it cannot pass vacuously.
pub fn shared_testdata(rel: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/testdata")
        .join(rel);
    if dir.exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the shared test data is missing at {}",
        dir.display()
    );
    eprintln!("skipping: no shared test data at {}", dir.display());
    None
}
