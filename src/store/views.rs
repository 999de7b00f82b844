//! Saved views (保存的视图): each clerk's named views of the queue, kept in
//! the desk (migration 15), each save, replacement and removal an audit event
//! without a case; and the cases a view shows, a keyset page at a time.

use rusqlite::params;
use rusqlite::types::Value;

use super::audit::append;
use super::list::{CaseRow, ROW_COLUMNS, ROW_JOINS, case_row};
use super::queue::QueuePage;
use super::staff::desk_event;
use super::{QueueView, Result, Store, StoreError, secs};
use crate::domain::view::{SLOTS, Sort, View, Whose, check_name};
use crate::domain::{Actor, StaffId, Time};

/// A view a clerk saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedView {
    /// Its name.
    pub name: String,
    /// The number that recalls it, 1 to 9.
    pub slot: Option<u8>,
    /// Its parts.
    pub view: View,
    /// When it was saved.
    pub saved_at: Time,
}

/// What saving a view came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// A view of that name was there before and is replaced.
    pub replaced: bool,
    /// The number it is recalled by (none when all nine are taken).
    pub slot: Option<u8>,
    /// The view that had that number before, and has none now.
    pub took_from: Option<String>,
}

/// Where a view stands at a time: whose "mine" it is, now, and the bound of
/// its "due by" part (`View::due_before`).
#[derive(Clone, Copy, Debug)]
pub struct ViewAt {
    /// The clerk looking.
    pub me: StaffId,
    /// Now.
    pub now: Time,
    /// Due before this, if the view says.
    pub due_before: Option<Time>,
}

/// The queue's order key (as the queue's indexes have it).
const URGENT_KEY: &str = "coalesce(c.next_due, 9223372036854775807)";

impl Store {
    /// Clerk `staff`'s saved views, by number (those without one last), then name.
    pub fn saved_views(&self, staff: StaffId) -> Result<Vec<SavedView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, slot, view, saved_at FROM saved_views WHERE staff_id = ?
             ORDER BY slot IS NULL, slot, name",
        )?;
        let rows = stmt.query_map([staff.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<u8>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (name, slot, view, at) = row?;
            let view =
                serde_json::from_str(&view).map_err(|e| StoreError::Damaged(format!("saved view {name}: {e}")))?;
            Ok(SavedView {
                name,
                slot,
                view,
                saved_at: super::list::from_secs(at),
            })
        })
        .collect()
    }

    /// Clerk `staff`'s saved view called `name`; an unknown name lists theirs.
    pub fn saved_view(&self, staff: StaffId, name: &str) -> Result<SavedView> {
        let all = self.saved_views(staff)?;
        let name = name.trim();
        all.iter()
            .find(|v| v.name == name)
            .cloned()
            .ok_or_else(|| StoreError::Unknown {
                what: "view",
                given: name.to_string(),
                known: all.into_iter().map(|v| v.name).collect(),
            })
    }

    /// Saves `view` as `by`'s view `name` (replacing one of that name) under
    /// number `slot`: a number another of theirs had is taken from it; without
    /// one, a replaced view keeps its number and a new one takes the lowest free.
    pub fn save_view(&mut self, by: &Actor, name: &str, view: &View, slot: Option<u8>, now: Time) -> Result<Saved> {
        let name = check_name(name)?;
        let json = serde_json::to_string(view).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.transaction(|tx| {
            let held: Vec<(String, Option<u8>)> = tx
                .prepare_cached("SELECT name, slot FROM saved_views WHERE staff_id = ?")?
                .query_map([by.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let before = held.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
            let slot = slot
                .or(before.flatten())
                .or_else(|| (1..=SLOTS).find(|n| !held.iter().any(|(other, s)| *s == Some(*n) && *other != name)));
            let took_from = slot.and_then(|n| {
                held.iter()
                    .find(|(other, s)| *s == Some(n) && *other != name)
                    .map(|(other, _)| other.clone())
            });
            if let Some(other) = &took_from {
                tx.prepare_cached("UPDATE saved_views SET slot = NULL WHERE staff_id = ? AND name = ?")?
                    .execute(params![by.id.0, other])?;
            }
            tx.prepare_cached(
                "INSERT INTO saved_views (staff_id, name, slot, view, saved_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(staff_id, name) DO UPDATE SET slot = ?3, view = ?4, saved_at = ?5",
            )?
            .execute(params![by.id.0, name, slot, json, secs(now)])?;
            let kind = if before.is_some() {
                "view_replaced"
            } else {
                "view_saved"
            };
            let body = serde_json::json!({
                "kind": kind, "name": name, "slot": slot, "view": view, "slot_taken_from": took_from,
            })
            .to_string();
            append(tx, &[desk_event(kind, by.id, now, &body)])?;
            Ok(Saved {
                replaced: before.is_some(),
                slot,
                took_from,
            })
        })
    }

    /// Removes `by`'s view `name`; an unknown name lists theirs.
    pub fn remove_view(&mut self, by: &Actor, name: &str, now: Time) -> Result<SavedView> {
        let gone = self.saved_view(by.id, name)?;
        self.transaction(|tx| {
            tx.prepare_cached("DELETE FROM saved_views WHERE staff_id = ? AND name = ?")?
                .execute(params![by.id.0, gone.name])?;
            let body = serde_json::json!({"kind": "view_removed", "name": gone.name, "view": gone.view}).to_string();
            append(tx, &[desk_event("view_removed", by.id, now, &body)])?;
            Ok(())
        })?;
        Ok(gone)
    }

    /// Up to `limit` of the cases `view` shows at `at`, in its order, starting
    /// where `page` says. A view the queue's own indexes serve (one part, most
    /// urgent first) is read as the queue is; any other combination by its
    /// conditions, a keyset page after (or before) a row in the view's order.
    pub fn view_page(&self, view: &View, at: ViewAt, page: QueuePage<'_>, limit: usize) -> Result<Vec<CaseRow>> {
        if let Some(queue) = queue_view(view, at) {
            return self.queue_page(queue, page, limit);
        }
        let (condition, mut args) = conditions(view, at);
        let columns = order_columns(view.sort);
        let (keyset, backwards) = match page {
            QueuePage::First => (String::new(), false),
            QueuePage::Last => (String::new(), true),
            QueuePage::After(row) => (keyset(&columns, row, false, false, &mut args), false),
            QueuePage::From(row) => (keyset(&columns, row, false, true, &mut args), false),
            QueuePage::Before(row) => (keyset(&columns, row, true, false, &mut args), true),
        };
        let order: Vec<String> = columns
            .iter()
            .map(|(expr, desc)| format!("{expr} {}", if *desc != backwards { "DESC" } else { "ASC" }))
            .collect();
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases c {ROW_JOINS}
             WHERE c.closed_at IS NULL{condition}{keyset}
             ORDER BY {} LIMIT ?",
            order.join(", ")
        );
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

    /// How many cases `view` shows at `at`.
    pub fn view_total(&self, view: &View, at: ViewAt) -> Result<u64> {
        if let Some(queue) = queue_view(view, at) {
            return self.queue_total(queue);
        }
        let (condition, args) = conditions(view, at);
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM cases c WHERE c.closed_at IS NULL{condition}"
            ))?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// The queue's own view for a view of one part in the queue's order (the
/// quick filters 1–5), read off the queue's indexes.
fn queue_view(view: &View, at: ViewAt) -> Option<QueueView> {
    if view.sort != Sort::Urgent {
        return None;
    }
    match (view.whose, view.state, view.overdue, view.escalated) {
        _ if view.due != crate::domain::view::DueBy::Any => None,
        (Whose::Mine, None, false, false) => Some(QueueView::Owner(at.me.0)),
        (Whose::All, None, false, false) => Some(QueueView::All),
        (Whose::All, None, true, false) => Some(QueueView::Overdue(at.now)),
        (Whose::All, None, false, true) => Some(QueueView::Escalated),
        (Whose::All, Some(s), false, false) => Some(QueueView::State(s)),
        _ => None,
    }
}

/// The view's conditions beside `c.closed_at IS NULL` (each starting with
/// AND), and their arguments: the same as `View::selects`.
fn conditions(view: &View, at: ViewAt) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    if view.whose == Whose::Mine {
        sql.push_str(" AND c.owner_id = ?");
        args.push(Value::Integer(at.me.0));
    }
    if let Some(state) = view.state {
        sql.push_str(" AND c.state = ?");
        args.push(Value::Text(state.code().to_string()));
    }
    if view.overdue {
        sql.push_str(" AND c.next_due < ?");
        args.push(Value::Integer(secs(at.now)));
    }
    if view.escalated {
        sql.push_str(" AND c.level >= 2");
    }
    if let Some(bound) = at.due_before {
        sql.push_str(" AND c.next_due < ?");
        args.push(Value::Integer(secs(bound)));
    }
    (sql, args)
}

