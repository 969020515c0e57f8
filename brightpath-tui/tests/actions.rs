//! The planner's actions end to end: keys in, the core called, the store
//! changed (or the refusal shown), the screen refreshed.

mod common;

use brightpath_core::calendar::add_days;
use brightpath_core::model::{Session, SessionStatus};
use brightpath_core::services::progress;
use brightpath_tui::model::{Level, Mode};
use brightpath_tui::msg::Msg;
use common::{Harness, TODAY};

async fn stored(h: &Harness, id: &str) -> Session {
    let mut tx = h.store.tx().await.expect("tx");
    tx.session(&h.family.id, id).await.expect("session")
}

fn selected_id(h: &Harness) -> String {
    h.app
        .model
        .selected()
        .expect("a session under the cursor")
        .id
        .clone()
}

fn is_error(h: &Harness) -> bool {
    h.app
        .model
        .status
        .as_ref()
        .is_some_and(|s| s.level == Level::Error)
}

#[tokio::test]
async fn a_mark_runs_the_hook_it_was_given_and_shows_its_note() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut h = Harness::new().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let hook: brightpath_tui::actions::AfterMarks = Arc::new(move |_family| {
        let seen = seen.clone();
        Box::pin(async move {
            seen.fetch_add(1, Ordering::SeqCst);
            Some("a training run is queued".to_string())
        })
    });
    h.app.set_after_marks(Some(hook));
    h.keys(&["2"]).await;
    h.keys(&["d", "<Enter>"]).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(
        h.status().contains("a training run is queued"),
        "{}",
        h.status()
    );
    // A skip carries no feedback: nothing runs.
    h.keys(&["s", "<Enter>"]).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn mark_done_with_minutes_and_note_then_undo() {
    let mut h = Harness::new().await;
    h.keys(&["2"]).await;
    let id = selected_id(&h);
    h.keys(&[
        "d",
        "<BS>",
        "<BS>",
        "<BS>",
        "35",
        "<Tab>",
        "went well",
        "<Enter>",
    ])
    .await;
    assert_eq!(h.status(), "Marked 1 session(s) done");
    let s = stored(&h, &id).await;
    assert_eq!(s.status, SessionStatus::Done);
    assert_eq!(s.actual_minutes, Some(35));
    assert_eq!(s.note.as_deref(), Some("went well"));
    assert!(h.screen().contains("[x]"), "the checklist ticks it off");

    h.keys(&["u"]).await;
    assert!(!is_error(&h), "{}", h.status());
    assert_eq!(stored(&h, &id).await.status, SessionStatus::Planned);
    assert!(!h.screen().contains("[x]"));
}

#[tokio::test]
async fn bad_minutes_are_refused_in_the_prompt() {
    let mut h = Harness::new().await;
    h.keys(&["d", "<BS>", "<BS>", "<BS>", "4o", "<Enter>"])
        .await;
    let Mode::Prompt(p) = &h.app.model.mode else {
        panic!("the prompt stays open");
    };
    assert!(p.error.as_deref().is_some_and(|e| e.contains("\"4o\"")));
    h.keys(&["<Esc>"]).await;
    assert_eq!(h.app.model.mode, Mode::Normal);
}

#[tokio::test]
async fn skip_with_a_reason() {
    let mut h = Harness::new().await;
    let id = selected_id(&h);
    h.keys(&["x", "dentist", "<Enter>"]).await;
    assert_eq!(h.status(), "Skipped 1 session(s): dentist");
    let s = stored(&h, &id).await;
    assert_eq!(s.status, SessionStatus::Skipped);
    assert!(h.screen().contains("✗ "), "the grid marks it skipped");
}

#[tokio::test]
async fn pin_marks_the_block() {
    let mut h = Harness::new().await;
    let id = selected_id(&h);
    h.keys(&["p"]).await;
    assert!(stored(&h, &id).await.pinned, "{}", h.status());
    assert!(h.screen().contains("• "));
    h.keys(&["p"]).await;
    assert!(!stored(&h, &id).await.pinned);
}

