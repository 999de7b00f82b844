//! The open desk: the store with the policy, the calendar, the language and the
//! clock. It is the one door for doing things: the command line and the screens
//! run every step, intake and change through its methods, and nothing else
//! writes to the store.

mod door;
mod handover;
mod report;
mod step;

use std::path::Path;

pub use handover::TakenOver;
pub use report::ReportQuery;
pub use step::StepInputError;

use crate::domain::{Actor, Calendar, Context, Policy, Time};
use crate::paths::Paths;
use crate::store::{Opening, Store};
use crate::words::{Lang, Words, tf};

/// A desk ready for commands.
#[derive(Debug)]
pub struct Desk {
    /// The database: read through [`Desk::store`], written only through the desk's methods.
    store: Store,
    /// The rules' numbers.
    pub policy: Policy,
    /// Working days.
    pub calendar: Calendar,
    /// Message language.
    pub lang: Lang,
    /// `CASEDESK_NOW`, when set: a fixed clock for scripts and training.
    pub fixed_now: Option<Time>,
    /// Something the clerk should know about the desk's files (network file system).
    pub warning: Option<String>,
}

/// Something about the desk's files that stops it from opening.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// The policy in force: built-in, overridden by the user's file if there is one.
pub fn load_policy(path: &Path, lang: Lang) -> Result<Policy, SetupError> {
    let user = read_optional(path, lang)?;
    Policy::with_override(user.as_deref()).map_err(|e| {
        SetupError(tf(
            lang,
            "cli.policy_invalid",
            &[("path", path.display().to_string()), ("error", e.to_string())],
        ))
    })
}

/// The calendar in force: built-in, extended by the user's file if there is one.
pub fn load_calendar(path: &Path, lang: Lang) -> Result<Calendar, SetupError> {
    let mut calendar = Calendar::builtin();
    if let Some(text) = read_optional(path, lang)? {
        calendar.extend_from_toml(&text).map_err(|e| {
            SetupError(tf(
                lang,
                "cli.calendar_invalid",
                &[("path", path.display().to_string()), ("error", e.to_string())],
            ))
        })?;
    }
    Ok(calendar)
}

fn read_optional(path: &Path, lang: Lang) -> Result<Option<String>, SetupError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SetupError(tf(
            lang,
            "cli.file_unreadable",
            &[("path", path.display().to_string()), ("error", e.to_string())],
        ))),
    }
}

/// `CASEDESK_NOW` (RFC 3339), if set.
pub fn fixed_now(lang: Lang) -> Result<Option<Time>, SetupError> {
    match std::env::var("CASEDESK_NOW") {
        Ok(text) if !text.trim().is_empty() => chrono::DateTime::parse_from_rfc3339(text.trim())
            .map(|t| Some(t.to_utc()))
            .map_err(|_| SetupError(tf(lang, "cli.bad_now", &[("value", text)]))),
        _ => Ok(None),
    }
}

impl Desk {
    /// Opens the desk's files; `create` makes the database if missing.
    pub fn open(paths: &Paths, lang: Lang, create: bool) -> Result<Desk, anyhow::Error> {
        let policy = load_policy(&paths.policy, lang)?;
        let calendar = load_calendar(&paths.calendar, lang)?;
        let fixed_now = fixed_now(lang)?;
        let opening = |job: Opening| {
            let (key, cases) = match job {
                Opening::Upgrading { cases } => ("cli.upgrading", cases),
                Opening::Reindexing { cases } => ("cli.reindexing", cases),
            };
            eprintln!("{}", tf(lang, key, &[("cases", cases.to_string())]));
        };
        let words = Words::new(lang, policy.timezone);
        let mut store = Store::open_noting(&paths.db, create, &opening).map_err(|e| SetupError(words.store(&e)))?;
        store
            .fill_facts(&policy, &calendar)
            .map_err(|e| SetupError(words.store(&e)))?;
        let warning = crate::store::backup::fs_type(&paths.db)
            .filter(|k| crate::store::backup::is_network_fs(k))
            .map(|k| tf(lang, "cli.network_fs", &[("fs", k)]));
        let desk = Desk {
            store,
            policy,
            calendar,
            lang,
            fixed_now,
            warning,
        };
        desk.daily_backup();
        Ok(desk)
    }

    /// Today's backup copy, if the policy asks for daily copies. A failed backup
    /// is reported but does not stop the desk.
    fn daily_backup(&self) {
        let b = &self.policy.backup;
        if !b.daily {
            return;
        }
        let folder = if b.folder.trim().is_empty() {
            self.store.path().with_file_name("backups")
        } else {
            std::path::PathBuf::from(b.folder.trim())
        };
        let today = crate::domain::deadline::local_date(self.policy.timezone, self.now());
        if let Err(e) = crate::store::backup::daily(&self.store, &folder, usize::try_from(b.keep).unwrap_or(7), today) {
            eprintln!("{}", self.words().store(&e));
        }
    }

    /// The store, to read from.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store for a bulk load (the demo maker and the importer write
    /// thousands of cases in transactions of their own); nothing else writes through it.
    pub fn bulk_store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The desk's words: the clerk's language and the desk's time zone.
    #[must_use]
    pub fn words(&self) -> Words {
        Words::new(self.lang, self.policy.timezone)
    }

    /// What the rules need besides the case: now, who, the policy and the calendar.
    #[must_use]
    pub fn context<'a>(&'a self, actor: &'a Actor) -> Context<'a> {
        Context {
            now: self.now(),
            actor,
            policy: &self.policy,
            calendar: &self.calendar,
        }
    }

    /// The current time, to the second (as events are stored): the real clock
    /// unless `CASEDESK_NOW` fixes it.
    #[must_use]
    pub fn now(&self) -> Time {
        use chrono::SubsecRound;
        self.fixed_now.unwrap_or_else(chrono::Utc::now).trunc_subsecs(0)
    }
}
