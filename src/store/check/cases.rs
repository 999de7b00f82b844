//! The cases table and the complainants against their events: every column
//! a case's events decide must be what they replay to. An edit to the file
//! that the audit chain does not hold — a confidential flag cleared, a
//! complainant's phone changed, an owner swapped — is named by case number
//! and column. Case by case, off one query: a million cases go by in little memory.

use rusqlite::Connection;

use super::super::cases::case_events;
use super::super::rows::{complainant_row, flags_text};
use super::super::{Result, secs};
use super::{Differences, Subject};
use crate::domain::Case;

/// A case row's columns as stored, in [`ROW`]'s order.
const ROW: &str = "SELECT c.id, c.number, c.received_at, c.state, c.kind, c.channel, c.origin, c.severity,
        c.dept_id, c.category_id, c.subject_staff_id, c.owner_id, c.first_receiver_id, c.level, c.flags,
        c.confidential, c.summary, c.details, c.next_due, c.closed_at, c.complainant_id,
        p.id, p.name, p.phone, p.address, p.relation
    FROM cases c LEFT JOIN complainants p ON p.id = c.complainant_id ORDER BY c.id";

/// Compares every case with its events' replay; returns how many cases there are.
pub(super) fn compare(conn: &Connection, out: &mut Differences) -> Result<u64> {
    let mut stmt = conn.prepare(ROW)?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        count += 1;
        let id: i64 = r.get(0)?;
        let number: String = r.get(1)?;
        let replayed = case_events(conn, id)
            .ok()
            .filter(|events| !events.is_empty())
            .and_then(|events| Case::replay(&events).ok());
        let Some(case) = replayed else {
            out.push(Subject::Case(number), "events");
            continue;
        };
        for field in differing(r, &case)? {
            out.push(Subject::Case(number.clone()), field);
        }
    }
    Ok(count)
}

/// The columns of row `r` that differ from `case`.
fn differing(r: &rusqlite::Row<'_>, case: &Case) -> Result<Vec<&'static str>> {
    let i = &case.intake;
    let mut bad = Vec::new();
    let mut want = |field: &'static str, same: bool| {
        if !same {
            bad.push(field);
        }
    };
    want("number", r.get::<_, String>(1)? == i.number);
    want("received_at", r.get::<_, i64>(2)? == secs(i.received_at));
    want("state", r.get::<_, String>(3)? == case.state.code());
    want("kind", r.get::<_, String>(4)? == i.kind.code());
    want("channel", r.get::<_, String>(5)? == i.channel.code());
    want("origin", r.get::<_, String>(6)? == i.origin.code());
    want("severity", r.get::<_, String>(7)? == i.severity.code());
    // The department the case is with: the one assigned, else the one it is
    // about. A bulk load (the demo, an import) wrote the one it is about
    // until the case's next step, so either is the case's.
    let dept: Option<i64> = r.get(8)?;
    let assigned = case.assignment.map(|(d, _)| d).or(i.dept).map(|d| d.0);
    want("dept_id", dept == assigned || dept == i.dept.map(|d| d.0));
    want("category_id", r.get::<_, Option<i64>>(9)? == i.category.map(|c| c.0));
    want(
        "subject_staff_id",
        r.get::<_, Option<i64>>(10)? == i.subject_staff.map(|s| s.0),
    );
    want("owner_id", r.get::<_, i64>(11)? == case.owner.0);
    want("first_receiver_id", r.get::<_, i64>(12)? == case.first_receiver.0);
    want("level", r.get::<_, i64>(13)? == i64::from(case.level));
    want("flags", r.get::<_, String>(14)? == flags_text(case));
    want("confidential", r.get::<_, bool>(15)? == i.confidential);
    want("summary", r.get::<_, String>(16)? == i.summary);
    want("details", r.get::<_, String>(17)? == i.details);
    want("next_due", r.get::<_, Option<i64>>(18)? == case.next_due().map(secs));
    want("closed_at", r.get::<_, Option<i64>>(19)? == case.closed_at.map(secs));
    let linked: Option<i64> = r.get(20)?;
    let found: Option<i64> = r.get(21)?;
    // An anonymous complainant is never stored: no row at all.
    match complainant_row(&i.complainant) {
        None => want("complainant_id", linked.is_none()),
        Some(row) => {
            want("complainant_id", linked.is_some() && found.is_some());
            if found.is_some() {
                // The row's name, phone, address and relation (the phone's key is derived).
                let text = |v: &rusqlite::types::Value| match v {
                    rusqlite::types::Value::Text(t) => Some(t.clone()),
                    _ => None,
                };
                want("complainant.name", r.get::<_, Option<String>>(22)? == text(&row[0]));
                want("complainant.phone", r.get::<_, Option<String>>(23)? == text(&row[1]));
                want("complainant.address", r.get::<_, Option<String>>(24)? == text(&row[3]));
                want("complainant.relation", r.get::<_, Option<String>>(25)? == text(&row[4]));
            }
        }
    }
    Ok(bad)
}
