//! The command line: every command, flag and example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  brightpath demo                         build a sample school and show this week's plan
  brightpath init                         set up your family's school (asks on a terminal)
  brightpath student add Ada --grade 3 --hours 'mon-fri 08:30-12:00,13:00-15:00'
  brightpath plan week                    plan this week (next week from Saturday on)
  brightpath today                        each child's lessons for today
  brightpath plan week --all --json       plan every family (cron)

Exit codes:
  0 success   1 some items failed   2 invalid input or usage   3 not found
  4 conflict (duplicate or changed by someone else)   5 database unavailable   70 internal error

Environment:
  BRIGHTPATH_DATABASE_URL, BRIGHTPATH_VALKEY_URL, BRIGHTPATH_CONFIG, BRIGHTPATH_LOG_FORMAT,
  BRIGHTPATH_COLOR, NO_COLOR, BRIGHTPATH_TODAY (a fixed date for scripts and tests)";

#[derive(Debug, Parser)]
#[command(name = "brightpath", version, about = "Plan and keep a homeschool: courses, curricula, weekly plans and records.", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Database URL (sqlite:///path.db or postgres://...); overrides config and environment.
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/brightpath/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The family to work on, by name or id (needed when the database holds several).
    #[arg(long, global = true, value_name = "NAME")]
    pub family: Option<String>,
    /// Print JSON for scripts.
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV for scripts (tables only).
    #[arg(long, global = true)]
    pub csv: bool,
    /// When to use colour.
    #[arg(long, global = true, value_name = "WHEN", value_parser = ["auto", "always", "never"])]
    pub color: Option<String>,
    /// Print only results, no confirmations.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Log format (text or json); logs go to stderr. RUST_LOG sets the level.
    #[arg(long, global = true, value_parser = ["text", "json"])]
    pub log_format: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up a family's school: family, first guardian and school year.
    #[command(
        after_help = "Example:\n  brightpath init --name 'Rivera Family' --time-zone America/Chicago --guardian Maria \\\n    --guardian-hours 'mon-fri 08:00-15:00' --year-start 2026-08-17 --year-end 2027-05-28"
    )]
    Init(InitArgs),
    /// Build a realistic sample school in its own database and show this week's plan.
    Demo(DemoArgs),
    /// Co-ops: groups of families with their own admins.
    #[command(subcommand, alias = "coops")]
    Coop(CoopCmd),
    /// Families in the database.
    #[command(subcommand)]
    Family(FamilyCmd),
    /// Children: list, add, edit, remove.
    #[command(subcommand, alias = "students")]
    Student(StudentCmd),
    /// Guardians (the teachers of the plan): list, add, edit, remove.
    #[command(subcommand, alias = "guardians")]
    Guardian(GuardianCmd),
    /// School years: list, add, edit, remove.
    #[command(subcommand, alias = "years")]
    Year(YearCmd),
    /// Breaks, holidays and sick days: list, add, remove.
    #[command(subcommand, alias = "breaks")]
    Break(BreakCmd),
    /// Courses: list, add, edit, remove.
    #[command(subcommand, alias = "courses")]
    Course(CourseCmd),
    /// Which child takes which course: list, add, remove.
    #[command(subcommand, alias = "enrollments", alias = "enroll")]
    Enrollment(EnrollmentCmd),
    /// Fixed events (co-op mornings, lessons, appointments): list, add, edit, remove.
    #[command(subcommand, alias = "events")]
    Event(EventCmd),
    /// A person's availability on one date differs from the weekly pattern.
    #[command(subcommand)]
    Exception(ExceptionCmd),
    /// The ordered lessons of a course: import and show.
    #[command(subcommand)]
    Curriculum(CurriculumCmd),
    /// Weekly plans: solve a request file, plan a week, show it.
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Each child's lessons for today, in order.
    Today(TodayArgs),
    /// Mark sessions done (or partly done), by id or by day/week, for one child or all.
    #[command(
        after_help = "Examples:\n  brightpath done --today                 everything planned today, for everyone\n  brightpath done --date 2026-12-01 --student Ben --minutes 40 --engagement 4\n  brightpath done 3f2a9c1e --partial --note 'got halfway'"
    )]
    Done(DoneArgs),
    /// Skip sessions (the lesson stays due and rolls forward).
    #[command(
        after_help = "Example:\n  brightpath skip --date 2026-12-01 --student Ben --reason dentist"
    )]
    Skip {
        #[command(flatten)]
        select: SelectArgs,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Move a session to another day and time (checked against the plan's rules; it is pinned there).
    #[command(after_help = "Example:\n  brightpath move 3f2a9c1e --to 2026-12-02 --at 13:30")]
    Move {
        session: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        at: String,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Pin a session where it is (re-planning leaves it alone).
    Pin { session: String },
    /// Unpin a session.
    Unpin { session: String },
    /// Undo the last change to the plan.
    Undo,
    /// The history of changes: who changed what and when.
    History {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Re-plan the rest of this week around what was missed.
    CatchUp {
        /// Show the changes without saving them.
        #[arg(long)]
        dry_run: bool,
    },
    /// A sick day, holiday or break after planning: adds it and moves the work planned on it.
    #[command(
        after_help = "Examples:\n  brightpath day-off --start 2026-12-01 --kind sick --students Ben\n  brightpath day-off --start 2026-12-24 --end 2026-12-26 --kind holiday --name Christmas --dry-run"
    )]
    DayOff {
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: Option<String>,
        #[arg(long, value_enum, default_value = "sick")]
        kind: BreakKindArg,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_delimiter = ',')]
        students: Vec<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Why is a session where it is?
    Why { session: String },
    /// Pacing per course and child: done against expected, projected finish, suggestions.
    Progress {
        #[arg(long)]
        student: Option<String>,
    },
    /// Records for officials: attendance, hours, progress.
    #[command(
        after_help = "Examples:\n  brightpath report attendance --from 2026-08-17 --to 2026-12-18\n  brightpath report hours --student Ben --format html --output ben-hours.html"
    )]
    Report(ReportArgs),
    /// Export the plan as an iCalendar file.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Background jobs (operators): list, show, retry, purge, dead, enqueue.
    #[command(subcommand)]
    Jobs(JobsCmd),
    /// The database: migrate, status.
    #[command(subcommand)]
    Db(DbCmd),
    /// Configuration: show the effective settings and where each came from.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  brightpath completions bash > ~/.local/share/bash-completion/completions/brightpath"
    )]
    Completions { shell: clap_complete::Shell },
    /// The interactive terminal planner.
    Tui,
    /// The HTTP server for the web app (not in this build yet).
    #[command(hide = true)]
    Serve,
    /// The background job worker (needs a database and, for a shared deployment, Valkey).
    #[command(
        after_help = "Example:\n  BRIGHTPATH_VALKEY_URL=valkey://127.0.0.1:6379 brightpath worker --concurrency 4 --metrics 127.0.0.1:9187"
    )]
    Worker(WorkerArgs),
}

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
    /// Where to build the demo (default: demo.db in the data directory; replaced each run).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FamilyCmd {
    /// List families.
    List,
    /// Show the family's school at a glance.
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
    Remove {
        student: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GuardianCmd {
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
    Remove {
        guardian: String,
    },
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
    Remove {
        year: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BreakKindArg {
    Break,
    Holiday,
    Sick,
}

#[derive(Debug, Subcommand)]
pub enum BreakCmd {
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
    Remove {
        id: String,
    },
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
    /// Allowed weekdays, e.g. mon,wed,fri.
    #[arg(long)]
    pub days: Option<String>,
    /// Priority 1-10: higher is dropped last in a full week.
    #[arg(long)]
    pub priority: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CourseCmd {
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
    Remove {
        course: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnrollmentCmd {
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
    Remove {
        student: String,
        course: String,
    },
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
    /// Children who attend (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub students: Vec<String>,
    /// Guardians who attend (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub guardians: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    List,
    /// Add a fixed event.
    #[command(
        after_help = "Examples:\n  brightpath event add 'Co-op morning' --weekly wed --time 09:00-12:00 --away --students Ada,Ben,Cora --guardians Maria\n  brightpath event add Dentist --on 2026-12-03 --time 14:00-15:00 --away --students Ben --guardians Sam"
    )]
    Add {
        name: String,
        #[command(flatten)]
        fields: EventFields,
    },
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
    Remove {
        event: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExceptionCmd {
    /// Ben is free only 13:00-15:00 on 2026-12-02: `exception add Ben --date 2026-12-02 --hours 13:00-15:00`.
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
    },
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
        after_help = "Examples:\n  brightpath curriculum import math5.csv --course 'Math 5'\n  brightpath curriculum import examples/curricula/all.csv   (with a course column)"
    )]
    Import {
        file: PathBuf,
        #[arg(long)]
        course: Option<String>,
        /// Default: from the file's extension.
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
    },
    /// Show a course's lessons and each child's position.
    Show { course: String },
}

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Solve a plan request (the weekly-plan format) from a file: JSON in, JSON out.
    #[command(
        after_help = "Example:\n  brightpath plan solve --input week.json --output plan.json --seed 1 --time-limit 2s"
    )]
    Solve {
        #[arg(long, value_name = "FILE|-")]
        input: String,
        #[arg(long, value_name = "FILE|-", default_value = "-")]
        output: String,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Search longer for a better plan, e.g. 500ms, 2s, 1m.
        #[arg(long, value_parser = parse_duration)]
        time_limit: Option<std::time::Duration>,
    },
    /// Plan a week from the database and save it (done and pinned sessions stay).
    #[command(
        after_help = "Examples:\n  brightpath plan week\n  brightpath plan week --week 2026-W37 --dry-run\n  brightpath plan week --all --json"
    )]
    Week {
        /// Any date in the week, or an ISO week like 2026-W37 (default: this week; next week at the weekend).
        #[arg(long)]
        week: Option<String>,
        /// Plan every family in the database.
        #[arg(long, conflicts_with = "family")]
        all: bool,
        /// Show what would be planned without saving.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, value_parser = parse_duration)]
        time_limit: Option<std::time::Duration>,
        /// Families planned at once with --all (default: the number of cores).
        #[arg(long)]
        concurrency: Option<usize>,
    },
    /// Show a week's plan as a grid per child and per parent.
    Show {
        #[arg(long)]
        week: Option<String>,
        /// Only this child.
        #[arg(long)]
        student: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Another day (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Apply pending migrations.
    Migrate,
    /// Show which migrations are applied.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective settings (secrets redacted) and where each came from.
    Show,
}

/// Parses `250ms`, `2s`, `1m` or a bare number of milliseconds.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map(|i| t.split_at(i))
        .unwrap_or((t, "ms"));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 500ms, 2s or 1m"))?;
    let ms = match unit {
        "ms" => n,
        "s" => n.saturating_mul(1000),
        "m" => n.saturating_mul(60_000),
        _ => return Err(format!("{text:?}: unknown unit {unit:?} (use ms, s or m)")),
    };
    Ok(std::time::Duration::from_millis(ms))
}

