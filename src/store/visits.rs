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
    /// Who to call (masked where the viewer may not see).
    pub complainant: String,
    /// Their phone (masked likewise).
    pub phone: String,
    /// Summary.
    pub summary: String,
}

/// Every visit waiting: return visits of cases fed back, scheduled follow-ups
/// of closed external complaints, by due date.
pub fn worklist(store: &Store) -> Result<Vec<VisitDue>> {
    // Two index range scans (return visits, follow-ups), merged by due time.
    let mut stmt = store.sql().prepare(
        "SELECT * FROM (
            SELECT c.number, 0, c.channel, c.kind, c.visit_due, p.name, p.phone, c.summary, c.owner_id, c.confidential
            FROM cases c JOIN complainants p ON p.id = c.complainant_id WHERE c.visit_due IS NOT NULL
            UNION ALL
            SELECT c.number, 1, c.channel, c.kind, c.follow_up_due, p.name, p.phone, c.summary, c.owner_id, c.confidential
            FROM cases c JOIN complainants p ON p.id = c.complainant_id WHERE c.follow_up_due IS NOT NULL)
         ORDER BY 5 LIMIT 1000",
    )?;
    let rows = stmt.query_map([], |r| {
        let follow_up: bool = r.get(1)?;
        let channel: String = r.get(2)?;
        let kind: String = r.get(3)?;
        // A confidential complainant is masked here too: open the case to call.
        let confidential: bool = r.get(9)?;
        let visible = !confidential;
        let name: Option<String> = r.get(5)?;
        let phone: Option<String> = r.get(6)?;
        let kind = if follow_up {
            "follow_up"
        } else if channel == "survey" {
            "survey"
        } else if kind == "repair" {
            "repair"
        } else {
            "return_visit"
        };
        Ok(VisitDue {
            number: r.get(0)?,
            kind: kind.to_string(),
            due: from_secs(r.get(4)?),
            complainant: if visible {
                name.unwrap_or_default()
            } else {
                "***".into()
            },
            phone: if visible {
                phone.unwrap_or_default()
            } else {
                "***".into()
            },
            summary: r.get(7)?,
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

/// Replies past due, oldest first (the list to urge).
pub fn overdue_replies(store: &Store, now: Time) -> Result<Vec<OverdueReply>> {
    let mut stmt = store.sql().prepare(
        "SELECT c.number, COALESCE(d.name, ''), c.reply_due, c.urges, c.summary FROM cases c
         LEFT JOIN departments d ON d.id = c.dept_id
         WHERE c.reply_due IS NOT NULL AND c.reply_due < ? AND c.closed_at IS NULL ORDER BY c.reply_due",
    )?;
    let rows = stmt.query_map([secs(now)], |r| {
        Ok(OverdueReply {
            number: r.get(0)?,
            dept: r.get(1)?,
            due: from_secs(r.get(2)?),
            urges: r.get(3)?,
            summary: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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

/// Overdue replies and urges per department, most overdue first.
pub fn dept_counts(store: &Store, now: Time) -> Result<Vec<DeptCount>> {
    let mut stmt = store.sql().prepare(
        "SELECT d.name,
                SUM(CASE WHEN c.reply_due IS NOT NULL AND c.reply_due < ?1 THEN 1 ELSE 0 END),
                SUM(c.urges)
         FROM cases c JOIN departments d ON d.id = c.dept_id
         WHERE c.closed_at IS NULL AND (c.urges > 0 OR c.reply_due IS NOT NULL)
         GROUP BY d.id ORDER BY 2 DESC, 3 DESC, d.name",
    )?;
    let rows = stmt.query_map([secs(now)], |r| {
        Ok(DeptCount {
            dept: r.get(0)?,
            overdue: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
            urges: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
