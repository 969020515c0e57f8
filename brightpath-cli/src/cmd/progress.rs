//! done, skip, move, pin, undo, history, catch-up, day-off, why, progress,
//! report and export: the plan during the week, and the records.

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{Clock, parse_date, parse_week};
use brightpath_core::model::{BreakKind, Family, short};
use brightpath_core::services::{history, ics, lists, pacing, planning, progress, records};

use super::Ctx;
use crate::args::*;
use crate::output::{Format, Table};

fn selector(ctx: &Ctx, family: &Family, a: &SelectArgs) -> Result<progress::Selector> {
    let date = match (&a.date, a.today) {
        (Some(d), _) => Some(parse_date("--date", d)?),
        (None, true) => Some(ctx.today(Some(family))?),
        _ => None,
    };
    let week = a
        .week
        .as_deref()
        .map(|w| parse_week("--week", w))
        .transpose()?;
    if a.sessions.is_empty() && date.is_none() && week.is_none() {
        return Err(Error::invalid("sessions", "none chosen")
            .with_hint("name session ids, or use --today, --date D or --week W (with --student)")
            .into());
    }
    let versions = match (a.if_version, a.sessions.as_slice()) {
        (None, _) => Vec::new(),
        (Some(v), [one]) if date.is_none() && week.is_none() => vec![(one.clone(), v)],
        (Some(_), _) => {
            return Err(Error::invalid(
                "--if-version",
                "goes with exactly one session id (and no --date, --today or --week)",
            )
            .into());
        }
    };
    Ok(progress::Selector {
        ids: a.sessions.clone(),
        date,
        week,
        student: a.student.clone(),
        versions,
    })
}

fn kind(k: BreakKindArg) -> BreakKind {
    match k {
        BreakKindArg::Break => BreakKind::Break,
        BreakKindArg::Holiday => BreakKind::Holiday,
        BreakKindArg::Sick => BreakKind::Sick,
    }
}

fn say_change(ctx: &Ctx, c: &progress::ChangeSummary) -> Result<()> {
    ctx.ui.note(&format!(
        "{}. (`brightpath undo` reverses it.)",
        brightpath_core::model::capitalize(&c.message)
    ));
    if ctx.ui.format == Format::Json {
        ctx.ui.json(c)?;
    }
    Ok(())
}

/// Reports a rule added (an event, an exception): what was re-planned, and
/// what still clashes.
pub fn say_rule<T: serde::Serialize>(ctx: &Ctx, r: &progress::RuleOutcome<T>) -> Result<()> {
    if ctx.ui.format == Format::Json {
        return ctx.ui.json(r);
    }
    ctx.ui.note(&format!(
        "{}.",
        brightpath_core::model::capitalize(&r.message)
    ));
    for o in &r.outcomes {
        for l in &o.diff {
            ctx.ui.say(&format!("  {l}"));
        }
    }
    for c in &r.clashes {
        ctx.ui.say(&format!(
            "  ! {} ({}): {}",
            c.what,
            short(&c.session),
            c.why
        ));
    }
    if !r.clashes.is_empty() {
        ctx.ui.note(
            "`brightpath plan week` re-plans around it; pinned sessions stay where they are.",
        );
    }
    Ok(())
}

fn show_diff(ctx: &Ctx, outcomes: &[planning::PlanOutcome]) -> Result<()> {
    if ctx.ui.format == Format::Json {
        return ctx.ui.json(&outcomes);
    }
    for o in outcomes {
        if o.diff.is_empty() {
            ctx.ui
                .say(&format!("Week of {}: no sessions move.", o.week_start));
        } else {
            ctx.ui.say(&format!(
                "Week of {} (score {}):",
                o.week_start, o.score.total
            ));
            for l in &o.diff {
                ctx.ui.say(&format!("  {l}"));
            }
        }
        for u in &o.unscheduled {
            ctx.ui.say(&format!(
                "  ! {} ({}): {} short — {}",
                u.course,
                u.students.join(", "),
                u.missing,
                u.reason
            ));
        }
    }
    Ok(())
}

