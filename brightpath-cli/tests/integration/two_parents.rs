//! Two parents on one database, as two processes: for a while (30 s on CI)
//! each marks, skips, undoes and re-plans the week through the real binary,
//! on SQLite and on PostgreSQL. Every command either works or is refused
//! cleanly (invalid or conflict, never "not found" or an outage), and in the
//! end every mark is accounted for in the history: each mark that succeeded
//! is an entry of its parent's, and each session's mark is the newest live
//! entry that touched it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use brightpath_core::Store;
use brightpath_core::model::{Family, SessionStatus};
use brightpath_core::services::history::{self, Undo};

#[allow(unused_macros, unused_imports)]
use crate::backends;
use crate::common;

use common::Env;

fn race_time() -> Duration {
    let secs = std::env::var("BRIGHTPATH_RACE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if std::env::var_os("CI").is_some() {
            30
        } else {
            6
        });
    Duration::from_secs(secs)
}

/// A small deterministic generator: each parent's choices are repeatable.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[derive(Default, Debug)]
struct Tally {
    marks_ok: usize,
    refused: usize,
    ok: usize,
}

/// One parent's loop until `until`; panics on any exit but 0, 2 and 4.
fn parent(e: &Env, url: &str, actor: &str, ids: &[String], seed: u64, until: Instant) -> Tally {
    let mut dice = Dice(seed);
    let mut t = Tally::default();
    let days = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"];
    while Instant::now() < until {
        let id = &ids[dice.roll(ids.len())];
        let args: Vec<&str> = match dice.roll(10) {
            0..=3 => vec!["done", id],
            4 => vec!["done", id, "--partial", "--minutes", "10"],
            5 => vec!["skip", id, "--reason", "dentist"],
            6 => vec!["done", "--date", days[dice.roll(days.len())]],
            7 | 8 => vec!["undo"],
            _ => vec!["plan", "week"],
        };
        let out = e
            .cmd()
            .env("BRIGHTPATH_ACTOR", actor)
            .args(["--db", url])
            .args(&args)
            .output()
            .expect("run");
        match out.status.code() {
            Some(0) => {
                t.ok += 1;
                if matches!(args[0], "done" | "skip") {
                    t.marks_ok += 1;
                }
            }
            Some(2) | Some(4) => t.refused += 1,
            other => panic!(
                "{actor}: {args:?} exited {other:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
    t
}

async fn race(url: String) {
    let e = Env::new();
    e.ok(&["--db", &url, "demo"]);
    let store = Store::open(&url).await.expect("open");
    let family: Family = store
        .read()
        .await
        .expect("read")
        .all_families()
        .await
        .expect("families")
        .into_iter()
        .next()
        .expect("the demo family");
    let ids: Vec<String> = store
        .read()
        .await
        .expect("read")
        .all_sessions(&family.id)
        .await
        .expect("sessions")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(ids.len() > 20, "the demo week is planned");
    let until = Instant::now() + race_time();
    let (mom, dad) = std::thread::scope(|s| {
        let mom = s.spawn(|| parent(&e, &url, "mom", &ids, 1, until));
        let dad = s.spawn(|| parent(&e, &url, "dad", &ids, 2, until));
        (
            mom.join().expect("mom's loop"),
            dad.join().expect("dad's loop"),
        )
    });
    eprintln!("{url}: mom {mom:?}, dad {dad:?}");
    assert!(mom.ok > 5 && dad.ok > 5, "both worked: {mom:?} {dad:?}");

    let changes = history::list(&store, &family, 1_000_000)
        .await
        .expect("history");
    let is_mark = |kind: &str| matches!(kind, "done" | "skip");
    for (actor, t) in [("mom", &mom), ("dad", &dad)] {
        let entries = changes
            .iter()
            .filter(|c| c.actor == actor && is_mark(&c.kind))
            .count();
        assert_eq!(
            entries, t.marks_ok,
            "{actor}: each mark that succeeded is one entry in the history"
        );
    }
    // Each session's mark is the newest live mark entry that touched it.
    let mut newest: HashMap<String, &str> = HashMap::new();
    for c in changes.iter().filter(|c| is_mark(&c.kind) && !c.undone) {
        let undo: Undo = serde_json::from_value(c.undo.clone()).expect("undo");
        for s in undo.restore {
            newest.entry(s.id).or_insert(c.kind.as_str());
        }
    }
    let now = store
        .read()
        .await
        .expect("read")
        .all_sessions(&family.id)
        .await
        .expect("sessions");
    let mut marked = 0;
    for s in &now {
        let kind = match s.status {
            SessionStatus::Done | SessionStatus::Partial => "done",
            SessionStatus::Skipped => "skip",
            _ => continue,
        };
        marked += 1;
        assert_eq!(
            newest.get(&s.id).copied(),
            Some(kind),
            "session {} is {:?} but the history does not say so",
            s.id,
            s.status
        );
    }
    assert!(marked > 0, "some marks survived the race");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_parents_race_on_sqlite() {
    let dir = tempfile::tempdir().expect("tmp");
    race(format!("sqlite://{}", dir.path().join("race.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_parents_race_on_postgres() {
    let Some(fresh) = backends::postgres().await else {
        return;
    };
    race(fresh.url.clone()).await;
    fresh.finish().await;
}
