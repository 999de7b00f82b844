//! `casedesk check`: SQLite integrity, foreign keys, the schema's guards
//! (its triggers), the audit chain, the cases, complainants, staff and the
//! desk's settings against what the chain replays to, the case-number counters, and every
//! anchor — the desk's own (signed handovers, backups) and those given as
//! evidence from outside (an anchor file, a backup file).

mod cases;
mod settings;
mod staff;
mod triggers;

use std::collections::BTreeMap;

use rusqlite::Connection;

pub use triggers::TriggerProblem;

use super::anchor::{Anchor, Placed};
use super::audit::{ChainReport, verify_with};
use super::{Result, Store};

/// How many differences a report lists; the rest are only counted.
const MAX_LISTED: usize = 1000;

/// What a difference is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A case, by number.
    Case(String),
    /// A staff account, by name.
    Staff(String),
    /// A year's case-number counter.
    Counter(i32),
    /// One of the desk's own settings, by key (training, policy, calendar).
    Setting(&'static str),
}

/// A stored value that is not what the audit log replays to. `field` is the
/// column (`complainant.phone` for the case's complainant); for a case,
/// `events` means its events replay to no case at all; for an account,
/// `staff_added` means the log never added it and `row` that the table lost it;
/// for a counter, `last` means it is behind the numbers already issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Which case, account or counter.
    pub subject: Subject,
    /// Which column.
    pub field: &'static str,
}

/// The differences found, the first [`MAX_LISTED`] listed.
#[derive(Clone, Debug, Default)]
pub struct Differences {
    /// The first ones.
    pub listed: Vec<Difference>,
    /// How many more there were.
    pub more: u64,
}

impl Differences {
    fn push(&mut self, subject: Subject, field: &'static str) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(Difference { subject, field });
        } else {
            self.more += 1;
        }
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }
}

/// Why the chain no longer passes through an anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnchorProblem {
    /// The event at the anchor's count has another hash: the chain was
    /// rewritten at or before it.
    Differs,
    /// The chain is shorter than the anchor: events were removed from its end.
    Beyond {
        /// How many events the chain holds now.
        events: u64,
    },
}

/// One anchor checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorCheck {
    /// The anchor and where it was found.
    pub placed: Placed,
    /// What is wrong, if anything.
    pub problem: Option<AnchorProblem>,
}

/// A restore recorded in the chain: anchors taken before it, of events after
/// its place, were of the desk it replaced (kept beside it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreMark {
    /// The restore event's place in the chain.
    pub event: u64,
    /// The backup restored.
    pub file: String,
    /// Where the replaced desk was kept.
    pub kept: String,
}

/// What the check found.
#[derive(Clone, Debug)]
pub struct CheckReport {
    /// `PRAGMA integrity_check`'s first line ("ok" when sound).
    pub integrity: String,
    /// Rows that point at nothing.
    pub foreign_key_errors: usize,
    /// The schema's guards that are missing, changed or unexpected.
    pub triggers: Vec<TriggerProblem>,
    /// The audit chain.
    pub chain: ChainReport,
    /// Cases checked.
    pub cases: u64,
    /// Staff accounts checked.
    pub staff: u64,
    /// Stored values that are not what the audit log replays to.
    pub differences: Differences,
    /// Every anchor, checked.
    pub anchors: Vec<AnchorCheck>,
    /// Restores the chain records.
    pub restores: Vec<RestoreMark>,
}

impl CheckReport {
    /// Whether everything passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.integrity == "ok"
            && self.foreign_key_errors == 0
            && self.triggers.is_empty()
            && self.chain.first_bad.is_none()
            && self.differences.is_empty()
            && self.anchors.iter().all(|a| a.problem.is_none())
    }
}

/// Runs every check with the desk's own anchors.
pub fn run(store: &Store) -> Result<CheckReport> {
    run_with(store, &[])
}