#[derive(Debug, Args, Default)]
pub struct SelectArgs {
    /// Session ids (or unique prefixes; `plan show --csv` lists them).
    pub sessions: Vec<String>,
    /// Every session on this day.
    #[arg(long)]
    pub date: Option<String>,
    /// Every session today.
    #[arg(long, conflicts_with = "date")]
    pub today: bool,
    /// Every session in this week (any date in it, or 2026-W49).
    #[arg(long)]
    pub week: Option<String>,
    /// Only this child's sessions.
    #[arg(long)]
    pub student: Option<String>,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Minutes it really took (default: as planned).
    #[arg(long)]
    pub minutes: Option<u32>,
    #[arg(long)]
    pub grade: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// 1 (checked out) to 5 (absorbed).
    #[arg(long)]
    pub engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard).
    #[arg(long)]
    pub difficulty: Option<u8>,
    /// Only part of the lesson was done: it stays due.
    #[arg(long)]
    pub partial: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportKind {
    Attendance,
    Hours,
    Progress,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    Md,
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    pub kind: ReportKind,
    #[arg(long, value_delimiter = ',')]
    pub student: Vec<String>,
    /// Default: the start of the school year.
    #[arg(long)]
    pub from: Option<String>,
    /// Default: today.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write to a file instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Minutes of work that make a school day count as attended.
    #[arg(long, default_value_t = 1)]
    pub min_minutes: u32,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// RFC 5545 calendar of the sessions (UTC times, stable UIDs).
    #[command(
        after_help = "Example:\n  brightpath export ics --student Ben --from 2026-11-30 --to 2026-12-31 --output ben.ics"
    )]
    Ics {
        #[arg(long, value_delimiter = ',')]
        student: Vec<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Queues to serve, in order (default: default,schedules,ml,notifications).
    #[arg(long, value_delimiter = ',')]
    pub queues: Vec<String>,
    /// Jobs run at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Serve /metrics and /healthz here, e.g. 127.0.0.1:9187.
    #[arg(long)]
    pub metrics: Option<std::net::SocketAddr>,
    /// Do not run the recurring-job scheduler in this worker.
    #[arg(long)]
    pub no_schedules: bool,
}

