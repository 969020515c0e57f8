//! Acting on the selected session: marking, pinning, asking why, and
//! carrying it to another place (checked by the core when dropped).

use super::*;

pub(super) fn on_session(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(s) = model.selected().cloned() else {
        model.error("No session here: move onto one with the arrow keys (week or today view).");
        return Vec::new();
    };
    let title = match s.lesson_seq {
        Some(n) => format!("{} · lesson {n}", s.course),
        None => s.course.clone(),
    };
    match action {
        Action::Done => {
            model.mode = Mode::Prompt(Prompt {
                kind: PromptKind::Done {
                    ids: vec![(s.id.clone(), s.version)],
                },
                title: format!("Done: {title}"),
                fields: vec![
                    Field {
                        label: "Minutes",
                        value: (s.end.minutes() - s.start.minutes()).to_string(),
                    },
                    Field {
                        label: "Note",
                        value: String::new(),
                    },
                    Field {
                        label: "Only partly (y/n)",
                        value: "n".into(),
                    },
                ],
                focus: 0,
                error: None,
            });
        }
        Action::Skip => {
            model.mode = Mode::Prompt(Prompt {
                kind: PromptKind::Skip {
                    ids: vec![(s.id.clone(), s.version)],
                },
                title: format!("Skip: {title}"),
                fields: vec![Field {
                    label: "Reason",
                    value: String::new(),
                }],
                focus: 0,
                error: None,
            });
        }
        Action::PickUp => {
            if s.status != SessionStatus::Planned {
                model.error(format!(
                    "{title} is {}; only planned sessions move.",
                    s.status.as_str()
                ));
                return Vec::new();
            }
            model.tab = Tab::Week;
            model.info(format!(
                "Moving {title}: arrows move it, Enter drops it, Esc puts it back."
            ));
            model.mode = Mode::Carry(Carry {
                session_id: s.id.clone(),
                title: s.course.clone(),
                version: s.version,
                minutes: s.end.minutes() - s.start.minutes(),
                date: s.date,
                start: s.start,
            });
        }
        Action::Pin => {
            model.info(if s.pinned {
                "Unpinning…"
            } else {
                "Pinning…"
            });
            return vec![Effect::Pin {
                id: s.id.clone(),
                pinned: !s.pinned,
                expected_version: s.version,
            }];
        }
        Action::Why => return vec![Effect::Explain(s.id.clone())],
        _ => {}
    }
    Vec::new()
}

pub(super) fn on_carry(model: &mut Model, action: Action) -> Vec<Effect> {
    let week = model.week;
    let Mode::Carry(c) = &mut model.mode else {
        return Vec::new();
    };
    let latest = 1440u16.saturating_sub(c.minutes as u16);
    match action {
        Action::Left | Action::Right => {
            let delta = if action == Action::Left { -1 } else { 1 };
            let date = add_days(c.date, delta);
            // The grid shows one week; the carried session stays on it.
            if monday_of(date) == week {
                c.date = date;
            }
        }
        Action::Up => c.start = Clock(c.start.0.saturating_sub(CARRY_STEP)),
        Action::Down => c.start = Clock((c.start.0 + CARRY_STEP).min(latest)),
        Action::Drop => {
            let c = c.clone();
            model.mode = Mode::Normal;
            let unchanged = model
                .week_view
                .as_ref()
                .and_then(|w| w.sessions.iter().find(|s| s.id == c.session_id))
                .is_some_and(|s| s.date == c.date && s.start == c.start);
            if unchanged {
                model.info("Left where it was.");
                return Vec::new();
            }
            model.info(format!("Moving {} to {} {}…", c.title, c.date, c.start));
            return vec![Effect::Move {
                id: c.session_id,
                date: c.date,
                start: c.start,
                expected_version: c.version,
            }];
        }
        Action::Cancel => {
            model.mode = Mode::Normal;
            model.info("Put back.");
            return Vec::new();
        }
        Action::Quit => model.quit = true,
        _ => {}
    }
    if let Mode::Carry(c) = &model.mode {
        model.day = c.date.weekday().to_monday_zero_offset() as usize;
    }
    Vec::new()
}
