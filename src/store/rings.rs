//! Incoming calls (`casedesk ring`): written by whoever tells the desk of a
//! call, read by the screens that wait for them.

use rusqlite::{OptionalExtension, params};

use super::audit::append;
use super::rows::from_secs;
use super::staff::desk_event;
use super::{Result, Store, secs};
use crate::domain::{StaffId, Time};

/// A call coming in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ring {
    /// Its id: screens read the rings after the last one they saw.
    pub id: i64,
    /// The caller's number, as the phone system gave it.
    pub phone: String,
    /// The station (terminal) it is for.
    pub station: Option<String>,
    /// The clerk it is for.
    pub staff: Option<StaffId>,
    /// When it rang.
    pub at: Time,
}

impl Store {
    /// Records a call coming in (and its audit event, by the desk itself);
    /// returns its id.
    pub fn ring(&mut self, phone: &str, station: Option<&str>, staff: Option<StaffId>, now: Time) -> Result<i64> {
        self.transaction(|tx| {
            tx.prepare_cached("INSERT INTO rings (phone, station, staff_id, at) VALUES (?, ?, ?, ?)")?
                .execute(params![phone, station, staff.map(|s| s.0), secs(now)])?;
            let id = tx.last_insert_rowid();
            let body = serde_json::json!({
                "kind": "ring", "phone": phone, "station": station, "staff": staff.map(|s| s.0)
            })
            .to_string();
            append(tx, &[desk_event("ring", StaffId::SYSTEM, now, &body)])?;
            Ok(id)
        })
    }

    /// The newest ring's id (0 when none): a screen that signs in waits for later ones.
    pub fn last_ring(&self) -> Result<i64> {
        Ok(self
            .sql()
            .query_row("SELECT max(id) FROM rings", [], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten()
            .unwrap_or(0))
    }

    /// How many cases the caller with `key` (phone digits) brought since `since`.
    pub fn caller_cases_since(&self, key: &str, since: Time) -> Result<u32> {
        // Reads only the caller's cases in the window (index cases_caller).
        Ok(self
            .sql()
            .prepare_cached("SELECT COUNT(*) FROM cases WHERE caller_key = ? AND received_at >= ?")?
            .query_row(params![key, secs(since)], |r| r.get(0))?)
    }

    /// The rings after `id`, oldest first.
    pub fn rings_after(&self, id: i64) -> Result<Vec<Ring>> {
        let mut stmt = self
            .sql()
            .prepare_cached("SELECT id, phone, station, staff_id, at FROM rings WHERE id > ? ORDER BY id")?;
        let rows = stmt.query_map([id], |r| {
            Ok(Ring {
                id: r.get(0)?,
                phone: r.get(1)?,
                station: r.get(2)?,
                staff: r.get::<_, Option<i64>>(3)?.map(StaffId),
                at: from_secs(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
