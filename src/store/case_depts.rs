//! Each department's part in a case, as reports count it (the `case_depts`
//! rows): written with the case's facts, read by the report's department
//! lines and its responsibility section.

use rusqlite::types::Value;
use rusqlite::{Transaction, params};

use super::report::ReportFilter;
use super::rows::from_secs;
use super::{Result, Store, secs};
use crate::domain::facts::DeptFact;
use crate::domain::{Kind, Origin, Tier, Time, Verdict};

/// Values per row.
pub(crate) const WIDTH: usize = 13;

/// The columns, in [`row`]'s order.
pub(crate) const COLUMNS: &str = "case_depts (case_id, dept_id, round, mode, assigned_at, due_at, done_at, released, \
     urges, verdict, tier, responsible, second)";

/// One department's part as column values (the case id first).
pub(crate) fn row(case_id: i64, f: &DeptFact) -> [Value; WIDTH] {
    let time = |t: Option<Time>| t.map_or(Value::Null, |t| Value::Integer(secs(t)));
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_string()));
    [
        Value::Integer(case_id),
        Value::Integer(f.dept.0),
        Value::Integer(i64::from(f.round)),
        Value::Text(f.mode.code().to_string()),
        Value::Integer(secs(f.assigned_at)),
        time(f.due),
        time(f.done_at),
        Value::Integer(i64::from(f.released)),
        Value::Integer(i64::from(f.urges)),
        text(f.verdict.map(Verdict::code)),
        text(f.tier.map(Tier::code)),
        text(f.responsible.as_deref()),
        Value::Integer(i64::from(f.second)),
    ]
}

/// Replaces the case's rows with `depts`.
pub(crate) fn write(tx: &Transaction<'_>, case_id: i64, depts: &[DeptFact]) -> Result<()> {
    tx.prepare_cached("DELETE FROM case_depts WHERE case_id = ?")?
        .execute(params![case_id])?;
    if depts.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(&format!(
        "INSERT INTO {COLUMNS} VALUES ({})",
        vec!["?"; WIDTH].join(", ")
    ))?;
    for f in depts {
        insert.execute(rusqlite::params_from_iter(row(case_id, f)))?;
    }
    Ok(())
}

/// One department's part in a case received in a report's period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeptPart {
    /// The case (to count a case once per department).
    pub case_id: i64,
    /// The department.
    pub dept: i64,
    /// The case's kind.
    pub kind: Kind,
    /// Internal or external complaint.
    pub origin: Origin,
    /// The case is closed.
    pub closed: bool,
    /// The reply's due time.
    pub due: Option<Time>,
    /// Replied or let off at.
    pub done_at: Option<Time>,
    /// Let off.
    pub released: bool,
    /// Urges made to it.
    pub urges: u32,
    /// Its verdict.
    pub verdict: Option<Verdict>,
    /// Its reply's tier.
    pub tier: Option<Tier>,
    /// Who its reply named.
    pub responsible: Option<String>,
    /// A second complaint.
    pub second: bool,
}

impl Store {
    /// Every department's part in the cases a report counts (received in its
    /// period, of its department, category, kind and channel).
    pub fn dept_parts(&self, filter: &ReportFilter) -> Result<Vec<DeptPart>> {
        let mut sql = String::from(
            "SELECT d.case_id, d.dept_id, c.kind, c.origin, c.closed_at IS NOT NULL, d.due_at, d.done_at, d.released,
                    d.urges, d.verdict, d.tier, d.responsible, d.second
             FROM case_depts d JOIN cases c ON c.id = d.case_id WHERE 1",
        );
        let mut args: Vec<Value> = Vec::new();
        let mut and = |clause: &str, v: Value| {
            sql.push_str(clause);
            args.push(v);
        };
        if let Some(from) = filter.from {
            and(" AND c.received_at >= ?", Value::Integer(secs(from)));
        }
        if let Some(until) = filter.until {
            and(" AND c.received_at < ?", Value::Integer(secs(until)));
        }
        if let Some(dept) = filter.dept {
            and(" AND d.dept_id = ?", Value::Integer(dept));
        }
        if let Some(category) = filter.category {
            and(" AND c.category_id = ?", Value::Integer(category));
        }
        if let Some(kind) = &filter.kind {
            and(" AND c.kind = ?", Value::Text(kind.clone()));
        }
        if let Some(channel) = &filter.channel {
            and(" AND c.channel = ?", Value::Text(channel.clone()));
        }
        let mut stmt = self.sql().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let code = |i: usize| r.get::<_, Option<String>>(i);
            Ok(DeptPart {
                case_id: r.get(0)?,
                dept: r.get(1)?,
                kind: Kind::parse(&r.get::<_, String>(2)?).unwrap_or(Kind::Complaint),
                origin: Origin::parse(&r.get::<_, String>(3)?).unwrap_or(Origin::External),
                closed: r.get(4)?,
                due: r.get::<_, Option<i64>>(5)?.map(from_secs),
                done_at: r.get::<_, Option<i64>>(6)?.map(from_secs),
                released: r.get(7)?,
                urges: r.get(8)?,
                verdict: code(9)?.and_then(|v| Verdict::parse(&v).ok()),
                tier: code(10)?.and_then(|v| Tier::parse(&v).ok()),
                responsible: code(11)?,
                second: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
