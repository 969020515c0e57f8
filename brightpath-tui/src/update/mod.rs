//! `update`: the only place the model changes. It does no I/O; anything that
//! needs the store is returned as an [`Effect`] for the driver to run.

mod browse;
mod prompt;
mod session;

use brightpath_core::calendar::{Clock, add_days, monday_of};
use brightpath_core::model::SessionStatus;
use brightpath_core::{Error, ErrorKind};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use self::browse::{browse_clamp, browse_move, curriculum_effect};
use self::prompt::{PromptResult, on_prompt_key, submit};
use self::session::{on_carry, on_session};
use crate::keymap::{Action, BINDINGS, CARRY_BINDINGS, lookup};
use crate::model::{Carry, Field, Mode, Model, Prompt, PromptKind, Tab, view_fingerprint};
use crate::msg::{Effect, Msg};
use crate::view::Hit;

/// How far one key press moves a carried session.
const CARRY_STEP: u16 = 15;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(model, key),
        // The next draw lays out for the new size; clicks need it too.
        Msg::Resize(w, h) => {
            model.size = (w, h);
            Vec::new()
        }
        Msg::Mouse(ev) => on_mouse(model, ev),
        Msg::Tick => {
            // Our own writes bump versions too; wait for them to come back first.
            let typing = matches!(model.mode, Mode::Prompt(_));
            if model.busy == 0 && !typing && model.fingerprint.is_some() {
                vec![Effect::CheckVersion(model.week)]
            } else {
                Vec::new()
            }
        }
        Msg::WeekLoaded { week, result } => {
            if week != model.week {
                return Vec::new(); // the user has moved on to another week
            }
            match result {
                Ok(w) => {
                    model.week_error = None;
                    model.fingerprint = Some(view_fingerprint(&w));
                    model.week_view = Some(*w);
                    keep_carry_valid(model);
                    clamp(model);
                }
                Err(e) => {
                    model.week_error = Some(describe(&e));
                    model.error(describe(&e));
                }
            }
            Vec::new()
        }
        // While our own write or reload is in flight the stored state is
        // expected to differ from the screen; the reload will catch up.
        Msg::VersionChecked { .. } if model.busy > 0 => Vec::new(),
        Msg::VersionChecked { week, result } => match result {
            Ok(fp) if week == model.week && model.fingerprint.is_some_and(|f| f != fp) => {
                model.info("The plan was changed elsewhere; showing the new version.");
                reload(model)
            }
            Ok(_) => Vec::new(),
            Err(e) => {
                model.error(describe(&e));
                Vec::new()
            }
        },
        Msg::Changed(result) => match result {
            Ok(text) => {
                model.info(capitalize(&text));
                reload(model)
            }
            Err(e) => failed(model, &e),
        },
        Msg::Planned {
            what,
            before,
            result,
        } => match result {
            Ok(done) => {
                let score = |s: Option<i64>| s.map_or("–".to_string(), |v| v.to_string());
                let mut text = format!(
                    "{what} the week of {}: score {} → {} (lower is better)",
                    done.week,
                    score(before),
                    score(done.after)
                );
                if done.unscheduled > 0 {
                    text.push_str(&format!(", {} unscheduled", done.unscheduled));
                }
                if let Some(s) = done.summary {
                    text = format!("{}; {text}", capitalize(&s));
                }
                model.info(text);
                reload(model)
            }
            Err(e) => failed(model, &e),
        },
        Msg::Explained(result) => {
            match result {
                Ok(lines) => model.mode = Mode::Explain(lines),
                Err(e) => model.error(describe(&e)),
            }
            Vec::new()
        }
        Msg::PacingLoaded(result) => {
            model.pacing = Some(result.map_err(|e| describe(&e)));
            clamp(model);
            Vec::new()
        }
        Msg::BrowserLoaded(result) => match result {
            Ok(data) => {
                model.browser.data = Some(*data);
                browse_clamp(model);
                curriculum_effect(model)
            }
            Err(e) => {
                model.error(describe(&e));
                Vec::new()
            }
        },
        Msg::CurriculumLoaded(result) => {
            match result {
                Ok(c) => {
                    // Open the curriculum at the selected student's next lesson.
                    let student = model
                        .browser
                        .data
                        .as_ref()
                        .and_then(|d| d.students.get(model.browser.sel[0]))
                        .map(|s| s.name.clone());
                    let next = c
                        .positions
                        .iter()
                        .find(|p| Some(&p.student) == student.as_ref())
                        .or(c.positions.first())
                        .and_then(|p| p.next_seq);
                    model.browser.sel[2] = next
                        .and_then(|n| c.lessons.iter().position(|l| l.seq == n))
                        .unwrap_or(0);
                    model.browser.curriculum = Some(*c);
                }
                Err(e) => model.error(describe(&e)),
            }
            Vec::new()
        }
        Msg::Quit => {
            model.quit = true;
            Vec::new()
        }
    }
}

