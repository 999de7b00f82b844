//! `casedesk check`: SQLite integrity, foreign keys, the audit chain, and every
//! case's stored state against a replay of its events.

use super::audit::{ChainReport, verify};
use super::cases::case_events;
use super::{Result, Store};
use crate::domain::Case;

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
    pub state_mismatch: Vec<String>,
}

/// Runs every check.
pub fn run(store: &Store) -> Result<CheckReport> {
    let conn = store.sql();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let foreign_key_errors = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |_| Ok(()))?
        .count();
    let chain = verify(conn)?;
    let mut state_mismatch = Vec::new();
    let mut cases = 0;
    let mut stmt = conn.prepare("SELECT id, number, state, owner_id, level, version FROM cases ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        cases += 1;
        let id: i64 = r.get(0)?;
        let number: String = r.get(1)?;
        let state: String = r.get(2)?;
        let owner: i64 = r.get(3)?;
        let level: u8 = r.get(4)?;
        // The indexed columns must say what the events say.
        let fits = case_events(conn, id)
            .ok()
            .and_then(|events| Case::replay(&events).ok())
            .is_some_and(|c| c.state.code() == state && c.owner.0 == owner && c.level == level);
        if !fits {
            state_mismatch.push(number);
        }
    }
    state_mismatch.dedup();
    Ok(CheckReport {
        integrity,
        foreign_key_errors,
        chain,
        cases,
        state_mismatch,
    })
}