/// Carries the selected session `days` days and `steps` quarter hours, drops it.
async fn carry(h: &mut Harness, days: i64, steps: i64) {
    let mut keys = vec!["m".to_string()];
    let day_key = if days < 0 { "h" } else { "l" };
    keys.extend(std::iter::repeat_n(
        day_key.to_string(),
        days.unsigned_abs() as usize,
    ));
    let step_key = if steps < 0 { "k" } else { "j" };
    keys.extend(std::iter::repeat_n(
        step_key.to_string(),
        steps.unsigned_abs() as usize,
    ));
    keys.push("<Enter>".into());
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    h.keys(&keys).await;
}

#[tokio::test]
async fn a_move_into_the_coop_morning_is_refused_with_the_reason() {
    let mut h = Harness::new().await;
    let s = h.app.model.selected().expect("session").clone();
    // Wednesday is co-op morning (09:00-12:00) for everyone.
    let days = 2 - h.app.model.day as i64;
    let steps = (600 - i64::from(s.start.0)) / 15;
    carry(&mut h, days, steps).await;
    assert!(is_error(&h), "{}", h.status());
    assert!(h.status().contains("Co-op morning"), "{}", h.status());
    let after = stored(&h, &s.id).await;
    assert_eq!(
        (after.date, after.start),
        (s.date, s.start),
        "nothing moved"
    );
}

#[tokio::test]
async fn a_move_the_core_accepts_is_saved_and_pinned() {
    let mut h = Harness::new().await;
    let s = h.app.model.selected().expect("session").clone();
    // Try earlier and later slots on the same day until the core accepts one;
    // each refusal must say why.
    let mut moved = false;
    for steps in [-1, 1, -2, 2, -3, 3, -4, 4, -6, 6, -8, 8, -12, 12] {
        carry(&mut h, 0, steps).await;
        if !is_error(&h) {
            moved = true;
            break;
        }
        assert!(h.status().starts_with("move: "), "{}", h.status());
    }
    assert!(moved, "no slot within three hours was accepted");
    assert!(h.status().starts_with("Moved "), "{}", h.status());
    let after = stored(&h, &s.id).await;
    assert_ne!(after.start, s.start);
    assert!(after.pinned, "a moved session stays where it was put");
}

#[tokio::test]
async fn escape_puts_a_carried_session_back() {
    let mut h = Harness::new().await;
    let s = h.app.model.selected().expect("session").clone();
    h.keys(&["m", "j", "j", "<Esc>"]).await;
    assert_eq!(h.app.model.mode, Mode::Normal);
    assert_eq!(stored(&h, &s.id).await.start, s.start);
}

#[tokio::test]
async fn replan_shows_the_score_before_and_after() {
    let mut h = Harness::new().await;
    let before = h
        .app
        .model
        .score_total()
        .expect("a planned week has a score");
    h.keys(&["P"]).await;
    let prefix = format!("Re-planned the week of 2026-11-30: score {before} → ");
    assert!(h.status().starts_with(&prefix), "{}", h.status());
}

#[tokio::test]
async fn catch_up_reports_what_it_did() {
    let mut h = Harness::new().await;
    h.keys(&["c"]).await;
    assert!(!h.status().is_empty());
    assert!(
        !h.status().ends_with('…'),
        "the catch-up finished: {}",
        h.status()
    );
}

#[tokio::test]
async fn sick_day_for_one_child_clears_the_day() {
    let mut h = Harness::new().await;
    let date = h.app.model.date();
    let ada = h.app.model.student_id().expect("student").to_string();
    h.keys(&["o", "<Enter>"]).await;
    assert!(!is_error(&h), "{}", h.status());
    assert!(h.status().contains("sick"), "{}", h.status());
    let view = h.app.model.week_view.as_ref().expect("week");
    let left = view
        .sessions_of_student(&ada)
        .filter(|s| s.date == date && s.status == SessionStatus::Planned)
        .count();
    assert_eq!(left, 0, "Ada has nothing planned on her sick day");
}

