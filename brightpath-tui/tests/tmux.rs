//! End to end: the real `brightpath` binary in tmux. Keys go in with
//! `send-keys`, screens come out with `capture-pane`. It checks that the
//! planner draws, answers keys, and always gives the terminal back (on `q`
//! and on SIGTERM).
//!
//! The binary is built by brightpath-cli; when it is not there, or tmux is
//! missing, the test says so and passes, except on CI (`CI` set), where
//! that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn skip(why: &str) {
    eprintln!("skipping the tmux test: {why}");
}

fn binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/brightpath")
}

/// A private tmux server (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "bp"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "bp"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Waits until the screen holds `text` (or `bail` text): the planner runs
    /// in another process, so there is nothing to await but its output.
    fn wait_for(&self, text: &str, bail: &str) -> Result<String, String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.capture();
            if screen.contains(text) {
                return Ok(screen);
            }
            if !bail.is_empty() && screen.contains(bail) {
                return Err(screen);
            }
            if Instant::now() > deadline {
                panic!("waited 30 s for {text:?}; the screen is:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Starts the planner in a fresh 80×24 tmux session; after it exits the shell
/// prints its exit code and whether the terminal is back in cooked mode.
fn start(db: &str, socket: &str, pid_file: &Path) -> Tmux {
    start_with(db, socket, pid_file, "", &["NO_COLOR=1"])
}

/// [`start`] with global `flags` before `tui` and `VAR=value` pairs in its environment.
fn start_with(db: &str, socket: &str, pid_file: &Path, flags: &str, env: &[&str]) -> Tmux {
    let bin = binary();
    // The inner shell writes its pid and becomes the planner, so the test can
    // signal exactly that process.
    let script = format!(
        "sh -c 'echo $$ > {}; exec {} --db {db} {flags} tui'; echo EXITED:$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo CHECKED; sleep 600",
        pid_file.display(),
        bin.display()
    );
    let tmux = Tmux {
        socket: socket.to_string(),
    };
    let mut args = vec![
        "new-session",
        "-d",
        "-s",
        "bp",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        "BRIGHTPATH_TODAY=2026-11-29",
    ];
    for pair in env {
        args.extend(["-e", pair]);
    }
    args.extend(["sh", "-c", &script]);
    let out = tmux.run(&args);
    assert!(
        out.status.success(),
        "tmux: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux
}

fn restored(screen: &str) {
    let tail = screen.split("EXITED:").nth(1).expect("exited");
    assert!(tail.starts_with('0'), "exit code: {screen}");
    assert!(
        tail.contains(" icanon ") || tail.contains("\nicanon "),
        "cooked mode: {screen}"
    );
    assert!(
        !tail.contains("-icanon") && !tail.contains("-echo "),
        "raw mode left on: {screen}"
    );
}

/// tmux and the binary are there (or the test is skipped, except on CI).
fn ready() -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "tmux is required on CI");
        skip("tmux is not installed");
        return false;
    }
    let bin = binary();
    if !bin.exists() {
        // `cargo test --workspace` builds it (brightpath-cli's tests need it).
        assert!(
            std::env::var_os("CI").is_none(),
            "{} must be built on CI",
            bin.display()
        );
        skip(&format!(
            "{} is not built (cargo build -p brightpath-cli)",
            bin.display()
        ));
        return false;
    }
    true
}

/// The demo school in `dir`; its database URL.
fn demo_school(dir: &Path) -> String {
    let file = dir.join("demo.db");
    let db = format!("sqlite://{}", file.display());
    let demo = Command::new(binary())
        .args(["--db", &db, "demo", "--file"])
        .arg(&file)
        .env("BRIGHTPATH_TODAY", "2026-11-29")
        .output()
        .expect("run brightpath demo");
    assert!(
        demo.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    db
}

/// Whether the escape sequences of `screen` (`capture-pane -e`) set a colour:
/// SGR 30-38, 40-48, 90-97 or 100-107 (39 and 49 are the defaults).
fn has_colour(screen: &str) -> bool {
    screen.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            return false;
        };
        seq[end..].starts_with('m')
            && seq[..end].split(';').any(|p| {
                matches!(
                    p.parse::<u16>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            })
    })
}

#[test]
fn the_planner_honours_every_way_of_saying_no_colour() {
    if !ready() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_school(dir.path());
    let pid_file = dir.path().join("tui.pid");
    // RUST_LOG=debug too: log lines must stay off the planner's screen.
    let base = ["TERM=xterm-256color", "RUST_LOG=debug"];
    let cases: [(&str, Vec<&str>, bool); 4] = [
        ("", base.to_vec(), true),
        ("--color never", base.to_vec(), false),
        ("", [&base[..], &["BRIGHTPATH_COLOR=never"]].concat(), false),
        ("", [&base[..], &["NO_COLOR=1"]].concat(), false),
    ];
    for (i, (flags, env, coloured)) in cases.into_iter().enumerate() {
        let socket = format!("bp-tui-colour-{}-{i}", std::process::id());
        let tmux = start_with(&db, &socket, &pid_file, flags, &env);
        tmux.wait_for("Co-op morning", "").expect("week grid");
        let out = tmux.run(&["capture-pane", "-e", "-p", "-t", "bp"]);
        let screen = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            has_colour(&screen),
            coloured,
            "{flags} {env:?}:\n{}",
            screen.escape_debug()
        );
        for log in ["DEBUG", "sqlx", "WARN"] {
            assert!(!screen.contains(log), "a log line on screen:\n{screen}");
        }
        tmux.keys(&["q"]);
        restored(&tmux.wait_for("CHECKED", "").expect("quit"));
    }
}

#[test]
fn the_planner_in_tmux() {
    if !ready() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_school(dir.path());

    let socket = format!("bp-tui-test-{}", std::process::id());
    let pid_file = dir.path().join("tui.pid");
    let tmux = start(&db, &socket, &pid_file);
    if let Err(screen) = tmux.wait_for("BrightPath ·", "not part of this build") {
        panic!("brightpath tui did not start:\n{screen}");
    }
    let week = tmux.wait_for("Mon 30", "").expect("week grid");
    assert!(week.contains("Co-op morning"), "{week}");
    tmux.keys(&["2"]);
    tmux.wait_for("Monday November 30, 2026", "")
        .expect("checklist");
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (any key closes)", "").expect("help");
    // One key at a time: an Escape followed at once by `q` reads as Alt-q.
    tmux.keys(&["Escape"]);
    tmux.wait_for("d done · x skip", "").expect("help closed");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("CHECKED", "").expect("quit");
    restored(&screen);
    drop(tmux);

    // SIGTERM: the planner leaves through the same door.
    let tmux = start(&db, &format!("{socket}-term"), &pid_file);
    tmux.wait_for("BrightPath ·", "").expect("started");
    let pid = std::fs::read_to_string(&pid_file).expect("the planner's pid");
    let pid = pid.trim();
    assert!(
        Command::new("kill")
            .args(["-TERM", pid])
            .status()
            .expect("kill")
            .success()
    );
    let screen = tmux.wait_for("CHECKED", "").expect("terminated");
    restored(&screen);
}