/// A core error for the status line, with its advice.
pub fn describe(e: &Error) -> String {
    match e.hint() {
        Some(h) => format!("{e} ({h})"),
        None => e.to_string(),
    }
}

use brightpath_core::model::capitalize;

/// A write failed. A stale write means someone else got there first: say so
/// and show their version rather than retrying ours over it.
fn failed(model: &mut Model, e: &Error) -> Vec<Effect> {
    if e.kind() == ErrorKind::Conflict {
        model.error(format!("{} — reloaded; try again", describe(e)));
        reload(model)
    } else {
        model.error(describe(e));
        Vec::new()
    }
}

fn reload(model: &Model) -> Vec<Effect> {
    let mut out = vec![Effect::LoadWeek(model.week)];
    if model.pacing.is_some() {
        out.push(Effect::LoadPacing);
    }
    if let Some(c) = &model.browser.curriculum {
        out.push(Effect::LoadCurriculum(c.course.id.clone()));
    }
    out
}

/// A carried session that changed or vanished under us is put down.
fn keep_carry_valid(model: &mut Model) {
    let Mode::Carry(c) = &model.mode else { return };
    let same = model.week_view.as_ref().is_some_and(|w| {
        w.sessions
            .iter()
            .any(|s| s.id == c.session_id && s.version == c.version)
    });
    if !same {
        model.mode = Mode::Normal;
        model.error("The session you were moving was changed elsewhere; put it back.");
    }
}

fn clamp(model: &mut Model) {
    let students = model.week_view.as_ref().map_or(0, |w| w.students.len());
    model.student = model.student.min(students.saturating_sub(1));
    model.row = model.row.min(model.row_count().saturating_sub(1));
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == crossterm::event::KeyEventKind::Release {
        return Vec::new();
    }
    // Ctrl-L repaints the whole screen in every mode, a prompt's included.
    if lookup(BINDINGS, &key) == Some(Action::Redraw) {
        model.redraw = true;
        return Vec::new();
    }
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    match &mut model.mode {
        Mode::Help | Mode::Explain(_) => {
            if ctrl_c {
                model.quit = true;
            }
            model.mode = Mode::Normal;
            Vec::new()
        }
        Mode::Prompt(_) if ctrl_c => {
            model.quit = true;
            Vec::new()
        }
        Mode::Prompt(p) => on_prompt_key(p, key).map_or(Vec::new(), |r| match r {
            PromptResult::Cancel => {
                model.mode = Mode::Normal;
                Vec::new()
            }
            PromptResult::Submit => submit(model),
        }),
        Mode::Carry(_) => match lookup(CARRY_BINDINGS, &key) {
            Some(a) => on_carry(model, a),
            None => Vec::new(),
        },
        Mode::Normal => match lookup(BINDINGS, &key) {
            Some(a) => {
                // A message answers the last action; the next one replaces it
                // (or brings back the key hints).
                model.status = None;
                on_action(model, a)
            }
            None => Vec::new(),
        },
    }
}