pub async fn done(ctx: &Ctx, a: DoneArgs) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let sel = selector(ctx, &f, &a.select)?;
    let rated =
        a.minutes.is_some() || a.engagement.is_some() || a.difficulty.is_some() || a.note.is_some();
    let input = match a.select.student.clone() {
        // One child's own rating: of a group lesson, that child's alone.
        Some(student) if rated => progress::DoneInput {
            grade: a.grade,
            partial: a.partial,
            ratings: vec![progress::RatingInput {
                student,
                actual_minutes: a.minutes,
                engagement: a.engagement,
                difficulty: a.difficulty,
                note: a.note,
            }],
            ..Default::default()
        },
        _ => progress::DoneInput {
            actual_minutes: a.minutes,
            grade: a.grade,
            note: a.note,
            engagement: a.engagement,
            difficulty: a.difficulty,
            partial: a.partial,
            ratings: Vec::new(),
        },
    };
    let c = progress::mark_done(&store, &f, &sel, input, &ctx.actor(), ctx.today(Some(&f))?)
        .await
        .map_err(as_flags)?;
    say_change(ctx, &c)?;
    if let Some(note) = super::train_after::after_marks(&ctx.config.settings, &store, &f).await {
        ctx.ui.note(&note);
    }
    Ok(())
}

/// The CLI's one rating is `ratings[0]` to core: its errors name the flags.
fn as_flags(e: Error) -> Error {
    match e {
        Error::Invalid {
            field,
            message,
            hint,
            remedy,
        } => Error::Invalid {
            field: field
                .strip_prefix("ratings[0].")
                .map_or(field.clone(), str::to_string),
            message,
            hint,
            remedy,
        },
        other => other,
    }
}

pub async fn skip(ctx: &Ctx, select: SelectArgs, reason: String) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let sel = selector(ctx, &f, &select)?;
    let c = progress::skip(
        &store,
        &f,
        &sel,
        &reason,
        &ctx.actor(),
        ctx.today(Some(&f))?,
    )
    .await?;
    say_change(ctx, &c)
}

pub async fn move_to(
    ctx: &Ctx,
    session: String,
    to: String,
    at: String,
    if_version: Option<i64>,
) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let (date, start) = (parse_date("--to", &to)?, Clock::parse("--at", &at)?);
    let c = progress::move_session(
        &store,
        &f,
        &session,
        date,
        start,
        if_version,
        &ctx.actor(),
        ctx.today(Some(&f))?,
    )
    .await?;
    say_change(ctx, &c)
}

pub async fn pin(ctx: &Ctx, session: String, if_version: Option<i64>, pinned: bool) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let c = progress::set_pinned(
        &store,
        &f,
        &session,
        if_version,
        pinned,
        &ctx.actor(),
        ctx.today(Some(&f))?,
    )
    .await?;
    say_change(ctx, &c)
}

pub async fn undo(ctx: &Ctx, force: bool) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let c = progress::undo(&store, &f, &ctx.actor(), force, ctx.today(Some(&f))?).await?;
    ctx.ui.note(&brightpath_core::model::capitalize(&c.message));
    if ctx.ui.format == Format::Json {
        ctx.ui.json(&c)?;
    }
    Ok(())
}

pub async fn history(ctx: &Ctx, limit: i64) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let list = history::list(&store, &f, limit).await?;
    let mut t = Table::new(&["when", "who", "what", "undone"]);
    for c in &list {
        t.row(vec![
            c.at.chars().take(19).collect::<String>().replace('T', " "),
            c.actor.clone(),
            c.summary.clone(),
            if c.undone { "yes" } else { "" }.into(),
        ]);
    }
    let json: Vec<serde_json::Value> = list
        .iter()
        .map(|c| serde_json::json!({"id": c.id, "at": c.at, "actor": c.actor, "kind": c.kind, "summary": c.summary, "undone": c.undone}))
        .collect();
    ctx.ui.emit(&json, &t)
}

