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

/// How the planner runs, from the settings (the caller reads them).
#[derive(Clone)]
pub struct Options {
    /// Who the history names for changes made here (the configured actor, as
    /// for the CLI: a parent's undo reverses that parent's changes).
    pub actor: String,
    /// Colours, or styles from bold, reverse and dim only (`--color never`,
    /// `BRIGHTPATH_COLOR=never`, `NO_COLOR`).
    pub color: bool,
    /// Capture the mouse (the `tui.mouse` setting).
    pub mouse: bool,
    /// What runs after each mark (the CLI's training rule), if anything.
    pub after_marks: Option<actions::AfterMarks>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("actor", &self.actor)
            .field("color", &self.color)
            .field("mouse", &self.mouse)
            .field("after_marks", &self.after_marks.is_some())
            .finish()
    }
}

/// Runs the planner on the real terminal until the user quits (or SIGTERM/SIGHUP).
/// The terminal is restored on every way out, panics included. Only the
/// terminal can fail here: the store's errors are shown in the status line.
/// Nothing else may write to the screen meanwhile: the caller keeps log lines
/// off it (Ctrl-L redraws the whole screen should anything slip through).
pub async fn run(
    store: Store,
    family: Family,
    today: Date,
    options: Options,
) -> std::io::Result<()> {
    let mut app = App::new(store, family, today, options.color).with_actor(&options.actor);
    app.set_after_marks(options.after_marks);
    terminal::install_panic_hook();
    let (mut term, guard) = terminal::enter(options.mouse)?;
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
