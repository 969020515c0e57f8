//! Keys are data: one table binds keys to actions, and both the key handler and
//! the `?` help overlay read it, so the two cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks the planner to do. `update` interprets each action for the
/// current mode (browsing, carrying a session, a prompt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    TabWeek,
    TabToday,
    TabProgress,
    TabBrowse,
    Left,
    Right,
    Up,
    Down,
    PrevWeek,
    NextWeek,
    NextStudent,
    PrevStudent,
    GoToday,
    Done,
    Skip,
    Undo,
    PickUp,
    Drop,
    Cancel,
    Pin,
    Replan,
    CatchUp,
    DayOff,
    Why,
    Reload,
    Redraw,
}

/// One key: a code and the modifiers that must be held (Shift is folded into
/// the character for letters, so `P` is written as `Char('P')`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    /// The heading the help overlay lists it under.
    pub group: &'static str,
}

const NAV: &str = "Move around";
const EDIT: &str = "Change the plan";
const VIEW: &str = "Views";
const CARRY: &str = "While carrying a session";

/// Every binding of the normal mode, in the order the help overlay shows them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ch('h'), code(KeyCode::Left)],
        action: Action::Left,
        help: "previous day (or pane)",
        group: NAV,
    },
    Binding {
        keys: &[ch('l'), code(KeyCode::Right)],
        action: Action::Right,
        help: "next day (or pane)",
        group: NAV,
    },
    Binding {
        keys: &[ch('k'), code(KeyCode::Up)],
        action: Action::Up,
        help: "previous session, row",
        group: NAV,
    },
    Binding {
        keys: &[ch('j'), code(KeyCode::Down)],
        action: Action::Down,
        help: "next session, row",
        group: NAV,
    },
    Binding {
        keys: &[ch('['), code(KeyCode::PageUp)],
        action: Action::PrevWeek,
        help: "previous week",
        group: NAV,
    },
    Binding {
        keys: &[ch(']'), code(KeyCode::PageDown)],
        action: Action::NextWeek,
        help: "next week",
        group: NAV,
    },
    Binding {
        keys: &[code(KeyCode::Tab), ch('s')],
        action: Action::NextStudent,
        help: "next child",
        group: NAV,
    },
    Binding {
        keys: &[code(KeyCode::BackTab), ch('S')],
        action: Action::PrevStudent,
        help: "previous child",
        group: NAV,
    },
    Binding {
        keys: &[ch('t')],
        action: Action::GoToday,
        help: "back to today",
        group: NAV,
    },
    Binding {
        keys: &[ch('1')],
        action: Action::TabWeek,
        help: "week grid",
        group: VIEW,
    },
    Binding {
        keys: &[ch('2')],
        action: Action::TabToday,
        help: "today's checklist",
        group: VIEW,
    },
    Binding {
        keys: &[ch('3')],
        action: Action::TabProgress,
        help: "progress, pacing",
        group: VIEW,
    },
    Binding {
        keys: &[ch('4')],
        action: Action::TabBrowse,
        help: "students and courses",
        group: VIEW,
    },
    Binding {
        keys: &[ch('v')],
        action: Action::NextTab,
        help: "next view",
        group: VIEW,
    },
    Binding {
        keys: &[ch('r')],
        action: Action::Reload,
        help: "reload",
        group: VIEW,
    },
    Binding {
        keys: &[ctrl('l')],
        action: Action::Redraw,
        help: "redraw the screen",
        group: VIEW,
    },
    Binding {
        keys: &[ch('?')],
        action: Action::Help,
        help: "this help",
        group: VIEW,
    },
    Binding {
        keys: &[ch('q'), ctrl('c')],
        action: Action::Quit,
        help: "quit",
        group: VIEW,
    },
    Binding {
        keys: &[ch('d')],
        action: Action::Done,
        help: "done (minutes, note)",
        group: EDIT,
    },
    Binding {
        keys: &[ch('x')],
        action: Action::Skip,
        help: "skip (reason)",
        group: EDIT,
    },
    Binding {
        keys: &[ch('u')],
        action: Action::Undo,
        help: "undo last change",
        group: EDIT,
    },
    Binding {
        keys: &[ch('m'), ch(' ')],
        action: Action::PickUp,
        help: "pick up to move",
        group: EDIT,
    },
    Binding {
        keys: &[ch('p')],
        action: Action::Pin,
        help: "pin / unpin",
        group: EDIT,
    },
    Binding {
        keys: &[ch('P')],
        action: Action::Replan,
        help: "re-plan the week",
        group: EDIT,
    },
    Binding {
        keys: &[ch('c')],
        action: Action::CatchUp,
        help: "catch up missed work",
        group: EDIT,
    },
    Binding {
        keys: &[ch('o')],
        action: Action::DayOff,
        help: "sick day or holiday",
        group: EDIT,
    },
    Binding {
        keys: &[ch('w')],
        action: Action::Why,
        help: "why is it here?",
        group: EDIT,
    },
];

