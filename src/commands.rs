//! Command-line handlers: parse names and times, run the engine through the store, print.

/// Prints a line to standard output, its control characters shown as
/// visible escapes (stored text never acts on the terminal); a closed pipe
/// (`| head`) ends the program quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        crate::commands::console::emit(&crate::words::visible(&format!($($arg)*)))
    };
}

/// Prints a JSON document: serde escapes the C0 controls, and the rest
/// (DEL, C1) are written as JSON escapes too, so the value is unchanged.
macro_rules! out_json {
    ($text:expr) => {
        crate::commands::console::emit(&crate::words::terminal::json(&$text))
    };
}

mod admin;
mod audit;
mod bases;
mod case;
pub mod console;
mod duty;
mod files;
mod links;
mod people;
mod phrases;
mod receipt;
mod reports;
mod ring;
mod settings;
mod show;
mod views;

pub use console::warn;
pub use reports::make as make_report;

use crate::cli::config::Config;
use crate::cli::{Cli, Cmd};
use crate::desk::{Desk, SetupError};
use crate::domain::{Actor, Time};
use crate::paths::Paths;
use crate::store::StoreError;
use crate::store::settings::Setting;
use crate::words::time::{DateOnly, parse_time};
use crate::words::{Lang, Words, t, tf};

/// Exit code: done.
pub const EXIT_OK: i32 = 0;
/// Exit code: anything else went wrong.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage (unknown name, bad value).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: refused by a rule.
pub const EXIT_RULE: i32 = 3;
/// Exit code: someone else changed the case.
pub const EXIT_CONFLICT: i32 = 4;

/// A command that did not succeed: the message and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: i32,
    /// What to tell the clerk.
    pub message: String,
}

impl Failure {
    /// A usage error (exit 2).
    #[must_use]
    pub fn usage(message: String) -> Self {
        Failure {
            code: EXIT_USAGE,
            message,
        }
    }

    /// From a store error, with the exit code its kind calls for.
    #[must_use]
    pub fn store(words: Words, e: &StoreError) -> Self {
        let code = match e {
            StoreError::Rule(_) | StoreError::AlreadyResolved(_) | StoreError::Departments { .. } => EXIT_RULE,
            StoreError::Conflict { .. } => EXIT_CONFLICT,
            StoreError::Unknown { .. }
            | StoreError::AmbiguousPerson { .. }
            | StoreError::PersonOnFile(_)
            | StoreError::NoCase(_)
            | StoreError::NoLogEntry(_)
            | StoreError::NoPhrase(_)
            | StoreError::NoHandover(_)
            | StoreError::WeakPin { .. } => EXIT_USAGE,
            _ => EXIT_FAILED,
        };
        Failure {
            code,
            message: words.store(e),
        }
    }
}

impl From<SetupError> for Failure {
    fn from(e: SetupError) -> Self {
        Failure {
            code: EXIT_FAILED,
            message: e.0,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        let refused = e.downcast_ref::<crate::desk::EnvRefused>().is_some();
        Failure {
            code: if refused { EXIT_USAGE } else { EXIT_FAILED },
            message: format!("{e:#}"),
        }
    }
}

/// A file that could not be written, in the clerk's language.
fn file_failure(lang: Lang, path: &std::path::Path, e: &std::io::Error) -> Failure {
    Failure {
        code: EXIT_FAILED,
        message: tf(
            lang,
            "cli.write_failed",
            &[("path", path.display().to_string()), ("error", e.to_string())],
        ),
    }
}

/// Handler results.
pub type Outcome = Result<(), Failure>;

/// The desk's files and the clerk's language, from the command line, the
/// environment and the user's `config.toml`, which must be one the desk can
/// take (a misspelt key is refused, not ignored).
pub fn setup(cli: &Cli) -> Result<(Paths, Lang), Failure> {
    // Over a file-size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose
    // default ends the process with no word, even between a commit and its
    // acknowledgement. Caught, the write fails instead (EFBIG): SQLite rolls
    // the transaction back and the clerk is told the disk is full.
    // The flag tells the store that an I/O error was the limit (the disk is full).
    if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, crate::store::fault::file_size_limit()) {
        eprintln!("{e}");
    }
    let paths = Paths::resolve(cli.db.clone(), cli.policy.clone(), cli.calendar.clone());
    let flag = cli.lang.as_deref().and_then(Lang::parse);
    let config = Config::read_in(&paths, flag.unwrap_or_default()).map_err(|e| Failure::usage(e.0))?;
    let lang = flag.or(config.lang).unwrap_or_default();
    Ok((paths, lang))
}

