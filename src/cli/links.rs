//! `casedesk case link`, `case batch …`, `case attach` and `case attachment`.

use std::path::PathBuf;

use clap::{ArgMatches, Args, FromArgMatches, Subcommand};

use super::Acting;
use crate::domain::StepKind;

/// `casedesk case link A B --as NAME --rel duplicate --reason T`
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The case that is linked.
    pub number: String,
    /// The case it is linked to.
    pub other: String,
    /// Who links them.
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// How, from the first case: duplicate, same_incident, follow_up (the first follows up the second).
    #[arg(long = "rel", value_name = "RELATION")]
    pub relation: String,
    /// Why they are linked.
    #[arg(long)]
    pub reason: String,
}

/// `casedesk case batch …`
#[derive(Debug, Subcommand)]
pub enum BatchCmd {
    /// Open a batch incident; prints its number.
    New {
        /// What happened, e.g. 3号楼停水.
        #[arg(long)]
        title: String,
        /// Who opens it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Cases join a batch incident.
    Join {
        /// The batch's number.
        batch: String,
        /// The cases' numbers.
        #[arg(required = true)]
        numbers: Vec<String>,
        /// Who adds them.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Show a batch incident and where each member case stands.
    Show {
        /// The batch's number.
        batch: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the batch incidents.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// The department's reply, or the feedback, on every member case.
    #[command(flatten)]
    Step(Box<BatchStep>),
}

/// The steps a batch runs on each member case.
const BATCH_STEPS: &[StepKind] = &[StepKind::Reply, StepKind::Feedback];

/// A step on every member case of a batch, as typed.
#[derive(Clone, Debug)]
pub struct BatchStep {
    /// Which step.
    pub kind: StepKind,
    /// The batch's number.
    pub batch: String,
    /// Who acts.
    pub actor: String,
    /// The step's fields, by name.
    pub values: std::collections::BTreeMap<String, String>,
}

impl FromArgMatches for BatchStep {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let Some(kind) = StepKind::from_cli_name(name).filter(|k| BATCH_STEPS.contains(k)) else {
            return Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand));
        };
        Ok(BatchStep {
            kind,
            batch: sub.get_one::<String>("number").cloned().unwrap_or_default(),
            actor: Acting::from_arg_matches(sub)?.actor,
            values: super::step::values_of(kind, sub),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for BatchStep {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        BATCH_STEPS.iter().fold(cmd, |cmd, kind| {
            cmd.subcommand(batch_step(*kind, crate::words::Lang::En))
        })
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        StepKind::from_cli_name(name).is_some_and(|k| BATCH_STEPS.contains(&k))
    }
}

/// `casedesk case attach NUMBER FILE --as NAME`
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// Case number.
    pub number: String,
    /// The file (PDF, PNG, JPEG, GIF, WEBP, TIFF or plain text).
    pub file: PathBuf,
    /// Who attaches it.
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// The name it is kept under (default: the file's own name).
    #[arg(long)]
    pub name: Option<String>,
}

/// `casedesk case attachment NUMBER N --out FILE | --open`
#[derive(Debug, Args)]
pub struct AttachmentArgs {
    /// Case number.
    pub number: String,
    /// The attachment's number on the case (as the case page lists it).
    pub id: u32,
    /// Who looks (confidential cases: the owner or a supervisor).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
    /// Write it to this file (0600).
    #[arg(long, required_unless_present = "open")]
    pub out: Option<PathBuf>,
    /// Open it with the system viewer (a copy in the desk's temporary folder).
    #[arg(long, conflicts_with = "out")]
    pub open: bool,
}

/// A step's subcommand on every member case of a batch, in `lang`.
pub(super) fn batch_step(kind: StepKind, lang: crate::words::Lang) -> clap::Command {
    let on = super::step::On {
        value_name: "BATCH",
        help: "help.flag.batch",
        path: "case batch",
        sample: "B2026-001",
    };
    let step = super::step::subcommand_on(kind, lang, on);
    let about = format!(
        "{} {}",
        step.get_about().map(ToString::to_string).unwrap_or_default(),
        crate::words::t(lang, "help.batch_step")
    );
    step.about(about)
}
