//! All output goes through here: tables for people, JSON or CSV for scripts,
//! and errors with their hint and exit code.

use std::io::{IsTerminal, Write};

use brightpath_core::config::ColorChoice;
use brightpath_core::{Error, ErrorKind, Remedy};
use comfy_table::{ContentArrangement, Table as Comfy, presets};
use serde::Serialize;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Csv,
}

#[derive(Debug, Clone)]
pub struct Ui {
    pub format: Format,
    pub color: bool,
    pub quiet: bool,
}

/// A table that can be drawn for people or written as CSV.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// The table drawn as text; `plain` for a file or a pipe (no colour, no
    /// terminal width).
    pub fn render(&self, plain: bool) -> String {
        let mut t = Comfy::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if plain {
            t.force_no_tty();
        }
        t.set_header(&self.headers);
        for r in &self.rows {
            t.add_row(r);
        }
        format!("{t}\n")
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

impl Ui {
    /// Prints a result: `json` for --json, `table` for --csv and people.
    pub fn emit<T: Serialize>(&self, json: &T, table: &Table) -> anyhow::Result<()> {
        match self.format {
            Format::Json => self.json(json),
            Format::Csv => self.csv(table),
            Format::Human => {
                self.table(table);
                Ok(())
            }
        }
    }

    pub fn json<T: Serialize>(&self, value: &T) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        out(&format!("{text}\n"));
        Ok(())
    }

    /// Prints `value` as JSON with --json; otherwise the confirmation said it all.
    pub fn json_or_nothing<T: Serialize>(&self, value: &T) -> anyhow::Result<()> {
        if self.format == Format::Json {
            self.json(value)
        } else {
            Ok(())
        }
    }

    pub fn csv(&self, table: &Table) -> anyhow::Result<()> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&table.headers)?;
        for r in &table.rows {
            w.write_record(r)?;
        }
        out(&String::from_utf8_lossy(&w.into_inner()?));
        Ok(())
    }

    pub fn table(&self, table: &Table) {
        if table.rows.is_empty() {
            self.note("(none)");
            return;
        }
        out(&table.render(!self.color));
    }

    /// A line for people (suppressed by --quiet and in JSON/CSV modes).
    pub fn say(&self, text: &str) {
        if self.format == Format::Human && !self.quiet {
            out(&format!("{text}\n"));
        }
    }

    /// A confirmation on stderr, so stdout stays clean for scripts.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    pub fn heading(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// Whether colour is wanted: the `color` setting (`--color`, `BRIGHTPATH_COLOR`,
/// the file), then under `auto` `NO_COLOR` and a terminal on stdout.
pub fn want_color(choice: ColorChoice) -> bool {
    let no_color = std::env::var_os("NO_COLOR").map(|v| v.to_string_lossy().into_owned());
    choice.wanted(no_color.as_deref(), std::io::stdout().is_terminal())
}

/// Exit codes, documented in `brightpath --help` and docs/cli.md.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const INVALID: i32 = 2;
    pub const NOT_FOUND: i32 = 3;
    pub const CONFLICT: i32 = 4;
    pub const UNAVAILABLE: i32 = 5;
    pub const FORBIDDEN: i32 = 6;
    pub const INTERNAL: i32 = 70;
}

pub fn exit_code(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::Invalid => exit::INVALID,
        ErrorKind::NotFound => exit::NOT_FOUND,
        ErrorKind::Conflict => exit::CONFLICT,
        ErrorKind::Unavailable => exit::UNAVAILABLE,
        ErrorKind::Forbidden => exit::FORBIDDEN,
        ErrorKind::Internal => exit::INTERNAL,
    }
}

/// Core's remedy in this surface's words: the command that mends it.
pub fn remedy(r: &Remedy) -> String {
    match r {
        Remedy::List("session") => "`brightpath plan show --csv` lists session ids".into(),
        Remedy::List(kind) => {
            let noun = match *kind {
                "school year" => "year",
                "availability exception" => "exception",
                "co-op" => "coop",
                other => other,
            };
            format!("`brightpath {noun} list` shows them")
        }
        Remedy::CreateFamily => {
            "create one with `brightpath init`, or try `brightpath demo`".into()
        }
        Remedy::ChooseFamily => {
            "choose one with --family NAME (`brightpath family list` shows them)".into()
        }
        Remedy::FamilyExists => "choose another name, or use --family to work in it".into(),
        Remedy::AddSchoolYear => "add one with `brightpath year add`, or choose other dates".into(),
        Remedy::ForceUndo => {
            "`brightpath undo --force` undoes the newest change, whoever made it".into()
        }
        Remedy::SelectSessions => {
            "name sessions by id, or use --date / --week (with --student)".into()
        }
        Remedy::NameAttendees => "say who attends with --students and/or --guardians".into(),
        Remedy::NameCourse => "pass --course NAME or add a course column".into(),
        Remedy::SeePlan => "choose another time; `brightpath plan show` shows the week".into(),
        Remedy::DemoElsewhere => {
            "build a throwaway copy instead: `brightpath demo --file demo.db`".into()
        }
    }
}

/// Prints an error for people (or as JSON on stderr with --json) and returns the exit code.
pub fn report(err: &anyhow::Error, format: Format, color: bool) -> i32 {
    let (code, kind, hint) = match err.downcast_ref::<Error>() {
        Some(e) => (
            exit_code(e.kind()),
            e.kind().to_string(),
            e.remedy()
                .map(remedy)
                .or_else(|| e.hint().map(str::to_string)),
        ),
        None => (exit::FAILED, "failed".to_string(), None),
    };
    let message = format!("{err:#}");
    if format == Format::Json {
        let body = serde_json::json!({"error": {"kind": kind, "message": message, "hint": hint, "exit_code": code}});
        eprintln!("{body}");
    } else {
        let label = if color {
            "\x1b[31merror\x1b[0m"
        } else {
            "error"
        };
        eprintln!("{label}: {message}");
        if let Some(h) = hint {
            let label = if color { "\x1b[36mhint\x1b[0m" } else { "hint" };
            eprintln!("{label}: {h}");
        }
    }
    code
}

/// Some items of a batch failed; they were reported already.
#[derive(Debug)]
pub struct Failed(pub String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

/// A spinner on stderr while long work runs, for people at a terminal only
/// (hidden in JSON/CSV modes, with --quiet, and when stderr is not a terminal).
pub fn spinner(ui: &Ui, message: &str) -> indicatif::ProgressBar {
    if ui.format != Format::Human
        || ui.quiet
        || !std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new_spinner();
    b.set_message(message.to_string());
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    b
}
