//! `brightpath`: the command line of BrightPath. It parses input, calls one core
//! service, and renders the result; all rules live in `brightpath-core`.

mod args;
mod cmd;
mod output;
mod render;

use brightpath_core::config::{ColorChoice, Config, LogFormat, unknown_variables};
use clap::Parser;

use crate::args::Cli;
use crate::output::{Format, Ui, report, want_color};

fn main() {
    let cli = Cli::parse();
    let format = if cli.global.json {
        Format::Json
    } else if cli.global.csv {
        Format::Csv
    } else {
        Format::Human
    };
    let env = |k: &str| std::env::var(k).ok();
    let config = Config::load(&cmd::overrides(&cli), &env);
    // The flag counts even when the settings could not be read, so the error
    // itself honours `--color never`.
    let choice = match (cli.global.color.as_deref(), &config) {
        (Some("always"), _) => ColorChoice::Always,
        (Some("never"), _) => ColorChoice::Never,
        (_, Ok(c)) => c.settings.color,
        (_, Err(_)) => ColorChoice::Auto,
    };
    let color = want_color(choice);
    let code = match config {
        Err(e) => report(&e.into(), format, color),
        Ok(config) => {
            // The TUI owns the screen: a log line there would garble it.
            let tui = matches!(cli.command, args::Command::Tui);
            init_logging(config.settings.log_format, tui);
            warn_of_unknown_variables();
            let ui = Ui {
                format,
                color,
                quiet: cli.global.quiet,
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build();
            match runtime {
                Err(e) => report(&e.into(), format, color),
                Ok(rt) => match rt.block_on(cmd::run(cli, config, ui)) {
                    Ok(()) => output::exit::OK,
                    Err(e) => report(&e, format, color),
                },
            }
        }
    };
    std::process::exit(code);
}

/// A misspelt `BRIGHTPATH_…` variable is ignored: say so (in the log, so
/// never on the TUI's screen).
fn warn_of_unknown_variables() {
    let names: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .collect();
    for name in unknown_variables(names.iter().map(String::as_str)) {
        tracing::warn!(
            variable = name,
            "not a BrightPath setting, ignored (brightpath config show lists them)"
        );
    }
}

fn init_logging(format: LogFormat, silent: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let writer = tracing_subscriber::fmt::writer::BoxMakeWriter::new(move || {
        if silent {
            Box::new(std::io::sink()) as Box<dyn std::io::Write>
        } else {
            Box::new(std::io::stderr())
        }
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if format == LogFormat::Json {
        builder.json().init();
    } else {
        builder.with_ansi(false).init();
    }
}
