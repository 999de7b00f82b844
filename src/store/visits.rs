//! Worklists: return visits due (with follow-ups and survey items), overdue replies per department.

use serde::Serialize;

use super::rows::from_secs;
use super::{Result, Store, secs};
use crate::domain::Time;

/// One visit to make.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisitDue {
    /// Case number.
    pub number: String,
    /// `return_visit`, `follow_up`, `survey` or `repair`.
    pub kind: String,
    /// When it is due.
    pub due: Time,
    /// The case's owner, who makes the visit.
    pub owner: String,
    /// Who to call (masked where the viewer may not see).
    pub complainant: String,
    /// Their phone (masked likewise).
    pub phone: String,
    /// Summary.
    pub summary: String,
}

impl VisitDue {
    /// A monthly follow-up after a closed external complaint (not a return visit).
    #[must_use]
    pub fn is_follow_up(&self) -> bool {
        self.kind == "follow_up"
    }
}

/// Most visits of each kind a worklist reads (the counts count them all).
pub const WORKLIST_LIMIT: usize = 2000;

/// How many visits are waiting: return visits (a case fed back, waiting for
/// its visit: what the top bar's 待回访 counts) and monthly follow-ups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VisitCounts {
    /// Return visits due.
    pub return_visits: u64,
    /// Follow-ups due.
    pub follow_ups: u64,
}

/// Counts the visits waiting, off the two partial indexes.
pub fn counts(store: &Store) -> Result<VisitCounts> {
    let count = |sql: &str| -> Result<u64> {
        let n: i64 = store.sql().prepare_cached(sql)?.query_row([], |r| r.get(0))?;
        Ok(n.try_into().unwrap_or(0))
    };
    Ok(VisitCounts {
        return_visits: count("SELECT COUNT(*) FROM cases WHERE visit_due IS NOT NULL")?,
        follow_ups: count("SELECT COUNT(*) FROM cases WHERE follow_up_due IS NOT NULL")?,
    })
}

/// Every visit waiting: first the return visits of cases fed back, then the
/// scheduled follow-ups of closed external complaints, each by due date (at
/// most [`WORKLIST_LIMIT`] of each).
pub fn worklist(store: &Store) -> Result<Vec<VisitDue>> {
    let mut out = read(store, false)?;
    out.extend(read(store, true)?);
    Ok(out)
}

