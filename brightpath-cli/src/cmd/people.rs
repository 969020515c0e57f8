//! init, family, student, guardian and exception commands.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{Weekday, WeeklyAvailability, parse_date, parse_windows};
use brightpath_core::model::short;
use brightpath_core::services::lists;
use brightpath_core::services::school::{self, *};

use super::Ctx;
use crate::args::*;
use crate::output::Table;

/// Asks on a terminal, or fails naming the flag when input is not interactive.
fn answer(
    value: Option<String>,
    flag: &str,
    question: &str,
    default: Option<&str>,
    interactive: bool,
) -> Result<String> {
    if let Some(v) = value {
        return Ok(v);
    }
    if !interactive {
        return match default {
            Some(d) => Ok(d.to_string()),
            None => Err(
                Error::invalid(flag, "is required when not asking on a terminal")
                    .with_hint(format!("pass {flag} VALUE"))
                    .into(),
            ),
        };
    }
    let prompt = match default {
        Some(d) => format!("{question} [{d}]: "),
        None => format!("{question}: "),
    };
    loop {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(Error::invalid(flag, "no answer (end of input)").into());
        }
        let line = line.trim();
        match (line.is_empty(), default) {
            (false, _) => return Ok(line.to_string()),
            (true, Some(d)) => return Ok(d.to_string()),
            (true, None) => eprintln!("  (an answer is needed)"),
        }
    }
}

pub async fn init(ctx: &Ctx, a: InitArgs) -> Result<()> {
    let interactive = !a.no_input && std::io::stdin().is_terminal();
    let tz_default = jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("America/New_York")
        .to_string();
    let name = answer(a.name, "--name", "Family name", None, interactive)?;
    let tz = answer(
        a.time_zone,
        "--time-zone",
        "Time zone",
        Some(&tz_default),
        interactive,
    )?;
    school::check_time_zone(&tz)?;
    let guardian = answer(
        a.guardian,
        "--guardian",
        "First guardian's name",
        None,
        interactive,
    )?;
    let hours = answer(
        a.guardian_hours,
        "--guardian-hours",
        "When can they teach",
        Some("mon-fri 08:00-15:00"),
        interactive,
    )?;
    let hours = WeeklyAvailability::parse("--guardian-hours", &hours)?;
    let today = ctx.today(None)?;
    let suggested = default_year(today);
    let (ys, ye) = (suggested.start.to_string(), suggested.end.to_string());
    let start = parse_date(
        "--year-start",
        &answer(
            a.year_start,
            "--year-start",
            "School year starts",
            Some(&ys),
            interactive,
        )?,
    )?;
    let end = parse_date(
        "--year-end",
        &answer(
            a.year_end,
            "--year-end",
            "School year ends",
            Some(&ye),
            interactive,
        )?,
    )?;
    let weekdays = Weekday::parse_set(
        "--weekdays",
        &answer(
            a.weekdays,
            "--weekdays",
            "School days",
            Some("mon-fri"),
            interactive,
        )?,
    )?;
    let store = ctx.store().await?;
    let family = init_school(
        &store,
        InitInput {
            family: NewFamily {
                name,
                time_zone: tz,
            },
            guardian: GuardianInput {
                name: guardian,
                email: None,
                availability: hours,
            },
            year: YearInput {
                name: year_name(start, end),
                start,
                end,
                weekdays,
                ..suggested
            },
        },
    )
    .await?;
    ctx.ui.note(&format!(
        "Created {} ({}). Next: `brightpath student add NAME --hours ...`, then courses.",
        family.name,
        short(&family.id)
    ));
    ctx.ui
        .emit(&family, &family_table(std::slice::from_ref(&family)))
}

fn family_table(families: &[brightpath_core::model::Family]) -> Table {
    let mut t = Table::new(&["id", "name", "time zone"]);
    for f in families {
        t.row(vec![
            short(&f.id).into(),
            f.name.clone(),
            f.time_zone.clone(),
        ]);
    }
    t
}

pub async fn family(ctx: &Ctx, c: FamilyCmd) -> Result<()> {
    let store = ctx.store().await?;
    match c {
        FamilyCmd::List => {
            let all = lists::families(&store).await?;
            ctx.ui.emit(&all, &family_table(&all))
        }
        FamilyCmd::Show => {
            let f = ctx.family(&store).await?;
            let o = overview(&store, &f).await?;
            let mut t = Table::new(&["what", "count"]);
            for (k, n) in [
                ("guardians", o.guardians.len()),
                ("students", o.students.len()),
                ("school years", o.years.len()),
                ("breaks", o.breaks.len()),
                ("courses", o.courses.len()),
                ("enrollments", o.enrollments.len()),
                ("fixed events", o.events.len()),
                (
                    "curriculum lessons",
                    o.lesson_counts.iter().map(|(_, n)| n).sum(),
                ),
            ] {
                t.row(vec![k.into(), n.to_string()]);
            }
            ctx.ui
                .say(&ctx.ui.heading(&format!("{} ({})", f.name, f.time_zone)));
            ctx.ui.emit(&o, &t)
        }
    }
}

