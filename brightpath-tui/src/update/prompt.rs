//! Text input in a prompt, and turning a submitted prompt into an effect.

use brightpath_core::model::BreakKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::{Mode, Model, Prompt, PromptKind};
use crate::msg::{DoneForm, Effect};

pub enum PromptResult {
    Cancel,
    Submit,
}

pub fn on_prompt_key(p: &mut Prompt, key: KeyEvent) -> Option<PromptResult> {
    let n = p.fields.len().max(1);
    match key.code {
        KeyCode::Esc => return Some(PromptResult::Cancel),
        KeyCode::Enter => return Some(PromptResult::Submit),
        KeyCode::Tab | KeyCode::Down => p.focus = (p.focus + 1) % n,
        KeyCode::BackTab | KeyCode::Up => p.focus = (p.focus + n - 1) % n,
        KeyCode::Backspace => {
            if let Some(f) = p.fields.get_mut(p.focus) {
                f.value.pop();
            }
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            if let Some(f) = p.fields.get_mut(p.focus) {
                f.value.push(c);
            }
        }
        _ => {}
    }
    None
}

fn field(p: &Prompt, i: usize) -> &str {
    p.fields.get(i).map_or("", |f| f.value.trim())
}

pub fn submit(model: &mut Model) -> Vec<Effect> {
    let Mode::Prompt(p) = &mut model.mode else {
        return Vec::new();
    };
    let effect = match &p.kind {
        PromptKind::Done { ids } => {
            let minutes = field(p, 0);
            let actual_minutes = if minutes.is_empty() {
                None
            } else {
                match minutes.parse::<u32>() {
                    Ok(m) if m > 0 => Some(m),
                    _ => {
                        p.error = Some(format!(
                            "minutes: {minutes:?} is not a number of minutes, like 40"
                        ));
                        return Vec::new();
                    }
                }
            };
            let note = Some(field(p, 1).to_string()).filter(|n| !n.is_empty());
            let partial = matches!(field(p, 2).to_ascii_lowercase().as_str(), "y" | "yes");
            Effect::MarkDone {
                ids: ids.clone(),
                form: DoneForm {
                    actual_minutes,
                    note,
                    partial,
                },
            }
        }
        PromptKind::Skip { ids } => Effect::Skip {
            ids: ids.clone(),
            reason: field(p, 0).to_string(),
        },
        PromptKind::DayOff { date } => {
            let kind_text = field(p, 0).to_ascii_lowercase();
            let Some(kind) = BreakKind::parse(&kind_text) else {
                p.error = Some(format!("kind: {kind_text:?} is not sick, holiday or break"));
                return Vec::new();
            };
            let who = field(p, 1);
            let students = if who.is_empty() || who.eq_ignore_ascii_case("all") {
                Vec::new()
            } else {
                who.split(',').map(|s| s.trim().to_string()).collect()
            };
            let name = match field(p, 2) {
                "" => brightpath_core::services::progress::default_break_name(kind, &students),
                n => n.to_string(),
            };
            Effect::DayOff {
                date: *date,
                students,
                kind,
                name,
            }
        }
    };
    model.mode = Mode::Normal;
    model.info("Saving…");
    vec![effect]
}
