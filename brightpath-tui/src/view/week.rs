//! The week grid of one student: days across, time down, sessions as blocks
//! coloured by subject, fixed events, and the lessons the planner could not fit.

use brightpath_core::calendar::{Clock, add_days};
use brightpath_core::model::SessionStatus;
use brightpath_core::services::view::WeekView;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::put;
use crate::model::{Mode, Model};
use crate::theme::Theme;

/// Minutes a grid row may stand for, finest first.
const STEPS: [u32; 8] = [5, 10, 15, 20, 30, 60, 90, 120];
const GUTTER: u16 = 6;

struct Item {
    start: u32,
    end: u32,
    label: String,
    detail: String,
    more: String,
    style: Style,
    /// The cursor is on it (or it is being carried).
    hot: bool,
    /// Its index in `Model::day_sessions` (events and the carried copy: none).
    session: Option<usize>,
}

pub fn draw(model: &Model, theme: Theme, buf: &mut Buffer, area: Rect) {
    let Some(w) = model
        .week_view
        .as_ref()
        .filter(|w| w.week_start == model.week)
    else {
        let text = match &model.week_error {
            Some(e) => format!("This week could not be loaded: {e} (r retries)"),
            None => "Loading…".to_string(),
        };
        put(
            buf,
            area.x + 1,
            area.y,
            &text,
            area.width.saturating_sub(1),
            theme.dim(),
        );
        return;
    };
    let Some(student) = model.student_id() else {
        put(
            buf,
            area.x + 1,
            area.y,
            "No students yet: add one with `brightpath student add`.",
            area.width.saturating_sub(1),
            Style::new(),
        );
        return;
    };
    let g = geometry(model, w, theme, student, area);
    draw_grid(model, w, theme, buf, g.grid, &g.days, &g.shown, &g.scale);
    // `geometry` has cut the notes to the rows below the grid.
    for (i, (text, style)) in g.notes.iter().enumerate() {
        let y = g.grid.y + g.grid.height + i as u16;
        put(
            buf,
            area.x + 1,
            y,
            text,
            area.width.saturating_sub(2),
            *style,
        );
    }
}

/// Where everything of the week grid goes: shared by drawing and by mouse
/// clicks, so a click lands on what is drawn there.
struct Geometry {
    days: Vec<Vec<Item>>,
    shown: Vec<usize>,
    scale: Scale,
    grid: Rect,
    notes: Vec<(String, Style)>,
}

fn geometry(model: &Model, w: &WeekView, theme: Theme, student: &str, area: Rect) -> Geometry {
    let days: Vec<Vec<Item>> = (0..7).map(|d| items(model, w, theme, student, d)).collect();
    let shown: Vec<usize> = (0..7)
        .filter(|&d| d < 5 || w.days[d].school_day || !days[d].is_empty() || d == model.day)
        .collect();
    let mut notes = unscheduled_lines(w, area.width.saturating_sub(2) as usize);
    // The grid comes first: it may take all but a fifth of the height, and
    // whatever it does not need goes to the notes.
    let least = (notes.len() as u16).min((area.height / 5).max(2));
    let scale = Scale::fit(&days, &shown, area.height.saturating_sub(least + 1));
    let grid = Rect {
        height: (scale.rows as u16 + 1).min(area.height),
        ..area
    };
    let room = (area.height - grid.height) as usize;
    if notes.len() > room {
        let hidden = notes.len() + 1 - room.max(1);
        notes.truncate(room.saturating_sub(1));
        notes.push((format!("… and {hidden} more"), theme.dim()));
    }
    notes.truncate(room);
    Geometry {
        days,
        shown,
        scale,
        grid,
        notes,
    }
}

/// The width of one day's column in the grid.
fn column_width(grid: Rect, days: usize) -> u16 {
    grid.width.saturating_sub(GUTTER) / days.max(1) as u16
}