/// Runs the parsed command line in this process, on the desk file;
/// returns the exit code.
#[must_use]
pub fn run(cli: Cli, paths: &Paths, lang: Lang) -> i32 {
    match dispatch(cli, paths, lang) {
        Ok(()) => EXIT_OK,
        Err(f) => {
            warn(&f.message);
            f.code
        }
    }
}

/// The desk service's socket, when this desk is served: `CASEDESK_SERVER`,
/// else `server = "PATH"` in the user's `config.toml`.
#[must_use]
pub fn server(paths: &Paths) -> Option<std::path::PathBuf> {
    if let Some(v) = std::env::var_os("CASEDESK_SERVER").filter(|v| !v.is_empty()) {
        return Some(v.into());
    }
    Config::read(paths).ok().and_then(|c| c.server)
}

fn dispatch(cli: Cli, paths: &Paths, lang: Lang) -> Outcome {
    let Some(command) = cli.command else {
        return admin::open_desk(paths, lang);
    };
    match command {
        Cmd::Init { admin, training, group } => admin::init(paths, lang, &admin, training, group.as_deref()),
        Cmd::Demo { cases, seed } => admin::demo(paths, lang, cases, seed),
        Cmd::Paths { json } => files::paths(paths, lang, json),
        Cmd::Policy { cmd: None } => admin::policy(paths, lang),
        Cmd::Completions { shell } => {
            files::completions(lang, shell);
            Ok(())
        }
        Cmd::Man { dir } => files::man(lang, dir.as_deref()),
        Cmd::Backup { file, force } => {
            let mut desk = Desk::open(paths, lang, false)?;
            audit::backup(&mut desk, &file, force, &paths.db)
        }
        Cmd::Restore { file, actor } => {
            let mut desk = Desk::open(paths, lang, false)?;
            audit::restore(&mut desk, &file, &actor)
        }
        Cmd::Anchor { file } => {
            let desk = Desk::open(paths, lang, false)?;
            audit::anchor(&desk, &file)
        }
        Cmd::Check { anchors, json } => {
            let desk = Desk::open(paths, lang, false)?;
            if let Some(w) = &desk.warning {
                warn(w);
            }
            audit::check(&desk, &anchors, json)
        }
        other => {
            let mut desk = Desk::open(paths, lang, false)?;
            if let Some(w) = &desk.warning {
                warn(w);
            }
            on_desk(&mut desk, other)
        }
    }
}