#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// Recent jobs, newest first.
    List {
        #[arg(long)]
        queue: Option<String>,
        /// queued, running, succeeded, failed or dead.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One job with its payload, result or error.
    Show { id: String },
    /// Run a failed or dead job again.
    Retry { id: String },
    /// Remove finished (succeeded, dead) job records.
    Purge {
        #[arg(long)]
        queue: Option<String>,
        /// Only dead jobs.
        #[arg(long)]
        dead: bool,
    },
    /// The dead-letter queue.
    Dead {
        /// Only this queue (default: all).
        #[arg(long)]
        queue: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Enqueue a job (for scripts).
    #[command(
        after_help = "Examples:\n  brightpath jobs enqueue plan.week --payload '{\"family_id\": \"...\"}' --queue schedules\n  brightpath jobs enqueue system.echo --payload '{\"hi\": 1}' --key once-only"
    )]
    Enqueue {
        kind: String,
        #[arg(long, default_value = "{}")]
        payload: String,
        #[arg(long, default_value = "default")]
        queue: String,
        /// Urgent: taken before normal jobs.
        #[arg(long)]
        urgent: bool,
        /// Idempotency key: a second enqueue with the same key is ignored.
        #[arg(long)]
        key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CoopCmd {
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
    Join {
        coop: String,
    },
    /// Take the family out of its co-op.
    Leave,
    /// Name a co-op admin.
    Admin {
        coop: String,
        name: String,
        #[arg(long)]
        email: Option<String>,
    },
}
