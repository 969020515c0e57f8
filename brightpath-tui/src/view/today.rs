//! The day's checklist: each child's lessons and events in order, with what is
//! done, skipped or still to do.

use brightpath_core::model::SessionStatus;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::scroll_to;
use crate::model::Model;
use crate::theme::Theme;

fn check(status: Option<SessionStatus>) -> &'static str {
    match status {
        None => "   ",
        Some(SessionStatus::Planned) => "[ ]",
        Some(SessionStatus::Done) => "[x]",
        Some(SessionStatus::Partial) => "[~]",
        Some(SessionStatus::Skipped) => "[-]",
        Some(SessionStatus::Missed) => "[!]",
    }
}

pub fn draw(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    if model
        .week_view
        .as_ref()
        .is_none_or(|w| w.week_start != model.week)
    {
        let text = match &model.week_error {
            Some(e) => format!(" This day could not be loaded: {e} (r retries)"),
            None => " Loading…".to_string(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(text, theme.dim()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let date = model.date();
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        format!(
            " {} {}{}",
            date.strftime("%A"),
            date.strftime("%B %-d, %Y"),
            if date == model.today { " (today)" } else { "" }
        ),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    if let Some(d) = model
        .week_view
        .as_ref()
        .and_then(|w| w.days.iter().find(|d| d.date == date))
    {
        match (&d.off, d.school_day) {
            (Some(name), _) => {
                lines.push(Line::styled(format!(" Day off: {name}"), theme.off_day()))
            }
            (None, false) => lines.push(Line::styled(" Not a school day", theme.off_day())),
            _ => {}
        }
    }
    let selected = model.selected().map(|s| s.id.clone());
    let mut sel_line = 0;
    for a in model.agendas() {
        let lessons = a.items.iter().filter(|i| i.session_id.is_some()).count();
        let done = a
            .items
            .iter()
            .filter(|i| matches!(i.status, Some(SessionStatus::Done)))
            .count();
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", a.student.name), theme.title()),
            Span::styled(format!("  {done} of {lessons} done"), theme.dim()),
        ]));
        if a.items.is_empty() {
            lines.push(Line::styled("   nothing planned", theme.dim()));
        }
        for i in &a.items {
            let mut text = format!("  {} {}–{} {}", check(i.status), i.start, i.end, i.title);
            if !i.detail.is_empty() {
                text.push_str(&format!(" · {}", i.detail));
            }
            if let Some(t) = &i.teacher {
                text.push_str(&format!(" ({t})"));
            }
            let style = if i.session_id.is_some() && i.session_id == selected {
                sel_line = lines.len();
                theme.selected()
            } else if i.session_id.is_none() {
                theme.dim()
            } else if matches!(
                i.status,
                Some(SessionStatus::Done | SessionStatus::Skipped | SessionStatus::Missed)
            ) {
                theme.good()
            } else {
                Style::new()
            };
            lines.push(Line::styled(text, style));
        }
    }
    let offset = scroll_to(sel_line, lines.len(), area.height as usize);
    f.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), area);
}
