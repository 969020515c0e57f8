//! Drawing plans for people: a week grid per child and per parent, and
//! today's agenda.

use brightpath_core::model::SessionStatus;
use brightpath_core::services::view::{Agenda, WeekView};

use crate::output::{Table, Ui};

fn mark(status: SessionStatus, pinned: bool) -> &'static str {
    match (status, pinned) {
        (SessionStatus::Done, _) => "✓ ",
        (SessionStatus::Partial, _) => "½ ",
        (SessionStatus::Skipped, _) => "✗ ",
        (SessionStatus::Missed, _) => "! ",
        (_, true) => "📌",
        _ => "",
    }
}

/// One grid: a column per day of the week, items stacked in time order.
fn grid(view: &WeekView, items: &[(jiff::civil::Date, String, String)]) -> Table {
    let days: Vec<_> = view
        .days
        .iter()
        .filter(|d| d.school_day || items.iter().any(|i| i.0 == d.date) || d.off.is_some())
        .collect();
    let headers: Vec<String> = days
        .iter()
        .map(|d| {
            let label = format!(
                "{} {}",
                brightpath_core::model::capitalize(d.weekday.name()),
                d.date.strftime("%m-%d")
            );
            match &d.off {
                Some(off) => format!("{label}\n({off})"),
                None => label,
            }
        })
        .collect();
    let columns: Vec<Vec<String>> = days
        .iter()
        .map(|d| {
            let mut col: Vec<&(jiff::civil::Date, String, String)> =
                items.iter().filter(|i| i.0 == d.date).collect();
            col.sort_by(|a, b| a.1.cmp(&b.1));
            col.into_iter()
                .map(|i| format!("{} {}", i.1, i.2))
                .collect()
        })
        .collect();
    let height = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut t = Table {
        headers,
        rows: Vec::new(),
    };
    for r in 0..height {
        t.row(
            columns
                .iter()
                .map(|c| c.get(r).cloned().unwrap_or_default())
                .collect(),
        );
    }
    t
}

pub fn week(ui: &Ui, view: &WeekView, only_student: Option<&str>) {
    ui.say(&ui.heading(&format!("{} — week of {}", view.family, view.week_start)));
    if !view.planned {
        ui.say("This week is not planned yet: run `brightpath plan week`.");
    } else if let Some(total) = view.score.map(|s| s.total) {
        ui.say(&ui.dim(&format!(
            "score {total} (lower is better; see docs/planner.md)"
        )));
    }
    for st in view
        .students
        .iter()
        .filter(|s| only_student.is_none_or(|k| k == s.id))
    {
        let mut items: Vec<_> = view
            .sessions_of_student(&st.id)
            .map(|s| {
                let lesson = s.lesson_seq.map(|n| format!(" L{n}")).unwrap_or_default();
                (
                    s.date,
                    s.start.to_string(),
                    format!("{}{}{}", mark(s.status, s.pinned), s.course, lesson),
                )
            })
            .collect();
        items.extend(
            view.events
                .iter()
                .filter(|e| e.student_ids.contains(&st.id))
                .map(|e| {
                    (
                        e.date,
                        e.start.to_string(),
                        format!("[{}–{}] {}", e.start, e.end, e.name),
                    )
                }),
        );
        ui.say(&format!("\n{}", ui.heading(&st.name)));
        ui.table(&grid(view, &items));
    }
    if only_student.is_none() {
        for g in &view.guardians {
            let mut items: Vec<_> = view
                .sessions
                .iter()
                .filter(|s| s.teacher.as_deref() == Some(g.name.as_str()))
                .map(|s| {
                    (
                        s.date,
                        s.start.to_string(),
                        format!("{} ({})", s.course, s.students.join(", ")),
                    )
                })
                .collect();
            items.extend(
                view.events
                    .iter()
                    .filter(|e| e.guardian_ids.contains(&g.id))
                    .map(|e| {
                        (
                            e.date,
                            e.start.to_string(),
                            format!("[{}–{}] {}", e.start, e.end, e.name),
                        )
                    }),
            );
            if items.is_empty() {
                continue;
            }
            ui.say(&format!(
                "\n{}",
                ui.heading(&format!("{} (teaching)", g.name))
            ));
            ui.table(&grid(view, &items));
        }
    }
    if let Some(list) = view.unscheduled.as_array().filter(|l| !l.is_empty()) {
        ui.say(&format!("\n{}", ui.heading("Not scheduled this week")));
        let mut t = Table::new(&["course", "students", "missing", "why"]);
        for u in list {
            let students: Vec<&str> = u["students"]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            t.row(vec![
                u["course"].as_str().unwrap_or("").into(),
                students.join(", "),
                u["missing"].to_string(),
                u["reason"].as_str().unwrap_or("").into(),
            ]);
        }
        ui.table(&t);
    }
}

pub fn agenda(ui: &Ui, date: jiff::civil::Date, agendas: &[Agenda]) {
    ui.say(&ui.heading(&format!("Today, {}", date.strftime("%A %Y-%m-%d"))));
    for a in agendas {
        ui.say(&format!("\n{}", ui.heading(&a.student.name)));
        if a.items.is_empty() {
            ui.say("  nothing planned");
        }
        for i in &a.items {
            let check = match i.status {
                Some(SessionStatus::Done) => "[x]",
                Some(SessionStatus::Skipped) => "[-]",
                Some(SessionStatus::Missed) => "[!]",
                Some(SessionStatus::Partial) => "[~]",
                Some(SessionStatus::Planned) => "[ ]",
                None => "   ",
            };
            let with = i
                .teacher
                .as_ref()
                .map(|t| format!(" with {t}"))
                .unwrap_or_default();
            let detail = if i.detail.is_empty() {
                String::new()
            } else {
                format!(" — {}", i.detail)
            };
            // The short id is what `done`, `skip` and `move` take.
            let id = i
                .session_id
                .as_deref()
                .map(|id| format!("  {}", brightpath_core::model::short(id)))
                .unwrap_or_default();
            ui.say(&format!(
                "  {check} {}–{}  {}{}{}{}",
                i.start,
                i.end,
                i.title,
                detail,
                ui.dim(&with),
                ui.dim(&id)
            ));
        }
    }
}
