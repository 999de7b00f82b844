//! Cases: a command's case change and its events are written in one transaction.

use chrono::Datelike;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{NewEvent, append};
use super::rows::{CASE_COLUMN_COUNT, CASE_COLUMNS, case_row, complainant_row, flags_text, from_secs};
use super::{Result, Store, StoreError, secs};
use crate::domain::deadline::local_date;
use crate::domain::escalation::overdue_escalations;
use crate::domain::facts::{Facts, facts};
use crate::domain::{Case, Command, Complainant, Context, Event, EventBody, History, IntakeForm, Kind, decide};

/// A case as loaded: the case, its store id, version and timeline.
#[derive(Clone, Debug)]
pub struct CaseRecord {
    /// Row id.
    pub id: i64,
    /// Bumped by every write; a write names the version it read.
    pub version: i64,
    /// The case.
    pub case: Case,
}

impl Store {
    /// Records a new case (受理). The number is assigned here; `form.number` is ignored.
    pub fn intake(&mut self, ctx: &Context<'_>, form: IntakeForm) -> Result<CaseRecord> {
        let ctx = &whole_seconds(ctx);
        self.transaction(|tx| intake_in(tx, ctx, form, None))
    }

    /// Runs a command on a case. With `read_version`, a case changed since that
    /// read is a [`StoreError::Conflict`] and nothing is written. Automatic
    /// overdue escalations due by now are recorded first.
    pub fn execute(
        &mut self,
        ctx: &Context<'_>,
        number: &str,
        read_version: Option<i64>,
        command: &Command,
    ) -> Result<CaseRecord> {
        self.execute_late(ctx, number, read_version, command, None)
    }

    /// [`Store::execute`], the step perhaps entered late (补录): then the
    /// desk's rules run at the time it happened, and the events say why they
    /// were entered only now.
    pub fn execute_late(
        &mut self,
        ctx: &Context<'_>,
        number: &str,
        read_version: Option<i64>,
        command: &Command,
        late: Option<&crate::domain::LateEntry<'_>>,
    ) -> Result<CaseRecord> {
        let ctx = &whole_seconds(ctx);
        self.transaction(|tx| execute_in(tx, ctx, number, read_version, command, late))
    }

    /// Records the automatic escalations due at `now` on every open case; returns how many cases moved.
    pub fn sweep(&mut self, ctx: &Context<'_>) -> Result<usize> {
        let ctx = &whole_seconds(ctx);
        self.transaction(|tx| {
            let ids: Vec<String> = tx
                .prepare("SELECT number FROM cases WHERE closed_at IS NULL AND next_due < ?")?
                .query_map([secs(ctx.now)], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut moved = 0;
            for number in ids {
                let record = load(tx, &number)?;
                let events = overdue_escalations(&record.case, ctx.now, ctx.policy, ctx.calendar);
                if events.is_empty() {
                    continue;
                }
                let mut case = record.case.clone();
                for e in &events {
                    case.apply(e);
                }
                write_events(tx, record.id, i64::from(record.case.event_count), &events)?;
                update_case(
                    tx,
                    record.id,
                    record.version,
                    &case,
                    &facts(&case, ctx.policy, ctx.calendar),
                )?;
                moved += 1;
            }
            Ok(moved)
        })
    }

    /// Loads a case by number.
    pub fn case(&self, number: &str) -> Result<CaseRecord> {
        load(&self.conn, number)
    }

    /// A case's events, oldest first, from the audit log.
    pub fn events(&self, case_id: i64) -> Result<Vec<Event>> {
        case_events(&self.conn, case_id)
    }

    /// How many cases the desk holds.
    pub fn case_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?;
        Ok(n.try_into().unwrap_or(0))
    }

    /// Hands `visit` every case's number and events (oldest first), case by
    /// case in the order they were recorded, streaming from one query: a
    /// million-case desk goes by in little memory. Stops at `visit`'s first error.
    pub fn each_case<E: From<StoreError>>(
        &self,
        mut visit: impl FnMut(&str, &[Event]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare("SELECT c.id, c.number, e.actor_id, e.at, e.body FROM cases c JOIN events e ON e.case_id = c.id ORDER BY c.id, e.seq")
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        let mut current: Option<(i64, String)> = None;
        let mut events: Vec<Event> = Vec::new();
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let id: i64 = r.get(0).map_err(StoreError::from)?;
            if current.as_ref().is_some_and(|(c, _)| *c != id)
                && let Some((_, number)) = current.take()
            {
                visit(&number, &events)?;
                events.clear();
            }
            if current.is_none() {
                current = Some((id, r.get(1).map_err(StoreError::from)?));
            }
            let body: String = r.get(4).map_err(StoreError::from)?;
            events.push(event_from_row(
                r.get(2).map_err(StoreError::from)?,
                r.get(3).map_err(StoreError::from)?,
                &body,
            )?);
        }
        if let Some((_, number)) = current {
            visit(&number, &events)?;
        }
        Ok(())
    }
}

