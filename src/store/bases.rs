//! Each month's base for a report's complaint rate (outpatient visits,
//! households, subscribers — the policy's `[report] base_label`): kept in the
//! desk by an admin, each change an audit event.

use rusqlite::{OptionalExtension, params};

use super::audit::append;
use super::staff::desk_event;
use super::{Result, Store};
use crate::domain::{Actor, Time};

impl Store {
    /// Every month's base, oldest first: (`YYYY-MM`, base).
    pub fn bases(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT month, value FROM rate_bases ORDER BY month")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows
            .map(|r| r.map(|(m, v)| (m, u64::try_from(v).unwrap_or(0))))
            .collect::<Result<_, _>>()?)
    }

    /// The base of month `month` (`YYYY-MM`), if one was set.
    pub fn base(&self, month: &str) -> Result<Option<u64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM rate_bases WHERE month = ?")?
            .query_row([month], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|v| u64::try_from(v).unwrap_or(0)))
    }

    /// Sets month `month`'s base (`YYYY-MM`, checked by the caller) to
    /// `value`; returns the base it had. An admin's change, checked by the desk.
    pub fn set_base(&mut self, by: &Actor, month: &str, value: u64, now: Time) -> Result<Option<u64>> {
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        self.transaction(|tx| {
            let before: Option<i64> = tx
                .prepare_cached("SELECT value FROM rate_bases WHERE month = ?")?
                .query_row([month], |r| r.get(0))
                .optional()?;
            tx.prepare_cached(
                "INSERT INTO rate_bases (month, value) VALUES (?1, ?2)
                 ON CONFLICT(month) DO UPDATE SET value = ?2",
            )?
            .execute(params![month, value])?;
            let body = serde_json::json!({"kind": "base_set", "month": month, "from": before, "to": value}).to_string();
            append(tx, &[desk_event("base_set", by.id, now, &body)])?;
            Ok(before.map(|v| u64::try_from(v).unwrap_or(0)))
        })
    }
}