fn student_table(list: &[brightpath_core::model::Student]) -> Table {
    let mut t = Table::new(&[
        "id",
        "name",
        "grade",
        "birth date",
        "hours",
        "max min/day",
        "version",
    ]);
    for s in list {
        t.row(vec![
            short(&s.id).into(),
            s.name.clone(),
            s.grade.clone().unwrap_or_default(),
            s.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            s.availability.to_string(),
            s.max_daily_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            s.version.to_string(),
        ]);
    }
    t
}

fn opt_date(field: &str, v: &Option<String>) -> brightpath_core::Result<Option<jiff::civil::Date>> {
    v.as_deref().map(|t| parse_date(field, t)).transpose()
}

pub async fn student(ctx: &Ctx, c: StudentCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        StudentCmd::List => {
            let list = lists::students(&store, &f.id).await?;
            ctx.ui.emit(&list, &student_table(&list))
        }
        StudentCmd::Add { name, fields } => {
            let hours = fields.hours.as_deref().ok_or_else(|| {
                Error::invalid("--hours", "is required")
                    .with_hint("e.g. --hours 'mon-fri 08:30-12:00,13:00-15:00'")
            })?;
            let s = add_student(
                &store,
                &f.id,
                StudentInput {
                    name,
                    birth_date: opt_date("--birth-date", &fields.birth_date)?,
                    grade: fields.grade,
                    availability: WeeklyAvailability::parse("--hours", hours)?,
                    max_daily_minutes: fields.max_daily_minutes,
                },
            )
            .await?;
            ctx.ui.note(&format!("Added {}.", s.name));
            ctx.ui.emit(&s, &student_table(std::slice::from_ref(&s)))
        }
        StudentCmd::Edit {
            student,
            rename,
            fields,
            if_version,
        } => {
            let s = edit_student(
                &store,
                &f.id,
                &student,
                StudentPatch {
                    name: rename,
                    birth_date: opt_date("--birth-date", &fields.birth_date)?,
                    grade: fields.grade,
                    availability: fields
                        .hours
                        .as_deref()
                        .map(|h| WeeklyAvailability::parse("--hours", h))
                        .transpose()?,
                    max_daily_minutes: fields.max_daily_minutes.map(Some),
                    expected_version: if_version,
                },
            )
            .await?;
            ctx.ui
                .note(&format!("Updated {} (version {}).", s.name, s.version));
            ctx.ui.emit(&s, &student_table(std::slice::from_ref(&s)))
        }
        StudentCmd::Remove { student } => {
            let s = remove_student(&store, &f.id, &student, None).await?;
            ctx.ui.note(&format!(
                "Removed {} and their enrollments and sessions.",
                s.name
            ));
            ctx.ui.emit(&s, &student_table(std::slice::from_ref(&s)))
        }
    }
}

fn guardian_table(list: &[brightpath_core::model::Guardian]) -> Table {
    let mut t = Table::new(&["id", "name", "email", "hours", "version"]);
    for g in list {
        t.row(vec![
            short(&g.id).into(),
            g.name.clone(),
            g.email.clone().unwrap_or_default(),
            g.availability.to_string(),
            g.version.to_string(),
        ]);
    }
    t
}

pub async fn guardian(ctx: &Ctx, c: GuardianCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        GuardianCmd::List => {
            let list = lists::guardians(&store, &f.id).await?;
            ctx.ui.emit(&list, &guardian_table(&list))
        }
        GuardianCmd::Add { name, email, hours } => {
            let g = add_guardian(
                &store,
                &f.id,
                GuardianInput {
                    name,
                    email,
                    availability: WeeklyAvailability::parse("--hours", &hours)?,
                },
            )
            .await?;
            ctx.ui.note(&format!("Added {}.", g.name));
            ctx.ui.emit(&g, &guardian_table(std::slice::from_ref(&g)))
        }
        GuardianCmd::Edit {
            guardian,
            rename,
            email,
            hours,
            if_version,
        } => {
            let g = edit_guardian(
                &store,
                &f.id,
                &guardian,
                GuardianPatch {
                    name: rename,
                    email,
                    availability: hours
                        .as_deref()
                        .map(|h| WeeklyAvailability::parse("--hours", h))
                        .transpose()?,
                    expected_version: if_version,
                },
            )
            .await?;
            ctx.ui
                .note(&format!("Updated {} (version {}).", g.name, g.version));
            ctx.ui.emit(&g, &guardian_table(std::slice::from_ref(&g)))
        }
        GuardianCmd::Remove { guardian } => {
            let g = remove_guardian(&store, &f.id, &guardian, None).await?;
            ctx.ui.note(&format!(
                "Removed {}; their courses are now independent work.",
                g.name
            ));
            ctx.ui.emit(&g, &guardian_table(std::slice::from_ref(&g)))
        }
    }
}

