//! The rows a report counts: one per case received in the period, columns only.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};

use super::list::from_secs;
use super::{Result, Store, secs};
use crate::domain::{Channel, Kind, Severity, Time, Verdict};

/// What a report is about.
#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    /// Received from (inclusive).
    pub from: Option<Time>,
    /// Received until (exclusive).
    pub until: Option<Time>,
    /// Only this department.
    pub dept: Option<i64>,
    /// Only this category.
    pub category: Option<i64>,
    /// Only this kind (code).
    pub kind: Option<String>,
    /// Only this channel (code).
    pub channel: Option<String>,
}

/// One case as a report sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ReportRow {
    pub received_at: Time,
    pub kind: &'static str,
    pub channel: &'static str,
    pub severity: &'static str,
    pub dept: Option<i64>,
    pub category: Option<i64>,
    pub owner: i64,
    pub closed: bool,
    pub level: u8,
    pub repeat: bool,
    pub verdict: Option<&'static str>,
    pub visits_ok: u32,
    pub visits_bad: u32,
    pub visit: Option<&'static str>,
    pub urges: u32,
    pub has_result: bool,
    pub has_feedback: bool,
    pub ack_on_time: Option<bool>,
    pub reply_on_time: Option<bool>,
    pub reply_due: Option<Time>,
    pub wd_to_close: Option<u32>,
    pub next_due: Option<Time>,
    /// Who complained: phone digits, else the name; none for anonymous.
    pub caller: Option<String>,
}

/// A text column matched against a closed vocabulary without copying it.
fn code(
    r: &rusqlite::Row<'_>,
    i: usize,
    known: impl Fn(&str) -> Option<&'static str>,
) -> rusqlite::Result<Option<&'static str>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(known),
        _ => None,
    })
}

/// The WHERE clause (after `WHERE 1 = 1`) and its arguments for `f`.
fn conditions(f: &ReportFilter) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(from) = f.from {
        sql.push_str(" AND c.received_at >= ?");
        args.push(Value::Integer(secs(from)));
    }
    if let Some(until) = f.until {
        sql.push_str(" AND c.received_at < ?");
        args.push(Value::Integer(secs(until)));
    }
    if let Some(d) = f.dept {
        sql.push_str(" AND c.dept_id = ?");
        args.push(Value::Integer(d));
    }
    if let Some(c) = f.category {
        sql.push_str(" AND c.category_id = ?");
        args.push(Value::Integer(c));
    }
    if let Some(k) = &f.kind {
        sql.push_str(" AND c.kind = ?");
        args.push(Value::Text(k.clone()));
    }
    if let Some(ch) = &f.channel {
        sql.push_str(" AND c.channel = ?");
        args.push(Value::Text(ch.clone()));
    }
    (sql, args)
}

impl Store {
    /// Cases per category (id, count) matching `f`: all the previous period needs.
    pub fn report_category_counts(&self, f: &ReportFilter) -> Result<Vec<(Option<i64>, u64)>> {
        let (cond, args) = conditions(f);
        let sql = format!("SELECT c.category_id, COUNT(*) FROM cases c WHERE 1 = 1{cond} GROUP BY c.category_id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get(0)?, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A name of the caller with this key (phone digits, else the name itself).
    pub fn caller_name(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name FROM complainants WHERE phone_key = ?1 OR (phone_key IS NULL AND name = ?1) LIMIT 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Every case matching `f`, as report rows.
    pub fn report_rows(&self, f: &ReportFilter) -> Result<Vec<ReportRow>> {
        let mut sql = String::from(
            "SELECT c.received_at, c.kind, c.channel, c.severity, NULL, c.dept_id, c.category_id, c.owner_id,
                    c.closed_at IS NOT NULL, c.level, c.flags LIKE '%repeat%', c.verdict, c.visits_ok, c.visits_bad,
                    c.visit, c.urges, c.has_result, c.has_feedback, c.ack_on_time, c.reply_on_time, c.reply_due,
                    c.wd_to_close, c.next_due, c.caller_key
             FROM cases c WHERE 1 = 1",
        );
        let (cond, args) = conditions(f);
        sql.push_str(&cond);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(ReportRow {
                received_at: from_secs(r.get(0)?),
                // Codes are borrowed and matched, not copied: a year is many rows.
                kind: code(r, 1, |t| Kind::parse(t).ok().map(Kind::code))?.unwrap_or(""),
                channel: code(r, 2, |t| Channel::parse(t).ok().map(Channel::code))?.unwrap_or(""),
                severity: code(r, 3, |t| Severity::parse(t).ok().map(Severity::code))?.unwrap_or(""),
                dept: r.get(5)?,
                category: r.get(6)?,
                owner: r.get(7)?,
                closed: r.get(8)?,
                level: r.get(9)?,
                repeat: r.get(10)?,
                verdict: code(r, 11, |t| Verdict::parse(t).ok().map(Verdict::code))?,
                visits_ok: r.get(12)?,
                visits_bad: r.get(13)?,
                visit: code(r, 14, |t| match t {
                    "reached" => Some("reached"),
                    "exempt" => Some("exempt"),
                    _ => None,
                })?,
                urges: r.get(15)?,
                has_result: r.get(16)?,
                has_feedback: r.get(17)?,
                ack_on_time: r.get(18)?,
                reply_on_time: r.get(19)?,
                reply_due: r.get::<_, Option<i64>>(20)?.map(from_secs),
                wd_to_close: r.get(21)?,
                next_due: r.get::<_, Option<i64>>(22)?.map(from_secs),
                caller: r.get(23)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Duty-log entries in the period: (all, ended, of which became a case).
    pub fn log_counts(&self, from: Option<Time>, until: Option<Time>) -> Result<(u64, u64, u64)> {
        let (from, until) = (from.map_or(i64::MIN, secs), until.map_or(i64::MAX, secs));
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(self.conn.query_row(
            "SELECT COUNT(*), COUNT(ending), COALESCE(SUM(ending LIKE '%\"type\":\"case\"%'), 0)
             FROM duty_log WHERE at >= ? AND at < ?",
            [from, until],
            |r| Ok((n(r.get(0)?), n(r.get(1)?), n(r.get(2)?))),
        )?)
    }
}