/// What a click at (`x`, `y`) in the week body hits: a day, and the index of
/// the selected child's session there (as in `Model::day_sessions`), if any.
pub fn hit(model: &Model, area: Rect, x: u16, y: u16) -> Option<(usize, Option<usize>)> {
    let w = model
        .week_view
        .as_ref()
        .filter(|w| w.week_start == model.week)?;
    let student = model.student_id()?;
    let g = geometry(model, w, Theme { color: false }, student, area);
    let col_w = column_width(g.grid, g.shown.len());
    if col_w == 0 || x < g.grid.x + GUTTER || y < g.grid.y || y >= g.grid.y + g.grid.height {
        return None;
    }
    let c = usize::from((x - g.grid.x - GUTTER) / col_w);
    let day = *g.shown.get(c)?;
    if y == g.grid.y {
        return Some((day, None)); // the day's header
    }
    let t0 = g.scale.first + u32::from(y - g.grid.y - 1) * g.scale.step;
    let t1 = t0 + g.scale.step;
    let over = g.days[day]
        .iter()
        .filter(|i| i.session.is_some() && i.start < t1 && i.end > t0);
    let session = over
        .clone()
        .find(|i| i.start >= t0)
        .or(over.clone().next())
        .and_then(|i| i.session);
    Some((day, session))
}

fn status_mark(status: SessionStatus, pinned: bool) -> &'static str {
    match (status, pinned) {
        (SessionStatus::Done, _) => "✓ ",
        (SessionStatus::Partial, _) => "½ ",
        (SessionStatus::Skipped, _) => "✗ ",
        (SessionStatus::Missed, _) => "! ",
        (SessionStatus::Planned, true) => "• ",
        (SessionStatus::Planned, false) => "",
    }
}

/// The blocks of day `d` for `student`, in time order.
fn items(model: &Model, w: &WeekView, theme: Theme, student: &str, d: usize) -> Vec<Item> {
    let date = add_days(w.week_start, d as i64);
    let carry = match &model.mode {
        Mode::Carry(c) => Some(c),
        _ => None,
    };
    let on_cursor = d == model.day;
    let mut out: Vec<Item> = Vec::new();
    for (i, s) in model.day_sessions(date).into_iter().enumerate() {
        if carry.is_some_and(|c| c.session_id == s.id) {
            continue; // drawn where it is being carried to
        }
        let mut detail = match (s.lesson_seq, &s.lesson) {
            (Some(n), Some(t)) => format!("L{n} {t}"),
            _ => String::new(),
        };
        if s.status.is_void() {
            detail = s.status.as_str().into();
        }
        let others: Vec<&str> = s
            .students
            .iter()
            .zip(&s.student_ids)
            .filter(|(_, id)| id.as_str() != student)
            .map(|(n, _)| n.as_str())
            .collect();
        let more = if others.is_empty() {
            s.teacher.clone().unwrap_or_default()
        } else {
            format!("with {}", others.join(", "))
        };
        let style = if s.status.is_void() {
            theme.dim()
        } else {
            theme.subject(&s.subject)
        };
        out.push(Item {
            start: s.start.minutes(),
            end: s.end.minutes(),
            label: format!("{}{}", status_mark(s.status, s.pinned), s.course),
            detail,
            more,
            style,
            hot: carry.is_none() && on_cursor && i == model.row,
            session: Some(i),
        });
    }
    for e in w
        .events
        .iter()
        .filter(|e| e.date == date && e.student_ids.iter().any(|id| id == student))
    {
        out.push(Item {
            start: e.start.minutes(),
            end: e.end.minutes(),
            label: e.name.clone(),
            detail: if e.away { "away".into() } else { String::new() },
            more: String::new(),
            style: theme.event(),
            hot: false,
            session: None,
        });
    }
    if let Some(c) = carry.filter(|c| c.date == date) {
        out.push(Item {
            start: c.start.minutes(),
            end: c.start.minutes() + c.minutes,
            label: format!("» {}", c.title),
            detail: format!(
                "{}–{}",
                c.start,
                Clock((c.start.minutes() + c.minutes).min(1440) as u16)
            ),
            more: String::new(),
            style: theme.carried(),
            hot: true,
            session: None,
        });
    }
    out.sort_by_key(|i| (i.start, i.end));
    out
}

/// Which minutes the grid's rows stand for.
#[derive(Debug, Clone, Copy)]
struct Scale {
    first: u32,
    step: u32,
    rows: u32,
}