pub async fn exception(ctx: &Ctx, c: ExceptionCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        ExceptionCmd::Add {
            person,
            date,
            hours,
            off,
            note,
            no_replan,
        } => {
            let windows = if off {
                Vec::new()
            } else {
                parse_windows("--hours", hours.as_deref().unwrap_or_default())?
            };
            let opts = brightpath_core::services::planning::PlanOptions {
                actor: ctx.actor(),
                learning: ctx.learning(),
                ..Default::default()
            };
            let r = brightpath_core::services::progress::add_exception(
                &store,
                &f,
                &person,
                parse_date("--date", &date)?,
                windows,
                &note,
                !no_replan,
                &opts,
                ctx.today(Some(&f))?,
            )
            .await?;
            super::progress::say_rule(ctx, &r)
        }
        ExceptionCmd::List { from, to } => {
            let from = from
                .as_deref()
                .map(|d| parse_date("--from", d))
                .transpose()?
                .unwrap_or(jiff::civil::Date::MIN);
            let to = to
                .as_deref()
                .map(|d| parse_date("--to", d))
                .transpose()?
                .unwrap_or(jiff::civil::Date::MAX);
            let list = list_exceptions(&store, &f.id, from, to).await?;
            let mut t = Table::new(&["id", "date", "who", "free", "note"]);
            for e in &list {
                t.row(vec![
                    short(&e.id).to_string(),
                    e.date.to_string(),
                    e.person.clone(),
                    if e.windows.is_empty() {
                        "off".to_string()
                    } else {
                        e.windows
                            .iter()
                            .map(|w| w.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    e.note.clone(),
                ]);
            }
            ctx.ui.emit(&list, &t)
        }
        ExceptionCmd::Remove { id } => {
            remove_exception(&store, &f.id, &id).await?;
            ctx.ui.note(
                "Removed the exception. (`brightpath plan week` re-plans with the usual hours.)",
            );
            Ok(())
        }
    }
}

pub async fn coop(ctx: &Ctx, c: CoopCmd) -> Result<()> {
    use brightpath_core::services::coop;
    let store = ctx.store().await?;
    match c {
        CoopCmd::List => {
            let list = coop::list(&store).await?;
            let mut t = Table::new(&["id", "name", "time zone", "families", "admins"]);
            for c in &list {
                t.row(vec![
                    short(&c.coop.id).into(),
                    c.coop.name.clone(),
                    c.coop.time_zone.clone(),
                    c.families.join(", "),
                    c.admins.join(", "),
                ]);
            }
            ctx.ui.emit(&list, &t)
        }
        CoopCmd::Add { name, time_zone } => {
            let c = coop::create(&store, &name, &time_zone).await?;
            ctx.ui.note(&format!("Created the co-op {}.", c.name));
            ctx.ui.json_or_nothing(&c)
        }
        CoopCmd::Join { coop: key } => {
            let f = ctx.family(&store).await?;
            let c = coop::join(&store, &f, &key).await?;
            ctx.ui.note(&format!("{} is now in {}.", f.name, c.name));
            ctx.ui.json_or_nothing(&c)
        }
        CoopCmd::Leave => {
            let f = ctx.family(&store).await?;
            coop::leave(&store, &f).await?;
            ctx.ui.note(&format!("{} left its co-op.", f.name));
            Ok(())
        }
        CoopCmd::Classes { coop: key } => {
            let list = brightpath_core::services::roster::classes::classes(&store, &key).await?;
            let mut t = Table::new(&["class", "course", "meets", "teachers", "children"]);
            for c in &list {
                let meets: Vec<String> = c
                    .meetings
                    .iter()
                    .map(|m| {
                        let at = m
                            .place
                            .as_deref()
                            .map(|p| format!(", {p}"))
                            .unwrap_or_default();
                        format!("{} {}-{}{at}", m.day, m.start, m.end)
                    })
                    .collect();
                let children: Vec<String> = c
                    .students
                    .iter()
                    .map(|s| match &s.family {
                        Some(f) => format!("{} ({f})", s.name),
                        None => s.name.clone(),
                    })
                    .collect();
                t.row(vec![
                    c.title.clone(),
                    c.course.clone().unwrap_or_default(),
                    meets.join("; "),
                    c.teachers.join(", "),
                    children.join(", "),
                ]);
            }
            ctx.ui.emit(&list, &t)
        }
        CoopCmd::Admin {
            coop: key,
            name,
            email,
        } => {
            let a = coop::add_admin(&store, &key, &name, email).await?;
            ctx.ui.note(&format!("{} is an admin of {key}.", a.name));
            ctx.ui.json_or_nothing(&a)
        }
    }
}
