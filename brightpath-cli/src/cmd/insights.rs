//! insights: what the family's feedback teaches (brightpath-learn on the
//! family's marked sessions): learned lengths, best hours, suggestions.

use anyhow::Result;
use brightpath_core::config::Learning;
use brightpath_core::services::lists;
use brightpath_learn::{Choice, Daypart, Evaluation, Insights};
use brightpath_server::learning::{TrainOptions, train_family};

use super::Ctx;
use crate::args::InsightsArgs;
use crate::output::{Format, Table};

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

fn source(ev: &Evaluation) -> String {
    let what = match ev.choice {
        Choice::Model => "model",
        Choice::Baseline => "averages",
    };
    format!("{what}: {}", ev.reason)
}

fn lengths_table(i: &Insights) -> Table {
    let mut t = Table::new(&[
        "child",
        "course",
        "lessons",
        "planned",
        "mean ± se",
        "learned",
        "suggest",
    ]);
    for c in &i.course_lengths {
        t.row(vec![
            c.child.clone(),
            c.course.clone(),
            c.n.to_string(),
            format!("{:.0}", c.planned),
            if c.std_error.is_finite() {
                format!("{:.1} ± {:.1}", c.mean_minutes, c.std_error)
            } else {
                format!("{:.1}", c.mean_minutes)
            },
            format!("{:.1}", c.learned_minutes),
            c.suggested_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ]);
    }
    t
}

pub async fn insights(ctx: &Ctx, a: InsightsArgs) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let data = lists::feedback(&store, &f.id).await?;
    let mut learned =
        brightpath_learn::insights(&data.sessions, &data.ratings, &data.students, &data.courses);
    if a.train {
        // Asked for: trained whatever the setting, and recorded for MLflow
        // as the job's runs are.
        let mut opts = TrainOptions::from_settings(&ctx.config.settings);
        opts.learning = Learning::Apply;
        let r = train_family(&store, &f, &opts, &jiff::Timestamp::now().to_string()).await?;
        let note = match r["version"].as_i64() {
            Some(v) => format!(
                "Kept learned model version {v}: {} lesson length(s), {} best-hours rule(s), from {} lessons{}.{}",
                r["lengths"],
                r["hours"],
                r["rows"],
                r["mlflow_run"]
                    .as_str()
                    .map(|id| format!(" (MLflow run {id})"))
                    .unwrap_or_default(),
                if ctx.learning() == Learning::Apply {
                    " The planner uses it (learning = apply)."
                } else {
                    " The planner uses it with the setting learning = apply."
                }
            ),
            None => format!(
                "Nothing trained: {}.",
                r["reason"].as_str().unwrap_or("nothing new")
            ),
        };
        ctx.ui.note(&note);
    }
    if let Some(s) = &a.student {
        let name = lists::find_student(&store, &f.id, s).await?.name;
        learned = learned.for_child(&name);
    }
    let lengths = lengths_table(&learned);
    if ctx.ui.format != Format::Human {
        return ctx.ui.emit(&learned, &lengths);
    }
    let ui = &ctx.ui;
    ui.say(&ui.heading("Lesson lengths (minutes)"));
    ui.say(&ui.dim(&source(&learned.lengths)));
    ui.table(&lengths);

    let mut parts = Table::new(&["child", "before 10:00", "10:00-12:00", "from 12:00"]);
    let mut children: Vec<&str> = learned
        .daypart_lengths
        .iter()
        .map(|d| d.child.as_str())
        .collect();
    children.dedup();
    for child in children {
        let mut row = vec![child.to_string()];
        for p in Daypart::ALL {
            let d = learned
                .daypart_lengths
                .iter()
                .find(|d| d.child == child && d.daypart == p);
            row.push(
                opt(
                    d.and_then(|d| d.predicted_ratio.or(d.observed_ratio))
                        .map(|r| r * 100.0),
                    0,
                ) + " %",
            );
        }
        parts.row(row);
    }
    ui.say(&ui.heading("Actual against planned length by time of day"));
    ui.table(&parts);

    let mut hours = Table::new(&[
        "child",
        "subject",
        "before 10:00",
        "10:00-12:00",
        "from 12:00",
        "best",
    ]);
    for b in &learned.best_hours {
        let mut row = vec![b.child.clone(), b.subject.clone()];
        for p in &b.parts {
            row.push(format!(
                "{} (n={})",
                opt(p.predicted.or(p.observed), 1),
                p.n
            ));
        }
        row.push(b.best.map(|d| d.as_str().to_string()).unwrap_or_default());
        hours.row(row);
    }
    ui.say(&ui.heading("Engagement (1-5) by time of day"));
    ui.say(&ui.dim(&source(&learned.engagement)));
    ui.table(&hours);

    if !learned.suggestions.is_empty() {
        ui.say(&ui.heading("Suggestions"));
        for s in &learned.suggestions {
            ui.say(&format!("  {s}"));
        }
    }
    let c = &learned.cleaning;
    ui.say(&ui.dim(&format!(
        "From {} lessons; set aside: {} absurd lengths, {} without feedback, {} partly done, {} bad engagement marks, {} skipped with feedback.",
        c.rows, c.absurd_minutes, c.without_feedback, c.partial, c.bad_engagement, c.void_with_feedback
    )));
    Ok(())
}
