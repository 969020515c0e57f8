//! `brightpath import oneroster|csv` and `brightpath export oneroster`: a
//! co-op's roster in and out, with a progress bar for long imports and the
//! report as a table or JSON.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::services::roster::{self, Files, ImportOptions, ImportReport, Source};

use super::Ctx;
use crate::args::{ImportCmd, ImportTarget};
use crate::output::{Format, Table};

pub async fn import(ctx: &Ctx, c: ImportCmd) -> Result<()> {
    let (source, target) = match c {
        ImportCmd::Oneroster { path, target } => {
            if !path.exists() {
                return Err(Error::not_found("roster", path.display().to_string())
                    .with_hint("give the folder that holds manifest.csv, or a zip of it")
                    .into());
            }
            (Source::Path(path), target)
        }
        ImportCmd::Csv { files, target } => (Source::Files(templates(&files)?), target),
    };
    run(ctx, &source, &target).await
}

/// BrightPath's templates by their header, whatever the files are called.
fn templates(paths: &[std::path::PathBuf]) -> Result<Files> {
    let mut files = Files::default();
    for p in paths {
        if !p.is_file() {
            return Err(Error::not_found("file", p.display().to_string()).into());
        }
        let bytes =
            std::fs::read(p).map_err(|e| Error::Io(format!("cannot read {}: {e}", p.display())))?;
        let text = String::from_utf8_lossy(&bytes);
        let header = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = if header.starts_with("classsourcedid") {
            "class_meetings.csv"
        } else if header.starts_with("usersourcedid") {
            "family_time_zones.csv"
        } else {
            return Err(Error::invalid(p.display().to_string(), "is not a BrightPath roster template")
                .with_hint("class meetings start classSourcedId,day,start,end,place; time zones userSourcedId,timeZone")
                .into());
        };
        if files.files.insert(name.into(), bytes).is_some() {
            return Err(
                Error::invalid(p.display().to_string(), format!("is a second {name}"))
                    .with_hint("give each template once")
                    .into(),
            );
        }
    }
    Ok(files)
}

fn progress_bar(ctx: &Ctx) -> Option<indicatif::ProgressBar> {
    let show = ctx.ui.format == Format::Human
        && !ctx.ui.quiet
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    show.then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>12} {bar:40} {pos}/{len} {elapsed_precise}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    })
}

async fn run(ctx: &Ctx, source: &Source, target: &ImportTarget) -> Result<()> {
    let store = ctx.store().await?;
    let bar = progress_bar(ctx);
    let b = bar.clone();
    let options = ImportOptions {
        dry_run: target.dry_run,
        today: ctx.config.settings.today,
        progress: Arc::new(move |stage: &str, done, total| {
            if let Some(b) = &b {
                b.set_message(stage.to_string());
                b.set_length(total);
                b.set_position(done);
            }
        }),
        ..Default::default()
    };
    let report = roster::import(&store, &target.coop, source, &options).await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = report?;
    if ctx.ui.format == Format::Json {
        ctx.ui.json(&report)?;
    } else {
        show(ctx, &report);
    }
    report.into_result()?;
    Ok(())
}

fn show(ctx: &Ctx, r: &ImportReport) {
    let ui = &ctx.ui;
    if r.refused() {
        let mut t = Table::new(&["file", "line", "column", "problem", "fix"]);
        for p in &r.problems {
            t.row(vec![
                p.file.clone(),
                if p.line == 0 {
                    String::new()
                } else {
                    p.line.to_string()
                },
                p.column.clone().unwrap_or_default(),
                p.message.clone(),
                p.fix.clone(),
            ]);
        }
        ui.table(&t);
        return;
    }
    let mut t = Table::new(&["records", "created", "updated", "unchanged", "removed"]);
    for (kind, d) in &r.changes {
        t.row(vec![
            kind.clone(),
            d.totals.created.to_string(),
            d.totals.updated.to_string(),
            d.unchanged.to_string(),
            d.totals.removed.to_string(),
        ]);
    }
    ui.table(&t);
    if r.dry_run {
        for (kind, d) in &r.changes {
            for (what, items, total) in [
                ("create", &d.created, d.totals.created),
                ("update", &d.updated, d.totals.updated),
                ("remove", &d.removed, d.totals.removed),
            ] {
                if items.is_empty() {
                    continue;
                }
                let more = if total > 10 {
                    format!(" and {} more", total - 10)
                } else {
                    String::new()
                };
                let shown: Vec<&str> = items.iter().take(10).map(String::as_str).collect();
                ui.say(&format!("would {what} {kind}: {}{more}", shown.join(", ")));
            }
        }
    }
    for w in &r.warnings {
        ui.note(&format!("warning: {w}"));
    }
    for p in &r.replanned {
        match &p.error {
            None => ui.note(&format!(
                "re-planned {} for the week of {}",
                p.family, p.week
            )),
            Some(e) => ui.note(&format!(
                "could not re-plan {} for the week of {}: {e}",
                p.family, p.week
            )),
        }
    }
    let verdict = match (r.dry_run, r.changed()) {
        (true, _) => "dry run: nothing was written",
        (false, true) => "imported",
        (false, false) => "nothing changed",
    };
    ui.note(&format!("{}: {verdict}", r.coop));
}

pub async fn export(ctx: &Ctx, coop: &str, output: &Path) -> Result<()> {
    let store = ctx.store().await?;
    let bytes = roster::export(&store, coop).await?;
    std::fs::write(output, &bytes)
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", output.display())))?;
    ctx.ui.json_or_nothing(&serde_json::json!({"coop": coop, "output": output.display().to_string(), "bytes": bytes.len()}))?;
    ctx.ui.note(&format!(
        "wrote {} ({} bytes)",
        output.display(),
        bytes.len()
    ));
    Ok(())
}
