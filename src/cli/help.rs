//! `--help` in the clerk's language. The clap definitions keep English doc
//! comments for the reader of the code; what a clerk reads comes from
//! `assets/i18n/help.*.toml`: each command's `about` and example, each flag's
//! help (its own, else the one its id has everywhere), the choice flags'
//! values and labels, and the accepted time formats where a command takes a time.

use clap::{Arg, Command, CommandFactory as _};

use super::Cli;
use super::choice::Choice;
use crate::domain::StepKind;
use crate::words::lang::find;
use crate::words::{Lang, t};

/// The whole command line, its help in `lang`, ready to parse.
#[must_use]
pub fn command(lang: Lang) -> Command {
    let mut cmd = localise(Cli::command(), lang, "casedesk", &mut Vec::new());
    cmd.build();
    finish(cmd, lang)
}

/// The command line for its manual pages: as [`command`], without the
/// `help` commands (a page each would say nothing).
#[must_use]
pub fn manual(lang: Lang) -> Command {
    fn without_help(cmd: Command) -> Command {
        let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
        names.iter().fold(cmd.disable_help_subcommand(true), |cmd, name| {
            cmd.mut_subcommand(name, without_help)
        })
    }
    let mut cmd = without_help(localise(Cli::command(), lang, "casedesk", &mut Vec::new()));
    cmd.build();
    finish(cmd, lang)
}

/// The commands and flags that have no help of their own in `lang` (for the
/// test that none is missing).
#[must_use]
pub fn missing(lang: Lang) -> Vec<String> {
    let mut missing = Vec::new();
    let mut cmd = localise(Cli::command(), lang, "casedesk", &mut missing);
    cmd.build();
    let cmd = finish(cmd, lang);
    // The help and version flags clap adds, in every command.
    for id in ["help", "version"] {
        if find(lang, &format!("help.flag.{id}")).is_none() {
            missing.push(format!("--{id}"));
        }
    }
    drop(cmd);
    missing
}

/// The help text of the flag `id` of the command at `path`: its own, else its id's.
fn arg_help(lang: Lang, path: &str, id: &str) -> Option<String> {
    find(lang, &format!("help.arg.{path} {id}")).or_else(|| find(lang, &format!("help.flag.{id}")))
}

/// The example and, when the command takes a time, the time formats.
fn after_help(lang: Lang, path: &str, takes_time: bool) -> Option<String> {
    let example = find(lang, &format!("help.example.{path}"))?;
    let mut text = format!("{}\n", t(lang, "help.example_heading"));
    for line in example.lines() {
        text.push_str(&format!("  {line}\n"));
    }
    if takes_time {
        text.push('\n');
        text.push_str(&t(lang, "help.time_formats"));
    }
    Some(text.trim_end().to_string())
}

/// Whether an argument is a time (its value name says so).
fn is_time(arg: &Arg) -> bool {
    arg.get_value_names()
        .is_some_and(|names| names.iter().any(|n| n.as_str() == "TIME" || n.as_str() == "DATE"))
}

/// Puts `lang`'s words on `cmd` (at `path`) and on its subcommands; notes
/// what has none in `missing`.
fn localise(mut cmd: Command, lang: Lang, path: &str, missing: &mut Vec<String>) -> Command {
    match find(lang, &format!("help.about.{path}")) {
        Some(about) => cmd = cmd.about(about),
        None => missing.push(path.to_string()),
    }
    let takes_time = cmd.get_arguments().any(is_time) || path == "casedesk";
    match after_help(lang, path, takes_time) {
        Some(text) => cmd = cmd.after_help(text),
        None => missing.push(format!("{path} (example)")),
    }
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        let help = arg_help(lang, path, &id);
        if help.is_none() {
            missing.push(format!("{path} --{id}"));
        }
        cmd = cmd.mut_arg(&id, |mut arg| {
            if let Some(help) = help {
                arg = arg.help(help);
            }
            if let Some(choice) = Choice::of_flag(lang, &id) {
                arg = arg.value_parser(choice);
            }
            super::complete::from_desk(arg, &id)
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub_path = if path == "casedesk" {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = match StepKind::from_cli_name(&name).filter(|_| path == "case" || path == "case batch") {
            // A lifecycle step is made from its description, in the clerk's language.
            Some(kind) if path == "case" => cmd.mut_subcommand(&name, |_| super::step::subcommand(kind, lang)),
            Some(kind) => cmd.mut_subcommand(&name, |_| super::links::batch_step(kind, lang)),
            None => cmd.mut_subcommand(&name, |sub| localise(sub, lang, &sub_path, missing)),
        };
    }
    cmd
}

/// After clap has added its own flags and the `help` command: their words,
/// and Chinese headings.
fn finish(mut cmd: Command, lang: Lang) -> Command {
    if lang == Lang::Zh {
        cmd = cmd
            .help_template(format!(
                "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
                t(lang, "help.usage")
            ))
            .subcommand_help_heading(t(lang, "help.commands"))
            .subcommand_value_name(t(lang, "help.command"));
    }
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        cmd = cmd.mut_arg(&id, |mut arg| {
            if matches!(id.as_str(), "help" | "version")
                && let Some(help) = find(lang, &format!("help.flag.{id}"))
            {
                arg = arg.help(help.clone()).long_help(help);
            }
            if lang == Lang::Zh {
                arg = possible_values_in_words(arg, lang);
            }
            // The desk's files and language, the same in every command, apart
            // from the command's own flags.
            if arg.is_global_set() {
                arg = arg.help_heading(t(lang, "help.global_options"));
            } else if lang == Lang::Zh && arg.get_help_heading().is_none() {
                let heading = if arg.is_positional() {
                    "help.arguments"
                } else {
                    "help.options"
                };
                arg = arg.help_heading(t(lang, heading));
            }
            arg
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = if name == "help" {
                sub.about(t(lang, "help.about.help"))
            } else {
                sub
            };
            finish(sub, lang)
        });
    }
    cmd
}

/// A choice flag's values, listed in the help's own words (clap lists
/// them under English headings); completion still offers them.
fn possible_values_in_words(arg: Arg, lang: Lang) -> Arg {
    let values = arg.get_possible_values();
    if values.is_empty() || arg.is_hide_possible_values_set() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let codes: Vec<&str> = values.iter().map(clap::builder::PossibleValue::get_name).collect();
    let short = format!("{help} ［{}{}］", t(lang, "help.values"), codes.join(", "));
    let width = codes.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut long = format!("{help}\n\n{}", t(lang, "help.values_or_labels"));
    for v in &values {
        let label = v.get_help().map(ToString::to_string).unwrap_or_default();
        long.push_str(&format!("\n- {:width$}  {label}", v.get_name()));
    }
    arg.hide_possible_values(true).help(short).long_help(long)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_flag_has_help_and_every_command_an_example_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(missing(lang), Vec::<String>::new(), "{lang:?}");
        }
    }

    #[test]
    fn a_choice_flag_takes_the_label_the_screens_show() {
        let m = command(Lang::En)
            .try_get_matches_from([
                "casedesk",
                "case",
                "list",
                "--state",
                &t(Lang::Zh, "enum.state.assigned"),
            ])
            .unwrap();
        let (_, case) = m.subcommand().unwrap();
        let (_, list) = case.subcommand().unwrap();
        assert_eq!(list.get_one::<String>("state").map(String::as_str), Some("assigned"));
    }
}
