//! Setting up a school: families, people, years, courses, events, curricula, co-ops.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Family name, e.g. "Rivera Family".
    #[arg(long)]
    pub name: Option<String>,
    /// IANA time zone, e.g. America/Chicago.
    #[arg(long)]
    pub time_zone: Option<String>,
    /// The first guardian's name.
    #[arg(long)]
    pub guardian: Option<String>,
    /// When that guardian can teach, e.g. "mon-fri 08:00-15:00".
    #[arg(long)]
    pub guardian_hours: Option<String>,
    /// School year start (YYYY-MM-DD).
    #[arg(long)]
    pub year_start: Option<String>,
    /// School year end (YYYY-MM-DD).
    #[arg(long)]
    pub year_end: Option<String>,
    /// School days, e.g. mon-fri.
    #[arg(long)]
    pub weekdays: Option<String>,
    /// Never ask; fail when a required answer is missing.
    #[arg(long)]
    pub no_input: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Build into this SQLite file instead, replaced each run (default: into the
    /// configured database, `--db` included, which must hold no family yet).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Also play the school year so far: every week from the year's start
    /// planned and marked (lengths, engagement, a few skips), so reports,
    /// pacing and the learning models have data.
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Subcommand)]
pub enum FamilyCmd {
    /// List families.
    #[command(after_help = "Example:\n  brightpath family list --json")]
    List,
    /// Show the family's school at a glance.
    #[command(
        after_help = "Examples:\n  brightpath family show\n  brightpath --family 'Rivera Family' family show --json"
    )]
    Show,
}

#[derive(Debug, Args, Default)]
pub struct StudentFields {
    /// Birth date (YYYY-MM-DD).
    #[arg(long)]
    pub birth_date: Option<String>,
    /// Grade, e.g. 3 or K.
    #[arg(long)]
    pub grade: Option<String>,
    /// Weekly availability, e.g. "mon-fri 08:30-12:00,13:00-15:00; sat 09:00-11:00".
    #[arg(long)]
    pub hours: Option<String>,
    /// Most minutes of lessons in one day.
    #[arg(long)]
    pub max_daily_minutes: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum StudentCmd {
    #[command(after_help = "Examples:\n  brightpath student list\n  brightpath student list --csv")]
    List,
    /// Add a child.
    #[command(
        after_help = "Example:\n  brightpath student add Ada --birth-date 2019-03-02 --grade 1 --hours 'mon-fri 08:30-11:30,12:30-14:00' --max-daily-minutes 150"
    )]
    Add {
        name: String,
        #[command(flatten)]
        fields: StudentFields,
    },
    /// Change a child's details (only the flags given).
    #[command(
        after_help = "Examples:\n  brightpath student edit Ada --max-daily-minutes 180\n  brightpath student edit Ada --rename Adeline --if-version 3"
    )]
    Edit {
        student: String,
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        fields: StudentFields,
        /// Refuse if the record changed since this version.
        #[arg(long)]
        if_version: Option<i64>,
    },
    #[command(after_help = "Example:\n  brightpath student remove Ada")]
    Remove { student: String },
}

#[derive(Debug, Subcommand)]
pub enum GuardianCmd {
    #[command(after_help = "Example:\n  brightpath guardian list --json")]
    List,
    /// Add a guardian.
    #[command(after_help = "Example:\n  brightpath guardian add Sam --hours 'mon-fri 13:00-16:00'")]
    Add {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// When they can teach, e.g. "mon-fri 08:00-15:00".
        #[arg(long)]
        hours: String,
    },
    #[command(
        after_help = "Examples:\n  brightpath guardian edit Sam --hours 'mon-fri 12:00-16:00'\n  brightpath guardian edit Sam --email sam@example.org"
    )]
    Edit {
        guardian: String,
        #[arg(long)]
        rename: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        hours: Option<String>,
        #[arg(long)]
        if_version: Option<i64>,
    },
    #[command(after_help = "Example:\n  brightpath guardian remove Sam")]
    Remove { guardian: String },
}

