//! demo, db, config and completions.

use anyhow::Result;
use brightpath_core::calendar::planning_week;
use brightpath_core::config::Source;
use brightpath_core::services::{demo as demo_service, planning, view};
use brightpath_core::store::redact_url;
use brightpath_core::{Error, Store};
use clap::CommandFactory;

use super::Ctx;
use crate::args::{Cli, ConfigCmd, DbCmd, DemoArgs};
use crate::output::{Format, Table};
use crate::render;

/// Builds the sample school: into `--file` (a throwaway SQLite file, replaced
/// each run), or else into the configured database (`--db`, environment,
/// config file or the default), which must be empty, so that `today`, `tui`
/// and every other command then open it.
pub async fn demo(ctx: &Ctx, a: DemoArgs) -> Result<()> {
    let (url, explore) = match &a.file {
        Some(path) => {
            replace_sqlite_file(path)?;
            let url = format!("sqlite://{}", path.display());
            let explore = format!("brightpath --db {url}");
            (url, explore)
        }
        None => {
            let url = ctx.config.settings.database_url.clone();
            let flag = matches!(ctx.config.source("database_url"), Source::Flag(_));
            let explore = if flag {
                format!("brightpath --db {}", redact_url(&url))
            } else {
                "brightpath".to_string()
            };
            (url, explore)
        }
    };
    let store = Store::open_with(&url, ctx.config.settings.connect_timeout())
        .await?
        .acting_as("demo");
    let today = ctx.today(None)?;
    let summary = demo_service::build_with(
        &store,
        today,
        demo_service::DemoOptions { history: a.history },
    )
    .await?;
    let played = if a.history {
        let bar = crate::output::spinner(&ctx.ui, "Playing the school year so far");
        let h = demo_service::play_history(&store, &summary.family, today, 1).await?;
        bar.finish_and_clear();
        Some(h)
    } else {
        None
    };
    let outcome = planning::plan_week(
        &store,
        &summary.family,
        planning_week(today),
        &planning::PlanOptions {
            seed: 0,
            actor: "demo".into(),
            learning: ctx.learning(),
            ..Default::default()
        },
    )
    .await?;
    let v = view::load_week(&store, &summary.family, summary.week).await?;
    match ctx.ui.format {
        Format::Human => {
            ctx.ui.say(&format!(
                "Built a demo school in {}:\n  the {} with 2 guardians, {} children (ages 6, 10 and 14), {} courses (2 shared) with {} curriculum lessons,\n  a weekly co-op morning on Wednesdays, and a holiday on {}.",
                redact_url(&url),
                summary.family.name,
                summary.students,
                summary.courses,
                summary.lessons,
                summary.holiday
            ));
            if let Some(h) = &played {
                ctx.ui.say(&format!(
                    "  and {} weeks of history: {} lessons done ({} partly, {} with no feedback), {} skipped.",
                    h.weeks, h.done, h.partial, h.without_feedback, h.skipped
                ));
            }
            ctx.ui.say(&format!(
                "Explore it with: {explore} today   (or tui, plan show, student list, course list; report hours and progress with --history)\n"
            ));
            render::week(&ctx.ui, &v, None);
            Ok(())
        }
        _ => ctx.ui.json(&serde_json::json!({"database_url": redact_url(&url), "summary": summary, "history": played, "plan": outcome, "week": v})),
    }
}

/// Removes an SQLite file and its WAL companions, if present.
fn replace_sqlite_file(path: &std::path::Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", path.display());
        if std::path::Path::new(&p).exists() {
            std::fs::remove_file(&p)
                .map_err(|e| brightpath_core::Error::Io(format!("cannot replace {p}: {e}")))?;
        }
    }
    Ok(())
}

pub async fn db(ctx: &Ctx, c: DbCmd) -> Result<()> {
    let url = &ctx.config.settings.database_url;
    let store = Store::connect_with(url, ctx.config.settings.connect_timeout()).await?;
    let status = match c {
        DbCmd::Migrate => store.migrate().await?,
        DbCmd::Status => store.migration_status().await?,
    };
    let mut t = Table::new(&["version", "name", "applied"]);
    for m in &status {
        t.row(vec![
            m.version.to_string(),
            m.name.clone(),
            m.applied_at.clone().unwrap_or_else(|| "pending".into()),
        ]);
    }
    ctx.ui.say(&format!("Database: {}", redact_url(url)));
    ctx.ui.emit(&status, &t)
}