/// Runs a command on an open desk: in the clerk's own process, or in the
/// desk service for a connected clerk. Commands that make, replace or serve
/// the desk file itself are not among them.
pub fn on_desk(desk: &mut Desk, command: Cmd) -> Outcome {
    match command {
        Cmd::Staff(c) => admin::staff(desk, c),
        Cmd::Policy { cmd: Some(c) } => settings::apply(desk, Setting::Policy, c),
        Cmd::Policy { cmd: None } => admin::desk_policy(desk),
        Cmd::Calendar(c) => settings::apply(desk, Setting::Calendar, c),
        Cmd::Dept(c) => admin::dept(desk, c),
        Cmd::People(c) => people::people(desk, c),
        Cmd::Phrase(c) => phrases::phrases(desk, c),
        Cmd::Category(c) => admin::category(desk, c),
        Cmd::Case(c) => case::run(desk, c),
        Cmd::Sweep { actor } => admin::sweep(desk, &actor),
        Cmd::Duty(c) => duty::duty(desk, c),
        Cmd::Report(args) => reports::report(desk, &args),
        Cmd::Base(c) => bases::bases(desk, c),
        Cmd::View(c) => views::views(desk, c),
        Cmd::Visits { actor, json } => reports::visits(desk, actor.as_deref(), json),
        Cmd::Urges { json } => reports::urges(desk, json),
        Cmd::Handover(c) => duty::handover(desk, c),
        Cmd::Import {
            file,
            actor,
            masked_ok,
            create_staff,
        } => admin::import(desk, &file, &actor, masked_ok, create_staff),
        Cmd::Ring { phone, station, to } => ring::ring(desk, &phone, &crate::desk::RingFor { station, clerk: to }),
        Cmd::Export {
            format,
            sheet,
            out,
            actor,
        } => admin::export(desk, format, sheet, out.as_deref(), actor.as_deref()),
        // Anchor files are read where the desk is: on the host.
        Cmd::Check { anchors, json } if anchors.is_empty() || !console::is_far() => audit::check(desk, &anchors, json),
        Cmd::Init { .. }
        | Cmd::Demo { .. }
        | Cmd::Paths { .. }
        | Cmd::Completions { .. }
        | Cmd::Man { .. }
        | Cmd::Serve(_)
        | Cmd::Backup { .. }
        | Cmd::Check { .. }
        | Cmd::Anchor { .. }
        | Cmd::Restore { .. } => Err(Failure::usage(t(desk.lang, "service.host_only"))),
    }
}

/// A PIN from the environment variable, else a prompt that does not echo.
pub fn read_pin(lang: Lang, var: &str, prompt_key: &str, name: &str) -> Result<String, Failure> {
    match console::pin(var, &tf(lang, prompt_key, &[("name", name.to_string())])) {
        Ok(Some(pin)) => Ok(pin),
        Ok(None) => Err(Failure::usage(tf(lang, "cli.pin_needed", &[("var", var.to_string())]))),
        Err(e) => Err(Failure {
            code: EXIT_FAILED,
            message: e.to_string(),
        }),
    }
}

/// Signs `name` in with their PIN.
pub fn sign_in(desk: &mut Desk, name: &str) -> Result<Actor, Failure> {
    let lang = desk.lang;
    let words = desk.words();
    // A connection to the desk service that has signed this clerk in does
    // not ask again; the account is still checked (deactivated, role).
    if let Some(actor) = console::session().filter(|a| a.name == name) {
        return desk.acting(&actor).map_err(|e| Failure::store(words, &e));
    }
    // An unknown name is told before the PIN is asked for.
    desk.store()
        .staff_by_name(name)
        .map_err(|e| Failure::store(words, &e))?;
    let pin = read_pin(lang, "CASEDESK_PIN", "cli.pin_prompt", name)?;
    let actor = desk.sign_in(name, &pin).map_err(|e| Failure::store(words, &e))?;
    console::signed_in(&actor);
    Ok(actor)
}

/// Parses a time argument in the desk's zone.
pub fn time_arg(desk: &Desk, text: &str, date_only: DateOnly) -> Result<Time, Failure> {
    parse_time(text, desk.now(), desk.policy.timezone, date_only)
        .map_err(|e| Failure::usage(crate::words::time::refused(desk.lang, &e.0)))
}

/// Parses a coded value, or explains the accepted ones.
pub fn code_arg<T>(lang: Lang, parsed: Result<T, crate::domain::UnknownCode>) -> Result<T, Failure> {
    parsed.map_err(|e| {
        Failure::usage(tf(
            lang,
            "cli.bad_value",
            &[
                ("what", t(lang, &format!("field.{}", e.what))),
                ("given", e.given),
                ("known", e.known.join(", ")),
            ],
        ))
    })
}

/// Prints a table, its columns lined up.
fn print_table(table: &crate::words::width::Table) {
    for line in table.lines() {
        out!("{line}");
    }
}

/// Writes progress to the terminal only: piped output stays quiet.
#[must_use]
pub fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if console::shows_progress() {
        indicatif::ProgressBar::new(len)
    } else {
        indicatif::ProgressBar::hidden()
    }
}
