//! Batch incidents (批量事件): one outage, many callers. A batch has a
//! number and a title; each case that joins it records the membership as an
//! event of its own, and the batch's reply or feedback is run on each member
//! case through the rules, one transaction per case.

use chrono::Datelike;
use rusqlite::{OptionalExtension, params};

use super::audit::append;
use super::cases::{CaseRecord, execute_in, whole_seconds};
use super::rows::from_secs;
use super::staff::desk_event;
use super::{Result, Store, StoreError, secs};
use crate::domain::deadline::local_date;
use crate::domain::{Command, Context, RuleError, StaffId, Time};

/// A batch incident and its member cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Its number, e.g. `B2026-001`.
    pub number: String,
    /// What happened, e.g. 12月3日 3号楼停水.
    pub title: String,
    /// When it was opened.
    pub opened_at: Time,
    /// Who opened it.
    pub opened_by: StaffId,
    /// Its member cases' numbers, in the order they joined.
    pub members: Vec<String>,
}

impl Store {
    /// Opens a batch incident titled `title`; its number is given here.
    pub fn open_batch(&mut self, ctx: &Context<'_>, title: &str) -> Result<Batch> {
        let ctx = &whole_seconds(ctx);
        let title = title.trim();
        if title.is_empty() {
            return Err(RuleError::Required { field: "title" }.into());
        }
        if !ctx.actor.active {
            return Err(RuleError::Inactive.into());
        }
        self.transaction(|tx| {
            let year = local_date(ctx.policy.timezone, ctx.now).year();
            let prefix = format!("B{year}-");
            let taken: i64 = tx.query_row(
                "SELECT COUNT(*) FROM batches WHERE number LIKE ? || '%'",
                [&prefix],
                |r| r.get(0),
            )?;
            let number = format!("{prefix}{:03}", taken + 1);
            tx.execute(
                "INSERT INTO batches (number, title, opened_at, opened_by) VALUES (?, ?, ?, ?)",
                params![number, title, secs(ctx.now), ctx.actor.id.0],
            )?;
            let body = serde_json::json!({"kind": "batch_opened", "batch": number, "title": title}).to_string();
            append(tx, &[desk_event("batch_opened", ctx.actor.id, ctx.now, &body)])?;
            Ok(Batch {
                number,
                title: title.to_string(),
                opened_at: ctx.now,
                opened_by: ctx.actor.id,
                members: Vec::new(),
            })
        })
    }

    /// The batch numbered `number` (as typed: upper or lower case).
    pub fn batch(&self, number: &str) -> Result<Batch> {
        let wanted = number.trim().to_uppercase();
        let row: Option<(i64, String, String, i64, i64)> = self
            .conn
            .prepare_cached("SELECT id, number, title, opened_at, opened_by FROM batches WHERE number = ?")?
            .query_row([&wanted], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((id, number, title, opened_at, opened_by)) = row else {
            return Err(StoreError::Unknown {
                what: "batch",
                given: number.trim().to_string(),
                known: self.batches()?.into_iter().map(|b| b.number).rev().take(10).collect(),
            });
        };
        Ok(Batch {
            number,
            title,
            opened_at: from_secs(opened_at),
            opened_by: StaffId(opened_by),
            members: self.batch_members(id)?,
        })
    }

    /// Every batch, oldest first, with its members.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        let rows: Vec<(i64, String, String, i64, i64)> = self
            .conn
            .prepare_cached("SELECT id, number, title, opened_at, opened_by FROM batches ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, number, title, opened_at, opened_by)| {
                Ok(Batch {
                    number,
                    title,
                    opened_at: from_secs(opened_at),
                    opened_by: StaffId(opened_by),
                    members: self.batch_members(id)?,
                })
            })
            .collect()
    }

    fn batch_members(&self, batch_id: i64) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.number FROM batch_members m JOIN cases c ON c.id = m.case_id
                 WHERE m.batch_id = ? ORDER BY m.joined_at, c.id",
            )?
            .query_map([batch_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Case `number` joins batch `batch`: the membership and its event in one transaction.
    pub fn join_batch(&mut self, ctx: &Context<'_>, batch: &str, number: &str) -> Result<CaseRecord> {
        let ctx = &whole_seconds(ctx);
        let found = self.batch(batch)?;
        self.transaction(|tx| {
            let command = Command::JoinBatch {
                batch: found.number.clone(),
                title: found.title.clone(),
            };
            let record = execute_in(tx, ctx, number, None, &command, None)?;
            add_member(tx, &found.number, record.id, ctx.now)?;
            Ok(record)
        })
    }

    /// Batches opened in `[from, to)` and the member cases they have.
    pub fn batch_counts(&self, from: Time, to: Time) -> Result<(u64, u64)> {
        let (batches, members): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM batch_members m WHERE m.batch_id = b.id)), 0)
             FROM batches b WHERE b.opened_at >= ? AND b.opened_at < ?",
            [secs(from), secs(to)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((u64::try_from(batches).unwrap_or(0), u64::try_from(members).unwrap_or(0)))
    }
}

/// Records case `case_id` as a member of batch `batch` (by number).
pub(crate) fn add_member(tx: &rusqlite::Transaction<'_>, batch: &str, case_id: i64, at: Time) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO batch_members (batch_id, case_id, joined_at)
         SELECT id, ?, ? FROM batches WHERE number = ?",
    )?
    .execute(params![case_id, secs(at), batch])?;
    Ok(())
}