/// `brightpath backup -o FILE | --to s3://…`: the whole database, or the
/// family named by `--family`. A file is written to FILE.tmp and renamed, so
/// FILE is whole or untouched; an object is put in one request.
pub async fn backup(ctx: &Ctx, a: crate::args::BackupArgs) -> Result<()> {
    let store = ctx.store().await?;
    let family = match &ctx.family_key {
        Some(_) => Some(ctx.family(&store).await?),
        None => None,
    };
    let (manifest, place) = match (&a.output, &a.to) {
        (_, Some(url)) => {
            let up = brightpath_server::backups::to_object_store(
                &store,
                &ctx.config.settings.s3,
                url,
                family.as_ref(),
            )
            .await
            .map_err(backup_error)?;
            (up.manifest, up.url)
        }
        (Some(path), None) => (
            write_backup(&store, family.as_ref(), path).await?,
            path.display().to_string(),
        ),
        (None, None) => {
            return Err(
                Error::invalid("backup", "say where: -o FILE or --to s3://BUCKET/KEY").into(),
            );
        }
    };
    let rows: usize = manifest.tables.values().sum();
    ctx.ui.say(&format!(
        "Backed up {} family(ies), {rows} rows (schema version {}) to {place}",
        manifest.families.len(),
        manifest.schema_version,
    ));
    ctx.ui.json_or_nothing(&manifest)
}

async fn write_backup(
    store: &Store,
    family: Option<&brightpath_core::model::Family>,
    path: &std::path::Path,
) -> Result<brightpath_core::services::backup::Manifest> {
    let io = |what: &str, e: std::io::Error| Error::Io(format!("{what} {}: {e}", path.display()));
    let mut tmp = path.to_path_buf().into_os_string();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let file = std::fs::File::create(&tmp).map_err(|e| io("cannot create", e))?;
    let mut out = std::io::BufWriter::new(file);
    let written = brightpath_core::services::backup::backup(store, family, &mut out).await;
    drop(out);
    match written {
        Ok(m) => {
            std::fs::rename(&tmp, path).map_err(|e| io("cannot write", e))?;
            Ok(m)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e.into())
        }
    }
}

fn backup_error(e: brightpath_server::backups::BackupError) -> anyhow::Error {
    use brightpath_server::backups::BackupError;
    use brightpath_server::objects::ObjectError;
    match e {
        BackupError::Core(e) => e.into(),
        BackupError::Objects(ObjectError::Config(m)) => Error::invalid("s3", m).into(),
        BackupError::Objects(other) => Error::Io(other.to_string()).into(),
    }
}

/// `brightpath restore FILE|s3://…` into the configured database.
pub async fn restore(ctx: &Ctx, file: String) -> Result<()> {
    let store = ctx.store().await?;
    let body = if file.starts_with("s3://") {
        brightpath_server::backups::from_object_store(&ctx.config.settings.s3, &file)
            .await
            .map_err(backup_error)?
    } else {
        std::fs::read(&file).map_err(|e| Error::Io(format!("cannot read {file}: {e}")))?
    };
    let manifest = brightpath_core::services::backup::restore(&store, body.as_slice()).await?;
    let rows: usize = manifest.tables.values().sum();
    ctx.ui.say(&format!(
        "Restored {} family(ies), {rows} rows, from {file} into {}",
        manifest.families.len(),
        redact_url(&ctx.config.settings.database_url)
    ));
    ctx.ui.json_or_nothing(&manifest)
}

/// Every setting with its effective value, where it came from and its
/// environment variable; secrets redacted.
pub fn config(ctx: &Ctx, c: ConfigCmd) -> Result<()> {
    let ConfigCmd::Show = c;
    let shown = ctx.config.shown();
    let mut t = Table::new(&["setting", "value", "from", "environment"]);
    for s in &shown {
        t.row(vec![
            s.key.to_string(),
            s.value.clone().unwrap_or_else(|| "(unset)".into()),
            s.source.to_string(),
            s.env.clone(),
        ]);
    }
    let file = &ctx.config.config_file;
    let absent = if file.exists() { "" } else { " (absent)" };
    ctx.ui
        .say(&format!("Config file: {}{absent}", file.display()));
    let json: serde_json::Map<String, serde_json::Value> = shown
        .iter()
        .map(|s| {
            (
                s.key.to_string(),
                serde_json::json!({"value": s.value, "source": s.source.to_string(), "env": s.env}),
            )
        })
        .collect();
    ctx.ui.emit(&json, &t)
}

pub fn completions(shell: clap_complete::Shell) {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "brightpath", &mut buf);
    crate::output::out(&String::from_utf8_lossy(&buf));
}
