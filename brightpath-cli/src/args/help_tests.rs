//! Every command's `--help` ends with examples (README promises one on every
//! command).

use clap::CommandFactory;

use super::Cli;

fn missing(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
    for sub in cmd.get_subcommands() {
        let name = format!("{path} {}", sub.get_name());
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let help = sub.clone().render_help().to_string();
        if !help.contains("Example:") && !help.contains("Examples:") {
            out.push(name.trim().to_string());
        }
        missing(sub, &name, out);
    }
}

#[test]
fn every_command_help_has_an_examples_section() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    missing(&cmd, "", &mut out);
    assert!(
        out.is_empty(),
        "no examples in --help of: {}",
        out.join(", ")
    );
}

/// The `brightpath …` commands in `text` (quoted, or an example's line), as
/// words.
fn quoted_commands(text: &str) -> Vec<Vec<String>> {
    let quoted = text.split('`').skip(1).step_by(2);
    let examples = text.lines().map(str::trim_start);
    quoted
        .chain(examples)
        .filter_map(|q| q.strip_prefix("brightpath "))
        .map(|q| q.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// Whether the subcommands at the start of `words` exist (arguments after
/// them, and a command that starts with an option, are not checked).
fn resolves(root: &clap::Command, words: &[String]) -> bool {
    let mut cmd = root;
    for w in words {
        if w.starts_with('-') || !cmd.has_subcommands() {
            return true;
        }
        match cmd.find_subcommand(w) {
            Some(c) => cmd = c,
            None => return false,
        }
    }
    true
}

fn helps(cmd: &clap::Command, out: &mut Vec<(String, String)>) {
    out.push((
        cmd.get_name().to_string(),
        cmd.clone().render_long_help().to_string(),
    ));
    for sub in cmd.get_subcommands() {
        helps(sub, out);
    }
}

/// A command that help text or an error's remedy tells the user to run
/// exists (a hint once named `co-op list`, and a help `coop create`).
#[test]
fn every_command_named_in_help_or_a_remedy_exists() {
    let mut root = Cli::command();
    root.build();
    let mut texts = Vec::new();
    helps(&root, &mut texts);
    // The kinds core can fail to find by name, and the other remedies.
    let kinds = [
        "break",
        "co-op",
        "course",
        "event",
        "family",
        "guardian",
        "school year",
        "student",
        "availability exception",
        "session",
    ];
    use brightpath_core::Remedy;
    for kind in kinds {
        let r = crate::output::remedy(&Remedy::List(kind));
        texts.push((format!("remedy for a missing {kind}"), r));
    }
    for r in [
        Remedy::CreateFamily,
        Remedy::ChooseFamily,
        Remedy::AddSchoolYear,
        Remedy::ForceUndo,
    ] {
        texts.push((format!("{r:?}"), crate::output::remedy(&r)));
    }
    let mut wrong = Vec::new();
    let mut seen = 0;
    for (place, text) in &texts {
        for words in quoted_commands(text) {
            seen += 1;
            if !resolves(&root, &words) {
                wrong.push(format!("{place}: brightpath {}", words.join(" ")));
            }
        }
    }
    assert!(seen > 100, "the scan found only {seen} commands");
    assert!(
        wrong.is_empty(),
        "commands that do not exist:\n{}",
        wrong.join("\n")
    );
}
