//! Messages into `update` and effects out of it. Effects are requests for I/O
//! that the driver performs; their results come back as messages.

use brightpath_core::Error;
use brightpath_core::calendar::Clock;
use brightpath_core::model::BreakKind;
use brightpath_core::services::curriculum::CurriculumView;
use brightpath_core::services::planning::PlanOutcome;
use brightpath_core::services::view::WeekView;
use crossterm::event::{KeyEvent, MouseEvent};
use jiff::civil::Date;

use crate::model::{BrowserData, PacingRow};

pub type CoreResult<T> = Result<T, Error>;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Wheel scrolls, a click picks a view, a day or a session.
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The poll timer: time to look for changes made elsewhere.
    Tick,
    WeekLoaded {
        week: Date,
        result: CoreResult<Box<WeekView>>,
    },
    /// The fingerprint of the week as stored now (see `model::fingerprint`).
    VersionChecked {
        week: Date,
        result: CoreResult<u64>,
    },
    /// A write finished; `Ok` carries the core's summary for the status line.
    Changed(CoreResult<String>),
    Planned {
        what: &'static str,
        before: Option<i64>,
        result: CoreResult<PlanDone>,
    },
    Explained(CoreResult<Vec<String>>),
    PacingLoaded(CoreResult<Vec<PacingRow>>),
    BrowserLoaded(CoreResult<Box<BrowserData>>),
    CurriculumLoaded(CoreResult<Box<CurriculumView>>),
    /// SIGTERM, SIGHUP or the input closed: leave cleanly.
    Quit,
}

/// What re-planning did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDone {
    /// The core's own summary (catch-up says what it skipped).
    pub summary: Option<String>,
    pub week: Date,
    pub after: Option<i64>,
    pub unscheduled: usize,
}

impl PlanDone {
    pub fn from_outcome(summary: Option<String>, o: &PlanOutcome) -> PlanDone {
        PlanDone {
            summary,
            week: o.week_start,
            after: Some(o.score.total),
            unscheduled: o.unscheduled.len(),
        }
    }
}

/// What a prompt collected for marking sessions done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneForm {
    pub actual_minutes: Option<u32>,
    pub note: Option<String>,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadWeek(Date),
    CheckVersion(Date),
    /// Each session with the version it was read at: a stale one is refused.
    MarkDone {
        ids: Vec<(String, i64)>,
        form: DoneForm,
    },
    Skip {
        ids: Vec<(String, i64)>,
        reason: String,
    },
    Move {
        id: String,
        date: Date,
        start: Clock,
        expected_version: i64,
    },
    Pin {
        id: String,
        pinned: bool,
        expected_version: i64,
    },
    Undo,
    DayOff {
        date: Date,
        students: Vec<String>,
        kind: BreakKind,
        name: String,
    },
    Replan {
        week: Date,
        before: Option<i64>,
    },
    CatchUp {
        before: Option<i64>,
    },
    Explain(String),
    LoadPacing,
    LoadBrowser,
    LoadCurriculum(String),
}

impl Effect {
    /// Writes change the plan; the driver reloads the week after each.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Effect::MarkDone { .. }
                | Effect::Skip { .. }
                | Effect::Move { .. }
                | Effect::Pin { .. }
                | Effect::Undo
                | Effect::DayOff { .. }
                | Effect::Replan { .. }
                | Effect::CatchUp { .. }
        )
    }
}
