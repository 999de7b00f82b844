//! `casedesk check`: SQLite integrity, foreign keys, the audit chain, and every
//! case's stored state against a replay of its events.

use super::audit::{ChainReport, verify};
use super::{Result, Store};
use crate::domain::{Case, Event};

/// What the check found.
#[derive(Clone, Debug)]
pub struct CheckReport {
    /// `PRAGMA integrity_check`'s first line ("ok" when sound).
    pub integrity: String,
    /// Rows that point at nothing.
    pub foreign_key_errors: usize,
    /// The audit chain.
    pub chain: ChainReport,
    /// Cases checked.
    pub cases: u64,
    /// Cases whose stored state differs from their events' replay.
    pub snapshot_mismatch: Vec<String>,
}

/// Runs every check.
pub fn run(store: &Store) -> Result<CheckReport> {
    let conn = store.conn();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let foreign_key_errors = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |_| Ok(()))?
        .count();
    let chain = verify(conn)?;
    let mut snapshot_mismatch = Vec::new();
    let mut cases = 0;
    let mut stmt = conn.prepare(
        "SELECT c.number, c.snapshot, e.body FROM cases c JOIN events e ON e.case_id = c.id ORDER BY c.id, e.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(String, String, Vec<Event>)> = None;
    let finish = |entry: Option<(String, String, Vec<Event>)>, out: &mut Vec<String>| {
        if let Some((number, snapshot, events)) = entry {
            let stored: Option<Case> = serde_json::from_str(&snapshot).ok();
            let replayed = Case::replay(&events).ok();
            if stored.is_none() || stored != replayed {
                out.push(number);
            }
        }
    };
    while let Some(r) = rows.next()? {
        let number: String = r.get(0)?;
        let body: String = r.get(2)?;
        if current.as_ref().is_none_or(|(n, _, _)| *n != number) {
            finish(current.take(), &mut snapshot_mismatch);
            cases += 1;
            current = Some((number.clone(), r.get(1)?, Vec::new()));
        }
        match serde_json::from_str::<Event>(&body) {
            Ok(e) => {
                if let Some((_, _, events)) = current.as_mut() {
                    events.push(e);
                }
            }
            Err(_) => snapshot_mismatch.push(number),
        }
    }
    finish(current.take(), &mut snapshot_mismatch);
    snapshot_mismatch.dedup();
    Ok(CheckReport {
        integrity,
        foreign_key_errors,
        chain,
        cases,
        snapshot_mismatch,
    })
}
