//! `view`: draws the model and nothing else. Layout: a title bar, a context
//! line, the tab's body, and a status line; overlays (help, prompt, "why") on top.

mod browse;
mod overlay;
mod progress;
mod today;
mod week;

use brightpath_core::calendar::add_days;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Level, Mode, Model, Tab};
use crate::theme::Theme;

pub fn view(model: &Model, f: &mut Frame) {
    let theme = Theme { color: model.color };
    let area = f.area();
    let Some([top, context, body, status]) = layout(area) else {
        f.render_widget(Paragraph::new("Window too small"), area);
        return;
    };
    title_bar(model, theme, f, top);
    context_line(model, theme, f, context);
    match model.tab {
        Tab::Week => week::draw(model, theme, f.buffer_mut(), body),
        Tab::Today => today::draw(model, theme, f, body),
        Tab::Progress => progress::draw(model, theme, f, body),
        Tab::Browse => browse::draw(model, theme, f, body),
    }
    status_line(model, theme, f, status);
    match &model.mode {
        Mode::Help => overlay::help(theme, f, area),
        Mode::Prompt(p) => overlay::prompt(p, theme, f, area),
        Mode::Explain(lines) => overlay::explain(lines, theme, f, area),
        Mode::Normal | Mode::Carry(_) => {}
    }
}

/// The screen's rows: title bar, context line, the tab's body, status line;
/// `None` when the window is too small to draw in. Drawing and mouse clicks
/// both use it, so a click lands on what is drawn there.
fn layout(area: Rect) -> Option<[Rect; 4]> {
    if area.width < 20 || area.height < 6 {
        return None;
    }
    Some(
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area),
    )
}

/// The title bar's text before the tabs, and each tab's label.
fn title_parts(model: &Model) -> (String, Vec<String>) {
    let head = format!("· {}  ", model.family);
    let tabs = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title()))
        .collect();
    (head, tabs)
}

const BRAND: &str = " BrightPath ";

fn title_bar(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let (head, tabs) = title_parts(model);
    let mut spans = vec![Span::styled(BRAND, theme.title()), Span::raw(head)];
    for (t, label) in Tab::ALL.iter().zip(tabs) {
        let style = if *t == model.tab {
            theme.tab_active()
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    let right = if model.busy > 0 {
        "working… "
    } else {
        "? help "
    };
    let used: usize = spans.iter().map(Span::width).sum();
    let pad = (area.width as usize).saturating_sub(used + right.len());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme.dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// What a mouse click at (`x`, `y`) on a screen of `size` lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tab(Tab),
    /// A day of the week grid, and the session clicked there, if any.
    Day(usize, Option<usize>),
}

/// Hit-testing for the mouse, from the same layout `view` draws with.
pub fn hit(model: &Model, size: (u16, u16), x: u16, y: u16) -> Option<Hit> {
    let [top, _, body, _] = layout(Rect::new(0, 0, size.0, size.1))?;
    if y == top.y {
        let (head, tabs) = title_parts(model);
        let mut at = Span::raw(BRAND).width() + Span::raw(head).width();
        for (t, label) in Tab::ALL.iter().zip(tabs) {
            let end = at + Span::raw(label).width();
            if (at..end).contains(&usize::from(x)) {
                return Some(Hit::Tab(*t));
            }
            at = end;
        }
        return None;
    }
    match model.tab {
        Tab::Week => week::hit(model, body, x, y).map(|(d, s)| Hit::Day(d, s)),
        _ => None,
    }
}

/// `Nov 30 – Dec 6, 2026`
pub fn week_span(monday: jiff::civil::Date) -> String {
    let sunday = add_days(monday, 6);
    format!(
        "{} – {}",
        monday.strftime("%b %-d"),
        sunday.strftime("%b %-d, %Y")
    )
}

fn context_line(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    match model.tab {
        Tab::Week | Tab::Today => {
            if let Some(w) = &model.week_view {
                for (i, s) in w.students.iter().enumerate() {
                    let style = if i == model.student && model.tab == Tab::Week {
                        theme.selected()
                    } else {
                        Style::new()
                    };
                    spans.push(Span::styled(format!(" {} ", s.name), style));
                }
                spans.push(Span::raw("  "));
            }
            let iso = model.week.iso_week_date();
            spans.push(Span::raw(format!(
                "Week {} · {}",
                iso.week(),
                week_span(model.week)
            )));
            if let Some(total) = model.score_total() {
                spans.push(Span::styled(format!(" · score {total}"), theme.dim()));
            }
        }
        Tab::Progress => spans.push(Span::raw(format!(
            "Pacing as of {} {}: lessons done against the plan to the year's end",
            crate::update::weekday_name(model.today),
            model.today
        ))),
        Tab::Browse => spans.push(Span::raw(
            "Students, their courses, and each course's curriculum",
        )),
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_line(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let line = match (&model.status, &model.mode) {
        (Some(s), _) => {
            let style = match s.level {
                Level::Info => Style::new(),
                Level::Error => theme.error(),
            };
            Line::from(Span::styled(format!(" {}", s.text), style))
        }
        (None, Mode::Carry(_)) => Line::from(" ←↓↑→ move · Enter drop · Esc put back"),
        (None, _) => Line::from(Span::styled(hint(model), theme.dim())),
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The key hints of the status line, written from the keymap so they cannot drift.
fn hint(model: &Model) -> String {
    use crate::keymap::{Action as A, BINDINGS, hint_line};
    let items: &[(A, &str)] = match model.tab {
        Tab::Week | Tab::Today => &[
            (A::Done, "done"),
            (A::Skip, "skip"),
            (A::Undo, "undo"),
            (A::PickUp, "move"),
            (A::Pin, "pin"),
            (A::Replan, "re-plan"),
            (A::Why, "why"),
            (A::Help, "help"),
        ],
        Tab::Progress => &[
            (A::Down, "scroll"),
            (A::CatchUp, "catch up"),
            (A::TabWeek, "week"),
            (A::Help, "help"),
            (A::Quit, "quit"),
        ],
        Tab::Browse => &[
            (A::Right, "next pane"),
            (A::Down, "select"),
            (A::TabWeek, "week"),
            (A::Help, "help"),
            (A::Quit, "quit"),
        ],
    };
    hint_line(BINDINGS, items)
}

/// Writes `text` clipped to `width` cells; returns the cells used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, width: u16, style: Style) -> u16 {
    // Never write outside the buffer: ratatui panics on it, and tiny windows happen.
    if width == 0 || x >= buf.area.right() || y >= buf.area.bottom() {
        return 0;
    }
    let width = width.min(buf.area.right() - x);
    let (end, _) = buf.set_stringn(x, y, text, width as usize, style);
    end.saturating_sub(x)
}

/// Scroll offset that keeps line `sel` of `len` visible in `height` rows.
pub fn scroll_to(sel: usize, len: usize, height: usize) -> usize {
    if len <= height || height == 0 {
        return 0;
    }
    let keep = height / 3;
    sel.saturating_sub(height - keep - 1).min(len - height)
}
