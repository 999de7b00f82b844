//! The audit chain: every event row carries a hash over its content and the
//! previous row's hash, so an edit, deletion, swap or insertion made behind the
//! triggers' back (someone with the file) shows up in `casedesk check`.

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::Result;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row to append.
#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    /// The case, or `None` for desk events (staff added …).
    pub case_id: Option<i64>,
    /// Position in the case's timeline (desk events: 0).
    pub seq: i64,
    /// Event kind code.
    pub kind: &'a str,
    /// Staff id of the actor (0 = the desk itself).
    pub actor_id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The event as JSON.
    pub body: &'a str,
}

/// The hash of a row given its predecessor's hash.
#[must_use]
pub fn hash(prev: &str, e: &NewEvent<'_>) -> String {
    let mut h = Sha256::new();
    let case = e.case_id.map_or_else(|| "-".to_string(), |c| c.to_string());
    for part in [
        prev,
        &case,
        &e.seq.to_string(),
        e.kind,
        &e.actor_id.to_string(),
        &e.at.to_string(),
        e.body,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The hash of the newest row (the chain's tip).
pub fn tip(tx: &Transaction<'_>) -> Result<String> {
    Ok(tx
        .query_row("SELECT hash FROM events ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

/// Appends rows after the current tip, in one transaction.
pub fn append(tx: &Transaction<'_>, events: &[NewEvent<'_>]) -> Result<()> {
    let mut prev = tip(tx)?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO events (case_id, seq, kind, actor_id, at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for e in events {
        let h = hash(&prev, e);
        stmt.execute(params![e.case_id, e.seq, e.kind, e.actor_id, e.at, e.body, prev, h])?;
        prev = h;
    }
    Ok(())
}

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked.
    pub events: u64,
    /// The first bad row: its id and what is wrong.
    pub first_bad: Option<(i64, &'static str)>,
}

/// Walks the whole chain in id order.
pub fn verify(conn: &rusqlite::Connection) -> Result<ChainReport> {
    let mut stmt =
        conn.prepare("SELECT id, case_id, seq, kind, actor_id, at, body, prev_hash, hash FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut count = 0u64;
    let mut last_seq: std::collections::HashMap<Option<i64>, i64> = std::collections::HashMap::new();
    while let Some(r) = rows.next()? {
        count += 1;
        let id: i64 = r.get(0)?;
        let case_id: Option<i64> = r.get(1)?;
        let seq: i64 = r.get(2)?;
        let kind: String = r.get(3)?;
        let body: String = r.get(6)?;
        let stored_prev: String = r.get(7)?;
        let stored: String = r.get(8)?;
        let e = NewEvent {
            case_id,
            seq,
            kind: &kind,
            actor_id: r.get(4)?,
            at: r.get(5)?,
            body: &body,
        };
        let bad = if stored_prev != prev {
            Some("previous hash does not match: a row before it was removed, inserted or swapped")
        } else if hash(&prev, &e) != stored {
            Some("content does not match its hash: the row was edited")
        } else if case_id.is_some() && last_seq.get(&case_id).map_or(seq != 1, |s| seq != s + 1) {
            Some("the case's timeline skips or repeats a step")
        } else {
            None
        };
        if let Some(why) = bad {
            return Ok(ChainReport {
                events: count,
                first_bad: Some((id, why)),
            });
        }
        if case_id.is_some() {
            last_seq.insert(case_id, seq);
        }
        prev = stored;
    }
    Ok(ChainReport {
        events: count,
        first_bad: None,
    })
}
