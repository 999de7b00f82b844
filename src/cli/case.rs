//! Cases on the command line: new, a lifecycle step, show, list.

use clap::{Args, Subcommand};

use super::StepCmd;

/// Who acts, and optionally the version they read.
#[derive(Clone, Debug, Args)]
pub struct Acting {
    /// Who does it (PIN from CASEDESK_PIN or a prompt).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// Refuse if the case changed since this version was read.
    #[arg(long, value_name = "V")]
    pub if_version: Option<i64>,
    /// Entered late (补录): when the step really happened (within the policy's
    /// late_entry_hours, never before the case's last step); needs --late-reason.
    #[arg(long, value_name = "TIME", requires = "late_reason")]
    pub happened_at: Option<String>,
    /// Why the step is entered only now.
    #[arg(long, value_name = "TEXT", requires = "happened_at")]
    pub late_reason: Option<String>,
}

/// `casedesk case …`
#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Record a new case; prints its number.
    New(Box<NewCase>),
    /// A lifecycle step on a case (promise, assign, urge, reply, visit, close …).
    #[command(flatten)]
    Step(Box<StepCmd>),
    /// Link two cases (a duplicate, the same incident, a follow-up): shown on both.
    Link(Box<super::links::LinkArgs>),
    /// Batch incidents (批量事件): one outage, many callers.
    #[command(subcommand)]
    Batch(super::links::BatchCmd),
    /// Keep a file with a case (a scanned letter, a photo, a bill).
    Attach(Box<super::links::AttachArgs>),
    /// Write out, or open, a file kept with a case.
    Attachment(Box<super::links::AttachmentArgs>),
    /// Show a case.
    Show {
        /// Case number.
        number: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// Who is looking (confidential complainants need the owner or a supervisor).
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// Why a confidential complainant is looked at (recorded; needed unless you own the case).
        #[arg(long)]
        reason: Option<String>,
    },
    /// A visitor's receipt (回执): number, received, owner, what was recorded, reply date, the desk's phone.
    Receipt(super::ReceiptArgs),
    /// List cases, most urgent first.
    List {
        /// Only this state.
        #[arg(long)]
        state: Option<String>,
        /// Only this owner.
        #[arg(long)]
        owner: Option<String>,
        /// Only overdue cases.
        #[arg(long)]
        overdue: bool,
        /// Only cases with a step due before this time.
        #[arg(long, value_name = "TIME")]
        due_before: Option<String>,
        /// Text to look for.
        #[arg(long)]
        search: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 200)]
        limit: usize,
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// Who is looking.
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// The open cases one of my saved views shows, in its order (with --as).
        #[arg(long, value_name = "NAME", requires = "actor", conflicts_with_all = super::view::LIST_FILTERS)]
        view: Option<String>,
    },
}

/// `casedesk case new …`
#[derive(Debug, Args)]
pub struct NewCase {
    /// Who takes it in (becomes its owner).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// phone, letter, visit, email, online, fax, survey, internal.
    #[arg(long)]
    pub channel: String,
    /// complaint, suggestion, praise, inquiry, repair.
    #[arg(long)]
    pub kind: String,
    /// One line.
    #[arg(long)]
    pub summary: String,
    /// Everything else.
    #[arg(long, default_value = "")]
    pub details: String,
    /// Complainant's name.
    #[arg(long, conflicts_with = "anonymous")]
    pub name: Option<String>,
    /// Complainant's phone.
    #[arg(long, conflicts_with = "anonymous")]
    pub phone: Option<String>,
    /// Complainant's address.
    #[arg(long, conflicts_with = "anonymous")]
    pub address: Option<String>,
    /// Patient, family, owner, tenant …
    #[arg(long, conflicts_with = "anonymous")]
    pub relation: Option<String>,
    /// Store no identity at all.
    #[arg(long)]
    pub anonymous: bool,
    /// Show the complainant only to the owner and supervisors.
    #[arg(long)]
    pub confidential: bool,
    /// Department complained about.
    #[arg(long)]
    pub dept: Option<String>,
    /// The person complained about: a name or job number of the people
    /// directory, a desk account, or any name (recorded as unlisted).
    #[arg(long)]
    pub staff: Option<String>,
    /// Category (code or name).
    #[arg(long)]
    pub category: Option<String>,
    /// minor, important, major.
    #[arg(long, default_value = "minor")]
    pub severity: String,
    /// external or internal [default: internal for the internal channel, else external].
    #[arg(long)]
    pub origin: Option<String>,
    /// dispute or media (repeatable).
    #[arg(long)]
    pub flag: Vec<String>,
    /// When it came in, if not now (e.g. a letter's date).
    #[arg(long, value_name = "TIME")]
    pub received_at: Option<String>,
    /// When the complainant was told to expect an answer.
    #[arg(long, value_name = "TIME")]
    pub promise: Option<String>,
    /// Print the case as JSON instead of its number.
    #[arg(long)]
    pub json: bool,
}
