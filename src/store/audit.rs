//! The audit chain: every event row carries a SHA-256 hash over its content and
//! the previous row's hash, so an edit, deletion, swap or insertion made behind
//! the triggers' back (someone with the file) shows up in `casedesk check`.

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::Result;

/// The hash before the first event.
pub const GENESIS: [u8; 32] = [0; 32];

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
    /// The event's fields as JSON.
    pub body: &'a str,
}

/// The hash of a row given its predecessor's hash and when it was written
/// (rows from before the desk kept that have none, and hash as they did).
#[must_use]
pub fn hash(prev: &[u8], e: &NewEvent<'_>, recorded_at: Option<i64>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    // Fixed-width numbers and length-prefixed text: no two rows hash alike by shifting bytes.
    h.update(e.case_id.unwrap_or(-1).to_le_bytes());
    h.update(e.seq.to_le_bytes());
    h.update(e.actor_id.to_le_bytes());
    h.update(e.at.to_le_bytes());
    for text in [e.kind, e.body] {
        h.update((text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    if let Some(recorded) = recorded_at {
        h.update(recorded.to_le_bytes());
    }
    h.finalize().into()
}

/// The hash of the newest row (the chain's tip).
pub fn tip(tx: &Transaction<'_>) -> Result<Vec<u8>> {
    Ok(tx
        .prepare_cached("SELECT hash FROM events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_vec()))
}

/// Appends rows after the current tip, inside the caller's transaction. Each
/// row records the real clock's time of writing (never a clock the clerk set),
/// so a step dated otherwise still shows when it was entered.
pub fn append(tx: &Transaction<'_>, events: &[NewEvent<'_>]) -> Result<()> {
    let mut prev = tip(tx)?;
    let recorded = chrono::Utc::now().timestamp();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO events (case_id, seq, kind, actor_id, at, body, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for e in events {
        let h = hash(&prev, e, Some(recorded));
        stmt.execute(params![
            e.case_id,
            e.seq,
            e.kind,
            e.actor_id,
            e.at,
            e.body,
            &h[..],
            recorded
        ])?;
        prev = h.to_vec();
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

/// One event as the chain walk reads it.
#[derive(Clone, Copy, Debug)]
pub struct Walked<'a> {
    /// Its place in the chain, from 1 (an anchor's count).
    pub position: u64,
    /// Its case, if any.
    pub case_id: Option<i64>,
    /// Its kind.
    pub kind: &'a str,
    /// When it says it happened (unix seconds).
    pub at: i64,
    /// Its fields as JSON.
    pub body: &'a str,
    /// Its stored hash.
    pub hash: &'a [u8],
}

/// Walks the whole chain in id order and names the first row that does not fit.
pub fn verify(conn: &rusqlite::Connection) -> Result<ChainReport> {
    verify_with(conn, |_| {})
}

/// [`verify`], handing `visit` every row, to the end of the chain even past
/// the first bad one (anchors further on are still compared).
pub fn verify_with(conn: &rusqlite::Connection, mut visit: impl FnMut(&Walked<'_>)) -> Result<ChainReport> {
    let mut stmt =
        conn.prepare("SELECT id, case_id, seq, kind, actor_id, at, body, hash, recorded_at FROM events ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_vec();
    let mut count = 0u64;
    let mut first_bad = None;
    let mut last_seq: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    while let Some(r) = rows.next()? {
        count += 1;
        let id: i64 = r.get(0)?;
        let case_id: Option<i64> = r.get(1)?;
        let seq: i64 = r.get(2)?;
        let kind: String = r.get(3)?;
        let at: i64 = r.get(5)?;
        let body: String = r.get(6)?;
        let stored: Vec<u8> = r.get(7)?;
        let recorded_at: Option<i64> = r.get(8)?;
        visit(&Walked {
            position: count,
            case_id,
            kind: &kind,
            at,
            body: &body,
            hash: &stored,
        });
        if first_bad.is_some() {
            continue;
        }
        let e = NewEvent {
            case_id,
            seq,
            kind: &kind,
            actor_id: r.get(4)?,
            at,
            body: &body,
        };
        let bad = if hash(&prev, &e, recorded_at)[..] != stored[..] {
            Some("does not match the chain: this event was edited, or one before it was removed, inserted or swapped")
        } else if let Some(case) = case_id
            && last_seq.get(&case).map_or(seq != 1, |s| seq != s + 1)
        {
            Some("the case's timeline skips or repeats a step")
        } else {
            None
        };
        if let Some(why) = bad {
            first_bad = Some((id, why));
            // Nothing after it is hashed: the walk only reads on, for the anchors.
            last_seq = std::collections::HashMap::new();
            continue;
        }
        if let Some(case) = case_id {
            last_seq.insert(case, seq);
        }
        prev = stored;
    }
    Ok(ChainReport {
        events: count,
        first_bad,
    })
}
