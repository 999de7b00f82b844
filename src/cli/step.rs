//! `casedesk case <step> NUMBER --as NAME --field VALUE …`: one subcommand per
//! lifecycle step, made from the step's description in the domain, so a new
//! step needs no clap definition of its own.

use std::collections::BTreeMap;

use clap::{Arg, ArgMatches, Args, FromArgMatches, Subcommand};

use super::Acting;
use crate::domain::StepKind;
use crate::domain::step::Input;
use crate::words::{Lang, t};

/// A lifecycle step on one case, as typed on the command line.
#[derive(Clone, Debug)]
pub struct StepCmd {
    /// Which step.
    pub kind: StepKind,
    /// Case number.
    pub number: String,
    /// Who acts, and the version they read.
    pub acting: Acting,
    /// What was given for the step's fields, by field name.
    pub values: BTreeMap<String, String>,
}

/// The subcommand of one step: the case number, `--as`, `--if-version`, then its fields.
fn subcommand(kind: StepKind) -> clap::Command {
    subcommand_on(kind, "NUMBER", "Case number")
}

/// The subcommand of one step on what `value_name` names (a case, a batch).
pub(super) fn subcommand_on(kind: StepKind, value_name: &'static str, help: &'static str) -> clap::Command {
    // Help is in English, like the rest of the command line's help.
    let lang = Lang::En;
    let mut cmd =
        clap::Command::new(kind.cli_name()).arg(Arg::new("number").required(true).value_name(value_name).help(help));
    // After `Acting`'s arguments: its doc comment would otherwise become the about.
    cmd = Acting::augment_args(cmd).about(t(lang, &format!("cli.step_about.{}", kind.code())));
    for field in kind.fields() {
        let mut arg = Arg::new(field.name)
            .long(field.name)
            .value_name(field.name.to_uppercase())
            .required(field.required)
            .help(t(lang, field.label));
        arg = match field.input {
            Input::Rating => arg.value_parser(clap::value_parser!(u8).range(0..=255)),
            Input::Choice(choices) => arg.help(format!(
                "{}: {}",
                t(lang, field.label),
                choices
                    .options()
                    .iter()
                    .map(|(code, _)| *code)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => arg,
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

impl FromArgMatches for StepCmd {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let Some(kind) = StepKind::from_cli_name(name) else {
            return Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand));
        };
        Ok(StepCmd {
            kind,
            number: sub.get_one::<String>("number").cloned().unwrap_or_default(),
            acting: Acting::from_arg_matches(sub)?,
            values: values_of(kind, sub),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// What was given for `kind`'s fields, by field name.
pub(super) fn values_of(kind: StepKind, sub: &ArgMatches) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for field in kind.fields() {
        let given = match field.input {
            Input::Rating => sub.get_one::<u8>(field.name).map(u8::to_string),
            _ => sub.get_one::<String>(field.name).cloned(),
        };
        if let Some(v) = given {
            values.insert(field.name.to_string(), v);
        }
    }
    values
}

impl Subcommand for StepCmd {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        StepKind::ALL
            .iter()
            .fold(cmd, |cmd, kind| cmd.subcommand(subcommand(*kind)))
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        StepKind::from_cli_name(name).is_some()
    }
}