impl Scale {
    /// The finest step that shows every block of the week (whole hours, at
    /// least 08-15) in `rows_avail` rows.
    fn fit(days: &[Vec<Item>], shown: &[usize], rows_avail: u16) -> Scale {
        let all = shown.iter().flat_map(|&d| days[d].iter());
        let first = all.clone().map(|i| i.start).min().unwrap_or(480).min(480) / 60 * 60;
        let last = all
            .map(|i| i.end)
            .max()
            .unwrap_or(900)
            .max(900)
            .div_ceil(60)
            * 60;
        let rows_avail = u32::from(rows_avail).max(1);
        let step = STEPS
            .iter()
            .copied()
            .find(|s| (last - first).div_ceil(*s) <= rows_avail)
            .unwrap_or(120);
        Scale {
            first,
            step,
            rows: (last - first).div_ceil(step).min(rows_avail),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_grid(
    model: &Model,
    w: &WeekView,
    theme: Theme,
    buf: &mut Buffer,
    area: Rect,
    days: &[Vec<Item>],
    shown: &[usize],
    scale: &Scale,
) {
    if area.height < 2 || shown.is_empty() {
        return;
    }
    let Scale { first, step, rows } = *scale;
    let col_w = column_width(area, shown.len());
    let text_w = col_w.saturating_sub(1);

    for (c, &d) in shown.iter().enumerate() {
        let x = area.x + GUTTER + c as u16 * col_w;
        let info = &w.days[d];
        let head = format!("{} {}", capital(info.weekday.name()), info.date.day());
        let head_style = if d == model.day {
            theme.selected()
        } else {
            Style::new()
        };
        let used = put(buf, x, area.y, &head, text_w, head_style);
        let off = match (&info.off, info.school_day) {
            (Some(name), _) => Some(name.clone()),
            (None, false) => Some("no school".to_string()),
            _ => None,
        };
        if let Some(off) = off {
            put(
                buf,
                x + used + 1,
                area.y,
                &off,
                text_w.saturating_sub(used + 1),
                theme.off_day(),
            );
        }
    }
    for r in 0..rows {
        let t0 = first + r * step;
        let t1 = t0 + step;
        let y = area.y + 1 + r as u16;
        if t0 % 60 == 0 || r == 0 {
            put(
                buf,
                area.x,
                y,
                &Clock(t0 as u16).to_string(),
                GUTTER,
                theme.dim(),
            );
        }
        for (c, &d) in shown.iter().enumerate() {
            let x = area.x + GUTTER + c as u16 * col_w;
            cell(buf, theme, x, y, text_w, &days[d], t0, t1, first, step);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn cell(
    buf: &mut Buffer,
    theme: Theme,
    x: u16,
    y: u16,
    width: u16,
    items: &[Item],
    t0: u32,
    t1: u32,
    first: u32,
    step: u32,
) {
    let over: Vec<&Item> = items
        .iter()
        .filter(|i| i.start < t1 && i.end > t0)
        .collect();
    let Some(main) = over.iter().find(|i| i.hot).or(over.first()).copied() else {
        return;
    };
    let starting: Vec<&str> = over
        .iter()
        .filter(|i| i.start >= t0)
        .map(|i| i.label.as_str())
        .collect();
    let text = if !starting.is_empty() {
        starting.join("/")
    } else {
        // Rows after the first show the lesson, then who else or who teaches.
        let row_of = |t: u32| (t.saturating_sub(first)) / step;
        match row_of(t0) - row_of(main.start.max(first)) {
            1 => format!("│{}", main.detail),
            2 => format!("│{}", main.more),
            _ => "│".to_string(),
        }
    };
    let style = if main.hot && main.style != theme.carried() {
        theme.selected()
    } else {
        main.style
    };
    // Fill the whole cell so a coloured block reads as one block.
    let padded = format!("{text:<w$}", w = width as usize);
    put(buf, x, y, &padded, width, style);
}

fn capital(day: &str) -> String {
    let mut c = day.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The notes under the grid: what could not be planned, and why.
fn unscheduled_lines(w: &WeekView, width: usize) -> Vec<(String, Style)> {
    if !w.planned {
        return vec![(
            "No plan for this week yet: press P to plan it.".into(),
            Style::new(),
        )];
    }
    let items = w.unscheduled.as_array().map(Vec::as_slice).unwrap_or(&[]);
    if items.is_empty() {
        return Vec::new();
    }
    let mut out = vec![(
        format!("Unscheduled this week ({}):", items.len()),
        Style::new(),
    )];
    for u in items {
        let course = u["course"].as_str().unwrap_or("?");
        let students: Vec<&str> = u["students"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
            .unwrap_or_default();
        let missing = u["missing"].as_i64().unwrap_or(0);
        let reason = u["reason"].as_str().unwrap_or("");
        let mut line = format!("• {course} ({}) ×{missing}: {reason}", students.join(", "));
        if line.chars().count() > width {
            line = line
                .chars()
                .take(width.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        out.push((line, Style::new()));
    }
    out
}
