//! The week's work: planning, marking, reports and exports.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

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
        /// Plan every family in the database. A family with no school year
        /// that week is skipped, not failed; exit 1 only if a plan failed.
        #[arg(long, conflicts_with = "family")]
        all: bool,
        /// Show what would be planned without saving.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, value_parser = parse_duration)]
        time_limit: Option<std::time::Duration>,
        /// Families planned at once with --all (default: the number of cores plus one).
        #[arg(long)]
        concurrency: Option<usize>,
        /// How hard to search: interactive (two threads, the default for one
        /// family) or batch (one thread and a smaller budget, the default with --all).
        #[arg(long, value_enum)]
        effort: Option<EffortArg>,
    },
    /// Show a week's plan as a grid per child and per parent.
    #[command(
        after_help = "Examples:\n  brightpath plan show\n  brightpath plan show --week 2026-W49 --student Ben\n  brightpath plan show --csv > week.csv   (with session ids)"
    )]
    Show {
        #[arg(long)]
        week: Option<String>,
        /// Only this child.
        #[arg(long)]
        student: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EffortArg {
    Interactive,
    Batch,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Another day (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
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
    /// Only this child's sessions. With `done`/`partial` and figures
    /// (--engagement, --difficulty, --minutes, --note): this child's own
    /// rating; of a group lesson, the other children's stay as they are
    /// (mark once per child).
    #[arg(long)]
    pub student: Option<String>,
    /// With one session id: the version you read (`plan show --csv`); the
    /// change is refused as a conflict (exit 4) if the session changed since.
    #[arg(long)]
    pub if_version: Option<i64>,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Minutes it really took, 1-1440. Without it none are recorded (not
    /// "as planned"): give them so that `insights` learns real lengths.
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
pub enum ImportCmd {
    /// A OneRoster 1.1 or 1.2 CSV set: a folder or a zip with manifest.csv
    /// (class_meetings.csv and family_time_zones.csv beside it are read too).
    #[command(
        after_help = "Examples:\n  brightpath import oneroster roster.zip --coop 'Riverside Co-op' --dry-run\n  brightpath import oneroster ./roster/ --coop 'Riverside Co-op'\n\nNothing is written unless every row is good; each bad row is listed with its file,\nline and column (exit 2). Importing the same files again changes nothing."
    )]
    Oneroster {
        /// The folder or zip.
        path: PathBuf,
        #[command(flatten)]
        target: ImportTarget,
    },
    /// BrightPath's CSV templates: class meetings (classSourcedId,day,start,end,place)
    /// and family time zones (userSourcedId,timeZone); see examples/roster/.
    #[command(
        after_help = "Examples:\n  brightpath import csv examples/roster/class_meetings.csv --coop 'Riverside Co-op'\n  brightpath import csv class_meetings.csv family_time_zones.csv --coop 'Riverside Co-op' --dry-run"
    )]
    Csv {
        /// The template files (told apart by their header).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        target: ImportTarget,
    },
}

#[derive(Debug, Args)]
pub struct ImportTarget {
    /// The co-op (name or id); create it first with `brightpath coop add`.
    #[arg(long)]
    pub coop: String,
    /// Check and show what would be created, updated and removed; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// A co-op's roster as a OneRoster 1.2 CSV zip (importing it back changes nothing).
    #[command(
        after_help = "Example:\n  brightpath export oneroster --coop 'Riverside Co-op' -o roster.zip"
    )]
    Oneroster {
        #[arg(long)]
        coop: String,
        /// The zip file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
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
    /// The feedback of marked sessions (minutes, engagement, difficulty,
    /// grade, note, when marked): one row per session and child.
    #[command(
        after_help = "One row per session and child. A group lesson is marked once; each child has the\nfigures of their own rating (`done ID --student NAME`), else the lesson's. Actual\nminutes are empty where none were given.\n\nExamples:\n  brightpath export feedback --output feedback.csv\n  brightpath export feedback --student Ben --format json --from 2026-09-01"
    )]
    Feedback {
        /// Only this child (name or id).
        #[arg(long)]
        student: Option<String>,
        /// Default: the start of the school year.
        #[arg(long)]
        from: Option<String>,
        /// Default: the end of the school year.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: FeedbackFormat,
        /// Write to a file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FeedbackFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// Only this child (name or id).
    #[arg(long)]
    pub student: Option<String>,
    /// Keep what was learned as the family's current model (a new version),
    /// for the planner to use when the setting learning is apply.
    #[arg(long)]
    pub train: bool,
}
