//! The browser test (`brightpath-server/web/e2e/run.mjs`): real Chromium,
//! driven by playwright-core, against this build's `brightpath serve` on a
//! temporary SQLite database and the local OpenID provider. It signs in
//! with the provider, onboards a family (or, on a server without the
//! onboarding API, uses the demo's), moves a lesson by keyboard, marks
//! today on a phone-sized window, meets a conflict made by the CLI,
//! downloads the hours report and signs out; axe checks every page at both
//! sizes. Screenshots go to target/web-artifacts/.
//!
//! Needs node, `npm ci` in brightpath-server/web and in
//! brightpath-server/tests/oidc, Chromium at /usr/bin/chromium (or
//! `CHROMIUM`), and the web app built before this binary
//! (`npm run build`): skipped with a note without them, failed under CI.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn a_parents_day_in_a_real_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let web = root.join("brightpath-server/web");
    let oidc = root.join("brightpath-server/tests/oidc");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing = [
        (
            !web.join("node_modules/playwright-core").is_dir(),
            "npm ci in brightpath-server/web",
        ),
        (
            !oidc.join("node_modules/oauth2-mock-server").is_dir(),
            "npm ci in brightpath-server/tests/oidc",
        ),
        (
            !PathBuf::from(&chromium).is_file(),
            "Chromium (apt-get install -y chromium)",
        ),
        (
            !web.join("dist/index.html").is_file(),
            "the web app built before the binary (npm run build in brightpath-server/web)",
        ),
    ];
    let needs: Vec<&str> = missing
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, w)| *w)
        .collect();
    if !needs.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs for the browser test: {}",
            needs.join("; ")
        );
        eprintln!("skipped: the browser test needs {}", needs.join("; "));
        return;
    }
    let out = Command::new("node")
        .arg("e2e/run.mjs")
        .current_dir(&web)
        .env("BRIGHTPATH_BIN", assert_cmd::cargo::cargo_bin("brightpath"))
        .env("BRIGHTPATH_OIDC_DIR", &oidc)
        .env(
            "BRIGHTPATH_WEB_ARTIFACTS",
            root.join("target/web-artifacts"),
        )
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the browser test failed:\n{text}");
    assert!(text.contains("browser test passed"), "{text}");
    eprintln!("{text}");
}
