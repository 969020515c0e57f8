//! The web app's own checks, run by `cargo test`: ESLint, Prettier, the
//! component and hook tests (Vitest with Testing Library and MSW), the
//! production build with its first-page size budget, and Storybook's build.
//! Without npm or `web/node_modules` they are skipped with a note; under CI
//! that is a failure. The browser test is `brightpath-cli/tests/integration/web_browser.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn web_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web")
}

/// The web folder when npm and its packages are there; otherwise a note
/// (or, under CI, a failure).
fn ready() -> Option<PathBuf> {
    let dir = web_dir();
    let npm = Command::new("npm")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let why = if !npm {
        "npm is not installed"
    } else if !dir.join("node_modules").is_dir() {
        "brightpath-server/web/node_modules is missing (cd brightpath-server/web && npm ci)"
    } else {
        return Some(dir);
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "CI needs the web app's tools: {why}"
    );
    eprintln!("skipped: {why}");
    None
}

/// `npm run SCRIPT` in `dir`; fails the test with npm's output when it fails.
fn npm_run(dir: &Path, script: &str, envs: &[(&str, &Path)]) -> String {
    let out = Command::new("npm")
        .args(["run", "--silent", script])
        .current_dir(dir)
        .envs(envs.iter().map(|(k, v)| (*k, *v)))
        .env("CI", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run npm run {script}: {e}"));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "npm run {script} failed:\n{text}");
    text
}

// One test, steps in turn: each is a whole Node process, and two cores
// are better spent on one at a time.
#[test]
fn the_web_app_lints_tests_and_builds() {
    let Some(dir) = ready() else {
        return;
    };
    npm_run(&dir, "lint", &[]);
    npm_run(&dir, "format:check", &[]);
    let tests = npm_run(&dir, "test", &[]);
    assert!(tests.contains("passed"), "{tests}");
    // Built elsewhere, so the dist/ the binary embeds is left as it was.
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("a temp dir: {e}"));
    let build = npm_run(&dir, "build", &[("BRIGHTPATH_WEB_OUT", out.path())]);
    assert!(build.contains("first page JS:"), "{build}");
    assert!(out.path().join("index.html").is_file());
    let stories = tempfile::tempdir().unwrap_or_else(|e| panic!("a temp dir: {e}"));
    npm_run(
        &dir,
        "build-storybook",
        &[("BRIGHTPATH_STORYBOOK_OUT", stories.path())],
    );
    assert!(stories.path().join("index.html").is_file());
}
