//! plan solve, plan week, plan show, and today.

use std::io::Read;

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{parse_date, parse_week, planning_week};
use brightpath_core::planner;
use brightpath_core::services::{lists, planning, view};

use super::Ctx;
use crate::args::{EffortArg, PlanCmd, TodayArgs};
use crate::output::{Failed, Format, Table};
use crate::render;

fn read_input(path: &str) -> Result<String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::invalid("--input", format!("cannot read standard input: {e}")))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| Error::invalid("--input", format!("cannot read {path}: {e}")))?;
    }
    Ok(text)
}

/// Writes beside the target and renames, so a reader never sees half a plan.
fn write_output(path: &str, text: &str) -> Result<()> {
    if path == "-" {
        crate::output::out(text);
        return Ok(());
    }
    let tmp = format!("{path}.tmp-{}", std::process::id());
    std::fs::write(&tmp, text)
        .map_err(|e| Error::invalid("--output", format!("cannot write {path}: {e}")))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| Error::invalid("--output", format!("cannot write {path}: {e}")))?;
    Ok(())
}

pub async fn plan(ctx: &Ctx, c: PlanCmd) -> Result<()> {
    match c {
        PlanCmd::Solve {
            input,
            output,
            seed,
            time_limit,
        } => {
            let text = read_input(&input)?;
            let req = brightpath_core::planner::parse_request(&text).map_err(|e| {
                Error::invalid(
                    if input == "-" {
                        "request"
                    } else {
                        input.as_str()
                    },
                    e.to_string(),
                )
                .with_hint("the format is in docs/planner.md; nothing was written")
            })?;
            let opts = brightpath_core::planner::SolveOptions {
                seed,
                time_limit,
                ..Default::default()
            };
            // The user's own request file: a refusal is their input, not a bug.
            let plan = brightpath_core::planner::solve(&req, &opts)
                .map_err(|e| Error::invalid("request", e.to_string()))?;
            let mut json = plan.to_json();
            if !json.ends_with('\n') {
                json.push('\n');
            }
            write_output(&output, &json)?;
            if output != "-" {
                ctx.ui.note(&format!(
                    "Wrote {output}: score {}, {} sessions, {} lessons short.",
                    plan.score.total,
                    plan.sessions.len(),
                    plan.unscheduled.len()
                ));
            }
            Ok(())
        }
        PlanCmd::Week {
            week,
            all,
            dry_run,
            seed,
            time_limit,
            concurrency,
            effort,
        } => {
            let store = ctx.store().await?;
            let opts = planning::PlanOptions {
                seed,
                time_limit,
                dry_run,
                actor: ctx.actor(),
                from: None,
                today: Some(ctx.today(None)?),
                effort: match effort {
                    Some(EffortArg::Batch) => planner::Effort::Batch,
                    Some(EffortArg::Interactive) => planner::Effort::Interactive,
                    None => planning::default_effort(all),
                },
                learning: ctx.learning(),
            };
            if all {
                let today = ctx.today(None)?;
                let week = match week {
                    Some(w) => parse_week("--week", &w)?,
                    None => planning_week(today),
                };
                return plan_all(ctx, &store, week, &opts, concurrency).await;
            }
            let family = ctx.family(&store).await?;
            let week = match week {
                Some(w) => parse_week("--week", &w)?,
                None => planning_week(ctx.today(Some(&family))?),
            };
            let opts = planning::PlanOptions {
                today: Some(ctx.today(Some(&family))?),
                ..opts
            };
            let outcome = planning::plan_week(&store, &family, week, &opts).await?;
            if ctx.ui.format == Format::Human {
                let verb = if dry_run { "Would plan" } else { "Planned" };
                ctx.ui.say(&format!(
                    "{verb} the week of {} for {}: {} sessions ({} kept as they were), score {}.",
                    outcome.week_start,
                    outcome.family,
                    outcome.planned,
                    outcome.kept,
                    outcome.score.total
                ));
                if dry_run {
                    if outcome.diff.is_empty() {
                        ctx.ui.say("No session would change.");
                    }
                    for l in &outcome.diff {
                        ctx.ui.say(&format!("  {l}"));
                    }
                    ctx.ui.say(&format!(
                        "(dry run: {} open sessions would be re-planned, {} lines of change; nothing saved)",
                        outcome.replaced,
                        outcome.diff.len()
                    ));
                } else {
                    let v = view::load_week(&store, &family, week).await?;
                    render::week(&ctx.ui, &v, None);
                }
                Ok(())
            } else {
                let mut t = Table::new(&["course", "students", "missing", "why"]);
                for u in &outcome.unscheduled {
                    t.row(vec![
                        u.course.clone(),
                        u.students.join(", "),
                        u.missing.to_string(),
                        u.reason.clone(),
                    ]);
                }
                ctx.ui.emit(&outcome, &t)
            }
        }
        PlanCmd::Show { week, student } => {
            let store = ctx.store().await?;
            let family = ctx.family(&store).await?;
            let week = match week {
                Some(w) => parse_week("--week", &w)?,
                None => planning_week(ctx.today(Some(&family))?),
            };
            let v = view::load_week(&store, &family, week).await?;
            let only = match &student {
                Some(k) => Some(lists::find_student(&store, &family.id, k).await?.id),
                None => None,
            };
            match ctx.ui.format {
                Format::Json => ctx.ui.json(&v),
                Format::Csv => {
                    // One row per session and child, with that child's
                    // rating (a planned session: the session's figures).
                    let mut t = Table::new(&[
                        "date",
                        "start",
                        "end",
                        "course",
                        "lesson",
                        "students",
                        "student",
                        "teacher",
                        "status",
                        "pinned",
                        "id",
                        "minutes",
                        "actual minutes",
                        "engagement",
                        "difficulty",
                        "grade",
                        "note",
                    ]);
                    for s in &v.sessions {
                        for (i, child) in s.student_ids.iter().enumerate() {
                            if only.as_ref().is_some_and(|id| id != child) {
                                continue;
                            }
                            let r = s.ratings.iter().find(|r| r.student_id == *child);
                            t.row(vec![
                                s.date.to_string(),
                                s.start.to_string(),
                                s.end.to_string(),
                                s.course.clone(),
                                s.lesson.clone().unwrap_or_default(),
                                s.students.join(";"),
                                s.students.get(i).cloned().unwrap_or_default(),
                                s.teacher.clone().unwrap_or_default(),
                                s.status.as_str().into(),
                                s.pinned.to_string(),
                                s.id.clone(),
                                s.minutes.to_string(),
                                opt(r.map_or(s.actual_minutes, |r| r.actual_minutes)),
                                opt(r.map_or(s.engagement, |r| r.engagement)),
                                opt(r.map_or(s.difficulty, |r| r.difficulty)),
                                s.grade.clone().unwrap_or_default(),
                                r.map_or(s.note.clone(), |r| r.note.clone())
                                    .unwrap_or_default(),
                            ]);
                        }
                    }
                    ctx.ui.csv(&t)
                }
                Format::Human => {
                    render::week(&ctx.ui, &v, only.as_deref());
                    Ok(())
                }
            }
        }
    }
}