/// Runs a command on case `number` in `tx` (see [`Store::execute_late`]);
/// `ctx`'s clock is already cut to whole seconds.
pub(crate) fn execute_in(
    tx: &Transaction<'_>,
    ctx: &Context<'_>,
    number: &str,
    read_version: Option<i64>,
    command: &Command,
    late: Option<&crate::domain::LateEntry<'_>>,
) -> Result<CaseRecord> {
    let mut record = load(tx, number)?;
    if let Some(read) = read_version.filter(|v| *v != record.version) {
        return Err(StoreError::Conflict {
            number: number.to_string(),
            read,
            now: record.version,
        });
    }
    let step_at = late.map_or(ctx.now, |l| l.at.max(record.case.last_event_at));
    let mut events = overdue_escalations(&record.case, step_at, ctx.policy, ctx.calendar);
    let mut case = record.case.clone();
    for e in &events {
        case.apply(e);
    }
    let caused = match late {
        Some(late) => crate::domain::decide_late(&case, command, ctx, late)?,
        None => decide(Some(&case), command, ctx)?,
    };
    let mut caused = caused;
    // Still unsatisfied at a follow-up: a second complaint, recorded
    // with it, the follow-up naming its number.
    for e in &mut caused {
        if let Some(form) = crate::domain::command::second_complaint(&case, &e.body, ctx)
            && let EventBody::FollowedUp { second, .. } = &mut e.body
        {
            let new = intake_in(tx, ctx, form, Some(&case))?;
            *second = Some(new.case.number().to_string());
        }
    }
    for e in &caused {
        case.apply(e);
    }
    events.extend(caused);
    let seq = i64::from(record.case.event_count);
    write_events(tx, record.id, seq, &events)?;
    record.version = update_case(
        tx,
        record.id,
        record.version,
        &case,
        &facts(&case, ctx.policy, ctx.calendar),
    )?;
    // A corrected intake: its columns, its complainant and its search entry anew.
    let corrected = events.iter().any(|e| matches!(e.body, EventBody::Corrected { .. }));
    if corrected {
        write_intake(tx, record.id, &case)?;
    }
    // The assigned department is searchable too.
    if corrected || record.case.assignment.map(|a| a.0) != case.assignment.map(|a| a.0) {
        super::search::index_case(tx, record.id, &case, false)?;
    }
    record.case = case;
    Ok(record)
}

/// Events are stored to the second: the context's clock is cut to match, so a
/// case in memory equals the case replayed from the store.
pub(crate) fn whole_seconds<'a>(ctx: &Context<'a>) -> Context<'a> {
    Context {
        now: from_secs(secs(ctx.now)),
        ..*ctx
    }
}

/// Loads a case inside any connection or transaction: the replay of its events.
pub(crate) fn load(conn: &rusqlite::Connection, number: &str) -> Result<CaseRecord> {
    let row: Option<(i64, i64)> = conn
        .prepare_cached("SELECT id, version FROM cases WHERE number = ?")?
        .query_row([number.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, version) = row.ok_or_else(|| StoreError::NoCase(number.trim().to_string()))?;
    let events = case_events(conn, id)?;
    let case = Case::replay(&events).map_err(|e| StoreError::Damaged(format!("case {number}: {e}")))?;
    Ok(CaseRecord { id, version, case })
}

/// A case's events, oldest first.
pub(crate) fn case_events(conn: &rusqlite::Connection, case_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached("SELECT actor_id, at, body FROM events WHERE case_id = ? ORDER BY seq")?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
    })?;
    rows.map(|row| {
        let (actor, at, body) = row?;
        event_from_row(actor, at, &body)
    })
    .collect()
}

/// Rebuilds an event from its row: time and actor are columns, the rest is the body.
fn event_from_row(actor: i64, at: i64, body: &str) -> Result<Event> {
    let damaged = |e: serde_json::Error| StoreError::Damaged(format!("event: {e}"));
    let mut value: serde_json::Value = serde_json::from_str(body).map_err(damaged)?;
    // A late entry's note rides in the body beside the step's own fields.
    let late = value
        .as_object_mut()
        .and_then(|o| o.remove("late"))
        .map(serde_json::from_value)
        .transpose()
        .map_err(damaged)?;
    Ok(Event {
        at: from_secs(at),
        actor: crate::domain::StaffId(actor),
        body: serde_json::from_value(value).map_err(damaged)?,
        late,
    })
}