#[derive(Debug, Args, Default)]
pub struct YearFields {
    /// School days, e.g. mon-fri or mon,tue,thu.
    #[arg(long)]
    pub weekdays: Option<String>,
    /// Target number of school days.
    #[arg(long)]
    pub target_days: Option<u32>,
    /// Target hours in total.
    #[arg(long)]
    pub target_hours: Option<u32>,
    /// Target hours in core subjects.
    #[arg(long)]
    pub target_core_hours: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum YearCmd {
    #[command(after_help = "Example:\n  brightpath year list --json")]
    List,
    /// Add a school year.
    #[command(
        after_help = "Example:\n  brightpath year add 2026-27 --start 2026-08-17 --end 2027-05-28 --weekdays mon-fri --target-days 180"
    )]
    Add {
        name: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        #[command(flatten)]
        fields: YearFields,
    },
    #[command(
        after_help = "Examples:\n  brightpath year edit 2026-27 --end 2027-06-04\n  brightpath year edit 2026-27 --target-days 180"
    )]
    Edit {
        year: String,
        #[arg(long)]
        rename: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[command(flatten)]
        fields: YearFields,
        #[arg(long)]
        if_version: Option<i64>,
    },
    #[command(after_help = "Example:\n  brightpath year remove 2026-27")]
    Remove { year: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BreakKindArg {
    Break,
    Holiday,
    Sick,
}

#[derive(Debug, Subcommand)]
pub enum BreakCmd {
    #[command(
        after_help = "Examples:\n  brightpath break list\n  brightpath break list --year 2026-27 --json"
    )]
    List,
    /// Add days off for the family or some children.
    #[command(
        after_help = "Examples:\n  brightpath break add 'Winter break' --start 2026-12-21 --end 2027-01-01\n  brightpath break add 'Ben sick' --start 2026-11-30 --kind sick --students Ben"
    )]
    Add {
        name: String,
        #[arg(long)]
        start: String,
        /// Last day off (default: the start day).
        #[arg(long)]
        end: Option<String>,
        #[arg(long, value_enum, default_value = "break")]
        kind: BreakKindArg,
        /// Only these children (comma-separated); default: the whole family.
        #[arg(long, value_delimiter = ',')]
        students: Vec<String>,
        /// The school year (default: the one holding the start date).
        #[arg(long)]
        year: Option<String>,
    },
    #[command(
        after_help = "Example:\n  brightpath break remove 3f2a9c1e   (an id from break list)"
    )]
    Remove { id: String },
}

