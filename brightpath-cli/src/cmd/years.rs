//! year, break and event commands.

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{Weekday, Window, parse_date};
use brightpath_core::model::{BreakKind, FixedEvent, Recurrence, SchoolTime, SchoolYear, short};
use brightpath_core::services::lists;
use brightpath_core::services::school::*;

use super::Ctx;
use crate::args::*;
use crate::output::Table;

fn year_table(list: &[SchoolYear]) -> Table {
    let mut t = Table::new(&[
        "id",
        "name",
        "start",
        "end",
        "school days",
        "target days",
        "target hours",
        "core hours",
        "version",
    ]);
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    for y in list {
        t.row(vec![
            short(&y.id).into(),
            y.name.clone(),
            y.start.to_string(),
            y.end.to_string(),
            Weekday::join(&y.weekdays),
            n(y.target_days),
            n(y.target_hours),
            n(y.target_core_hours),
            y.version.to_string(),
        ]);
    }
    t
}

pub async fn year(ctx: &Ctx, c: YearCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        YearCmd::List => {
            let list = lists::years(&store, &f.id).await?;
            ctx.ui.emit(&list, &year_table(&list))
        }
        YearCmd::Add {
            name,
            start,
            end,
            fields,
        } => {
            let y = add_year(
                &store,
                &f.id,
                YearInput {
                    name,
                    start: parse_date("--start", &start)?,
                    end: parse_date("--end", &end)?,
                    weekdays: Weekday::parse_set(
                        "--weekdays",
                        fields.weekdays.as_deref().unwrap_or("mon-fri"),
                    )?,
                    target_days: fields.target_days,
                    target_hours: fields.target_hours,
                    target_core_hours: fields.target_core_hours,
                },
            )
            .await?;
            ctx.ui.note(&format!("Added the school year {}.", y.name));
            ctx.ui.emit(&y, &year_table(std::slice::from_ref(&y)))
        }
        YearCmd::Edit {
            year,
            rename,
            start,
            end,
            fields,
            if_version,
        } => {
            let y = edit_year(
                &store,
                &f.id,
                &year,
                YearPatch {
                    name: rename,
                    start: start
                        .as_deref()
                        .map(|d| parse_date("--start", d))
                        .transpose()?,
                    end: end.as_deref().map(|d| parse_date("--end", d)).transpose()?,
                    weekdays: fields
                        .weekdays
                        .as_deref()
                        .map(|d| Weekday::parse_set("--weekdays", d))
                        .transpose()?,
                    target_days: fields.target_days,
                    target_hours: fields.target_hours,
                    target_core_hours: fields.target_core_hours,
                    expected_version: if_version,
                },
            )
            .await?;
            ctx.ui
                .note(&format!("Updated {} (version {}).", y.name, y.version));
            ctx.ui.emit(&y, &year_table(std::slice::from_ref(&y)))
        }
        YearCmd::Remove { year } => {
            let y = remove_year(&store, &f.id, &year, None).await?;
            ctx.ui.note(&format!(
                "Removed the school year {} and its breaks.",
                y.name
            ));
            ctx.ui.emit(&y, &year_table(std::slice::from_ref(&y)))
        }
    }
}

pub async fn breaks(ctx: &Ctx, c: BreakCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let table = |list: &[lists::BreakRow]| {
        let mut t = Table::new(&["id", "name", "kind", "start", "end", "who"]);
        for row in list {
            let b = &row.brk;
            let who = if row.students.is_empty() {
                "everyone".to_string()
            } else {
                row.students.join(", ")
            };
            t.row(vec![
                short(&b.id).into(),
                b.name.clone(),
                b.kind.as_str().into(),
                b.start.to_string(),
                b.end.to_string(),
                who,
            ]);
        }
        t
    };
    match c {
        BreakCmd::List => {
            let list = lists::breaks(&store, &f.id).await?;
            ctx.ui.emit(&list, &table(&list))
        }
        BreakCmd::Add {
            name,
            start,
            end,
            kind,
            students: who,
            year,
        } => {
            let start = parse_date("--start", &start)?;
            let end = end
                .as_deref()
                .map(|e| parse_date("--end", e))
                .transpose()?
                .unwrap_or(start);
            let kind = match kind {
                BreakKindArg::Break => BreakKind::Break,
                BreakKindArg::Holiday => BreakKind::Holiday,
                BreakKindArg::Sick => BreakKind::Sick,
            };
            let opts = brightpath_core::services::planning::PlanOptions {
                actor: ctx.actor(),
                learning: ctx.learning(),
                ..Default::default()
            };
            let d = brightpath_core::services::progress::add_days_off(
                &store,
                &f,
                BreakInput {
                    year,
                    name,
                    kind,
                    start,
                    end,
                    students: who,
                },
                &opts,
                ctx.today(Some(&f))?,
            )
            .await?;
            ctx.ui.note(&format!(
                "{}.",
                brightpath_core::model::capitalize(&d.summary.message)
            ));
            for l in d.outcomes.iter().flat_map(|o| o.diff.iter()) {
                ctx.ui.note(&format!("  {l}"));
            }
            let rows = row_of(&store, &f.id, &d.brk).await?;
            ctx.ui.emit(&rows.first(), &table(&rows))
        }
        BreakCmd::Remove { id } => {
            let b = remove_break(&store, &f.id, &id).await?;
            ctx.ui.note(&format!("Removed {}.", b.name));
            ctx.ui.json_or_nothing(&b)
        }
    }
}