fn on_mouse(model: &mut Model, ev: MouseEvent) -> Vec<Effect> {
    match (&model.mode, ev.kind) {
        (Mode::Normal, MouseEventKind::ScrollDown) => on_action(model, Action::Down),
        (Mode::Normal, MouseEventKind::ScrollUp) => on_action(model, Action::Up),
        (Mode::Normal, MouseEventKind::Down(MouseButton::Left)) => {
            match crate::view::hit(model, model.size, ev.column, ev.row) {
                Some(Hit::Tab(t)) => set_tab(model, t),
                Some(Hit::Day(d, session)) => {
                    // Same day: a step of 0 loads nothing.
                    let out = step_day(model, d as i64 - model.day as i64);
                    model.row = session.unwrap_or(0);
                    out
                }
                None => Vec::new(),
            }
        }
        (Mode::Help | Mode::Explain(_), MouseEventKind::Down(_)) => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn set_week(model: &mut Model, week: jiff::civil::Date) -> Vec<Effect> {
    let week = monday_of(week);
    if week == model.week {
        return Vec::new();
    }
    model.week = week;
    model.row = 0;
    let mut out = vec![Effect::LoadWeek(week)];
    if model.tab == Tab::Progress {
        out.push(Effect::LoadPacing);
    }
    out
}

fn step_day(model: &mut Model, delta: i64) -> Vec<Effect> {
    let date = add_days(model.date(), delta);
    model.day = date.weekday().to_monday_zero_offset() as usize;
    model.row = 0;
    set_week(model, date)
}

fn on_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => model.quit = true,
        Action::Help => model.mode = Mode::Help,
        Action::TabWeek => return set_tab(model, Tab::Week),
        Action::TabToday => return set_tab(model, Tab::Today),
        Action::TabProgress => return set_tab(model, Tab::Progress),
        Action::TabBrowse => return set_tab(model, Tab::Browse),
        Action::NextTab => {
            let i = Tab::ALL.iter().position(|t| *t == model.tab).unwrap_or(0);
            return set_tab(model, Tab::ALL[(i + 1) % Tab::ALL.len()]);
        }
        Action::Left | Action::Right if model.tab == Tab::Browse => {
            let p = &mut model.browser.pane;
            *p = if action == Action::Left {
                p.saturating_sub(1)
            } else {
                (*p + 1).min(2)
            };
        }
        Action::Left => return step_day(model, -1),
        Action::Right => return step_day(model, 1),
        Action::Up | Action::Down if model.tab == Tab::Browse => {
            return browse_move(model, action == Action::Down);
        }
        Action::Up => model.row = model.row.saturating_sub(1),
        Action::Down => {
            model.row = (model.row + 1).min(model.row_count().saturating_sub(1));
        }
        Action::PrevWeek => return set_week(model, add_days(model.week, -7)),
        Action::NextWeek => return set_week(model, add_days(model.week, 7)),
        Action::NextStudent | Action::PrevStudent => {
            let n = model.week_view.as_ref().map_or(0, |w| w.students.len());
            if n > 0 {
                model.student = if action == Action::NextStudent {
                    (model.student + 1) % n
                } else {
                    (model.student + n - 1) % n
                };
                model.row = 0;
            }
        }
        Action::GoToday => {
            model.day = model.today.weekday().to_monday_zero_offset() as usize;
            model.row = 0;
            return set_week(model, model.today);
        }
        Action::Done | Action::Skip | Action::PickUp | Action::Pin | Action::Why => {
            return on_session(model, action);
        }
        Action::Undo => {
            model.info("Undoing…");
            return vec![Effect::Undo];
        }
        Action::Replan => {
            model.info("Re-planning…");
            return vec![Effect::Replan {
                week: model.week,
                before: model.score_total(),
            }];
        }
        Action::CatchUp => {
            // Catch-up works on the week holding today; its score is "before"
            // only when that is the week on screen.
            let before = (model.week == monday_of(model.today))
                .then(|| model.score_total())
                .flatten();
            model.info("Catching up…");
            return vec![Effect::CatchUp { before }];
        }
        Action::DayOff => {
            let who = model
                .week_view
                .as_ref()
                .and_then(|w| w.students.get(model.student))
                .map_or("all".to_string(), |p| p.name.clone());
            let date = model.date();
            model.mode = Mode::Prompt(Prompt {
                kind: PromptKind::DayOff { date },
                title: format!("Day off on {} {date}", weekday_name(date)),
                fields: vec![
                    Field {
                        label: "Kind (sick/holiday)",
                        value: "sick".into(),
                    },
                    Field {
                        label: "Who (names or all)",
                        value: who,
                    },
                    Field {
                        label: "Name",
                        value: String::new(),
                    },
                ],
                focus: 0,
                error: None,
            });
        }
        Action::Reload => {
            model.info("Reloaded.");
            return reload(model);
        }
        Action::Redraw => model.redraw = true,
        // Only meaningful while carrying.
        Action::Drop | Action::Cancel => {}
    }
    Vec::new()
}

