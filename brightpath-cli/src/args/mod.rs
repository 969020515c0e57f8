//! The command line: every command, flag and example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[cfg(test)]
mod help_tests;
mod ops;
mod school;
mod work;

pub use ops::*;
pub use school::*;
pub use work::*;

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

Settings (defaults < config file < environment < flags; `brightpath config show` lists them all):
  BRIGHTPATH_CONFIG (the config file), BRIGHTPATH_DATABASE_URL, BRIGHTPATH_VALKEY_URL,
  BRIGHTPATH_LOG_FORMAT, BRIGHTPATH_COLOR, NO_COLOR, BRIGHTPATH_TODAY (a fixed date for scripts
  and tests); sections nest with a double underscore: BRIGHTPATH_SMTP__HOST, BRIGHTPATH_TUI__MOUSE";

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
    #[command(
        after_help = "Examples:\n  brightpath demo\n  brightpath demo --file demo.db\n  brightpath --db sqlite:///tmp/demo.db demo"
    )]
    Demo(DemoArgs),
    /// Co-ops: groups of families with their own admins.
    #[command(subcommand, alias = "coops")]
    #[command(
        after_help = "Examples:\n  brightpath coop list\n  brightpath --family 'Rivera Family' coop join 'Riverside Co-op'"
    )]
    Coop(CoopCmd),
    /// Families in the database.
    #[command(subcommand)]
    #[command(after_help = "Examples:\n  brightpath family list\n  brightpath family show --json")]
    Family(FamilyCmd),
    /// Children: list, add, edit, remove.
    #[command(subcommand, alias = "students")]
    #[command(
        after_help = "Examples:\n  brightpath student list\n  brightpath student add Ada --hours 'mon-fri 08:30-11:30'"
    )]
    Student(StudentCmd),
    /// Guardians (the teachers of the plan): list, add, edit, remove.
    #[command(subcommand, alias = "guardians")]
    #[command(
        after_help = "Examples:\n  brightpath guardian list\n  brightpath guardian add Sam --hours 'mon-fri 13:00-16:00'"
    )]
    Guardian(GuardianCmd),
    /// School years: list, add, edit, remove.
    #[command(subcommand, alias = "years")]
    #[command(
        after_help = "Examples:\n  brightpath year list\n  brightpath year add 2026-27 --start 2026-08-17 --end 2027-05-28"
    )]
    Year(YearCmd),
    /// Breaks, holidays and sick days: list, add, remove.
    #[command(subcommand, alias = "breaks")]
    #[command(
        after_help = "Examples:\n  brightpath break list\n  brightpath break add 'Winter break' --start 2026-12-21 --end 2027-01-01"
    )]
    Break(BreakCmd),
    /// Courses: list, add, edit, remove.
    #[command(subcommand, alias = "courses")]
    #[command(
        after_help = "Examples:\n  brightpath course list\n  brightpath course add 'Math 5' --subject math --minutes 45 --per-week 5 --teacher Maria --students Ben"
    )]
    Course(CourseCmd),
    /// Which child takes which course: list, add, remove.
    #[command(subcommand, alias = "enrollments", alias = "enroll")]
    #[command(
        after_help = "Examples:\n  brightpath enrollment list\n  brightpath enrollment add Ben 'Math 5' --start-at 12"
    )]
    Enrollment(EnrollmentCmd),
    /// Fixed events (co-op mornings, lessons, appointments): list, add, edit, remove.
    #[command(subcommand, alias = "events")]
    #[command(
        after_help = "Examples:\n  brightpath event list\n  brightpath event add 'Co-op morning' --weekly wed --time 09:00-12:00 --away --students Ada,Ben"
    )]
    Event(EventCmd),
    /// A person's availability on one date differs from the weekly pattern.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath exception add Ben --date 2026-12-02 --hours 13:00-15:00\n  brightpath exception list"
    )]
    Exception(ExceptionCmd),
    /// The ordered lessons of a course: import and show.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath curriculum import math5.csv --course 'Math 5'\n  brightpath curriculum show 'Math 5'"
    )]
    Curriculum(CurriculumCmd),
    /// Weekly plans: solve a request file, plan a week, show it.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath plan week\n  brightpath plan show --student Ben\n  brightpath plan solve --input week.json --output plan.json"
    )]
    Plan(PlanCmd),
    /// Each child's lessons for today, in order.
    #[command(
        after_help = "Examples:\n  brightpath today\n  brightpath today --date 2026-12-02 --json"
    )]
    Today(TodayArgs),
    /// Mark sessions done (or partly done), by id or by day/week, for one child or all.
    #[command(
        after_help = "Examples:\n  brightpath done --today                 everything planned today, for everyone\n  brightpath done --date 2026-12-01 --student Ben --minutes 40 --engagement 4\n  brightpath done 3f2a9c1e --partial --note 'got halfway'\n  brightpath done 3f2a9c1e --student Ada --engagement 5 --difficulty 2   a group lesson: Ada's own rating\n  brightpath done 3f2a9c1e --student Ben --engagement 2                  then Ben's"
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
        /// The version you read: refused as a conflict if it changed since.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Pin a session where it is (re-planning leaves it alone).
    #[command(
        after_help = "Examples:\n  brightpath pin 3f2a9c1e\n  brightpath pin 3f2a9c1e --if-version 4   refused (exit 4) if someone changed it since version 4"
    )]
    Pin {
        session: String,
        /// The version you read (`plan show --csv`): refused as a conflict if it changed since.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Unpin a session.
    #[command(after_help = "Example:\n  brightpath unpin 3f2a9c1e")]
    Unpin {
        session: String,
        /// The version you read: refused as a conflict if it changed since.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Undo your own last change (the actor in `history`).
    #[command(
        after_help = "Your last change is undone, not another parent's. If someone else has changed\nthe same sessions since, or the newest change is theirs, undo says whose it is;\n--force undoes the newest change, whoever made it.\n\nExamples:\n  brightpath undo\n  brightpath undo --force"
    )]
    Undo {
        /// Undo the newest change, whoever made it.
        #[arg(long)]
        force: bool,
    },
    /// The history of changes: who changed what and when.
    #[command(
        after_help = "Examples:\n  brightpath history\n  brightpath history --limit 100 --json"
    )]
    History {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Re-plan the rest of this week around what was missed.
    #[command(
        after_help = "Examples:\n  brightpath catch-up --dry-run   (show what would move)\n  brightpath catch-up"
    )]
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
    #[command(
        after_help = "Example:\n  brightpath why 3f2a9c1e   (a session id or its first 4+ characters, from plan show --csv)"
    )]
    Why { session: String },
    /// Pacing per course and child: done against expected, projected finish, suggestions.
    #[command(
        after_help = "Examples:\n  brightpath progress\n  brightpath progress --student Ben --json"
    )]
    Progress {
        #[arg(long)]
        student: Option<String>,
    },
    /// What the feedback teaches: real lesson lengths per child and course, best hours, suggestions.
    #[command(
        after_help = "Lengths and engagement are learned from marked lessons (minutes, engagement);\na model is used only where it beats the plain averages on the latest weeks.\n\nExamples:\n  brightpath insights\n  brightpath insights --student Ben --json"
    )]
    Insights(InsightsArgs),
    /// Records for officials: attendance, hours, progress.
    #[command(
        after_help = "Examples:\n  brightpath report attendance --from 2026-08-17 --to 2026-12-18\n  brightpath report hours --student Ben --format html --output ben-hours.html"
    )]
    Report(ReportArgs),
    /// Export the plan as an iCalendar file, or a co-op's roster as OneRoster.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath export ics --student Ben --output ben.ics\n  brightpath export oneroster --coop 'Riverside Co-op' -o roster.zip"
    )]
    Export(ExportCmd),
    /// Import a co-op's roster: families, children, classes and enrollments.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath import oneroster roster.zip --coop 'Riverside Co-op' --dry-run\n  brightpath import oneroster ./roster/ --coop 'Riverside Co-op' --json\n  brightpath import csv class_meetings.csv family_time_zones.csv --coop 'Riverside Co-op'\n\nFormats, mapping and errors: docs/import.md"
    )]
    Import(ImportCmd),
    /// Background jobs (operators): list, show, retry, purge, dead, enqueue.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath jobs list --status failed\n  brightpath jobs retry 3f2a9c1e"
    )]
    Jobs(JobsCmd),
    /// The database: migrate, status.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath db status\n  brightpath --db postgres://user@host/brightpath db migrate"
    )]
    Db(DbCmd),
    /// Write a backup of the whole database, or of the family named by
    /// --family, to a file that `restore` reads on SQLite or PostgreSQL.
    #[command(
        after_help = "Examples:\n  brightpath backup -o school.bpbackup\n  brightpath --family 'Rivera Family' backup -o rivera.bpbackup\n  brightpath backup --to s3://coop-files/backups/\n  brightpath --db postgres://bp@coop.example.org/brightpath restore rivera.bpbackup"
    )]
    Backup(BackupArgs),
    /// Restore a backup into this database (all of it or nothing; refused if
    /// one of its families is already here).
    #[command(
        after_help = "Examples:\n  brightpath restore school.bpbackup\n  brightpath restore s3://coop-files/backups/brightpath-20261201T030000Z.bpbackup\n  brightpath --db sqlite:///home/ana/new.db restore school.bpbackup"
    )]
    Restore {
        /// The backup file (`brightpath backup -o FILE`), or s3://BUCKET/KEY.
        file: String,
    },
    /// Configuration: show the effective settings and where each came from.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  brightpath config show\n  BRIGHTPATH_LOG_FORMAT=json brightpath config show --json\n  BRIGHTPATH_SMTP__HOST=127.0.0.1 brightpath config show"
    )]
    Config(ConfigCmd),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  brightpath completions bash > ~/.local/share/bash-completion/completions/brightpath"
    )]
    Completions { shell: clap_complete::Shell },
    /// The interactive terminal planner.
    #[command(
        after_help = "Examples:\n  brightpath tui\n  brightpath --family 'Rivera Family' tui"
    )]
    Tui,
    /// The HTTP API for the web app and scripts, on the same database. On a
    /// loopback address it prints a one-time sign-in link; without a
    /// sign-in provider it refuses any other address.
    #[command(
        after_help = "Examples:\n  brightpath serve                          (http://127.0.0.1:8080, prints a sign-in link)\n  brightpath serve --listen 127.0.0.1:9000\n  curl -s http://127.0.0.1:8080/readyz"
    )]
    Serve(ServeArgs),
    /// Calendar feeds that `serve` publishes for calendar apps to subscribe to.
    #[command(
        subcommand,
        after_help = "Examples:\n  brightpath feed create\n  brightpath feed revoke TOKEN"
    )]
    Feed(FeedCmd),
    /// API tokens for scripts and cron jobs (`Authorization: Bearer …` to `serve`).
    #[command(
        subcommand,
        after_help = "Examples:\n  brightpath token create --name 'weekly plans' --scope write --expires 90d\n  brightpath token create --name 'co-op import' --scope admin --email admin@coop.example.org\n  brightpath token list --json\n  brightpath token revoke 5d0c…"
    )]
    Token(TokenCmd),
    /// The background job worker (needs a database and, for a shared deployment, Valkey).
    #[command(
        after_help = "Example:\n  BRIGHTPATH_VALKEY_URL=valkey://127.0.0.1:6379 brightpath worker --concurrency 4 --metrics 127.0.0.1:9187"
    )]
    Worker(WorkerArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("dest").required(true).args(["output", "to"])))]
