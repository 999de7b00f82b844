//! The rows a report counts: one per case received in the period, columns only.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};

use super::rows::from_secs;
use super::{Result, Store, secs};
use crate::domain::facts::Bits;
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
pub struct ReportRow {
    /// When it came in.
    pub received_at: Time,
    /// Its kind (code).
    pub kind: &'static str,
    /// How it came in (code).
    pub channel: &'static str,
    /// Its severity (code).
    pub severity: &'static str,
    /// The department it concerns.
    pub dept: Option<i64>,
    /// Its category.
    pub category: Option<i64>,
    /// Who owns it.
    pub owner: i64,
    /// It is closed.
    pub closed: bool,
    /// Flagged as a repeat.
    pub repeat: bool,
    /// The department's verdict in the latest round (code), once replied.
    pub verdict: Option<&'static str>,
    /// Return visits answered satisfied or basically satisfied (all rounds).
    pub visits_ok: u32,
    /// Return visits answered unsatisfied (all rounds).
    pub visits_bad: u32,
    /// `reached` (a visit answered), `exempt` (closed under an exemption), or none.
    pub visit: Option<&'static str>,
    /// Urges made.
    pub urges: u32,
    /// Answered on the spot, referred or replied.
    pub has_result: bool,
    /// The complainant was told the result.
    pub has_feedback: bool,
    /// Acknowledged within its deadline (once due or met).
    pub ack_on_time: Option<bool>,
    /// The department's reply met its deadline (once due or met).
    pub reply_on_time: Option<bool>,
    /// When the department's reply is or was due.
    pub reply_due: Option<Time>,
    /// Working days from receipt to close.
    pub wd_to_close: Option<u32>,
    /// The next running deadline.
    pub next_due: Option<Time>,
    /// Who complained: phone digits, else the name; none for anonymous.
    pub caller: Option<String>,
    /// Assigned to a department at some point: the department lines count
    /// its departments' parts instead.
    pub assigned: bool,
}

