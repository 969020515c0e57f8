//! Whole screens of the planner, driven by keys into a TestBackend and
//! snapshotted (80×24 unless said). Snapshots are committed; on CI a missing
//! or changed one fails the test.

mod common;

use brightpath_tui::model::Mode;
use common::Harness;

#[tokio::test]
async fn week_grid_at_80x24() {
    let mut h = Harness::new().await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn week_grid_wide_then_resized_small() {
    let mut h = Harness::with(false, 120, 40).await;
    insta::assert_snapshot!("wide_120x40", h.screen());
    h.term.backend_mut().resize(80, 24);
    h.term.autoresize().expect("resize");
    insta::assert_snapshot!("resized_80x24", h.screen());
}

#[tokio::test]
async fn next_student_then_next_week() {
    let mut h = Harness::new().await;
    h.keys(&["<Tab>", "l"]).await;
    insta::assert_snapshot!("ben_tuesday", h.screen());
    h.keys(&["]"]).await;
    insta::assert_snapshot!("ben_next_week_unplanned", h.screen());
}

#[tokio::test]
async fn today_checklist() {
    let mut h = Harness::new().await;
    h.keys(&["2", "j"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn help_overlay_lists_the_keymap() {
    let mut h = Harness::new().await;
    h.keys(&["?"]).await;
    insta::assert_snapshot!(h.screen());
    h.keys(&["x"]).await;
    assert_eq!(h.app.model.mode, Mode::Normal, "any key closes the help");
}

#[tokio::test]
async fn progress_view() {
    let mut h = Harness::new().await;
    h.keys(&["3", "j"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn browser_of_students_courses_curricula() {
    let mut h = Harness::new().await;
    h.keys(&["4", "j", "l", "j"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn why_is_this_session_here() {
    let mut h = Harness::new().await;
    h.keys(&["w"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn done_prompt() {
    let mut h = Harness::new().await;
    h.keys(&["d", "<BS>", "<BS>", "12"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn carrying_a_session() {
    let mut h = Harness::new().await;
    h.keys(&["m", "k", "k", "l"]).await;
    insta::assert_snapshot!(h.screen());
}

#[tokio::test]
async fn every_view_survives_tiny_and_odd_sizes() {
    let mut h = Harness::new().await;
    let scripts: [&[&str]; 8] = [
        &["1"],
        &["2"],
        &["3"],
        &["4", "l", "l"],
        &["1", "?"],
        &["<Esc>", "d"],
        &["<Esc>", "w"],
        &["<Esc>", "m", "j"],
    ];
    for script in scripts {
        h.keys(script).await;
        for (w, ht) in [
            (20, 6),
            (19, 5),
            (33, 9),
            (41, 12),
            (80, 24),
            (200, 60),
            (81, 25),
        ] {
            h.term.backend_mut().resize(w, ht);
            h.term.autoresize().expect("resize");
            let screen = h.screen();
            assert!(!screen.is_empty());
        }
    }
}
