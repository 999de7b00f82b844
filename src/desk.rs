//! The open desk: the store with the policy, the calendar, the language and the
//! clock. It is the one door for doing things: the command line and the screens
//! run every step, intake and change through its methods, and nothing else
//! writes to the store.

mod door;
mod handover;
mod people;
mod related;
mod report;
mod ring;
mod step;
mod views;

use std::path::Path;

pub use handover::TakenOver;
pub use related::{LinkView, MemberDone};
pub use report::ReportQuery;
pub use ring::{Reached, RingFor};
pub use step::StepInputError;

use crate::domain::{Actor, Calendar, Context, Policy, Time};
use crate::paths::Paths;
use crate::store::{Opening, Store};
use crate::words::{Lang, Words, t, tf};

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
    /// `CASEDESK_NOW`, when set on a training desk: a fixed clock for training and tests.
    pub fixed_now: Option<Time>,
    /// A training desk (`init --training`, `demo`): its clock and policy may
    /// come from the clerk's environment, and every screen and paper says so.
    pub training: bool,
    /// Something the clerk should know about the desk's files (network file system).
    pub warning: Option<String>,
    /// The settings the desk was opened with (see [`Desk::is_current`]).
    kept: crate::store::settings::DeskSettings,
}

/// Something about the desk's files that stops it from opening.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// A clock or policy from the clerk's environment on a desk that does not
/// take one (a real desk): refused, as a usage error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EnvRefused(pub String);

/// The built-in policy overridden by `text` (from `origin`: a file, or the desk).
pub fn policy_from(text: Option<&str>, origin: &str, lang: Lang) -> Result<Policy, SetupError> {
    Policy::with_override(text).map_err(|e| {
        SetupError(tf(
            lang,
            "cli.policy_invalid",
            &[("path", origin.to_string()), ("error", e.to_string())],
        ))
    })
}

/// The built-in calendar extended by `texts` (each with its origin).
pub fn calendar_from(texts: &[(&str, String)], lang: Lang) -> Result<Calendar, SetupError> {
    let mut calendar = Calendar::builtin();
    for (text, origin) in texts {
        calendar.extend_from_toml(text).map_err(|e| {
            SetupError(tf(
                lang,
                "cli.calendar_invalid",
                &[("path", origin.clone()), ("error", e.to_string())],
            ))
        })?;
    }
    Ok(calendar)
}

/// The policy of a policy file, checked (for `policy apply`, `init`).
pub fn load_policy(path: &Path, lang: Lang) -> Result<Policy, SetupError> {
    let text = read_optional(path, lang)?;
    policy_from(text.as_deref(), &path.display().to_string(), lang)
}

/// The calendar of a calendar file, checked.
pub fn load_calendar(path: &Path, lang: Lang) -> Result<Calendar, SetupError> {
    let text = read_optional(path, lang)?;
    let texts: Vec<(&str, String)> = text
        .as_deref()
        .map(|t| (t, path.display().to_string()))
        .into_iter()
        .collect();
    calendar_from(&texts, lang)
}

/// A file's text, or `None` when there is no such file.
pub fn read_optional(path: &Path, lang: Lang) -> Result<Option<String>, SetupError> {
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

/// `CASEDESK_NOW` (RFC 3339), if set and non-empty.
fn now_is_set() -> bool {
    std::env::var("CASEDESK_NOW").is_ok_and(|v| !v.trim().is_empty())
}

/// `CASEDESK_NOW` (RFC 3339), if set.
pub fn fixed_now(lang: Lang) -> Result<Option<Time>, SetupError> {
    match std::env::var("CASEDESK_NOW") {
        Ok(text) if !text.trim().is_empty() => parse_now(&text, lang).map(Some),
        _ => Ok(None),
    }
}

/// A `CASEDESK_NOW` value (RFC 3339).
pub fn parse_now(text: &str, lang: Lang) -> Result<Time, SetupError> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.to_utc())
        .map_err(|_| SetupError(tf(lang, "cli.bad_now", &[("value", text.to_string())])))
}

