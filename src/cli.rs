//! The command line: clap definitions, their help in the clerk's language (`help`),
//! the choice flags' labels (`choice`), bad usage in words (`errors`) and the
//! checked `config.toml` (`config`). Handlers live in `commands/`.

use std::path::PathBuf;

use clap::{FromArgMatches as _, Parser, Subcommand};

use crate::words::Lang;

pub use crate::exchange::Format;

mod admin;
mod case;
pub mod choice;
mod complete;
pub mod config;
mod duty;
pub mod errors;
pub mod help;
pub mod links;
mod phrase;
mod receipt;
mod report;
mod step;
pub mod view;

pub use admin::{BaseCmd, CategoryCmd, DeptCmd, PeopleCmd, SettingCmd, StaffCmd};
pub use case::{Acting, CaseCmd, NewCase};
pub use duty::{DutyCmd, HandoverCmd};
pub use help::command;
pub use phrase::PhraseCmd;
pub use receipt::ReceiptArgs;
pub use report::{ReportArgs, ServeArgs};
pub use step::StepCmd;

/// The command line of this process, parsed with its help in the clerk's
/// language; `--help`, `--version` and bad usage end the process here.
#[must_use]
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = early_lang(&args);
    // `COMPLETE=bash casedesk …`: the shell asks what may come next (names
    // from the desk among them); answered here, and the program ends.
    clap_complete::CompleteEnv::with_factory(move || command(lang)).complete();
    let matches = command(lang)
        .try_get_matches_from(args)
        .unwrap_or_else(|e| errors::exit(&e, lang));
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| errors::exit(&e, lang))
}

/// `argv` (without the program's name) parsed with its help in `lang`.
pub fn try_parse_from(lang: Lang, argv: &[String]) -> Result<Cli, clap::Error> {
    let matches =
        command(lang).try_get_matches_from(std::iter::once("casedesk").chain(argv.iter().map(String::as_str)))?;
    Cli::from_arg_matches(&matches)
}

/// The language of the help, known before the command line is parsed:
/// `--lang`, else `CASEDESK_LANG`, else `lang` in the user's config.toml, else Chinese.
fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut words = args.iter().filter_map(|a| a.to_str());
    let mut flag = None;
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == "--lang" {
            flag = words.next().map(str::to_string);
        } else if let Some(value) = word.strip_prefix("--lang=") {
            flag = Some(value.to_string());
        }
    }
    let flag = flag.or_else(|| std::env::var("CASEDESK_LANG").ok());
    let configured = || {
        let policy = std::env::var_os("CASEDESK_POLICY").map(std::path::PathBuf::from);
        config::Config::read(&crate::paths::Paths::resolve(None, policy, None))
            .ok()
            .and_then(|c| c.lang)
    };
    flag.as_deref()
        .and_then(Lang::parse)
        .or_else(configured)
        .unwrap_or_default()
}

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
        /// Share the desk among the OS accounts of this group, without the
        /// desk service: its folder 2770, its files 0660, each clerk's drafts
        /// in their own data folder.
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
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
    /// Quick phrases (常用语) offered in the steps' text fields (Ctrl-P on the screens).
    #[command(subcommand)]
    Phrase(PhraseCmd),
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
    /// A call coming in: the screens of a station, a clerk or the clerks on
    /// duty show the caller's earlier cases (no PIN: it only tells screens).
    Ring {
        /// The caller's number.
        phone: String,
        /// The station (terminal) to tell, as its screens name themselves (CASEDESK_STATION).
        #[arg(long, conflicts_with = "to")]
        station: Option<String>,
        /// The clerk whose screens to tell.
        #[arg(long, value_name = "NAME")]
        to: Option<String>,
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
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// A consistent copy of the desk while others go on working, anchored.
    Backup {
        /// Where to write it.
        file: PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
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
    /// Every file and folder the desk uses.
    Paths {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
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
    /// The manual page (man 1 casedesk), in roff.
    Man {
        /// Write a page for every command (casedesk-case-new.1 …) into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}
