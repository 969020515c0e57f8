//! `brightpath tui`: the interactive planner. Built as ratatui's Elm
//! architecture: one [`model::Model`], a [`msg::Msg`] enum, [`update::update`]
//! that changes the model without I/O and returns [`msg::Effect`]s, a
//! [`view::view`] that only draws, and a [`driver`] that runs effects against
//! the store. Keys are data ([`keymap`]), so the help overlay is generated.

pub mod actions;
pub mod driver;
pub mod keymap;
pub mod model;
pub mod msg;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use brightpath_core::Store;
use brightpath_core::model::Family;
use jiff::civil::Date;

pub use driver::{App, LoopOptions, run_loop};

/// How often the planner looks for changes made elsewhere (another terminal, the web).
pub const POLL: Duration = Duration::from_secs(2);

/// Colours unless `NO_COLOR` is set to something (https://no-color.org).
pub fn color_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs the planner on the real terminal until the user quits (or SIGTERM/SIGHUP).
/// The terminal is restored on every way out, panics included. Only the
/// terminal can fail here: the store's errors are shown in the status line.
/// `actor` is who the history names for changes made here (the configured
/// actor, as for the CLI: a parent's undo reverses that parent's changes).
pub async fn run(store: Store, family: Family, today: Date, actor: &str) -> std::io::Result<()> {
    let mut app = App::new(store, family, today, color_wanted()).with_actor(actor);
    terminal::install_panic_hook();
    let (mut term, guard) = terminal::enter()?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    terminal::spawn_input(tx.clone(), stop.clone());
    terminal::spawn_signals(tx.clone());
    let opts = LoopOptions {
        poll: Some(POLL),
        inline: false,
    };
    let result = run_loop(&mut term, &mut app, rx, tx, opts).await;
    stop.store(true, Ordering::Relaxed);
    drop(guard);
    result
}
