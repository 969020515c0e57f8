//! The one state of the planner. Everything `view` draws is here; only `update`
//! changes it.

use brightpath_core::calendar::{Clock, add_days, monday_of, planning_week};
use brightpath_core::model::{Course, Enrollment, Guardian, Student};
use brightpath_core::services::curriculum::CurriculumView;
use brightpath_core::services::view::{Agenda, SessionView, WeekView, agenda};
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Week,
    Today,
    Progress,
    Browse,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Week, Tab::Today, Tab::Progress, Tab::Browse];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Week => "Week",
            Tab::Today => "Today",
            Tab::Progress => "Progress",
            Tab::Browse => "Browse",
        }
    }
}

/// A session picked up to be moved: where it is now and where it would land.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carry {
    pub session_id: String,
    pub title: String,
    pub version: i64,
    pub minutes: u32,
    pub date: Date,
    pub start: Clock,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// The sessions, each with the version it was read at.
    Done {
        ids: Vec<(String, i64)>,
    },
    Skip {
        ids: Vec<(String, i64)>,
    },
    DayOff {
        date: Date,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
}

/// A small form: a few labelled text fields, one focused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused (bad minutes, unknown kind).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    Carry(Carry),
    Prompt(Prompt),
    /// The answer to "why is this session here?".
    Explain(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

/// One course's pacing, as the progress view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacingRow {
    pub student: String,
    pub course: String,
    pub done: u32,
    pub expected: u32,
    pub behind: i64,
    pub projected_finish: Option<Date>,
    pub year_end: Date,
    pub suggestion: Option<String>,
}

/// What the browser lists: the family's people and courses.
#[derive(Debug, Clone)]
pub struct BrowserData {
    pub students: Vec<Student>,
    pub guardians: Vec<Guardian>,
    pub courses: Vec<Course>,
    pub enrollments: Vec<Enrollment>,
}

impl BrowserData {
    /// The courses the selected student takes, by name.
    pub fn courses_of(&self, student: Option<&Student>) -> Vec<&Course> {
        let mut out: Vec<&Course> = self
            .courses
            .iter()
            .filter(|c| {
                student.is_none_or(|s| {
                    self.enrollments
                        .iter()
                        .any(|e| e.course_id == c.id && e.student_id == s.id)
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub data: Option<BrowserData>,
    /// 0 students, 1 courses, 2 lessons.
    pub pane: usize,
    pub sel: [usize; 3],
    pub curriculum: Option<CurriculumView>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub family: String,
    pub today: Date,
    /// The Monday of the week on screen.
    pub week: Date,
    /// 0 = Monday .. 6 = Sunday.
    pub day: usize,
    pub student: usize,
    /// The selected session (week grid: within the day; today: within the checklist).
    pub row: usize,
    pub tab: Tab,
    pub mode: Mode,
    pub week_view: Option<WeekView>,
    /// Why the week on screen could not be loaded, if it could not.
    pub week_error: Option<String>,
    /// The stored state the screen was drawn from (see [`fingerprint`]).
    pub fingerprint: Option<u64>,
    pub pacing: Option<Result<Vec<PacingRow>, String>>,
    pub browser: Browser,
    pub status: Option<Status>,
    /// Effects in flight; the poll waits while we are writing ourselves.
    pub busy: usize,
    pub color: bool,
    pub quit: bool,
    /// Ctrl-L: the next draw repaints every cell, whatever the screen shows now.
    pub redraw: bool,
    /// The terminal's size, for turning mouse clicks into places.
    pub size: (u16, u16),
}

impl Model {
    pub fn new(family: &str, today: Date, color: bool) -> Model {
        let week = planning_week(today);
        let day = if monday_of(today) == week {
            today.weekday().to_monday_zero_offset() as usize
        } else {
            0
        };
        Model {
            family: family.to_string(),
            today,
            week,
            day,
            student: 0,
            row: 0,
            tab: Tab::Week,
            mode: Mode::Normal,
            week_view: None,
            week_error: None,
            fingerprint: None,
            pacing: None,
            browser: Browser::default(),
            status: None,
            busy: 0,
            color,
            quit: false,
            redraw: false,
            size: (80, 24),
        }
    }

    pub fn date(&self) -> Date {
        add_days(self.week, self.day as i64)
    }

    pub fn student_id(&self) -> Option<&str> {
        self.week_view
            .as_ref()
            .and_then(|w| w.students.get(self.student))
            .map(|p| p.id.as_str())
    }

    /// The selected student's sessions on `date`, in time order.
    pub fn day_sessions(&self, date: Date) -> Vec<&SessionView> {
        let (Some(w), Some(id)) = (&self.week_view, self.student_id()) else {
            return Vec::new();
        };
        let mut out: Vec<&SessionView> = w
            .sessions_of_student(id)
            .filter(|s| s.date == date)
            .collect();
        out.sort_by(|a, b| (a.start, a.end, &a.course).cmp(&(b.start, b.end, &b.course)));
        out
    }

    /// Each child's checklist for the selected date.
    pub fn agendas(&self) -> Vec<Agenda> {
        self.week_view
            .as_ref()
            .map(|w| agenda(w, self.date()))
            .unwrap_or_default()
    }

    /// The session ids of the checklist in screen order (a grouped session once per child).
    pub fn checklist_ids(&self) -> Vec<String> {
        self.agendas()
            .iter()
            .flat_map(|a| a.items.iter().filter_map(|i| i.session_id.clone()))
            .collect()
    }

    /// The session the cursor is on, in the week grid or the checklist.
    pub fn selected(&self) -> Option<&SessionView> {
        let w = self.week_view.as_ref()?;
        match self.tab {
            Tab::Week => self.day_sessions(self.date()).get(self.row).copied(),
            Tab::Today => {
                let id = self.checklist_ids().get(self.row)?.clone();
                w.sessions.iter().find(|s| s.id == id)
            }
            _ => None,
        }
    }

    /// How many rows the cursor can move over in the current view.
    pub fn row_count(&self) -> usize {
        match self.tab {
            Tab::Week => self.day_sessions(self.date()).len(),
            Tab::Today => self.checklist_ids().len(),
            Tab::Progress => self
                .pacing
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map_or(0, Vec::len),
            Tab::Browse => 0,
        }
    }

    pub fn score_total(&self) -> Option<i64> {
        self.week_view
            .as_ref()
            .and_then(|w| w.score)
            .map(|s| s.total)
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Error,
        });
    }
}

/// The fingerprint of a loaded week (see core's `view::fingerprint`).
pub fn view_fingerprint(w: &WeekView) -> u64 {
    w.fingerprint()
}
