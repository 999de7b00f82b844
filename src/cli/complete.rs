//! Completion of names from the desk itself (`--as`, `--dept`, `--category`,
//! `--owner`) for a shell that asks the program as the clerk types
//! (`source <(COMPLETE=bash casedesk)`, clap_complete's `CompleteEnv`). The
//! desk is the one `CASEDESK_DB` names, else the user's own; it is opened
//! read-only, and a desk that cannot be read completes nothing.

use clap::Arg;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::paths::Paths;
use crate::store::Store;

/// What a flag with id `id` completes from, if from the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Names {
    /// Staff accounts (active ones).
    Staff,
    /// Departments.
    Depts,
    /// Categories, by code, their Chinese name beside.
    Categories,
}

impl Names {
    fn of(id: &str) -> Option<Names> {
        match id {
            "actor" | "owner" => Some(Names::Staff),
            "dept" => Some(Names::Depts),
            "category" => Some(Names::Categories),
            _ => None,
        }
    }

    fn candidates(self) -> Vec<CompletionCandidate> {
        let db = std::env::var_os("CASEDESK_DB")
            .filter(|v| !v.is_empty())
            .map_or_else(|| Paths::resolve(None, None, None).db, Into::into);
        let Ok(store) = Store::open_read_only(&db) else {
            return Vec::new();
        };
        match self {
            Names::Staff => store
                .staff()
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.actor.active)
                .map(|s| CompletionCandidate::new(s.actor.name))
                .collect(),
            Names::Depts => store
                .departments()
                .unwrap_or_default()
                .into_iter()
                .filter(|d| d.active)
                .map(|d| CompletionCandidate::new(d.name))
                .collect(),
            Names::Categories => store
                .categories()
                .unwrap_or_default()
                .into_iter()
                .map(|c| CompletionCandidate::new(c.code).help(Some(c.name_zh.into())))
                .collect(),
        }
    }
}

/// `arg` (with id `id`), completing from the desk when it names something the desk holds.
#[must_use]
pub fn from_desk(arg: Arg, id: &str) -> Arg {
    match Names::of(id) {
        Some(names) => arg.add(ArgValueCandidates::new(move || names.candidates())),
        None => arg,
    }
}