#[tokio::test]
async fn an_unknown_day_off_kind_is_refused_in_the_prompt() {
    let mut h = Harness::new().await;
    h.keys(&["o", "<BS>", "<BS>", "<BS>", "<BS>", "snow", "<Enter>"])
        .await;
    let Mode::Prompt(p) = &h.app.model.mode else {
        panic!("the prompt stays open");
    };
    assert!(p.error.as_deref().is_some_and(|e| e.contains("snow")));
}

#[tokio::test]
async fn a_change_made_elsewhere_is_picked_up_by_the_poll() {
    let mut h = Harness::new().await;
    let id = selected_id(&h);
    // Another terminal pins the session.
    progress::set_pinned(&h.store, &h.family, &id, None, true, "web", TODAY)
        .await
        .expect("pin elsewhere");
    assert!(
        !h.app.model.selected().expect("session").pinned,
        "not seen yet"
    );
    h.app.dispatch(Msg::Tick).await;
    assert!(h.status().contains("changed elsewhere"), "{}", h.status());
    assert!(h.app.model.selected().expect("session").pinned);
    // With nothing new, the poll stays quiet.
    h.app.model.status = None;
    h.app.dispatch(Msg::Tick).await;
    assert_eq!(h.status(), "");
}

#[tokio::test]
async fn a_stale_move_is_a_conflict_and_reloads() {
    let mut h = Harness::new().await;
    let s = h.app.model.selected().expect("session").clone();
    // Someone else edits the session after we loaded it (no poll in between).
    progress::set_pinned(&h.store, &h.family, &s.id, None, true, "web", TODAY)
        .await
        .expect("edit elsewhere");
    let mut saw_conflict = false;
    for steps in [-1, 1, -2, 2, -3, 3, -4, 4, -6, 6, -8, 8] {
        carry(&mut h, 0, steps).await;
        if h.status().contains("changed by someone else") {
            saw_conflict = true;
            break;
        }
    }
    assert!(saw_conflict, "{}", h.status());
    assert!(is_error(&h));
    assert!(h.status().contains("reloaded"), "{}", h.status());
    let fresh = h.app.model.week_view.as_ref().expect("week");
    let now = fresh
        .sessions
        .iter()
        .find(|x| x.id == s.id)
        .expect("still there");
    assert!(now.pinned, "the view shows the other edit");
    assert_eq!(
        stored(&h, &s.id).await.start,
        s.start,
        "ours did not overwrite it"
    );
}

#[tokio::test]
async fn no_color_draws_without_colours() {
    use ratatui::style::Color;
    let colours = |h: &Harness| {
        h.term
            .backend()
            .buffer()
            .content
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    let mut plain = Harness::with(false, 80, 24).await;
    plain.keys(&["?", "<Esc>", "3", "4", "1"]).await;
    assert_eq!(colours(&plain), 0);
    let mut colored = Harness::with(true, 80, 24).await;
    colored.screen();
    assert!(colours(&colored) > 0);
}

#[tokio::test]
async fn weeks_and_days_wrap_across_the_weekend() {
    let mut h = Harness::new().await;
    assert_eq!(h.app.model.date().to_string(), "2026-11-30");
    h.keys(&["h"]).await;
    assert_eq!(h.app.model.date().to_string(), "2026-11-29");
    assert_eq!(h.app.model.week.to_string(), "2026-11-23");
    h.keys(&["l", "]", "["]).await;
    assert_eq!(h.app.model.date(), add_days(TODAY, 1));
    h.keys(&["t"]).await;
    assert_eq!(h.app.model.date(), TODAY);
}

#[tokio::test]
async fn quit_keys() {
    let mut h = Harness::new().await;
    h.keys(&["d", "q"]).await;
    assert!(!h.app.model.quit, "q in a prompt is text");
    h.keys(&["<C-c>"]).await;
    assert!(h.app.model.quit);
    let mut h = Harness::new().await;
    h.keys(&["q"]).await;
    assert!(h.app.model.quit);
}

#[tokio::test]
async fn the_main_loop_runs_on_a_test_backend() {
    use brightpath_tui::{App, LoopOptions, run_loop};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let (store, family, _dir) = common::school().await;
    let mut app = App::new(store, family, TODAY, false);
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    for c in ['2', 'q'] {
        tx.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )))
        .expect("send");
    }
    let opts = LoopOptions {
        poll: None,
        inline: true,
    };
    run_loop(&mut term, &mut app, rx, tx, opts)
        .await
        .expect("loop");
    assert!(app.model.quit);
    let screen = term.backend().to_string();
    assert!(screen.contains("Monday November 30, 2026"), "{screen}");
}

