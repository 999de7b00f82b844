//! Editing a desk file behind the desk's back, as anyone who can write the
//! file could: past the guards (dropped, then put back as they were), and
//! with the audit chain hashed again so it holds together.

use casedesk::store::audit::{GENESIS, NewEvent, hash};
use rusqlite::{Connection, params};

/// The SQL of trigger `name`, to put it back.
pub fn guard(conn: &Connection, name: &str) -> String {
    conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?",
        [name],
        |r| r.get(0),
    )
    .unwrap_or_else(|e| panic!("no trigger {name}: {e}"))
}

/// Runs `sql` with the triggers `guards` dropped, then puts them back as they were.
pub fn past_guards(conn: &Connection, guards: &[&str], sql: &str) {
    let kept: Vec<String> = guards.iter().map(|g| guard(conn, g)).collect();
    for g in guards {
        conn.execute_batch(&format!("DROP TRIGGER {g}")).unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for sql in kept {
        conn.execute_batch(&sql).unwrap();
    }
}

/// Hashes the whole audit chain again from its first event, so that edited
/// events fit it (`check` finds no broken link), past the update guard.
pub fn rechain(conn: &Connection) {
    type Row = (i64, Option<i64>, i64, String, i64, i64, String, Option<i64>);
    let rows: Vec<Row> = conn
        .prepare("SELECT id, case_id, seq, kind, actor_id, at, body, recorded_at FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let update = guard(conn, "events_no_update");
    conn.execute_batch("DROP TRIGGER events_no_update").unwrap();
    let mut prev = GENESIS.to_vec();
    for (id, case_id, seq, kind, actor_id, at, body, recorded_at) in rows {
        let e = NewEvent {
            case_id,
            seq,
            kind: &kind,
            actor_id,
            at,
            body: &body,
        };
        let h = hash(&prev, &e, recorded_at);
        conn.execute("UPDATE events SET hash = ? WHERE id = ?", params![&h[..], id])
            .unwrap();
        prev = h.to_vec();
    }
    conn.execute_batch(&update).unwrap();
}

/// The newest event's id and hash.
pub fn head(conn: &Connection) -> (i64, Vec<u8>) {
    conn.query_row("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
}