#[derive(Debug, Args, Default)]
pub struct CourseFields {
    #[arg(long)]
    pub subject: Option<String>,
    /// Minutes per lesson (a multiple of 5).
    #[arg(long)]
    pub minutes: Option<u32>,
    /// Sessions per week.
    #[arg(long)]
    pub per_week: Option<u32>,
    /// Most sessions on one day (default 1).
    #[arg(long)]
    pub max_per_day: Option<u32>,
    /// An elective rather than a core subject.
    #[arg(long)]
    pub elective: bool,
    /// The guardian who leads it (default: independent work).
    #[arg(long)]
    pub teacher: Option<String>,
    /// Enrolled children do it together.
    #[arg(long)]
    pub group: bool,
    /// Preferred time window, e.g. 08:00-11:00.
    #[arg(long)]
    pub preferred: Option<String>,
    /// How much the preferred time weighs against the planner's other wishes
    /// (0-1000; default 10; 100 makes it nearly a rule).
    #[arg(long, value_name = "N")]
    pub preferred_weight: Option<u32>,
    /// Allowed weekdays, e.g. mon,wed,fri.
    #[arg(long)]
    pub days: Option<String>,
    /// Priority 1-10: higher is dropped last in a full week.
    #[arg(long)]
    pub priority: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CourseCmd {
    #[command(after_help = "Examples:\n  brightpath course list\n  brightpath course list --csv")]
    List,
    /// Add a course.
    #[command(
        after_help = "Examples:\n  brightpath course add 'Math 5' --subject math --minutes 45 --per-week 5 --teacher Maria --students Ben --preferred 08:00-11:00\n  brightpath course add 'World History' --subject history --minutes 45 --per-week 3 --group --students Ben,Cora"
    )]
    Add {
        name: String,
        #[command(flatten)]
        fields: CourseFields,
        /// Enroll these children (comma-separated).
        #[arg(long, value_delimiter = ',')]
        students: Vec<String>,
    },
    #[command(
        after_help = "Examples:\n  brightpath course edit 'Math 5' --minutes 50\n  brightpath course edit 'Math 5' --rename 'Math 5A' --if-version 2"
    )]
    Edit {
        course: String,
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        fields: CourseFields,
        /// Make it a core subject again.
        #[arg(long, conflicts_with = "elective")]
        core: bool,
        /// Make it independent work.
        #[arg(long, conflicts_with = "teacher")]
        independent: bool,
        /// Each child does it alone.
        #[arg(long, conflicts_with = "group")]
        solo: bool,
        #[arg(long)]
        if_version: Option<i64>,
    },
    #[command(after_help = "Example:\n  brightpath course remove 'Math 5'")]
    Remove { course: String },
}

#[derive(Debug, Subcommand)]
pub enum EnrollmentCmd {
    #[command(after_help = "Example:\n  brightpath enrollment list --json")]
    List,
    /// Enroll a child in a course.
    #[command(after_help = "Example:\n  brightpath enrollment add Ben 'Math 5' --start-at 12")]
    Add {
        student: String,
        course: String,
        /// The curriculum lesson to start at (1 = the first).
        #[arg(long, default_value_t = 1)]
        start_at: u32,
    },
    #[command(after_help = "Example:\n  brightpath enrollment remove Ben 'Math 5'")]
    Remove { student: String, course: String },
}

#[derive(Debug, Args, Default)]
pub struct EventFields {
    /// Every week on this day, e.g. wed.
    #[arg(long, conflicts_with = "on")]
    pub weekly: Option<String>,
    /// Once, on this date.
    #[arg(long)]
    pub on: Option<String>,
    /// Time window, e.g. 09:00-12:00.
    #[arg(long)]
    pub time: Option<String>,
    /// Away from home.
    #[arg(long)]
    pub away: bool,
    /// Whether its time counts in the hours records: core, elective or no
    /// (the default for a new event: an appointment is not school).
    #[arg(long, value_name = "KIND")]
    pub school: Option<String>,
    /// Children who attend (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub students: Vec<String>,
    /// Guardians who attend (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub guardians: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    #[command(after_help = "Example:\n  brightpath event list --json")]
    List,
    /// Add a fixed event.
    #[command(
        after_help = "Examples:\n  brightpath event add 'Co-op morning' --weekly wed --time 09:00-12:00 --away --school elective --students Ada,Ben,Cora --guardians Maria\n  brightpath event add 'Latin online' --weekly tue --time 10:00-11:00 --school core --students Ben\n  brightpath event add Dentist --on 2026-12-03 --time 14:00-15:00 --away --students Ben --guardians Sam   (not school time)"
    )]
    Add {
        name: String,
        #[command(flatten)]
        fields: EventFields,
        /// Leave the plan as it is and only list the sessions that now clash.
        #[arg(long)]
        no_replan: bool,
    },
    #[command(
        after_help = "Examples:\n  brightpath event edit 'Co-op morning' --time 09:30-12:00\n  brightpath event edit Dentist --home"
    )]
    Edit {
        event: String,
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        fields: EventFields,
        /// Held at home.
        #[arg(long, conflicts_with = "away")]
        home: bool,
        #[arg(long)]
        if_version: Option<i64>,
    },
    #[command(after_help = "Example:\n  brightpath event remove Dentist")]
    Remove { event: String },
}