pub struct BackupArgs {
    /// Where to write the backup (written whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Or: put it in the object store (settings s3.*), at s3://BUCKET/KEY,
    /// or s3://BUCKET/PREFIX/ for a name with the time.
    #[arg(long, value_name = "S3_URL")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// A new token; its secret is printed once and stored only as a digest.
    #[command(
        after_help = "Examples:\n  brightpath token create --name 'weekly plans' --scope write --expires 90d\n  brightpath --json token create --name 'co-op import' --scope admin --email admin@coop.example.org"
    )]
    Create {
        /// What it is for.
        #[arg(long)]
        name: String,
        /// read (GET only), write (plans, marks, the school) or admin (also tokens, invitations, imports).
        #[arg(long, default_value = "write", value_parser = ["read", "write", "admin"])]
        scope: String,
        /// Lifetime: days, e.g. 90d or 90 (at most 366).
        #[arg(long, default_value = "90d")]
        expires: String,
        /// Act as this person (walled to their families, as a sign-in would be);
        /// default: this computer's actor, who may use every family.
        #[arg(long)]
        email: Option<String>,
    },
    /// Tokens made for an actor (never their secrets).
    #[command(
        after_help = "Examples:\n  brightpath token list\n  brightpath --json token list --email admin@coop.example.org"
    )]
    List {
        /// Whose tokens (default: this computer's actor).
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke a token by its id (from `token list`).
    #[command(after_help = "Example:\n  brightpath token revoke 5d0c2f9e-…")]
    Revoke {
        id: String,
        #[arg(long)]
        email: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedCmd {
    /// A new secret feed URL for the family's calendar (`serve` answers it).
    #[command(
        after_help = "Examples:\n  brightpath feed create\n  BRIGHTPATH_SERVER__PUBLIC_URL=https://school.example.org brightpath feed create --json"
    )]
    Create,
    /// Revoke a feed: calendars subscribed to it stop updating.
    #[command(
        after_help = "Example:\n  brightpath feed revoke 3f9c…   (the token in the feed's URL)"
    )]
    Revoke { token: String },
}
