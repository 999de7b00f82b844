//! Duty shifts, the duty log and the handover on the command line.

use std::path::PathBuf;

use clap::Subcommand;

/// `casedesk duty …`
#[derive(Debug, Subcommand)]
pub enum DutyCmd {
    /// Join the current shift.
    Start {
        /// Who.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Who is on duty.
    Who {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Log a contact quickly (time is automatic).
    Log {
        /// Who logs it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// phone, letter, visit, email, online, fax, survey, internal.
        #[arg(long, default_value = "phone")]
        channel: String,
        /// Who called or came.
        #[arg(long, default_value = "")]
        who: String,
        /// What about.
        #[arg(long)]
        what: String,
        /// What was done at once.
        #[arg(long, default_value = "")]
        action: String,
    },
    /// List duty-log entries, newest first.
    List {
        /// Only those not yet resolved.
        #[arg(long)]
        open: bool,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// End an entry: it became a case, was answered, or is carried over.
    Resolve {
        /// Entry id.
        id: i64,
        /// Who.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// It became this case.
        #[arg(long, conflicts_with_all = ["answered", "carry"])]
        case: Option<String>,
        /// Answered and closed as an inquiry, with the answer.
        #[arg(long, conflicts_with = "carry")]
        answered: Option<String>,
        /// Carried over to the next shift, with the reason.
        #[arg(long)]
        carry: Option<String>,
    },
}

/// `casedesk handover …`
#[derive(Debug, Subcommand)]
pub enum HandoverCmd {
    /// Prepare (or reopen) your handover of the current shift.
    Prepare {
        /// The outgoing clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Cautions (注意事项).
        #[arg(long)]
        cautions: Option<String>,
        /// One of your open cases to hand over with the handover (repeatable): it
        /// moves to the incoming clerk when they sign.
        #[arg(long = "hand-over", value_name = "NUM")]
        hand_over: Vec<String>,
    },
    /// Tick a checklist item, or explain why not (--note).
    Check {
        /// Handover id.
        id: i64,
        /// The outgoing clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The item.
        #[arg(long)]
        item: String,
        /// Not handed over as it should be, because …
        #[arg(long)]
        note: Option<String>,
    },
    /// The outgoing clerk signs (PIN).
    Sign {
        /// Handover id.
        id: i64,
        /// The outgoing clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// The incoming clerk notes a question during the review.
    Ask {
        /// Handover id.
        id: i64,
        /// The incoming clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The question.
        #[arg(long)]
        question: String,
    },
    /// The outgoing clerk answers a question of the incoming clerk (before they sign).
    Answer {
        /// Handover id.
        id: i64,
        /// The outgoing clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Which question (1 for the first).
        #[arg(long, value_name = "N")]
        question: usize,
        /// The answer.
        #[arg(long)]
        text: String,
    },
    /// The incoming clerk signs (PIN): the outgoing clerk is off duty, and the
    /// cases handed over with it become theirs.
    Accept {
        /// Handover id.
        id: i64,
        /// The incoming clerk.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Past handovers, newest first.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a handover (default: the newest).
    Print {
        /// Handover id.
        id: Option<i64>,
        /// text, md or html.
        #[arg(long, value_enum, default_value_t = crate::print::PrintFormat::Text)]
        format: crate::print::PrintFormat,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}