async fn plan_all(
    ctx: &Ctx,
    store: &brightpath_core::Store,
    week: jiff::civil::Date,
    opts: &planning::PlanOptions,
    concurrency: Option<usize>,
) -> Result<()> {
    let n = concurrency.unwrap_or_else(planning::default_concurrency);
    let bar = if ctx.ui.format == Format::Human
        && !ctx.ui.quiet
        && std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} families {elapsed_precise} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let b2 = bar.clone();
    let started = std::time::Instant::now();
    let results = planning::plan_all(store, week, opts, n, move |done, total| {
        if let Some(b) = &b2 {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    })
    .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    let skipped = results.iter().filter(|r| r.skipped.is_some()).count();
    let mut t = Table::new(&["family", "result", "sessions", "kept", "short", "score"]);
    for r in &results {
        let (result, figures) = match (&r.outcome, &r.skipped) {
            (Some(o), _) => {
                let short: i64 = o.unscheduled.iter().map(|u| u.missing).sum();
                let figures = vec![
                    o.planned.to_string(),
                    o.kept.to_string(),
                    short.to_string(),
                    o.score.total.to_string(),
                ];
                ("planned".to_string(), figures)
            }
            (None, Some(why)) => (format!("skipped: {why}"), vec![String::new(); 4]),
            (None, None) => {
                let why = r.error.as_deref().unwrap_or("");
                (format!("failed: {why}"), vec![String::new(); 4])
            }
        };
        let mut row = vec![r.family.clone(), result];
        row.extend(figures);
        t.row(row);
    }
    ctx.ui.emit(&results, &t)?;
    let skipped_note = if skipped > 0 {
        format!(" ({skipped} with no school year that week, skipped)")
    } else {
        String::new()
    };
    ctx.ui.note(&format!(
        "Planned {} of {} families{skipped_note} for the week of {week} in {:.1} s.",
        results.len() - failed - skipped,
        results.len(),
        started.elapsed().as_secs_f64()
    ));
    if failed > 0 {
        return Err(Failed(format!(
            "{failed} of {} families could not be planned (see the table)",
            results.len()
        ))
        .into());
    }
    Ok(())
}

pub async fn today(ctx: &Ctx, a: TodayArgs) -> Result<()> {
    let store = ctx.store().await?;
    let family = ctx.family(&store).await?;
    let date = match a.date {
        Some(d) => parse_date("--date", &d)?,
        None => ctx.today(Some(&family))?,
    };
    let v = view::load_week(&store, &family, date).await?;
    let agendas = view::agenda(&v, date);
    match ctx.ui.format {
        Format::Human => {
            render::agenda(&ctx.ui, date, &agendas);
            Ok(())
        }
        _ => {
            let mut t = Table::new(&[
                "student", "start", "end", "title", "detail", "status", "teacher", "id",
            ]);
            for ag in &agendas {
                for i in &ag.items {
                    t.row(vec![
                        ag.student.name.clone(),
                        i.start.to_string(),
                        i.end.to_string(),
                        i.title.clone(),
                        i.detail.clone(),
                        i.status
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_else(|| "event".into()),
                        i.teacher.clone().unwrap_or_default(),
                        i.session_id.clone().unwrap_or_default(),
                    ]);
                }
            }
            ctx.ui.emit(&agendas, &t)
        }
    }
}

/// An optional figure as a CSV cell (empty when not recorded).
fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}