/// Return visits (or follow-ups) by due date: one range scan of the kind's index.
fn read(store: &Store, follow_up: bool) -> Result<Vec<VisitDue>> {
    let column = if follow_up { "follow_up_due" } else { "visit_due" };
    let mut stmt = store.sql().prepare_cached(&format!(
        "SELECT c.number, c.channel, c.kind, c.{column}, p.name, p.phone, c.summary, s.name, c.confidential
         FROM cases c LEFT JOIN complainants p ON p.id = c.complainant_id
         CROSS JOIN staff s ON s.id = c.owner_id
         WHERE c.{column} IS NOT NULL ORDER BY c.{column}, c.id LIMIT ?"
    ))?;
    let limit = i64::try_from(WORKLIST_LIMIT).unwrap_or(i64::MAX);
    let rows = stmt.query_map([limit], |r| {
        let channel: String = r.get(1)?;
        let kind: String = r.get(2)?;
        // A confidential complainant is masked here too: open the case to call.
        let confidential: bool = r.get(8)?;
        let visible = !confidential;
        let name: Option<String> = r.get(4)?;
        let phone: Option<String> = r.get(5)?;
        let kind = if follow_up {
            "follow_up"
        } else if channel == "survey" {
            "survey"
        } else if kind == "repair" {
            "repair"
        } else {
            "return_visit"
        };
        let masked = |v: Option<String>| if visible { v.unwrap_or_default() } else { "***".into() };
        Ok(VisitDue {
            number: r.get(0)?,
            kind: kind.to_string(),
            due: from_secs(r.get(3)?),
            owner: r.get(7)?,
            complainant: masked(name),
            phone: masked(phone),
            summary: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A department reply past due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverdueReply {
    /// Case number.
    pub number: String,
    /// Department.
    pub dept: String,
    /// When the reply was due.
    pub due: Time,
    /// Urges so far.
    pub urges: u32,
    /// Summary.
    pub summary: String,
}

/// Replies past due, oldest first (the list to urge). A case assigned to
/// several departments lists each department whose own reply is past due.
pub fn overdue_replies(store: &Store, now: Time) -> Result<Vec<OverdueReply>> {
    let mut stmt = store.sql().prepare(
        "SELECT c.number, COALESCE(d.name, ''), c.reply_due, c.urges, c.summary, c.flags FROM cases c
         LEFT JOIN departments d ON d.id = c.dept_id
         WHERE c.reply_due IS NOT NULL AND c.reply_due < ? AND c.closed_at IS NULL ORDER BY c.reply_due",
    )?;
    let rows = stmt.query_map([secs(now)], |r| {
        Ok((
            OverdueReply {
                number: r.get(0)?,
                dept: r.get(1)?,
                due: from_secs(r.get(2)?),
                urges: r.get(3)?,
                summary: r.get(4)?,
            },
            r.get::<_, String>(5)?,
        ))
    })?;
    let rows: Vec<(OverdueReply, String)> = rows.collect::<Result<_, _>>()?;
    let names = store.dept_names()?;
    let mut out = Vec::new();
    for (row, flags) in rows {
        if !is_multi_dept(&flags) {
            out.push(row);
            continue;
        }
        let case = super::cases::load(store.sql(), &row.number)?.case;
        for (dept, due, urges) in overdue_departments(&case, now) {
            out.push(OverdueReply {
                dept: names.get(&dept).cloned().unwrap_or_default(),
                due,
                urges,
                ..row.clone()
            });
        }
    }
    out.sort_by_key(|o| o.due);
    Ok(out)
}

/// Whether a case's flags column says it was assigned to several departments.
fn is_multi_dept(flags: &str) -> bool {
    flags.split(',').any(|f| f == crate::domain::Flag::MultiDept.code())
}

/// Each department of the case's round whose own reply clock is past due:
/// the department, the due time, the urges made to it.
fn overdue_departments(case: &crate::domain::Case, now: Time) -> Vec<(crate::domain::DeptId, Time, u32)> {
    case.deadlines
        .values()
        .filter(|d| d.is_running() && d.due < now)
        .filter_map(|d| {
            let dept = d.dept?;
            let urges = case.department(dept).map_or(0, |t| t.urges);
            Some((dept, d.due, urges))
        })
        .collect()
}

/// A department's counts for evaluating it (压单 and 催办).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeptCount {
    /// Department.
    pub dept: String,
    /// Replies past due now.
    pub overdue: u64,
    /// Urges on its open cases.
    pub urges: u64,
}

/// Overdue replies and urges per department, most overdue first. A case
/// assigned to several departments counts for each its own overdue reply and
/// the urges made to it.
pub fn dept_counts(store: &Store, now: Time) -> Result<Vec<DeptCount>> {
    let multi = format!("%{}%", crate::domain::Flag::MultiDept.code());
    let mut stmt = store.sql().prepare(
        "SELECT d.name,
                SUM(CASE WHEN c.reply_due IS NOT NULL AND c.reply_due < ?1 THEN 1 ELSE 0 END),
                SUM(c.urges)
         FROM cases c JOIN departments d ON d.id = c.dept_id
         WHERE c.closed_at IS NULL AND (c.urges > 0 OR c.reply_due IS NOT NULL) AND c.flags NOT LIKE ?2
         GROUP BY d.id",
    )?;
    let rows = stmt.query_map(rusqlite::params![secs(now), multi], |r| {
        Ok(DeptCount {
            dept: r.get(0)?,
            overdue: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
            urges: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
        })
    })?;
    let mut counts: std::collections::BTreeMap<String, DeptCount> = std::collections::BTreeMap::new();
    for row in rows {
        let row = row?;
        counts.insert(row.dept.clone(), row);
    }
    let numbers: Vec<String> = store
        .sql()
        .prepare("SELECT number FROM cases WHERE closed_at IS NULL AND flags LIKE ?1")?
        .query_map([&multi], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let names = store.dept_names()?;
    for number in numbers {
        let case = super::cases::load(store.sql(), &number)?.case;
        let overdue = overdue_departments(&case, now);
        for task in case.round_departments() {
            let name = names.get(&task.dept).cloned().unwrap_or_default();
            let late = overdue.iter().any(|(d, _, _)| *d == task.dept);
            if task.urges == 0 && !late {
                continue;
            }
            let entry = counts.entry(name.clone()).or_insert(DeptCount {
                dept: name,
                overdue: 0,
                urges: 0,
            });
            entry.overdue += u64::from(late);
            entry.urges += u64::from(task.urges);
        }
    }
    let mut out: Vec<DeptCount> = counts.into_values().collect();
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.urges.cmp(&a.urges))
            .then(a.dept.cmp(&b.dept))
    });
    Ok(out)
}
