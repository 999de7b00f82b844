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

/// The subcommand of one step in `lang`: the case number, `--as`,
/// `--if-version`, then its fields, their help and choices from the same
/// words as the screens' forms.
pub(super) fn subcommand(kind: StepKind, lang: Lang) -> clap::Command {
    subcommand_on(kind, lang, On::CASE)
}

/// What a step's subcommand acts on: a case, or a batch incident's cases.
#[derive(Clone, Copy)]
pub(super) struct On {
    /// The number's name in the usage line.
    pub value_name: &'static str,
    /// The i18n key of the number's help.
    pub help: &'static str,
    /// The command before the step in the example (`case`, `case batch`).
    pub path: &'static str,
    /// A number in the example.
    pub sample: &'static str,
}

impl On {
    /// A case.
    pub const CASE: On = On {
        value_name: "NUMBER",
        help: "help.flag.number",
        path: "case",
        sample: "202609-0001",
    };
}

/// The subcommand of one step in `lang` on what `on` names (a case, a batch).
pub(super) fn subcommand_on(kind: StepKind, lang: Lang, on: On) -> clap::Command {
    let mut cmd = clap::Command::new(kind.cli_name()).arg(
        Arg::new("number")
            .required(true)
            .value_name(on.value_name)
            .help(t(lang, on.help)),
    );
    // After `Acting`'s own, which would be taken for the step's.
    cmd = Acting::augment_args(cmd).about(t(lang, &format!("cli.step_about.{}", kind.code())));
    for id in ["actor", "if_version", "happened_at", "late_reason"] {
        cmd = cmd.mut_arg(id, |a| {
            super::complete::from_desk(a.help(t(lang, &format!("help.flag.{id}"))), id)
        });
    }
    let mut example = String::new();
    for field in kind.fields() {
        let mut arg = Arg::new(field.name)
            .long(field.name)
            .value_name(field.name.to_uppercase())
            .required(field.required)
            .help(t(lang, field.label));
        let sample = match field.input {
            Input::Rating => {
                arg = arg.value_parser(clap::value_parser!(u8).range(0..=255));
                "5".to_string()
            }
            Input::Choice(choices) => {
                let options = choices.options();
                arg = arg.value_parser(super::choice::Choice::new(lang, &options));
                options.first().map(|(code, _)| (*code).to_string()).unwrap_or_default()
            }
            Input::Time => {
                arg = arg.value_name("TIME");
                "+2d".to_string()
            }
            Input::Dept => {
                arg = super::complete::from_desk(arg, "dept");
                t(Lang::Zh, "help.sample_dept")
            }
            Input::Staff => {
                arg = super::complete::from_desk(arg, "actor");
                t(Lang::Zh, "help.sample_other")
            }
            Input::Line | Input::Lines(_) => "\"…\"".to_string(),
        };
        if field.required {
            example.push_str(&format!(" --{} {sample}", field.name));
        }
        cmd = cmd.arg(arg);
    }
    // Every step takes a time: --happened-at.
    cmd.after_help(format!(
        "{}\n  casedesk {} {} {} --as {}{example}\n\n{}",
        t(lang, "help.example_heading"),
        on.path,
        kind.cli_name(),
        on.sample,
        t(Lang::Zh, "help.sample_clerk"),
        t(lang, "help.time_formats"),
    ))
}

/// The steps in English, as the derive makes them; [`super::command`] puts
/// them into the clerk's language.
fn default_subcommand(kind: StepKind) -> clap::Command {
    subcommand(kind, Lang::En)
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
            .fold(cmd, |cmd, kind| cmd.subcommand(default_subcommand(*kind)))
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        StepKind::from_cli_name(name).is_some()
    }
}