/// The next number of the year: `2026-000123`. Numbers are never reused.
fn reserve_number(tx: &Transaction<'_>, year: i32) -> Result<String> {
    let next: i64 = tx.query_row(
        "INSERT INTO case_counters (year, last) VALUES (?1, 1)
         ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
        [year],
        |r| r.get(0),
    )?;
    Ok(format!("{year}-{next:06}"))
}

/// What the store knows of this caller and this subject within the repeat window.
fn history(
    tx: &Transaction<'_>,
    ctx: &Context<'_>,
    form: &IntakeForm,
    received_at: crate::domain::Time,
) -> Result<History> {
    let since = secs(received_at) - i64::from(ctx.policy.escalation.repeat_window_days) * 86_400;
    let until = secs(received_at);
    // Reads only the caller's cases in the window (index cases_caller).
    let caller_cases: u32 = match form.complainant.caller_key() {
        Some(key) => tx
            .prepare_cached("SELECT COUNT(*) FROM cases WHERE caller_key = ? AND received_at BETWEEN ? AND ?")?
            .query_row(params![key, since, until], |r| r.get(0))?,
        None => 0,
    };
    let subject_complaints: u32 = match (form.kind, form.dept, form.category) {
        (Kind::Complaint, Some(dept), Some(cat)) => tx
            .prepare_cached(
                "SELECT COUNT(*) FROM cases WHERE dept_id = ? AND category_id = ? AND kind = 'complaint'
                 AND received_at BETWEEN ? AND ?",
            )?
            .query_row(params![dept.0, cat.0, since, until], |r| r.get(0))?,
        _ => 0,
    };
    Ok(History {
        caller_cases,
        subject_complaints,
    })
}

/// Anonymous complainants are never stored: no row at all.
pub(crate) fn insert_complainant(tx: &Transaction<'_>, c: &Complainant) -> Result<Option<i64>> {
    let Some(row) = complainant_row(c) else {
        return Ok(None);
    };
    tx.prepare_cached("INSERT INTO complainants (name, phone, phone_key, address, relation) VALUES (?, ?, ?, ?, ?)")?
        .execute(rusqlite::params_from_iter(row))?;
    Ok(Some(tx.last_insert_rowid()))
}