/// Keys while a session is picked up: the arrows move it, Enter drops it.
pub const CARRY_BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ch('h'), code(KeyCode::Left)],
        action: Action::Left,
        help: "a day earlier",
        group: CARRY,
    },
    Binding {
        keys: &[ch('l'), code(KeyCode::Right)],
        action: Action::Right,
        help: "a day later",
        group: CARRY,
    },
    Binding {
        keys: &[ch('k'), code(KeyCode::Up)],
        action: Action::Up,
        help: "15 min earlier",
        group: CARRY,
    },
    Binding {
        keys: &[ch('j'), code(KeyCode::Down)],
        action: Action::Down,
        help: "15 min later",
        group: CARRY,
    },
    Binding {
        keys: &[code(KeyCode::Enter), ch('m'), ch(' ')],
        action: Action::Drop,
        help: "drop it (core checks)",
        group: CARRY,
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        action: Action::Cancel,
        help: "put it back",
        group: CARRY,
    },
    Binding {
        keys: &[ctrl('c')],
        action: Action::Quit,
        help: "quit",
        group: CARRY,
    },
];

/// Prompt keys are handled as text input; listed here only for the help overlay.
pub const PROMPT_HELP: &[(&str, &str)] = &[
    ("Tab / ↓ / ↑", "next or previous field"),
    ("Enter", "save"),
    ("Esc", "cancel"),
];

impl Key {
    fn matches(&self, ev: &KeyEvent) -> bool {
        let held_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if held_ctrl != self.ctrl {
            return false;
        }
        match (self.code, ev.code) {
            // Terminals differ on whether Shift+p arrives as 'P' or 'p'+SHIFT.
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                let b = if ev.modifiers.contains(KeyModifiers::SHIFT) {
                    b.to_ascii_uppercase()
                } else {
                    b
                };
                a == b
            }
            (a, b) => a == b,
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// The action bound to `ev` in `table`, if any.
pub fn lookup(table: &[Binding], ev: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The keys of `action` in `table`, written for people (`h/←`).
pub fn keys_of(table: &[Binding], action: Action) -> String {
    table
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"))
        .unwrap_or_default()
}

/// The first key of `action` in `table`, for the one-line hints.
pub fn first_key(table: &[Binding], action: Action) -> String {
    table
        .iter()
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .map(Key::label)
        .unwrap_or_default()
}

/// A hint line like ` d done · x skip`, written from the keymap.
pub fn hint_line(table: &[Binding], items: &[(Action, &str)]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|(a, what)| format!("{} {what}", first_key(table, *a)))
        .collect();
    format!(" {}", parts.join(" · "))
}

/// The help overlay's lines: (group heading, [(keys, description)]).
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
    for b in BINDINGS.iter().chain(CARRY_BINDINGS) {
        let keys = b.keys.iter().map(Key::label).collect::<Vec<_>>().join(" ");
        match out.iter_mut().find(|(g, _)| *g == b.group) {
            Some((_, rows)) => rows.push((keys, b.help)),
            None => out.push((b.group, vec![(keys, b.help)])),
        }
    }
    out.push((
        "In a prompt",
        PROMPT_HELP
            .iter()
            .map(|(k, h)| (k.to_string(), *h))
            .collect(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), m)
    }

    #[test]
    fn shift_and_ctrl_are_told_apart() {
        assert_eq!(
            lookup(BINDINGS, &key('p', KeyModifiers::NONE)),
            Some(Action::Pin)
        );
        assert_eq!(
            lookup(BINDINGS, &key('p', KeyModifiers::SHIFT)),
            Some(Action::Replan)
        );
        assert_eq!(
            lookup(BINDINGS, &key('P', KeyModifiers::SHIFT)),
            Some(Action::Replan)
        );
        assert_eq!(
            lookup(BINDINGS, &key('c', KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(BINDINGS, &key('c', KeyModifiers::NONE)),
            Some(Action::CatchUp)
        );
        assert_eq!(
            lookup(BINDINGS, &key('l', KeyModifiers::CONTROL)),
            Some(Action::Redraw)
        );
        assert_eq!(
            lookup(BINDINGS, &key('l', KeyModifiers::NONE)),
            Some(Action::Right)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_table() {
        for table in [BINDINGS, CARRY_BINDINGS] {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }
}
