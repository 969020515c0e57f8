//! The driver: runs effects against the store and turns their results into
//! messages, and the main loop that feeds messages to `update` and draws.
//! The loop is generic over the ratatui backend so tests drive it headless.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use brightpath_core::Store;
use brightpath_core::model::Family;
use brightpath_core::services::{curriculum, lists, view};
use jiff::civil::Date;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::actions::{self, Ctx};
use crate::model::{BrowserData, Model};
use crate::msg::{Effect, Msg, PlanDone};
use crate::update::update;

/// Runs one effect; the message carries its result back to `update`.
pub async fn perform(ctx: &Ctx, effect: Effect) -> Msg {
    let family = &ctx.family;
    let store = &ctx.store;
    match effect {
        Effect::LoadWeek(week) => Msg::WeekLoaded {
            week,
            result: view::load_week(store, family, week).await.map(Box::new),
        },
        Effect::CheckVersion(week) => Msg::VersionChecked {
            week,
            result: view::week_fingerprint(store, family, week).await,
        },
        Effect::MarkDone { ids, form } => Msg::Changed(actions::mark_done(ctx, &ids, &form).await),
        Effect::Skip { ids, reason } => Msg::Changed(actions::skip(ctx, &ids, &reason).await),
        Effect::Move {
            id,
            date,
            start,
            expected_version,
        } => Msg::Changed(actions::move_session(ctx, &id, date, start, expected_version).await),
        Effect::Pin {
            id,
            pinned,
            expected_version,
        } => Msg::Changed(actions::set_pinned(ctx, &id, pinned, expected_version).await),
        Effect::Undo => Msg::Changed(actions::undo(ctx).await),
        Effect::DayOff {
            date,
            students,
            kind,
            name,
        } => Msg::Changed(actions::day_off(ctx, date, &students, kind, &name).await),
        Effect::Replan { week, before } => {
            let opts = ctx.plan_options();
            let result = brightpath_core::services::planning::plan_week(store, family, week, &opts)
                .await
                .map(|o| PlanDone::from_outcome(None, &o));
            Msg::Planned {
                what: "Re-planned",
                before,
                result,
            }
        }
        Effect::CatchUp { before } => Msg::Planned {
            what: "Caught up",
            before,
            result: actions::catch_up(ctx)
                .await
                .map(|(s, o)| PlanDone::from_outcome(Some(s), &o)),
        },
        Effect::Explain(id) => Msg::Explained(actions::explain(ctx, &id).await),
        Effect::LoadPacing => Msg::PacingLoaded(actions::pacing(ctx).await),
        Effect::LoadBrowser => Msg::BrowserLoaded(load_browser(store, family).await.map(Box::new)),
        Effect::LoadCurriculum(course) => Msg::CurriculumLoaded(
            curriculum::show(store, &family.id, &course)
                .await
                .map(Box::new),
        ),
    }
}

async fn load_browser(store: &Store, family: &Family) -> brightpath_core::Result<BrowserData> {
    let p = lists::people(store, &family.id).await?;
    Ok(BrowserData {
        students: p.students,
        guardians: p.guardians,
        courses: p.courses,
        enrollments: p.enrollments,
    })
}

/// The planner: its model and what effects need to run.
pub struct App {
    pub model: Model,
    pub ctx: Arc<Ctx>,
}

impl App {
    pub fn new(store: Store, family: Family, today: Date, color: bool) -> App {
        let model = Model::new(&family.name, today, color);
        App {
            model,
            ctx: Arc::new(Ctx {
                store,
                family,
                today,
                actor: "tui".into(),
                after_marks: None,
            }),
        }
    }

    /// Names `actor` in the history for the changes made here.
    pub fn with_actor(mut self, actor: &str) -> App {
        if let Some(ctx) = Arc::get_mut(&mut self.ctx) {
            ctx.actor = actor.to_string();
        }
        self
    }

    /// Runs `after` after each mark made here (see [`crate::actions::AfterMarks`]).
    pub fn set_after_marks(&mut self, after: Option<crate::actions::AfterMarks>) {
        if let Some(ctx) = Arc::get_mut(&mut self.ctx) {
            ctx.after_marks = after;
        }
    }

    /// The effects that fill the first screen.
    pub fn start(&self) -> Vec<Effect> {
        vec![Effect::LoadWeek(self.model.week)]
    }

    /// Handles `msg` and runs every effect it causes to completion, in order.
    /// Deterministic: tests and the start-up benchmark use it.
    pub async fn dispatch(&mut self, msg: Msg) {
        let effects = update(&mut self.model, msg);
        self.run_inline(effects).await;
    }

    pub async fn run_inline(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(e) = queue.pop_front() {
            let msg = perform(&self.ctx, e).await;
            queue.extend(update(&mut self.model, msg));
        }
    }

    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        terminal.draw(|f| crate::view::view(&self.model, f))?;
        Ok(())
    }

    /// Draws as the main loop does: after Ctrl-L the terminal is cleared
    /// first and ratatui forgets what it believes is on screen, so every cell
    /// is written again over whatever else got there; otherwise only the
    /// cells that changed are written.
    pub fn render<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        if std::mem::take(&mut self.model.redraw) {
            terminal.clear()?;
        }
        self.draw(terminal)
    }
}

pub struct LoopOptions {
    /// How often to look for changes made elsewhere; `None`: never.
    pub poll: Option<Duration>,
    /// Run effects one at a time before the next message (tests); otherwise
    /// each runs as its own task so the screen stays live while the planner works.
    pub inline: bool,
}

/// Whether a message is the result of an effect (the busy count goes down).
/// The poll's own check does not count: it is quiet and may overlap.
fn is_result(msg: &Msg) -> bool {
    !matches!(
        msg,
        Msg::Key(_)
            | Msg::Mouse(_)
            | Msg::Resize(..)
            | Msg::Tick
            | Msg::Quit
            | Msg::VersionChecked { .. }
    )
}

/// The main loop: draw, wait for a message (input, effect result, poll tick),
/// update, run effects; until the model asks to quit or the inbox closes.
pub async fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut inbox: UnboundedReceiver<Msg>,
    outbox: UnboundedSender<Msg>,
    opts: LoopOptions,
) -> Result<(), B::Error> {
    let first = app.start();
    if let Ok(size) = terminal.size() {
        app.model.size = (size.width, size.height);
    }
    app.draw(terminal)?;
    spawn_or_run(app, first, &outbox, opts.inline).await;
    let mut tick = tokio::time::interval(opts.poll.unwrap_or(Duration::from_secs(3600)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick fires at once; the start already loaded
    while !app.model.quit {
        app.render(terminal)?;
        let msg = tokio::select! {
            m = inbox.recv() => m.unwrap_or(Msg::Quit),
            _ = tick.tick(), if opts.poll.is_some() => Msg::Tick,
        };
        if is_result(&msg) {
            app.model.busy = app.model.busy.saturating_sub(1);
        }
        let effects = update(&mut app.model, msg);
        spawn_or_run(app, effects, &outbox, opts.inline).await;
    }
    Ok(())
}

async fn spawn_or_run(
    app: &mut App,
    effects: Vec<Effect>,
    outbox: &UnboundedSender<Msg>,
    inline: bool,
) {
    if inline {
        app.run_inline(effects).await;
        return;
    }
    for e in effects {
        if !matches!(e, Effect::CheckVersion(_)) {
            app.model.busy += 1;
        }
        let (ctx, out) = (app.ctx.clone(), outbox.clone());
        tokio::spawn(async move {
            // A closed inbox means the loop has ended; the result has no reader.
            let _ = out.send(perform(&ctx, e).await);
        });
    }
}
