//! Progress: per course, lessons done against the plan, behind or ahead, and
//! whether the course still ends by the year's end.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use crate::model::Model;
use crate::theme::Theme;

pub fn draw(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let rows = match &model.pacing {
        None => {
            f.render_widget(Paragraph::new(Span::styled(" Loading…", theme.dim())), area);
            return;
        }
        Some(Err(e)) => {
            f.render_widget(
                Paragraph::new(Span::styled(format!(" {e}"), theme.error()))
                    .wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        Some(Ok(rows)) if rows.is_empty() => {
            f.render_widget(Paragraph::new(" No courses with a curriculum yet."), area);
            return;
        }
        Some(Ok(rows)) => rows,
    };
    let [table_area, detail] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    let body: Vec<Row> = rows
        .iter()
        .map(|p| {
            let (pace, style) = match p.behind {
                0 => ("on track".to_string(), theme.good()),
                n if n > 0 => (format!("{n} behind"), theme.bad()),
                n => (format!("{} ahead", -n), theme.good()),
            };
            let finish = match p.projected_finish {
                Some(d) if d > p.year_end => (format!("{d} late"), theme.bad()),
                Some(d) => (d.to_string(), Style::new()),
                None => ("–".to_string(), theme.dim()),
            };
            Row::new(vec![
                Line::raw(p.student.clone()),
                Line::raw(p.course.clone()),
                Line::raw(format!("{}/{}", p.done, p.expected)),
                Line::styled(pace, style),
                Line::styled(finish.0, finish.1),
            ])
        })
        .collect();
    let table = Table::new(
        body,
        [
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Length(16),
        ],
    )
    .header(Row::new(["Student", "Course", "Done/exp", "Pace", "Finishes"]).style(theme.title()))
    .row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected(Some(model.row));
    f.render_stateful_widget(table, table_area, &mut state);
    if let Some(p) = rows.get(model.row) {
        let text = format!(
            " {} {}: year ends {}. {}",
            p.student,
            p.course,
            p.year_end,
            p.suggestion.as_deref().unwrap_or("No change needed.")
        );
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail);
    }
}