/// A sort's columns, each with whether it runs descending (`View::order`).
fn order_columns(sort: Sort) -> Vec<(&'static str, bool)> {
    match sort {
        Sort::Urgent => vec![(URGENT_KEY, false), ("c.received_at", true), ("c.number", true)],
        Sort::Newest => vec![("c.received_at", true), ("c.number", true)],
        Sort::Oldest => vec![("c.received_at", false), ("c.number", false)],
    }
}

/// The rows after `row` in the order of `columns` (before it when
/// `backwards`; `row` itself too when `inclusive`), as a condition on each
/// column in turn: the first past the row's, or equal and the next past it …
fn keyset(
    columns: &[(&'static str, bool)],
    row: &CaseRow,
    backwards: bool,
    inclusive: bool,
    args: &mut Vec<Value>,
) -> String {
    let value = |expr: &str| match expr {
        URGENT_KEY => Value::Integer(row.next_due.map_or(i64::MAX, secs)),
        "c.received_at" => Value::Integer(secs(row.received_at)),
        _ => Value::Text(row.number.clone()),
    };
    let mut sql = String::new();
    let last = columns.len().saturating_sub(1);
    for (i, (expr, desc)) in columns.iter().enumerate() {
        let later = if *desc == backwards { ">" } else { "<" };
        let op = if i == last && inclusive {
            format!("{later}=")
        } else {
            later.to_string()
        };
        if i == last {
            sql.push_str(&format!("{expr} {op} ?"));
            args.push(value(expr));
        } else {
            sql.push_str(&format!("({expr} {op} ? OR ({expr} = ? AND "));
            args.push(value(expr));
            args.push(value(expr));
        }
    }
    sql.push_str(&"))".repeat(last));
    format!(" AND ({sql})")
}