pub fn weekday_name(date: jiff::civil::Date) -> &'static str {
    brightpath_core::calendar::Weekday::of(date).name()
}

fn set_tab(model: &mut Model, tab: Tab) -> Vec<Effect> {
    model.tab = tab;
    model.row = 0;
    match tab {
        // Pacing depends on everything done so far: fetch it fresh each visit.
        Tab::Progress => vec![Effect::LoadPacing],
        Tab::Browse if model.browser.data.is_none() => vec![Effect::LoadBrowser],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn model() -> Model {
        Model::new("Test", jiff::civil::date(2026, 11, 29), false)
    }

    fn key(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn the_planning_week_opens_on_its_monday_at_the_weekend() {
        let m = model();
        assert_eq!(m.week.to_string(), "2026-11-30");
        assert_eq!(m.date().to_string(), "2026-11-30");
    }

    #[test]
    fn the_poll_waits_for_our_own_writes_and_first_load() {
        let mut m = model();
        assert!(update(&mut m, Msg::Tick).is_empty(), "nothing drawn yet");
        m.fingerprint = Some(1);
        assert_eq!(
            update(&mut m, Msg::Tick),
            vec![Effect::CheckVersion(m.week)]
        );
        m.busy = 1;
        assert!(update(&mut m, Msg::Tick).is_empty());
        let stale = Msg::VersionChecked {
            week: m.week,
            result: Ok(2),
        };
        assert!(update(&mut m, stale).is_empty(), "ignored while busy");
        m.busy = 0;
        let changed = Msg::VersionChecked {
            week: m.week,
            result: Ok(2),
        };
        assert_eq!(update(&mut m, changed), vec![Effect::LoadWeek(m.week)]);
    }

    #[test]
    fn moving_across_weeks_loads_the_new_week() {
        let mut m = model();
        assert_eq!(update(&mut m, key(']')), vec![Effect::LoadWeek(m.week)]);
        assert_eq!(m.week.to_string(), "2026-12-07");
        let out = update(&mut m, key('h'));
        assert_eq!(m.date().to_string(), "2026-12-06");
        assert_eq!(out, vec![Effect::LoadWeek(m.week)]);
        assert!(update(&mut m, key('l')).len() == 1, "back over the weekend");
    }

    #[test]
    fn session_keys_without_a_session_say_so() {
        let mut m = model();
        assert!(update(&mut m, key('d')).is_empty());
        assert_eq!(m.mode, Mode::Normal);
        assert!(
            m.status
                .as_ref()
                .is_some_and(|s| s.level == crate::model::Level::Error)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut m = model();
        let mut k = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        k.kind = KeyEventKind::Release;
        update(&mut m, Msg::Key(k));
        assert!(!m.quit);
        update(&mut m, key('q'));
        assert!(m.quit);
    }
}