/// Runs every check, with `evidence` (anchors from outside the desk) besides the desk's own.
pub fn run_with(store: &Store, evidence: &[Placed]) -> Result<CheckReport> {
    let conn = store.sql();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let foreign_key_errors = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |_| Ok(()))?
        .count();
    let triggers = triggers::check(conn)?;
    let mut anchors = super::anchor::recorded(conn)?;
    anchors.extend_from_slice(evidence);
    // The chain is read once: hashes at the anchors' counts, the accounts'
    // events and the restores are taken as it goes by.
    let mut at_counts: BTreeMap<u64, Vec<u8>> = anchors.iter().map(|a| (a.anchor.events, Vec::new())).collect();
    let mut staff = staff::StaffReplay::default();
    let mut settings = settings::SettingsReplay::default();
    let mut restores = Vec::new();
    let mut restored_counters: BTreeMap<i32, i64> = BTreeMap::new();
    let chain = verify_with(conn, |row| {
        if let Some(hash) = at_counts.get_mut(&row.position) {
            hash.extend_from_slice(row.hash);
        }
        if row.case_id.is_none() {
            staff.event(row.kind, row.at, row.body);
            settings.event(row.kind, row.body);
            if row.kind == "restored" {
                restores.push(restore_mark(row.position, row.body, &mut restored_counters));
            }
        }
    })?;
    let mut differences = Differences::default();
    let cases = cases::compare(conn, &mut differences)?;
    let staff = staff.compare(conn, &mut differences)?;
    settings.compare(conn, &mut differences)?;
    counters(conn, &restored_counters, &mut differences)?;
    attachments(conn, &mut differences)?;
    let anchors = anchors
        .into_iter()
        .map(|placed| {
            let problem = meet(&placed.anchor, chain.events, at_counts.get(&placed.anchor.events));
            AnchorCheck { placed, problem }
        })
        .collect();
    Ok(CheckReport {
        integrity,
        foreign_key_errors,
        triggers,
        chain,
        cases,
        staff,
        differences,
        anchors,
        restores,
    })
}

/// Whether a chain of `events` events, whose event at the anchor's count has
/// hash `hash`, passes through `anchor`. The empty chain's anchor is its genesis.
fn meet(anchor: &Anchor, events: u64, hash: Option<&Vec<u8>>) -> Option<AnchorProblem> {
    if anchor.events > events {
        return Some(AnchorProblem::Beyond { events });
    }
    let meets = if anchor.events == 0 {
        anchor.meets(&super::audit::GENESIS)
    } else {
        hash.is_some_and(|h| anchor.meets(h))
    };
    (!meets).then_some(AnchorProblem::Differs)
}

/// A restore event's place, file and kept copy; its counters raise `counters`.
fn restore_mark(event: u64, body: &str, counters: &mut BTreeMap<i32, i64>) -> RestoreMark {
    let body: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if let Some(kept) = body.get("counters").and_then(serde_json::Value::as_object) {
        for (year, last) in kept {
            if let (Ok(year), Some(last)) = (year.parse::<i32>(), last.as_i64()) {
                let high = counters.entry(year).or_insert(last);
                *high = (*high).max(last);
            }
        }
    }
    let text = |key: &str| {
        body.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    RestoreMark {
        event,
        file: text("file"),
        kept: text("kept"),
    }
}

/// Each year's counter must be at or past every number issued that year,
/// and past every number a replaced desk issued (kept by its restore): a
/// counter set back would issue a number twice.
fn counters(conn: &Connection, restored: &BTreeMap<i32, i64>, out: &mut Differences) -> Result<()> {
    let mut issued: BTreeMap<i32, i64> = conn
        .prepare(
            "SELECT CAST(substr(number, 1, 4) AS INTEGER), MAX(CAST(substr(number, 6) AS INTEGER))
             FROM cases GROUP BY 1",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (year, last) in restored {
        let high = issued.entry(*year).or_insert(*last);
        *high = (*high).max(*last);
    }
    let kept: BTreeMap<i32, i64> = conn
        .prepare("SELECT year, last FROM case_counters")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (year, high) in issued {
        if kept.get(&year).copied().unwrap_or(0) < high {
            out.push(Subject::Counter(year), "last");
        }
    }
    Ok(())
}

/// Each kept file must still be the bytes its SHA-256 names: a file changed
/// in the desk is a difference on every case that attached it.
fn attachments(conn: &Connection, out: &mut Differences) -> Result<()> {
    use sha2::Digest as _;
    let mut files = conn.prepare("SELECT sha256, bytes FROM attachments ORDER BY id")?;
    let mut rows = files.query([])?;
    let mut changed = Vec::new();
    while let Some(row) = rows.next()? {
        let (key, bytes): (Vec<u8>, Vec<u8>) = (row.get(0)?, row.get(1)?);
        if sha2::Sha256::digest(&bytes).as_slice() != key.as_slice() {
            changed.push(hex::encode(key));
        }
    }
    let mut cases = conn.prepare(
        "SELECT DISTINCT c.number FROM events e JOIN cases c ON c.id = e.case_id
         WHERE e.kind = 'attached' AND json_extract(e.body, '$.sha256') = ? ORDER BY c.number",
    )?;
    for sha256 in changed {
        for number in cases.query_map([&sha256], |r| r.get::<_, String>(0))? {
            out.push(Subject::Case(number?), "attachment");
        }
    }
    Ok(())
}
