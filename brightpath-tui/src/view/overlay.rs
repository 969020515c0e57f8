//! Pop-ups over the current view: the help generated from the keymap, the
//! input prompt, and the answer to "why is this session here?".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::put;
use crate::keymap::help_sections;
use crate::model::Prompt;
use crate::theme::Theme;

/// A box of at most `w`×`h` centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn frame(f: &mut Frame, rect: Rect, title: &str, theme: Theme) -> Rect {
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    inner
}

/// Every binding, in columns that flow to fit the screen.
pub fn help(theme: Theme, f: &mut Frame, area: Rect) {
    let mut rows: Vec<(String, String, bool)> = Vec::new();
    for (group, keys) in help_sections() {
        rows.push((group.to_string(), String::new(), true));
        for (k, h) in keys {
            rows.push((k, h.to_string(), false));
        }
    }
    rows.push(("Marks".into(), "✓ done ½ part ✗ skip • pin".into(), true));
    let rect = centered(area, area.width, area.height);
    let inner = frame(f, rect, "Keys (any key closes)", theme);
    let height = inner.height.max(1) as usize;
    let cols = rows.len().div_ceil(height).max(1);
    let col_w = inner.width / cols as u16;
    let buf = f.buffer_mut();
    for (c, chunk) in rows.chunks(height).enumerate() {
        let key_w = chunk
            .iter()
            .filter(|r| !r.2)
            .map(|r| r.0.chars().count())
            .max()
            .unwrap_or(0) as u16
            + 1;
        let x = inner.x + c as u16 * col_w;
        for (i, (k, h, heading)) in chunk.iter().enumerate() {
            let y = inner.y + i as u16;
            if *heading {
                let used = put(buf, x, y, k, col_w.saturating_sub(1), theme.title());
                put(
                    buf,
                    x + used + 1,
                    y,
                    h,
                    col_w.saturating_sub(used + 2),
                    theme.dim(),
                );
            } else {
                put(
                    buf,
                    x + 1,
                    y,
                    k,
                    key_w,
                    Style::new().add_modifier(Modifier::BOLD),
                );
                put(
                    buf,
                    x + 1 + key_w,
                    y,
                    h,
                    col_w.saturating_sub(key_w + 2),
                    Style::new(),
                );
            }
        }
    }
}

pub fn prompt(p: &Prompt, theme: Theme, f: &mut Frame, area: Rect) {
    let h = p.fields.len() as u16 + 4 + u16::from(p.error.is_some());
    let rect = centered(area, 60, h);
    let inner = frame(f, rect, &p.title, theme);
    let label_w = p.fields.iter().map(|x| x.label.len()).max().unwrap_or(0) + 1;
    let mut lines: Vec<Line> = Vec::new();
    for (i, field) in p.fields.iter().enumerate() {
        let focused = i == p.focus;
        let value = if focused {
            format!("{}▏", field.value)
        } else {
            field.value.clone()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$}", field.label)),
            Span::styled(
                value,
                if focused {
                    Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
                } else {
                    Style::new()
                },
            ),
        ]));
    }
    if let Some(e) = &p.error {
        lines.push(Line::styled(e.clone(), theme.error()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Enter save · Tab next field · Esc cancel",
        theme.dim(),
    ));
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn explain(lines: &[String], theme: Theme, f: &mut Frame, area: Rect) {
    let width = 70.min(area.width);
    let inner_w = width.saturating_sub(2).max(1) as usize;
    // Enough rows for the wrapped text plus the border and the closing hint.
    let rows: usize = lines
        .iter()
        .map(|l| l.chars().count().div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, width, rows as u16 + 4);
    let inner = frame(f, rect, "Why here?", theme);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::raw(l.clone())).collect();
    text.push(Line::raw(""));
    text.push(Line::styled("any key closes", theme.dim()));
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}
