//! Row shapes more than one store module shares: a time column, department
//! names for the search index, and a new case's columns (one intake and a
//! bulk load write the same row). Imports nothing else of the store but its
//! root, so the modules that share these never import one another in a loop.

use std::collections::HashMap;

use rusqlite::types::Value;

use super::secs;
use crate::domain::facts::Facts;
use crate::domain::{Case, Complainant, DeptId, Time};

/// An instant from unix seconds (out-of-range values become the epoch).
#[must_use]
pub fn from_secs(s: i64) -> Time {
    chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()
}

/// Department names by id, for the search index (a case is found by its department's name).
pub type DeptNames = HashMap<DeptId, String>;

/// A named complainant's columns: name, phone, phone key, address, relation.
pub(crate) fn complainant_row(c: &Complainant) -> Option<[Value; 5]> {
    let Complainant::Named {
        name,
        phone,
        address,
        relation,
    } = c
    else {
        return None;
    };
    Some([
        Value::Text(name.clone()),
        text(phone.as_deref()),
        text(c.phone_key().as_deref()),
        text(address.as_deref()),
        text(relation.as_deref()),
    ])
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

fn int(n: Option<i64>) -> Value {
    n.map_or(Value::Null, Value::Integer)
}

/// The flags column: the case's flags, plus `transfer_pending` while a
/// transfer waits to be accepted (the handover lists those).
pub(crate) fn flags_text(case: &Case) -> String {
    let mut flags: Vec<&str> = case.flags.iter().map(|f| f.code()).collect();
    if case.pending_transfer.is_some() {
        flags.push("transfer_pending");
    }
    flags.join(",")
}

/// A new case row's columns, in the order of [`case_row`]'s values.
pub(crate) const CASE_COLUMNS: &str = "id, number, received_at, state, kind, channel, origin, severity, dept_id, \
    category_id, subject_staff_id, complainant_id, owner_id, first_receiver_id, level, flags, confidential, summary, \
    details, next_due, closed_at, version, facts_version, verdict, visits_ok, visits_bad, visit, urges, has_result, \
    has_feedback, ack_on_time, reply_on_time, reply_due, wd_to_close, visit_due, follow_up_due, caller_key, report_bits, \
    subject_name, subject_job, subject_dept, subject_listed";
/// Where `complainant_id` stands among [`case_row`]'s values.
pub(crate) const COMPLAINANT_SLOT: usize = 10;
/// How many columns [`CASE_COLUMNS`] names.
pub(crate) const CASE_COLUMN_COUNT: usize = 42;

/// A new case's values after its id (`CASE_COLUMNS` without `id`): the case at version 1, with its facts.
pub(crate) fn case_row(case: &Case, complainant_id: Option<i64>, f: &Facts) -> [Value; CASE_COLUMN_COUNT - 1] {
    let i = &case.intake;
    let time = |t: Option<Time>| int(t.map(secs));
    let flag = |b: Option<bool>| int(b.map(i64::from));
    [
        Value::Text(i.number.clone()),
        Value::Integer(secs(i.received_at)),
        Value::Text(case.state.code().into()),
        Value::Text(i.kind.code().into()),
        Value::Text(i.channel.code().into()),
        Value::Text(i.origin.code().into()),
        Value::Text(i.severity.code().into()),
        int(i.dept.map(|d| d.0)),
        int(i.category.map(|c| c.0)),
        int(i.subject_staff.map(|s| s.0)),
        int(complainant_id),
        Value::Integer(case.owner.0),
        Value::Integer(case.first_receiver.0),
        Value::Integer(i64::from(case.level)),
        Value::Text(flags_text(case)),
        Value::Integer(i64::from(i.confidential)),
        Value::Text(i.summary.clone()),
        Value::Text(i.details.clone()),
        time(case.next_due()),
        time(case.closed_at),
        Value::Integer(1),
        Value::Integer(1),
        text(f.verdict.map(super::super::domain::kinds::Verdict::code)),
        Value::Integer(i64::from(f.visits_ok)),
        Value::Integer(i64::from(f.visits_bad)),
        text(f.visit),
        Value::Integer(i64::from(f.urges)),
        Value::Integer(i64::from(f.has_result)),
        Value::Integer(i64::from(f.has_feedback)),
        flag(f.ack_on_time),
        flag(f.reply_on_time),
        time(f.reply_due),
        int(f.wd_to_close.map(i64::from)),
        time(f.visit_due),
        time(f.follow_up_due),
        text(f.caller_key.as_deref()),
        Value::Integer(f.bits),
        text(i.subject_person.as_ref().map(|p| p.name.as_str())),
        text(i.subject_person.as_ref().and_then(|p| p.job_number.as_deref())),
        text(i.subject_person.as_ref().and_then(|p| p.dept.as_deref())),
        int(i.subject_person.as_ref().map(|p| i64::from(p.listed))),
    ]
}