#[derive(Debug, Subcommand)]
pub enum ExceptionCmd {
    /// One day a person is free other hours than usual (or not at all); the
    /// plan is re-planned around it.
    #[command(
        after_help = "Examples:\n  brightpath exception add Ben --date 2026-12-02 --hours 13:00-15:00\n  brightpath exception add Maria --date 2026-12-04 --off --note 'doctor'\n  brightpath exception add Ada --date 2026-12-04 --off --no-replan   (only list what clashes)"
    )]
    Add {
        person: String,
        #[arg(long)]
        date: String,
        /// Windows free that day; leave out with --off for none.
        #[arg(long, required_unless_present = "off")]
        hours: Option<String>,
        #[arg(long)]
        off: bool,
        #[arg(long, default_value = "")]
        note: String,
        /// Leave the plan as it is and only list the sessions that now clash.
        #[arg(long)]
        no_replan: bool,
    },
    /// The exceptions, by date.
    #[command(
        after_help = "Examples:\n  brightpath exception list\n  brightpath exception list --from 2026-12-01 --to 2026-12-31 --json"
    )]
    List {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Remove an exception by id (or unique prefix; `exception list` shows them).
    #[command(after_help = "Example:\n  brightpath exception remove 3f2a9c1e")]
    Remove { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FileFormat {
    Csv,
    Toml,
}

#[derive(Debug, Subcommand)]
pub enum CurriculumCmd {
    /// Import lesson lists from CSV (columns: title, minutes, notes, resource, course) or TOML.
    #[command(
        after_help = "Examples:\n  brightpath curriculum import math5.csv --course 'Math 5'\n  brightpath curriculum import examples/curricula/all.csv   (with a course column)\n  brightpath curriculum import math5-part2.csv --course 'Math 5' --append"
    )]
    Import {
        file: PathBuf,
        #[arg(long)]
        course: Option<String>,
        /// Add the lessons after the course's last lesson instead of replacing
        /// the curriculum (works after lessons are done).
        #[arg(long)]
        append: bool,
        /// Default: from the file's extension.
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
    },
    /// Show a course's lessons and each child's position.
    #[command(
        after_help = "Examples:\n  brightpath curriculum show 'Math 5'\n  brightpath curriculum show 'Math 5' --json"
    )]
    Show { course: String },
}

#[derive(Debug, Subcommand)]
pub enum CoopCmd {
    /// List the co-ops, with their families.
    #[command(after_help = "Example:\n  brightpath coop list --json")]
    List,
    /// Create a co-op.
    #[command(
        after_help = "Example:\n  brightpath coop add 'Riverside Co-op' --time-zone America/Chicago"
    )]
    Add {
        name: String,
        #[arg(long)]
        time_zone: String,
    },
    /// Put the family (--family) in a co-op.
    #[command(
        after_help = "Example:\n  brightpath --family 'Rivera Family' coop join 'Riverside Co-op'"
    )]
    Join { coop: String },
    /// Take the family out of its co-op.
    #[command(after_help = "Example:\n  brightpath --family 'Rivera Family' coop leave")]
    Leave,
    /// The co-op's classes from its imported roster: course, meetings,
    /// teachers and the children in each with their family.
    #[command(
        after_help = "Examples:\n  brightpath coop classes 'Riverside Co-op'\n  brightpath coop classes 'Riverside Co-op' --csv > classes.csv"
    )]
    Classes { coop: String },
    /// Name a co-op admin.
    #[command(
        after_help = "Example:\n  brightpath coop admin 'Riverside Co-op' Dana --email dana@example.org"
    )]
    Admin {
        coop: String,
        name: String,
        #[arg(long)]
        email: Option<String>,
    },
}