impl Desk {
    /// Opens the desk's files; `create` makes the database if missing.
    ///
    /// A real desk's rules and clock are the desk's own: its policy and
    /// calendar are those kept in it, and a `CASEDESK_NOW` is refused. Only a
    /// training desk (and a desk not made yet) takes the clerk's policy and
    /// calendar files and a set clock.
    pub fn open(paths: &Paths, lang: Lang, create: bool) -> Result<Desk, anyhow::Error> {
        let opening = |job: Opening| {
            let (key, cases) = match job {
                Opening::Upgrading { cases } => ("cli.upgrading", cases),
                Opening::Reindexing { cases } => ("cli.reindexing", cases),
            };
            eprintln!("{}", tf(lang, key, &[("cases", cases.to_string())]));
        };
        let builtin = Words::new(
            lang,
            Policy::builtin().map_or(chrono_tz::Asia::Shanghai, |p| p.timezone),
        );
        let mut store = Store::open_noting(&paths.db, create, &opening).map_err(|e| SetupError(builtin.store(&e)))?;
        let settings = store.settings().map_err(|e| SetupError(builtin.store(&e)))?;
        let made = store.is_initialized().map_err(|e| SetupError(builtin.store(&e)))?;
        let training = settings.training.unwrap_or(false);
        let takes_environment = training || !made;
        let mut warnings = Vec::new();
        let (user_policy, user_calendar) = if takes_environment {
            (
                read_optional(&paths.policy, lang)?,
                read_optional(&paths.calendar, lang)?,
            )
        } else {
            if now_is_set() {
                return Err(EnvRefused(t(lang, "cli.now_refused")).into());
            }
            for path in [&paths.policy, &paths.calendar] {
                if path.exists() {
                    warnings.push(tf(lang, "cli.file_ignored", &[("path", path.display().to_string())]));
                }
            }
            (None, None)
        };
        let policy = match user_policy {
            Some(text) => policy_from(Some(&text), &paths.policy.display().to_string(), lang)?,
            None => policy_from(settings.policy.as_deref(), &t(lang, "cli.desk_policy"), lang)?,
        };
        let mut calendars: Vec<(&str, String)> = Vec::new();
        if let Some(text) = settings.calendar.as_deref() {
            calendars.push((text, t(lang, "cli.desk_calendar")));
        }
        if let Some(text) = user_calendar.as_deref() {
            calendars.push((text, paths.calendar.display().to_string()));
        }
        let calendar = calendar_from(&calendars, lang)?;
        let fixed_now = if takes_environment { fixed_now(lang)? } else { None };
        let words = Words::new(lang, policy.timezone);
        if store.is_read_only() {
            // Nothing is written: the facts of older cases wait for a desk that can be.
            warnings.push(tf(
                lang,
                "store.read_only_notice",
                &[("path", paths.db.display().to_string())],
            ));
        } else {
            store
                .fill_facts(&policy, &calendar)
                .map_err(|e| SetupError(words.store(&e)))?;
        }
        if let Some(k) = crate::store::backup::fs_type(&paths.db).filter(|k| crate::store::backup::is_network_fs(k)) {
            warnings.push(tf(lang, "cli.network_fs", &[("fs", k)]));
        }
        let mut desk = Desk {
            store,
            policy,
            calendar,
            lang,
            fixed_now,
            training,
            warning: (!warnings.is_empty()).then(|| warnings.join("\n")),
            kept: settings,
        };
        desk.daily_backup();
        Ok(desk)
    }

    /// Today's backup copy, if the policy asks for daily copies. A failed backup
    /// is reported but does not stop the desk.
    pub(crate) fn daily_backup(&mut self) {
        let b = &self.policy.backup;
        // A read-only desk is somebody else's to copy.
        if !b.daily || self.store.is_read_only() {
            return;
        }
        let folder = if b.folder.trim().is_empty() {
            self.store.path().with_file_name("backups")
        } else {
            std::path::PathBuf::from(b.folder.trim())
        };
        let today = crate::domain::deadline::local_date(self.policy.timezone, self.now());
        if let Err(e) =
            crate::store::backup::daily(&mut self.store, &folder, usize::try_from(b.keep).unwrap_or(7), today)
        {
            eprintln!("{}", self.words().store(&e));
        }
    }

    /// Whether the desk's policy, calendar and kind are still the ones it was
    /// opened with (an admin may have applied new ones since): a desk kept
    /// open for later use is opened again when not.
    #[must_use]
    pub fn is_current(&self) -> bool {
        self.store.settings().is_ok_and(|s| s == self.kept)
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