#[tokio::test]
async fn ctrl_l_repaints_what_something_else_wrote_over_the_screen() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::buffer::Cell;

    let mut h = Harness::new().await;
    h.app.render(&mut h.term).expect("draw");
    // A stray line (a log message, a `wall`) lands on the screen behind
    // ratatui's back: ratatui only writes the cells it thinks changed.
    let mut stray = Cell::default();
    stray.set_symbol("#");
    let cells: Vec<(u16, u16, &Cell)> = (0..40).map(|x| (x, 5, &stray)).collect();
    ratatui::backend::Backend::draw(h.term.backend_mut(), cells.into_iter()).expect("stray");
    h.app.render(&mut h.term).expect("draw");
    assert!(
        h.term.backend().to_string().contains("####"),
        "an ordinary draw keeps it"
    );

    // Ctrl-L works in a prompt too (the prompt is kept).
    h.keys(&["d"]).await;
    h.app.render(&mut h.term).expect("draw");
    h.app
        .dispatch(Msg::Key(KeyEvent::new(
            KeyCode::Char('l'),
            KeyModifiers::CONTROL,
        )))
        .await;
    assert!(h.app.model.redraw);
    h.app.render(&mut h.term).expect("redraw");
    assert!(!h.app.model.redraw);
    let after = h.term.backend().to_string();
    assert!(!after.contains("####"), "{after}");
    assert!(
        after.contains("Done: Phonics 1"),
        "the prompt stays open: {after}"
    );
    let mut fresh =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    h.app.draw(&mut fresh).expect("draw");
    assert_eq!(after, fresh.backend().to_string());
}

#[tokio::test]
async fn the_mouse_picks_tabs_days_and_sessions() {
    use brightpath_tui::model::Tab;
    use crossterm::event::MouseEventKind;

    let mut h = Harness::new().await;
    let (x, y) = h.find("2 Today").expect("the Today tab");
    h.click(x + 2, y).await;
    assert_eq!(h.app.model.tab, Tab::Today);
    let (x, y) = h.find("1 Week").expect("the Week tab");
    h.click(x, y).await;
    assert_eq!(h.app.model.tab, Tab::Week);

    // A day's header picks the day; a block below it picks that session.
    let (x, y) = h.find("Tue 1").expect("Tuesday's header");
    h.click(x, y).await;
    assert_eq!(h.app.model.date().to_string(), "2026-12-01");
    let screen = h.screen();
    let (mx, my) = screen
        .lines()
        .enumerate()
        .skip(usize::from(y) + 1)
        .find_map(|(row, line)| {
            let cells: Vec<char> = line.chars().collect();
            let col: String = cells.iter().skip(usize::from(x)).take(12).collect();
            col.starts_with("Math 1").then_some((x, row as u16))
        })
        .expect("Tuesday's Math block");
    h.click(mx + 1, my).await;
    let picked = h.app.model.selected().expect("a session picked");
    assert_eq!(picked.date.to_string(), "2026-12-01");
    assert_eq!(picked.course, "Math 1");

    // The wheel moves the cursor like j/k.
    let before = h.app.model.row;
    h.mouse(MouseEventKind::ScrollDown, 40, 10).await;
    assert_ne!(
        h.app.model.row, before,
        "scrolling moves to the next session"
    );

    // A click anywhere closes the help overlay.
    h.keys(&["?"]).await;
    assert!(matches!(h.app.model.mode, Mode::Help));
    h.click(1, 1).await;
    assert!(matches!(h.app.model.mode, Mode::Normal));
}
