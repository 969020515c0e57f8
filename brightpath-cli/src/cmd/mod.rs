//! Command dispatch and what every command shares: the config, the store, the
//! family, and "today".

mod courses;
mod insights;
mod jobs;
mod people;
mod plan;
mod progress;
mod roster;
mod serve;
mod system;
mod train_after;
mod years;

use anyhow::Result;
use brightpath_core::config::{Config, Overrides};
use brightpath_core::model::Family;
use brightpath_core::services::lists;
use brightpath_core::{Error, Store};
use jiff::civil::Date;

use crate::args::{Cli, Command, ExportCmd};
use crate::output::Ui;

pub struct Ctx {
    pub config: Config,
    pub ui: Ui,
    pub family_key: Option<String>,
}

/// The flags that set a setting, as the top layer of the settings.
pub fn overrides(cli: &Cli) -> Overrides {
    let g = &cli.global;
    let mut values = Vec::new();
    if let Some(db) = &g.db {
        values.push(("database_url", db.clone()));
    }
    if let Some(c) = &g.color {
        values.push(("color", c.clone()));
    }
    if let Some(f) = &g.log_format {
        values.push(("log_format", f.clone()));
    }
    if let Command::Worker(w) = &cli.command {
        if let Some(v) = w.visibility_timeout {
            values.push(("worker.visibility_timeout", v.to_string()));
        }
        if let Some(h) = w.heartbeat {
            values.push(("worker.heartbeat", h.to_string()));
        }
    }
    Overrides {
        config_file: g.config.clone(),
        values,
    }
}

impl Ctx {
    pub async fn store(&self) -> Result<Store> {
        let s = &self.config.settings;
        // Every change made through this handle is recorded as the actor's.
        Ok(Store::open_with(&s.database_url, s.connect_timeout())
            .await?
            .acting_as(&self.actor()))
    }

    pub async fn family(&self, store: &Store) -> Result<Family> {
        Ok(lists::family(store, self.family_key.as_deref()).await?)
    }

    /// Today in the family's time zone, or the `today` setting
    /// (`BRIGHTPATH_TODAY`) for scripts and tests.
    pub fn today(&self, family: Option<&Family>) -> Result<Date> {
        let zone = family.map_or("", |f| f.time_zone.as_str());
        Ok(brightpath_core::calendar::family_today(
            zone,
            self.config.settings.today,
        ))
    }

    /// The `learning` setting, for every plan made from here.
    pub fn learning(&self) -> brightpath_core::config::Learning {
        self.config.settings.learning
    }

    pub fn actor(&self) -> String {
        self.config.settings.actor.clone()
    }
}

pub async fn run(cli: Cli, config: Config, ui: Ui) -> Result<()> {
    let ctx = Ctx {
        config,
        ui,
        family_key: cli.global.family.clone(),
    };
    match cli.command {
        Command::Init(a) => people::init(&ctx, a).await,
        Command::Demo(a) => system::demo(&ctx, a).await,
        Command::Family(c) => people::family(&ctx, c).await,
        Command::Coop(c) => people::coop(&ctx, c).await,
        Command::Student(c) => people::student(&ctx, c).await,
        Command::Guardian(c) => people::guardian(&ctx, c).await,
        Command::Year(c) => years::year(&ctx, c).await,
        Command::Break(c) => years::breaks(&ctx, c).await,
        Command::Course(c) => courses::course(&ctx, c).await,
        Command::Enrollment(c) => courses::enrollment(&ctx, c).await,
        Command::Event(c) => years::event(&ctx, c).await,
        Command::Exception(c) => people::exception(&ctx, c).await,
        Command::Curriculum(c) => courses::curriculum(&ctx, c).await,
        Command::Plan(c) => plan::plan(&ctx, c).await,
        Command::Today(a) => plan::today(&ctx, a).await,
        Command::Insights(a) => insights::insights(&ctx, a).await,
        Command::Db(c) => system::db(&ctx, c).await,
        Command::Config(c) => system::config(&ctx, c),
        Command::Backup(a) => system::backup(&ctx, a).await,
        Command::Restore { file } => system::restore(&ctx, file).await,
        Command::Completions { shell } => {
            system::completions(shell);
            Ok(())
        }
        Command::Tui => {
            needs_terminal()?;
            let store = ctx.store().await?;
            let family = ctx.family(&store).await?;
            let today = ctx.today(Some(&family))?;
            let options = brightpath_tui::Options {
                actor: ctx.actor(),
                color: ctx.ui.color,
                mouse: ctx.config.settings.tui.mouse,
                after_marks: Some(train_after::hook(&ctx.config.settings, &store)),
            };
            brightpath_tui::run(store, family, today, options)
                .await
                .map_err(|e| Error::Io(format!("terminal: {e}")).into())
        }
        Command::Serve(a) => serve::serve(&ctx, a).await,
        Command::Feed(c) => serve::feed(&ctx, c).await,
        Command::Token(c) => serve::token(&ctx, c).await,
        Command::Worker(a) => jobs::worker(&ctx, a).await,
        Command::Jobs(c) => jobs::jobs(&ctx, c).await,
        Command::Done(a) => progress::done(&ctx, a).await,
        Command::Skip { select, reason } => progress::skip(&ctx, select, reason).await,
        Command::Move {
            session,
            to,
            at,
            if_version,
        } => progress::move_to(&ctx, session, to, at, if_version).await,
        Command::Pin {
            session,
            if_version,
        } => progress::pin(&ctx, session, if_version, true).await,
        Command::Unpin {
            session,
            if_version,
        } => progress::pin(&ctx, session, if_version, false).await,
        Command::Undo { force } => progress::undo(&ctx, force).await,
        Command::History { limit } => progress::history(&ctx, limit).await,
        Command::CatchUp { dry_run } => progress::catch_up(&ctx, dry_run).await,
        Command::DayOff {
            start,
            end,
            kind,
            name,
            students,
            dry_run,
        } => progress::day_off(&ctx, start, end, kind, name, students, dry_run).await,
        Command::Why { session } => progress::why(&ctx, session).await,
        Command::Progress { student } => progress::progress(&ctx, student).await,
        Command::Report(a) => progress::report(&ctx, a).await,
        Command::Export(ExportCmd::Oneroster { coop, output }) => {
            roster::export(&ctx, &coop, &output).await
        }
        Command::Export(c) => progress::export(&ctx, c).await,
        Command::Import(c) => roster::import(&ctx, c).await,
    }
}

/// `tui` draws on a terminal and reads keys from one: say so up front, as a
/// usage error, rather than fail later as if the database were down.
fn needs_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Error::invalid(
        "tui",
        "needs a terminal: standard input and output must both be one",
    )
    .with_hint(
        "run it in a terminal window; scripts use `brightpath today` or `brightpath plan show`",
    )
    .into())
}

/// Errors to Sentry for the long-running commands (`serve`, `worker`) while
/// the guard lives; nothing when `sentry.dsn` is unset.
fn sentry(ctx: &Ctx) -> anyhow::Result<Option<brightpath_server::telemetry::SentryGuard>> {
    brightpath_server::telemetry::init(&ctx.config.settings.sentry)
        .map_err(|e| brightpath_core::Error::invalid("sentry.dsn", e.to_string()).into())
}