/// Complaints about one person in a report's period, as the cases recorded them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonCount {
    /// Their name.
    pub name: String,
    /// Their job number, if recorded.
    pub job_number: Option<String>,
    /// Their department (the directory's, else the case's).
    pub dept: Option<String>,
    /// In the people directory (or a desk account) when recorded.
    pub listed: bool,
    /// How many complaints.
    pub complaints: u64,
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
        // Counted here, not by GROUP BY: SQLite would sort a year's rows first.
        let sql = format!("SELECT c.category_id FROM cases c WHERE 1 = 1{cond}");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut counts: std::collections::BTreeMap<Option<i64>, u64> = std::collections::BTreeMap::new();
        let mut rows = stmt.query(params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            *counts.entry(r.get(0)?).or_insert(0) += 1;
        }
        Ok(counts.into_iter().collect())
    }

    /// Cases per kind (code, count) matching `f`: the previous period's rates.
    pub fn report_kind_counts(&self, f: &ReportFilter) -> Result<std::collections::BTreeMap<String, u64>> {
        let (cond, args) = conditions(f);
        let sql = format!("SELECT c.kind FROM cases c WHERE 1 = 1{cond}");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut counts = std::collections::BTreeMap::new();
        let mut rows = stmt.query(params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            *counts.entry(r.get::<_, String>(0)?).or_insert(0) += 1;
        }
        Ok(counts)
    }

    /// The name the caller with this key gave last (the key: phone digits,
    /// else the name itself).
    pub fn caller_name(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT p.name FROM cases c JOIN complainants p ON p.id = c.complainant_id
                 WHERE c.caller_key = ?1 ORDER BY c.received_at DESC LIMIT 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Every case matching `f`, as report rows, handed to `count` one by one
    /// as they are read (a year at a large desk is a million rows: never all
    /// in memory at once). A read that fails ends the rows and is the error.
    pub fn with_report_rows<T>(
        &self,
        f: &ReportFilter,
        count: impl FnOnce(&mut dyn Iterator<Item = ReportRow>) -> T,
    ) -> Result<T> {
        // Twelve columns, all in one covering index; the small facts come packed.
        let mut sql = String::from(
            "SELECT c.received_at, c.report_bits, c.dept_id, c.category_id, c.owner_id, c.visits_ok, c.visits_bad,
                    c.urges, c.reply_due, c.wd_to_close, c.next_due, c.caller_key
             FROM cases c WHERE 1 = 1",
        );
        let (cond, args) = conditions(f);
        sql.push_str(&cond);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            let b = Bits::unpack(r.get(1)?);
            Ok(ReportRow {
                received_at: from_secs(r.get(0)?),
                kind: b.kind.map_or("", Kind::code),
                channel: b.channel.map_or("", Channel::code),
                severity: b.severity.map_or("", Severity::code),
                dept: r.get(2)?,
                category: r.get(3)?,
                owner: r.get(4)?,
                closed: b.closed,
                repeat: b.repeat,
                verdict: b.verdict.map(Verdict::code),
                visits_ok: r.get(5)?,
                visits_bad: r.get(6)?,
                visit: match b.visit {
                    1 => Some("reached"),
                    2 => Some("exempt"),
                    _ => None,
                },
                urges: r.get(7)?,
                has_result: b.has_result,
                has_feedback: b.has_feedback,
                ack_on_time: b.ack_on_time,
                reply_on_time: b.reply_on_time,
                assigned: b.assigned,
                reply_due: r.get::<_, Option<i64>>(8)?.map(from_secs),
                wd_to_close: r.get(9)?,
                next_due: r.get::<_, Option<i64>>(10)?.map(from_secs),
                caller: r.get(11)?,
            })
        })?;
        let mut failed = None;
        let mut read = rows.map_while(|r| r.map_err(|e| failed = Some(e)).ok());
        let counted = count(&mut read);
        drop(read);
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(counted),
        }
    }

    /// Steps entered late (补录) between `from` and `until` (by when they
    /// were entered), of the cases `f` takes besides its period: (the step's
    /// first event kind, who entered it, how many). A step is its events
    /// entered together: one case, one clerk, one time it happened and one
    /// time it was entered (an unsatisfied visit's reopening is the visit's).
    pub fn late_counts(&self, f: &ReportFilter, from: Time, until: Time) -> Result<Vec<(String, i64, u64)>> {
        let (cond, args) = conditions(&ReportFilter {
            from: None,
            until: None,
            ..f.clone()
        });
        let bound = |t: Time| Value::Text(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let mut all = vec![bound(from), bound(until)];
        all.extend(args);
        // Off the partial index `events_late` (migration 13), the events
        // first (CROSS JOIN keeps that order: a department's cases hold far
        // more events than a period's late ones); SQLite's MIN() takes the
        // kind of each step's first event.
        let sql = format!(
            r#"SELECT kind, actor_id, COUNT(*) FROM (
                 SELECT e.kind AS kind, e.actor_id AS actor_id, MIN(e.seq)
                 FROM events e CROSS JOIN cases c ON c.id = e.case_id
                 WHERE instr(e.body, '"late":{{') > 0
                   AND json_extract(e.body, '$.late.entered_at') >= ?
                   AND json_extract(e.body, '$.late.entered_at') < ?{cond}
                 GROUP BY e.case_id, e.actor_id, e.at, json_extract(e.body, '$.late.entered_at'))
               GROUP BY kind, actor_id"#
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(all), |r| {
            Ok((r.get(0)?, r.get(1)?, u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Complaints per person complained about, matching `f`. Reads only the cases with a
    /// subject person, off their own index (`cases_subject_person`); a case
    /// recorded before the people directory names a desk account, listed,
    /// in the case's department.
    pub fn report_persons(&self, f: &ReportFilter) -> Result<Vec<PersonCount>> {
        let (cond, args) = conditions(f);
        let sql = format!(
            "SELECT COALESCE(c.subject_name, s.name), c.subject_job, COALESCE(c.subject_dept, d.name),
                    COALESCE(c.subject_listed, 1), COUNT(*)
             FROM cases c LEFT JOIN staff s ON s.id = c.subject_staff_id LEFT JOIN departments d ON d.id = c.dept_id
             WHERE (c.subject_name IS NOT NULL OR c.subject_staff_id IS NOT NULL) AND c.kind = 'complaint'{cond}
             GROUP BY 1, 2, 3, 4"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(PersonCount {
                name: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                job_number: r.get(1)?,
                dept: r.get(2)?,
                listed: r.get(3)?,
                complaints: r.get::<_, i64>(4).map(|n| u64::try_from(n).unwrap_or(0))?,
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