pub async fn catch_up(ctx: &Ctx, dry_run: bool) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let opts = planning::PlanOptions {
        dry_run,
        actor: ctx.actor(),
        learning: ctx.learning(),
        ..Default::default()
    };
    let (c, outcome) = progress::catch_up(&store, &f, ctx.today(Some(&f))?, &opts).await?;
    if dry_run {
        ctx.ui
            .note("Dry run: nothing is saved. The rest of the week would change like this:");
    } else {
        ctx.ui.note(&brightpath_core::model::capitalize(&c.message));
    }
    show_diff(ctx, std::slice::from_ref(&outcome))
}

#[allow(clippy::too_many_arguments)]
pub async fn day_off(
    ctx: &Ctx,
    start: String,
    end: Option<String>,
    k: BreakKindArg,
    name: Option<String>,
    students: Vec<String>,
    dry_run: bool,
) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let start = parse_date("--start", &start)?;
    let end = end
        .as_deref()
        .map(|e| parse_date("--end", e))
        .transpose()?
        .unwrap_or(start);
    let kind = kind(k);
    let name = name.unwrap_or_else(|| progress::default_break_name(kind, &students));
    let opts = planning::PlanOptions {
        dry_run,
        actor: ctx.actor(),
        learning: ctx.learning(),
        ..Default::default()
    };
    let (c, outcomes) = progress::day_off(
        &store,
        &f,
        start,
        end,
        &students,
        kind,
        &name,
        &opts,
        ctx.today(Some(&f))?,
    )
    .await?;
    if dry_run {
        ctx.ui
            .note("Dry run: nothing is saved. The plan would change like this:");
    } else {
        ctx.ui.note(&brightpath_core::model::capitalize(&c.message));
    }
    show_diff(ctx, &outcomes)
}

pub async fn why(ctx: &Ctx, session: String) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let e = pacing::explain(&store, &f, &session).await?;
    if ctx.ui.format == Format::Json {
        return ctx.ui.json(&e);
    }
    for (i, l) in e.lines.iter().enumerate() {
        ctx.ui.say(&if i == 0 {
            ctx.ui.heading(l)
        } else {
            format!("  • {l}")
        });
    }
    Ok(())
}

pub async fn progress(ctx: &Ctx, student: Option<String>) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let today = ctx.today(Some(&f))?;
    let mut list = pacing::pacing(&store, &f, today).await?;
    if let Some(s) = &student {
        let name = lists::find_student(&store, &f.id, s).await?.name;
        list.retain(|p| p.student == name);
    }
    let report = records::progress_report(&f.name, today, &list);
    let mut t = Table {
        headers: report.headers.clone(),
        rows: Vec::new(),
    };
    for (_, rows) in &report.sections {
        t.rows.extend(rows.iter().cloned());
    }
    ctx.ui.emit(&list, &t)
}

pub async fn report(ctx: &Ctx, a: ReportArgs) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let today = ctx.today(Some(&f))?;
    let scope = records::ReportScope {
        from: a
            .from
            .as_deref()
            .map(|d| parse_date("--from", d))
            .transpose()?,
        to: a.to.as_deref().map(|d| parse_date("--to", d)).transpose()?,
        students: a.student.clone(),
        rule: records::AttendanceRule {
            min_minutes: a.min_minutes,
        },
    };
    let kind = match a.kind {
        ReportKind::Attendance => records::ReportKind::Attendance,
        ReportKind::Hours => records::ReportKind::Hours,
        ReportKind::Progress => records::ReportKind::Progress,
    };
    let (report, json) = records::report(&store, &f, kind, &scope, today).await?;
    let format = match (a.format, ctx.ui.format) {
        (ReportFormat::Table, Format::Json) => ReportFormat::Json,
        (ReportFormat::Table, Format::Csv) => ReportFormat::Csv,
        (f, _) => f,
    };
    let text = match format {
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&json)?),
        ReportFormat::Csv => records::to_csv(&report),
        ReportFormat::Md => records::to_markdown(&report),
        ReportFormat::Html => records::to_html(&report, &today.to_string()),
        ReportFormat::Table => {
            let mut t = Table {
                headers: report.headers.clone(),
                rows: Vec::new(),
            };
            for (_, rows) in &report.sections {
                t.rows.extend(rows.iter().cloned());
            }
            let title = format!("{} — {} ({})", report.title, f.name, report.period);
            if a.output.is_none() {
                ctx.ui.say(&ctx.ui.heading(&title));
                ctx.ui.table(&t);
                return Ok(());
            }
            // A file gets the same table as the screen, as plain text.
            format!("{title}\n\n{}", t.render(true))
        }
    };
    write_or_print(ctx, a.output.as_deref(), &text)
}

