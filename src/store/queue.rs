//! The queue (工作台): open cases most urgent first, a page at a time, and
//! the counts of the top bar. Every page is read off an index in the queue's
//! own order (migration 7) starting after a row's key, so a page, a refresh
//! and a count cost the same on a desk of ten thousand cases as on one of a
//! million.

use rusqlite::types::Value;

use super::list::{CaseRow, ROW_COLUMNS, ROW_JOINS, case_row};
use super::{Result, Store, secs};
use crate::domain::{State, Time};

/// The queue's order: next due (nothing due last), then newest first, then
/// by number. The expression is the one the queue's indexes are built on.
const ORDER_KEY: &str = "coalesce(c.next_due, 9223372036854775807)";

/// Which open cases the queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueView {
    /// One clerk's open cases.
    Owner(i64),
    /// All open cases.
    All,
    /// Open cases with a step past due at this time.
    Overdue(Time),
    /// Open cases at escalation level 2 or higher.
    Escalated,
    /// Open cases in one state.
    State(State),
}

/// Where a page starts, relative to a row already shown.
#[derive(Clone, Copy, Debug)]
pub enum QueuePage<'a> {
    /// The first rows of the queue.
    First,
    /// The rows after this one.
    After(&'a CaseRow),
    /// This row (wherever it now sits) and the rows after it.
    From(&'a CaseRow),
    /// The rows before this one, in queue order.
    Before(&'a CaseRow),
    /// The last rows of the queue, in queue order.
    Last,
}

/// The counts a clerk watches in the top bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Open cases.
    pub open: u64,
    /// Open cases with a step past due.
    pub overdue: u64,
    /// Open cases with a step due before the end of today.
    pub due_today: u64,
    /// Cases waiting for a return visit.
    pub visits_due: u64,
    /// Open cases at level 2 or higher.
    pub escalated: u64,
}

impl QueueView {
    /// The view's index (named, so a page never depends on the planner's
    /// statistics), its condition beside `c.closed_at IS NULL`, and the
    /// condition's arguments. `level >= 2` stays a literal: the escalated
    /// index is partial on it.
    fn source(self) -> (&'static str, &'static str, Vec<Value>) {
        match self {
            QueueView::Owner(id) => ("cases_queue_owner", "c.owner_id = ?", vec![Value::Integer(id)]),
            QueueView::All => ("cases_queue", "1 = 1", Vec::new()),
            QueueView::Overdue(now) => (
                "cases_queue",
                "coalesce(c.next_due, 9223372036854775807) < ?",
                vec![Value::Integer(secs(now))],
            ),
            QueueView::Escalated => ("cases_queue_escalated", "c.level >= 2", Vec::new()),
            QueueView::State(s) => (
                "cases_queue_state",
                "c.state = ?",
                vec![Value::Text(s.code().to_string())],
            ),
        }
    }
}

impl Store {
    /// Up to `limit` rows of the queue's `view`, in queue order, starting where `page` says.
    pub fn queue_page(&self, view: QueueView, page: QueuePage<'_>, limit: usize) -> Result<Vec<CaseRow>> {
        let (index, condition, mut args) = view.source();
        let (keyset, backwards) = match page {
            QueuePage::First => ("", false),
            // The key as a row value would need one direction throughout; the
            // first comparison alone is what the index is searched by.
            QueuePage::After(_) => (
                " AND {k} >= ? AND ({k} > ? OR c.received_at < ? OR (c.received_at = ? AND c.number < ?))",
                false,
            ),
            QueuePage::From(_) => (
                " AND {k} >= ? AND ({k} > ? OR c.received_at < ? OR (c.received_at = ? AND c.number <= ?))",
                false,
            ),
            QueuePage::Before(_) => (
                " AND {k} <= ? AND ({k} < ? OR c.received_at > ? OR (c.received_at = ? AND c.number > ?))",
                true,
            ),
            QueuePage::Last => ("", true),
        };
        if let QueuePage::After(row) | QueuePage::From(row) | QueuePage::Before(row) = page {
            let due = row.next_due.map_or(i64::MAX, secs);
            let received = secs(row.received_at);
            args.extend([
                Value::Integer(due),
                Value::Integer(due),
                Value::Integer(received),
                Value::Integer(received),
                Value::Text(row.number.clone()),
            ]);
        }
        let order = if backwards {
            "{k} DESC, c.received_at, c.number"
        } else {
            "{k}, c.received_at DESC, c.number DESC"
        };
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases c INDEXED BY {index} {ROW_JOINS}
             WHERE c.closed_at IS NULL AND {condition}{keyset}
             ORDER BY {order} LIMIT ?"
        )
        .replace("{k}", ORDER_KEY);
        args.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(args), case_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if backwards {
            rows.reverse();
        }
        Ok(rows)
    }

    /// How many cases the queue's `view` holds.
    pub fn queue_total(&self, view: QueueView) -> Result<u64> {
        let (index, condition, args) = view.source();
        let sql = format!("SELECT COUNT(*) FROM cases c INDEXED BY {index} WHERE c.closed_at IS NULL AND {condition}");
        self.count(&sql, args)
    }

    /// The top bar's counts at `now`; `end_of_today` bounds "due today". Each
    /// is counted off an index of open cases (or of cases waiting for a
    /// visit), never the whole desk.
    pub fn queue_counts(&self, now: Time, end_of_today: Time) -> Result<QueueCounts> {
        let (now, eod) = (Value::Integer(secs(now)), Value::Integer(secs(end_of_today)));
        Ok(QueueCounts {
            open: self.queue_total(QueueView::All)?,
            overdue: self.count(
                "SELECT COUNT(*) FROM cases WHERE closed_at IS NULL AND next_due < ?",
                vec![now.clone()],
            )?,
            due_today: self.count(
                "SELECT COUNT(*) FROM cases WHERE closed_at IS NULL AND next_due >= ? AND next_due <= ?",
                vec![now, eod],
            )?,
            // The return visits the V list shows first (follow-ups are counted there apart).
            visits_due: self.count("SELECT COUNT(*) FROM cases WHERE visit_due IS NOT NULL", Vec::new())?,
            escalated: self.queue_total(QueueView::Escalated)?,
        })
    }

    fn count(&self, sql: &str, args: Vec<Value>) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n.try_into().unwrap_or(0))
    }
}
