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
