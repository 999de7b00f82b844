//! The command line: clap definitions. Handlers live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::exchange::Format;

mod receipt;
mod serve;
mod step;
pub mod view;

pub use receipt::ReceiptArgs;
pub use serve::ServeArgs;
pub use step::StepCmd;

/// casedesk — the complaint and feedback desk (投诉与反馈接待台).
#[derive(Debug, Parser)]
#[command(name = "casedesk", version, about, long_about = None)]
pub struct Cli {
    /// The desk's database file [default: the user's data folder].
    #[arg(long, global = true, env = "CASEDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// A policy file whose keys override the built-in policy.
    #[arg(long, global = true, env = "CASEDESK_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// A holiday calendar file that extends the built-in one.
    #[arg(long, global = true, env = "CASEDESK_CALENDAR", value_name = "FILE")]
    pub calendar: Option<PathBuf>,
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, env = "CASEDESK_LANG", value_name = "LANG")]
    pub lang: Option<String>,
    /// What to do; without one, open the desk.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create an empty desk and its first admin.
    Init {
        /// The admin's name.
        #[arg(long)]
        admin: String,
        /// A training desk: it takes CASEDESK_NOW and the clerk's own policy
        /// and calendar files, and every screen and paper says 培训/TRAINING.
        #[arg(long)]
        training: bool,
    },
    /// Create a desk full of realistic Chinese demo data.
    Demo {
        /// How many cases.
        #[arg(long, default_value_t = 2000)]
        cases: u64,
        /// Random seed (same seed, same desk).
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Staff accounts.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Departments.
    #[command(subcommand)]
    Dept(DeptCmd),
    /// The organisation's people (人员名录): who a case may be about, desk account or not.
    #[command(subcommand)]
    People(PeopleCmd),
    /// Categories.
    #[command(subcommand)]
    Category(CategoryCmd),
    /// Cases.
    #[command(subcommand)]
    Case(CaseCmd),
    /// Duty shifts and the duty log (值班记录).
    #[command(subcommand)]
    Duty(DutyCmd),
    /// The shift handover (交接班).
    #[command(subcommand)]
    Handover(HandoverCmd),
    /// Reports and statistics for a period.
    Report(Box<ReportArgs>),
    /// Each month's base for the reports' rates (outpatient visits, households …).
    #[command(subcommand)]
    Base(BaseCmd),
    /// My saved views of the queue (保存的视图): list, save, remove.
    #[command(subcommand)]
    View(view::ViewCmd),
    /// The return-visit worklist: every case waiting for a visit or follow-up, by due date.
    Visits {
        /// Who is looking (checked by PIN; confidential complainants are masked for everyone).
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Departments holding replies past due (压单): the overdue list to urge, and counts.
    Urges {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record automatic escalations now due on every open case.
    Sweep {
        /// Who runs it (any active staff).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Import cases from a file in the export's format (JSON or CSV); all or nothing.
    Import {
        /// The file.
        file: PathBuf,
        /// Who imports (an admin).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Load a file exported without a supervisor, its confidential
        /// complainants as `***`.
        #[arg(long)]
        masked_ok: bool,
        /// Add the staff the file names that this desk lacks, as inactive
        /// accounts with no PIN (else such a file is refused).
        #[arg(long)]
        create_staff: bool,
    },
    /// Export the desk (confidential complainants only with --as a supervisor).
    Export {
        /// Who exports; a supervisor's export includes confidential complainants.
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// json or csv (to import elsewhere), or xlsx (a sheet for people).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// With --format csv: a sheet for people (headings and labels in the
        /// desk's language, local times, every deadline) instead of the
        /// interchange file.
        #[arg(long)]
        sheet: bool,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check integrity, the schema's guards, the audit chain, the tables against it, and every anchor.
    Check {
        /// Anchors from outside the desk: an anchor file (see `anchor`) or a
        /// backup; the chain must still pass through each. May be repeated.
        #[arg(long = "anchors", visible_alias = "anchor", value_name = "FILE")]
        anchors: Vec<PathBuf>,
    },
    /// A consistent copy of the desk while others go on working, anchored.
    Backup {
        /// Where to write it.
        file: PathBuf,
    },
    /// Append the audit chain's head to an anchor file kept outside the desk.
    Anchor {
        /// The anchor file (made if new).
        file: PathBuf,
    },
    /// Replace the desk with a backup, only if the backup passes every check;
    /// the replaced desk is kept beside it.
    Restore {
        /// The backup.
        file: PathBuf,
        /// An admin.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// Where the desk's files live.
    Paths,
    /// Run the desk service: the one process that opens the desk file, for
    /// every clerk's terminal and script on this host (see the README's "A
    /// desk for many clerks").
    Serve(ServeArgs),
    /// Print the desk's policy in force, or apply a new one (admin).
    Policy {
        /// `apply FILE --as ADMIN`.
        #[command(subcommand)]
        cmd: Option<SettingCmd>,
    },
    /// Apply a holiday calendar to the desk (admin).
    #[command(subcommand)]
    Calendar(SettingCmd),
    /// Shell completions.
    Completions {
        /// bash, zsh or fish.
        shell: clap_complete::Shell,
    },
}

/// `casedesk staff …`
#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Add a staff member (PIN from CASEDESK_NEW_PIN or a prompt).
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// The new person's name.
        #[arg(long)]
        name: String,
        /// clerk, supervisor or admin.
        #[arg(long)]
        role: String,
        /// Their department.
        #[arg(long)]
        dept: Option<String>,
    },
    /// List staff.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deactivate an account.
    Deactivate {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Whose account.
        #[arg(long)]
        name: String,
    },
    /// Activate a deactivated account again.
    Activate {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Whose account.
        #[arg(long)]
        name: String,
    },
    /// Set a new PIN (an admin for anyone, or yourself).
    Pin {
        /// Who does it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Whose PIN.
        #[arg(long)]
        name: String,
    },
}

/// `casedesk dept …`
#[derive(Debug, Subcommand)]
pub enum DeptCmd {
    /// Add a department.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// How to reach it.
        #[arg(long)]
        phone: Option<String>,
    },
    /// List departments.
    List,
}

/// `casedesk people …`
#[derive(Debug, Subcommand)]
pub enum PeopleCmd {
    /// Add a person to the directory.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// Their department.
        #[arg(long)]
        dept: String,
        /// Their job number (工号).
        #[arg(long, value_name = "J")]
        job_number: Option<String>,
    },
    /// Import people from a CSV file (header name,dept,job_number or 姓名,部门,工号);
    /// a job number on file is updated; all or nothing.
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// List the directory.
    List {
        /// Only this department.
        #[arg(long)]
        dept: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk base …`
#[derive(Debug, Subcommand)]
pub enum BaseCmd {
    /// Set a month's base (admin).
    Set {
        /// The month, e.g. 2026-11.
        month: String,
        /// Its base: how many outpatient visits, households, subscribers … that month.
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        value: String,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// List the months' bases.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk category …`
#[derive(Debug, Subcommand)]
pub enum CategoryCmd {
    /// Add a category.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Stable code (ascii).
        #[arg(long)]
        code: String,
        /// Chinese name.
        #[arg(long)]
        name: String,
        /// English name.
        #[arg(long)]
        name_en: Option<String>,
    },
    /// List categories.
    List,
}

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
    Receipt(ReceiptArgs),
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
        #[arg(long)]
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
        #[arg(long, value_name = "NAME", requires = "actor", conflicts_with_all = view::LIST_FILTERS)]
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
    #[arg(long)]
    pub received_at: Option<String>,
    /// When the complainant was told to expect an answer.
    #[arg(long)]
    pub promise: Option<String>,
    /// Print the case as JSON instead of its number.
    #[arg(long)]
    pub json: bool,
}

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
    Who,
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

/// `casedesk report …`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// today, week, month, quarter, last-quarter or year (default: month).
    #[arg(long, value_enum, conflicts_with_all = ["from", "quarterly"])]
    pub period: Option<crate::report::PeriodName>,
    /// The quarterly summary (季度汇总): the last complete quarter.
    #[arg(long)]
    pub quarterly: bool,
    /// First day of a custom period.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day of a custom period.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Only this department.
    #[arg(long)]
    pub dept: Option<String>,
    /// Only this category.
    #[arg(long)]
    pub category: Option<String>,
    /// Only this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this channel.
    #[arg(long)]
    pub channel: Option<String>,
    /// text, json, csv, html, md or xlsx (a worksheet per section).
    #[arg(long, value_enum, default_value_t = crate::report::ReportFormat::Text)]
    pub format: crate::report::ReportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Who asks (needed for --names).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
    /// Include staff and complainant names (supervisors only).
    #[arg(long, requires = "actor")]
    pub names: bool,
    /// The period's base for its rates per 10,000 and per million (e.g.
    /// outpatient visits), for this report only; else each month's kept in
    /// the desk (casedesk base set).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub base: Option<String>,
}

/// Changing what the desk keeps: its policy or its holiday calendar.
#[derive(Debug, Subcommand)]
pub enum SettingCmd {
    /// Keep FILE's rules in the desk (checked first; the change is an audit event).
    Apply {
        /// The TOML file.
        file: PathBuf,
        /// The admin applying it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
}