fn write_or_print(ctx: &Ctx, output: Option<&std::path::Path>, text: &str) -> Result<()> {
    match output {
        None => {
            crate::output::out(text);
            Ok(())
        }
        Some(p) => {
            let tmp = p.with_extension(format!("tmp-{}", std::process::id()));
            std::fs::write(&tmp, text)
                .and_then(|_| std::fs::rename(&tmp, p))
                .map_err(|e| {
                    Error::invalid("--output", format!("cannot write {}: {e}", p.display()))
                })?;
            ctx.ui.note(&format!("Wrote {}.", p.display()));
            Ok(())
        }
    }
}

pub async fn export(ctx: &Ctx, c: ExportCmd) -> Result<()> {
    let (student, from, to, output) = match c {
        ExportCmd::Ics {
            student,
            from,
            to,
            output,
        } => (student, from, to, output),
        ExportCmd::Feedback {
            student,
            from,
            to,
            format,
            output,
        } => return export_feedback(ctx, student, from, to, format, output).await,
        ExportCmd::Oneroster { .. } => {
            return Err(Error::Internal("the roster export is dispatched elsewhere".into()).into());
        }
    };
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let today = ctx.today(Some(&f))?;
    let years = lists::years(&store, &f.id).await?;
    let from = from
        .as_deref()
        .map(|d| parse_date("--from", d))
        .transpose()?
        .unwrap_or_else(|| brightpath_core::services::school::report_start(&years, today));
    let to = to
        .as_deref()
        .map(|d| parse_date("--to", d))
        .transpose()?
        .unwrap_or_else(|| brightpath_core::services::school::export_end(&years, today));
    let cal = ics::export(&store, &f, from, to, &student, jiff::Timestamp::now()).await?;
    write_or_print(ctx, output.as_deref(), &cal)
}

async fn export_feedback(
    ctx: &Ctx,
    student: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: FeedbackFormat,
    output: Option<std::path::PathBuf>,
) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let today = ctx.today(Some(&f))?;
    let years = lists::years(&store, &f.id).await?;
    let from = match from {
        Some(d) => parse_date("--from", &d)?,
        None => brightpath_core::services::school::report_start(&years, today),
    };
    let to = match to {
        Some(d) => parse_date("--to", &d)?,
        None => brightpath_core::services::school::export_end(&years, today),
    };
    let rows = lists::feedback_rows(&store, &f.id, from, to, student.as_deref()).await?;
    let text = match format {
        FeedbackFormat::Json => format!("{}\n", serde_json::to_string_pretty(&rows)?),
        FeedbackFormat::Csv => feedback_csv(&rows)?,
    };
    write_or_print(ctx, output.as_deref(), &text)
}

fn feedback_csv(rows: &[lists::FeedbackRow]) -> Result<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "session_id",
        "date",
        "start",
        "student",
        "course",
        "subject",
        "status",
        "planned_minutes",
        "actual_minutes",
        "engagement",
        "difficulty",
        "grade",
        "note",
        "children",
        "marked_at",
    ])?;
    for r in rows {
        w.write_record([
            r.session_id.clone(),
            r.date.to_string(),
            r.start.to_string(),
            r.student.clone(),
            r.course.clone(),
            r.subject.clone(),
            r.status.as_str().to_string(),
            r.planned_minutes.to_string(),
            opt(r.actual_minutes.map(|m| m.to_string())),
            opt(r.engagement.map(|m| m.to_string())),
            opt(r.difficulty.map(|m| m.to_string())),
            opt(r.grade.clone()),
            opt(r.note.clone()),
            r.children.to_string(),
            opt(r.marked_at.clone()),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
