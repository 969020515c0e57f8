//! The browser: students | the selected student's courses | the selected
//! course's curriculum, with where the student is in it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use crate::model::Model;
use crate::theme::Theme;

pub fn draw(model: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let b = &model.browser;
    let Some(data) = &b.data else {
        f.render_widget(Paragraph::new(Span::styled(" Loading…", theme.dim())), area);
        return;
    };
    let [left, mid, right] = Layout::horizontal([
        Constraint::Percentage(22),
        Constraint::Percentage(33),
        Constraint::Percentage(45),
    ])
    .areas(area);
    let student = data.students.get(b.sel[0]);
    let students: Vec<ListItem> = data
        .students
        .iter()
        .map(|s| {
            let grade = s
                .grade
                .as_deref()
                .map(|g| format!(" (gr. {g})"))
                .unwrap_or_default();
            ListItem::new(format!("{}{grade}", s.name))
        })
        .collect();
    let courses = data.courses_of(student);
    let teacher = |id: &Option<String>| {
        id.as_ref()
            .and_then(|t| data.guardians.iter().find(|g| &g.id == t))
            .map_or("alone".to_string(), |g| g.name.clone())
    };
    let course_items: Vec<ListItem> = courses
        .iter()
        .map(|c| {
            ListItem::new(format!(
                "{} · {}m×{} · {}",
                c.name,
                c.lesson_minutes,
                c.sessions_per_week,
                teacher(&c.teacher_id)
            ))
        })
        .collect();
    let (lessons, title): (Vec<ListItem>, String) = match &b.curriculum {
        Some(cv) if courses.get(b.sel[1]).is_some_and(|c| c.id == cv.course.id) => {
            let pos = student.and_then(|s| cv.positions.iter().find(|p| p.student == s.name));
            let next = pos.and_then(|p| p.next_seq);
            // Lessons before the enrollment's start were never the student's to do.
            let start = student
                .and_then(|s| {
                    data.enrollments
                        .iter()
                        .find(|e| e.course_id == cv.course.id && e.student_id == s.id)
                })
                .map_or(1, |e| e.start_seq);
            let items = cv
                .lessons
                .iter()
                .map(|l| {
                    let mark = match next {
                        _ if l.seq < start => "·",
                        Some(n) if l.seq < n => "✓",
                        Some(n) if l.seq == n => "▶",
                        _ => " ",
                    };
                    ListItem::new(format!("{mark} {:>3} {}", l.seq, l.title))
                })
                .collect();
            let done = pos.map_or(0, |p| p.done);
            (
                items,
                format!(" {} · {done}/{} done ", cv.course.name, cv.lessons.len()),
            )
        }
        _ => (Vec::new(), " Curriculum ".to_string()),
    };
    let panes = [
        (students, " Students ".to_string(), left),
        (course_items, " Courses ".to_string(), mid),
        (lessons, title, right),
    ];
    for (i, (items, title, rect)) in panes.into_iter().enumerate() {
        let border = if i == b.pane {
            theme.title()
        } else {
            theme.dim()
        };
        let list = List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(border)
                    .title(title),
            )
            .highlight_style(if i == b.pane {
                theme.selected()
            } else {
                Style::new().add_modifier(ratatui::style::Modifier::BOLD)
            });
        let mut state = ListState::default().with_selected(Some(b.sel[i]));
        f.render_stateful_widget(list, rect, &mut state);
    }
}