fn recurrence(fields: &EventFields) -> brightpath_core::Result<Option<Recurrence>> {
    match (&fields.weekly, &fields.on) {
        (Some(d), _) => Ok(Some(Recurrence::Weekly(Weekday::parse(d).ok_or_else(
            || {
                Error::invalid("--weekly", format!("{d:?} is not a weekday"))
                    .with_hint("e.g. --weekly wed")
            },
        )?))),
        (None, Some(d)) => Ok(Some(Recurrence::Once(parse_date("--on", d)?))),
        (None, None) => Ok(None),
    }
}

pub async fn event(ctx: &Ctx, c: EventCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    // Names come from the read model, so a table is always of stored rows.
    let who_of = lists::people(&store, &f.id).await?;
    let table = |list: &[FixedEvent]| {
        let mut t = Table::new(&[
            "id", "name", "when", "time", "where", "school", "who", "version",
        ]);
        for e in list {
            let when = match e.recurrence {
                Recurrence::Weekly(d) => format!("every {d}"),
                Recurrence::Once(d) => d.to_string(),
            };
            let who: Vec<String> = e
                .student_ids
                .iter()
                .map(|id| who_of.student_name(id))
                .chain(e.guardian_ids.iter().map(|id| who_of.guardian_name(id)))
                .collect();
            t.row(vec![
                short(&e.id).into(),
                e.name.clone(),
                when,
                e.window.to_string(),
                if e.away { "away" } else { "home" }.into(),
                e.school.as_str().into(),
                who.join(", "),
                e.version.to_string(),
            ]);
        }
        t
    };
    match c {
        EventCmd::List => {
            let rows = lists::events(&store, &f.id).await?;
            let list: Vec<FixedEvent> = rows.iter().map(|r| r.event.clone()).collect();
            ctx.ui.emit(&rows, &table(&list))
        }
        EventCmd::Add {
            name,
            fields,
            no_replan,
        } => {
            let recurrence = recurrence(&fields)?.ok_or_else(|| {
                Error::invalid("event", "has no day")
                    .with_hint("pass --weekly DAY or --on YYYY-MM-DD")
            })?;
            let time = fields.time.as_deref().ok_or_else(|| {
                Error::invalid("--time", "is required").with_hint("e.g. --time 09:00-12:00")
            })?;
            let opts = brightpath_core::services::planning::PlanOptions {
                actor: ctx.actor(),
                learning: ctx.learning(),
                ..Default::default()
            };
            let r = brightpath_core::services::progress::add_event(
                &store,
                &f,
                EventInput {
                    name,
                    recurrence,
                    window: Window::parse("--time", time)?,
                    away: fields.away,
                    school: fields
                        .school
                        .as_deref()
                        .map(|k| SchoolTime::parse("--school", k))
                        .transpose()?
                        .unwrap_or_default(),
                    students: fields.students,
                    guardians: fields.guardians,
                },
                !no_replan,
                &opts,
                ctx.today(Some(&f))?,
            )
            .await?;
            if ctx.ui.format != crate::output::Format::Json {
                ctx.ui
                    .emit(&r.added, &table(std::slice::from_ref(&r.added)))?;
            }
            super::progress::say_rule(ctx, &r)
        }
        EventCmd::Edit {
            event,
            rename,
            fields,
            home,
            if_version,
        } => {
            let e = edit_event(
                &store,
                &f.id,
                &event,
                EventPatch {
                    name: rename,
                    recurrence: recurrence(&fields)?,
                    window: fields
                        .time
                        .as_deref()
                        .map(|t| Window::parse("--time", t))
                        .transpose()?,
                    away: if fields.away {
                        Some(true)
                    } else if home {
                        Some(false)
                    } else {
                        None
                    },
                    school: fields
                        .school
                        .as_deref()
                        .map(|k| SchoolTime::parse("--school", k))
                        .transpose()?,
                    students: (!fields.students.is_empty()).then_some(fields.students),
                    guardians: (!fields.guardians.is_empty()).then_some(fields.guardians),
                    expected_version: if_version,
                },
            )
            .await?;
            ctx.ui
                .note(&format!("Updated {} (version {}).", e.name, e.version));
            ctx.ui.emit(&e, &table(std::slice::from_ref(&e)))
        }
        EventCmd::Remove { event } => {
            let e = remove_event(&store, &f.id, &event, None).await?;
            ctx.ui.note(&format!("Removed {}.", e.name));
            ctx.ui.emit(&e, &table(std::slice::from_ref(&e)))
        }
    }
}

/// The list row of one break, with names.
async fn row_of(
    store: &brightpath_core::Store,
    family: &str,
    b: &brightpath_core::model::Break,
) -> Result<Vec<lists::BreakRow>> {
    let mut rows = lists::breaks(store, family).await?;
    rows.retain(|r| r.brk.id == b.id);
    if rows.is_empty() {
        // A dry run's break is not stored: name its children as given.
        rows.push(lists::BreakRow {
            brk: b.clone(),
            students: b.student_ids.clone(),
        });
    }
    Ok(rows)
}