/// Inserts a new case at version 1 with its facts, and indexes it for search.
pub(crate) fn insert_case(
    tx: &Transaction<'_>,
    case: &Case,
    complainant_id: Option<i64>,
    facts: &Facts,
) -> Result<i64> {
    let values = std::iter::once(Value::Null).chain(case_row(case, complainant_id, facts));
    tx.prepare_cached(&format!(
        "INSERT INTO cases ({CASE_COLUMNS}) VALUES ({})",
        vec!["?"; CASE_COLUMN_COUNT].join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    let id = tx.last_insert_rowid();
    super::case_depts::write(tx, id, &facts.depts)?;
    super::search::index_case(tx, id, case, true)?;
    Ok(id)
}

/// Records a new case in `tx`; a second complaint (`follows`: the case whose
/// follow-up started it) names the first, is flagged repeat and goes one
/// level above it.
fn intake_in(
    tx: &Transaction<'_>,
    ctx: &Context<'_>,
    mut form: IntakeForm,
    follows: Option<&Case>,
) -> Result<CaseRecord> {
    let received_at = form.received_at.unwrap_or(ctx.now);
    form.number = reserve_number(tx, local_date(ctx.policy.timezone, received_at).year())?;
    let history = history(tx, ctx, &form, received_at)?;
    let mut events = decide(
        None,
        &Command::Intake {
            form: Box::new(form),
            history,
        },
        ctx,
    )?;
    if let (
        Some(first),
        Some(Event {
            body: EventBody::Received(r),
            ..
        }),
    ) = (follows, events.first_mut())
    {
        r.follows = Some(first.number().to_string());
    }
    let (head, rest) = events
        .split_first()
        .ok_or_else(|| StoreError::Damaged("no intake event".into()))?;
    let mut case = Case::open(head).map_err(|e| StoreError::Damaged(e.to_string()))?;
    for e in rest {
        case.apply(e);
    }
    if let Some(first) = follows {
        let more = crate::domain::command::second_complaint_events(first, &case, ctx);
        for e in &more {
            case.apply(e);
        }
        events.extend(more);
    }
    let complainant_id = insert_complainant(tx, &case.intake.complainant)?;
    let id = insert_case(tx, &case, complainant_id, &facts(&case, ctx.policy, ctx.calendar))?;
    write_events(tx, id, 0, &events)?;
    Ok(CaseRecord { id, version: 1, case })
}

/// Writes the intake's columns a correction may change, and its complainant's row
/// (the phone's key with it, so the caller is found by the corrected phone).
fn write_intake(tx: &Transaction<'_>, id: i64, case: &Case) -> Result<()> {
    let i = &case.intake;
    tx.prepare_cached("UPDATE cases SET summary = ?, details = ?, category_id = ? WHERE id = ?")?
        .execute(params![i.summary, i.details, i.category.map(|c| c.0), id])?;
    if let Some(row) = complainant_row(&i.complainant) {
        let complainant: Option<i64> =
            tx.query_row("SELECT complainant_id FROM cases WHERE id = ?", [id], |r| r.get(0))?;
        if let Some(cid) = complainant {
            let values = row.into_iter().chain(std::iter::once(Value::Integer(cid)));
            tx.prepare_cached(
                "UPDATE complainants SET name = ?, phone = ?, phone_key = ?, address = ?, relation = ? WHERE id = ?",
            )?
            .execute(rusqlite::params_from_iter(values))?;
        }
    }
    Ok(())
}

/// Writes the case's new state if it is still at `version`; returns the new version.
fn update_case(tx: &Transaction<'_>, id: i64, version: i64, case: &Case, facts: &Facts) -> Result<i64> {
    let dept = case.assignment.map(|(d, _)| d).or(case.intake.dept);
    let changed = tx
        .prepare_cached(
            "UPDATE cases SET state = ?, owner_id = ?, level = ?, flags = ?, next_due = ?, closed_at = ?,
                dept_id = ?, version = version + 1
             WHERE id = ? AND version = ?",
        )?
        .execute(params![
            case.state.code(),
            case.owner.0,
            case.level,
            flags_text(case),
            case.next_due().map(secs),
            case.closed_at.map(secs),
            dept.map(|d| d.0),
            id,
            version,
        ])?;
    if changed == 0 {
        let now: i64 = tx.query_row("SELECT version FROM cases WHERE id = ?", [id], |r| r.get(0))?;
        return Err(StoreError::Conflict {
            number: case.number().to_string(),
            read: version,
            now,
        });
    }
    write_facts(tx, id, facts)?;
    Ok(version + 1)
}

/// The facts reports count, written beside the case.
pub(crate) fn write_facts(tx: &Transaction<'_>, id: i64, f: &Facts) -> Result<()> {
    tx.prepare_cached(
        "UPDATE cases SET facts_version = 1, verdict = ?, visits_ok = ?, visits_bad = ?, visit = ?, urges = ?,
            has_result = ?, has_feedback = ?, ack_on_time = ?, reply_on_time = ?, reply_due = ?, wd_to_close = ?,
            visit_due = ?, follow_up_due = ?, caller_key = ?, report_bits = ?
         WHERE id = ?",
    )?
    .execute(params![
        f.verdict.map(super::super::domain::kinds::Verdict::code),
        f.visits_ok,
        f.visits_bad,
        f.visit,
        f.urges,
        f.has_result,
        f.has_feedback,
        f.ack_on_time,
        f.reply_on_time,
        f.reply_due.map(secs),
        f.wd_to_close,
        f.visit_due.map(secs),
        f.follow_up_due.map(secs),
        f.caller_key,
        f.bits,
        id
    ])?;
    super::case_depts::write(tx, id, &f.depts)
}

/// An event's stored body: the step's fields, and a late entry's note.
pub(crate) fn event_body(e: &Event) -> serde_json::Result<String> {
    let mut value = serde_json::to_value(&e.body)?;
    if let (Some(late), Some(o)) = (&e.late, value.as_object_mut()) {
        o.insert("late".into(), serde_json::to_value(late)?);
    }
    serde_json::to_string(&value)
}

/// Appends a case's events to the audit chain after `seq_before` earlier ones.
pub(crate) fn write_events(tx: &Transaction<'_>, case_id: i64, seq_before: i64, events: &[Event]) -> Result<()> {
    let bodies: Vec<String> = events
        .iter()
        .map(event_body)
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Damaged(e.to_string()))?;
    let rows: Vec<NewEvent<'_>> = events
        .iter()
        .zip(&bodies)
        .zip(1..)
        .map(|((e, body), i)| NewEvent {
            case_id: Some(case_id),
            seq: seq_before + i,
            kind: e.body.kind_code(),
            actor_id: e.actor.0,
            at: secs(e.at),
            body,
        })
        .collect();
    append(tx, &rows)
}
