//! Shifts on duty, the duty log and handovers in the store; every change is an audit event.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::audit::append;
use super::rows::from_secs;
use super::staff::desk_event;
use super::{CaseFilter, CaseRow, Result, Store, StoreError, secs};
use crate::domain::handover::{
    Duty, DutyLogEntry, Handover, HandoverError, LogEnding, Shift, joining_shift, next_shift, shift_at,
};
use crate::domain::{Actor, Channel, Policy, StaffId, State, Time};

/// What the handover lists, generated from the data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    /// Open cases with a step due before the next shift ends, by owner.
    pub due_next_shift: Vec<CaseRow>,
    /// Open cases past due.
    pub overdue: Vec<CaseRow>,
    /// Open cases at level 2 or more.
    pub escalated: Vec<CaseRow>,
    /// Cases waiting for a return visit.
    pub visits_due: Vec<CaseRow>,
    /// Cases received during the shift.
    pub received: Vec<CaseRow>,
    /// Transfers waiting to be accepted.
    pub transfers: Vec<CaseRow>,
    /// Duty-log entries of the outgoing clerk not yet resolved.
    pub open_log: Vec<DutyLogEntry>,
    /// The outgoing clerk's cases handed over with the handover.
    #[serde(default)]
    pub handed_over: Vec<CaseRow>,
    /// Notes and corrections recorded on cases during the shift (备注、更正).
    #[serde(default)]
    pub notes: Vec<ShiftNote>,
}

/// A note or a correction recorded during a shift: the incoming clerk reads
/// what colleagues left on the cases (never a paper for the complainant).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftNote {
    /// The case's number.
    pub number: String,
    /// When.
    pub at: Time,
    /// Who wrote it.
    pub who: String,
    /// The note or the correction.
    pub body: crate::domain::EventBody,
    /// The case's complainant is confidential: a correction of theirs shows no values.
    pub confidential: bool,
}

/// A handover with its generated sections.
#[derive(Clone, Debug)]
pub struct HandoverRecord {
    /// The rules' state.
    pub handover: Handover,
    /// What it lists: frozen at the outgoing signature, live before.
    pub sections: Sections,
    /// The audit chain's head when the incoming clerk signed (printed on its
    /// page; `check` proves the chain still passes through it).
    pub anchor: Option<super::anchor::Anchor>,
}

/// Errors of the handover rules, or of the store.
#[derive(Debug, thiserror::Error)]
pub enum DutyError {
    /// The rules refused.
    #[error(transparent)]
    Rule(#[from] HandoverError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such handover or log entry.
    #[error("not found: {0}")]
    NotFound(i64),
}

impl From<rusqlite::Error> for DutyError {
    fn from(e: rusqlite::Error) -> Self {
        DutyError::Store(StoreError::from(e))
    }
}

fn audit(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    actor: StaffId,
    now: Time,
    body: &serde_json::Value,
) -> Result<()> {
    let body = body.to_string();
    append(tx, &[desk_event(kind, actor, now, &body)])
}

fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DutyLogEntry> {
    let channel: String = r.get(2)?;
    let ending: Option<String> = r.get(7)?;
    Ok(DutyLogEntry {
        id: r.get(0)?,
        at: from_secs(r.get(1)?),
        channel: Channel::parse(&channel).unwrap_or(Channel::Phone),
        clerk: StaffId(r.get(3)?),
        who: r.get(4)?,
        what: r.get(5)?,
        action: r.get(6)?,
        ending: ending.and_then(|e| serde_json::from_str(&e).ok()),
    })
}

const LOG_COLUMNS: &str = "id, at, channel, clerk_id, who, what, action, ending";

impl Store {
    /// Joins the shift the clerk arrives for at `now` (signing in does this),
    /// as [`joining_shift`] says from the shift they are on duty in.
    pub fn join_shift(&mut self, actor: &Actor, policy: &Policy, now: Time) -> Result<Shift> {
        let on_duty = self.duty_of(actor.id)?.map(|d| shift_at(policy, d.shift_start));
        let shift = joining_shift(policy, now, on_duty.as_ref());
        self.transaction(|tx| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO on_duty (staff_id, shift_start, shift_end, joined_at) VALUES (?, ?, ?, ?)",
                params![actor.id.0, secs(shift.start), secs(shift.end), secs(now)],
            )?;
            if added > 0 {
                audit(
                    tx,
                    "duty_joined",
                    actor.id,
                    now,
                    &serde_json::json!({"kind": "duty_joined", "shift_start": shift.start}),
                )?;
            }
            Ok(())
        })?;
        Ok(shift)
    }

    /// Who is on duty: everyone who joined a shift and has not been relieved by a
    /// signed handover. `true` marks someone whose shift has ended (still on duty
    /// until somebody signs).
    pub fn on_duty(&self, now: Time) -> Result<Vec<(Actor, bool)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT staff_id, MAX(shift_end) FROM on_duty WHERE off_at IS NULL GROUP BY staff_id ORDER BY MIN(joined_at)",
        )?;
        let rows: Vec<(i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, end) in rows {
            if let Some(a) = self.staff_by_id(StaffId(id))? {
                out.push((a, end <= secs(now)));
            }
        }
        Ok(out)
    }

    /// Adds a duty-log entry (time automatic).
    pub fn log_add(
        &mut self,
        actor: &Actor,
        channel: Channel,
        who: &str,
        what: &str,
        action: &str,
        now: Time,
    ) -> Result<DutyLogEntry> {
        if what.trim().is_empty() {
            return Err(StoreError::Rule(crate::domain::RuleError::Required { field: "text" }));
        }
        for text in [who, what, action] {
            if let Some(c) = crate::domain::text::first_control(text) {
                return Err(StoreError::Rule(crate::domain::RuleError::ControlCharacter {
                    field: "text".into(),
                    code: crate::domain::text::code_point(c),
                }));
            }
        }
        self.transaction(|tx| {
            tx.execute(
                "INSERT INTO duty_log (at, clerk_id, channel, who, what, action) VALUES (?, ?, ?, ?, ?, ?)",
                params![
                    secs(now),
                    actor.id.0,
                    channel.code(),
                    who.trim(),
                    what.trim(),
                    action.trim()
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                "duty_log_added",
                actor.id,
                now,
                &serde_json::json!({"kind": "duty_log_added", "id": id, "what": what.trim()}),
            )?;
            Ok(DutyLogEntry {
                id,
                at: now,
                clerk: actor.id,
                channel,
                who: who.trim().to_string(),
                what: what.trim().to_string(),
                action: action.trim().to_string(),
                ending: None,
            })
        })
    }

    /// Duty-log entries, newest first: all, or only those not yet resolved.
    pub fn log_entries(&self, open_only: bool, limit: usize) -> Result<Vec<DutyLogEntry>> {
        let sql = format!(
            "SELECT {LOG_COLUMNS} FROM duty_log {} ORDER BY id DESC LIMIT ?",
            if open_only { "WHERE ending IS NULL" } else { "" }
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], log_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Gives an entry its one ending: a case, an answer, or a carry-over with a reason.
    pub fn log_resolve(&mut self, actor: &Actor, id: i64, ending: &LogEnding, now: Time) -> Result<()> {
        let empty = match ending {
            LogEnding::Case { number } => number.trim().is_empty(),
            LogEnding::Answered { text } => text.trim().is_empty(),
            LogEnding::CarriedOver { reason } => reason.trim().is_empty(),
        };
        if empty {
            return Err(StoreError::Rule(crate::domain::RuleError::Required { field: "text" }));
        }
        if let LogEnding::Case { number } = ending {
            self.case(number)?;
        }
        self.transaction(|tx| {
            let json = serde_json::to_string(ending).map_err(|e| StoreError::Damaged(e.to_string()))?;
            let changed = tx.execute(
                "UPDATE duty_log SET ending = ?, ended_at = ?, ended_by = ? WHERE id = ? AND ending IS NULL",
                params![json, secs(now), actor.id.0, id],
            )?;
            if changed == 0 {
                let exists: bool =
                    tx.query_row("SELECT EXISTS(SELECT 1 FROM duty_log WHERE id = ?)", [id], |r| r.get(0))?;
                return Err(if exists {
                    StoreError::AlreadyResolved(id)
                } else {
                    StoreError::NoLogEntry(id)
                });
            }
            audit(
                tx,
                "duty_log_resolved",
                actor.id,
                now,
                &serde_json::json!({"kind": "duty_log_resolved", "id": id, "ending": ending}),
            )
        })
    }

    /// The clerk's time on duty: the latest shift they joined and are not relieved of.
    pub fn duty_of(&self, staff: StaffId) -> Result<Option<Duty>> {
        let row: Option<(i64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT shift_start, joined_at FROM on_duty WHERE staff_id = ? AND off_at IS NULL
                 ORDER BY shift_start DESC LIMIT 1",
            )?
            .query_row([staff.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.map(|(start, joined)| Duty {
            shift_start: from_secs(start),
            joined_at: from_secs(joined),
        }))
    }

    /// The shift a clerk hands over: the latest one they joined (or the one running at `now`).
    fn shift_of(&self, actor: &Actor, policy: &Policy, now: Time) -> Result<Shift> {
        Ok(self
            .duty_of(actor.id)?
            .map_or_else(|| shift_at(policy, now), |d| shift_at(policy, d.shift_start)))
    }

    /// The clerk's handover of their shift, if they have prepared one (nothing is made).
    pub fn handover_current(&self, actor: &Actor, policy: &Policy, now: Time) -> Result<Option<HandoverRecord>> {
        let shift = self.shift_of(actor, policy, now)?;
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM handovers WHERE outgoing_id = ? AND shift_start = ?",
                params![actor.id.0, secs(shift.start)],
                |r| r.get(0),
            )
            .optional()?;
        existing.map(|id| self.handover(id, policy, now)).transpose()
    }

    /// The clerk's latest handover nobody has taken over yet, of any shift
    /// (the outgoing clerk signs in again to answer the incoming clerk's questions).
    pub fn handover_unsigned(&self, actor: &Actor, policy: &Policy, now: Time) -> Result<Option<HandoverRecord>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM handovers WHERE outgoing_id = ? AND incoming_signed_at IS NULL
                 ORDER BY shift_start DESC LIMIT 1",
                [actor.id.0],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.handover(id, policy, now)).transpose()
    }

    /// The handovers waiting for `actor` to review and sign: signed by a clerk
    /// of an earlier shift, offered to the next (see [`Handover::offered_to`]).
    pub fn handovers_waiting_for(&self, actor: &Actor) -> Result<Vec<Handover>> {
        let duty = self.duty_of(actor.id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, data FROM handovers
             WHERE outgoing_signed_at IS NOT NULL AND incoming_signed_at IS NULL ORDER BY shift_start",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data) = row?;
            let mut h: Handover = serde_json::from_str(&data).map_err(|e| StoreError::Damaged(e.to_string()))?;
            h.id = id;
            if h.offered_to(actor.id, duty.as_ref()) {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// The outgoing clerk's handover of their shift, made if new.
    pub fn handover_prepare(&mut self, actor: &Actor, policy: &Policy, now: Time) -> Result<HandoverRecord> {
        if let Some(record) = self.handover_current(actor, policy, now)? {
            return Ok(record);
        }
        let shift = self.shift_of(actor, policy, now)?;
        let id = self.transaction(|tx| {
            let h = Handover::new(0, shift, actor.id, policy);
            tx.execute(
                "INSERT INTO handovers (shift_start, outgoing_id, data) VALUES (?, ?, ?)",
                params![
                    secs(shift.start),
                    actor.id.0,
                    serde_json::to_string(&h).unwrap_or_default()
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                "handover_prepared",
                actor.id,
                now,
                &serde_json::json!({"kind": "handover_prepared", "id": id}),
            )?;
            Ok(id)
        })?;
        self.handover(id, policy, now)
    }

    /// A handover with its sections (live until the outgoing clerk signs).
    pub fn handover(&self, id: i64, policy: &Policy, now: Time) -> Result<HandoverRecord> {
        type Row = (String, Option<String>, Option<i64>, Option<Vec<u8>>, Option<i64>);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT data, sections, anchor_events, anchor_head, incoming_signed_at FROM handovers WHERE id = ?",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (data, sections, anchor_events, anchor_head, signed_at) = row.ok_or(StoreError::NoHandover(id))?;
        let anchor = anchor_events
            .zip(anchor_head)
            .map(|(events, head)| super::anchor::Anchor {
                events: u64::try_from(events).unwrap_or(0),
                head,
                at: signed_at.map(from_secs),
            });
        let mut handover: Handover = serde_json::from_str(&data).map_err(|e| StoreError::Damaged(e.to_string()))?;
        handover.id = id;
        let sections = match sections {
            Some(s) => serde_json::from_str(&s).map_err(|e| StoreError::Damaged(e.to_string()))?,
            None => self.sections(&handover, policy, now)?,
        };
        Ok(HandoverRecord {
            handover,
            sections,
            anchor,
        })
    }

    /// Handovers, newest first.
    pub fn handovers(&self, limit: usize) -> Result<Vec<Handover>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, data FROM handovers ORDER BY shift_start DESC, id DESC LIMIT ?")?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data) = row?;
            let mut h: Handover = serde_json::from_str(&data).map_err(|e| StoreError::Damaged(e.to_string()))?;
            h.id = id;
            out.push(h);
        }
        Ok(out)
    }

    /// The handover waiting for someone to review and sign, oldest first.
    pub fn handovers_waiting(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM handovers WHERE outgoing_signed_at IS NOT NULL AND incoming_signed_at IS NULL ORDER BY shift_start",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What the handover lists, from the data at `now`.
    pub fn sections(&self, h: &Handover, policy: &Policy, now: Time) -> Result<Sections> {
        let next = next_shift(policy, &h.shift);
        let list = |f: CaseFilter| {
            self.list(
                &CaseFilter {
                    open_only: true,
                    limit: 500,
                    ..f
                },
                None,
            )
        };
        let mut due = list(CaseFilter {
            due_before: Some(next.end),
            ..CaseFilter::default()
        })?;
        due.sort_by(|a, b| a.owner.cmp(&b.owner).then(a.next_due.cmp(&b.next_due)));
        // Still open, or carried over to the next shift during this one: both are handed over.
        let open_log = {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {LOG_COLUMNS} FROM duty_log WHERE clerk_id = ?1
                   AND (ending IS NULL OR (ending LIKE '%carried_over%' AND ended_at >= ?2 AND ended_at < ?3))
                 ORDER BY id"
            ))?;
            stmt.query_map(params![h.outgoing.0, secs(h.shift.start), secs(h.shift.end)], log_row)?
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Sections {
            due_next_shift: due,
            overdue: list(CaseFilter {
                overdue_at: Some(now),
                ..CaseFilter::default()
            })?,
            escalated: list(CaseFilter {
                min_level: Some(2),
                ..CaseFilter::default()
            })?,
            visits_due: list(CaseFilter {
                states: vec![State::FeedbackGiven, State::Answered, State::Referred],
                due_before: Some(next.end),
                ..CaseFilter::default()
            })?,
            received: self.list(
                &CaseFilter {
                    received_between: Some((h.shift.start, h.shift.end)),
                    limit: 500,
                    ..CaseFilter::default()
                },
                None,
            )?,
            transfers: list(CaseFilter {
                pending_transfer: true,
                ..CaseFilter::default()
            })?,
            open_log,
            notes: self.shift_notes(h.shift.start, h.shift.end.min(now))?,
            handed_over: h
                .hand_over
                .iter()
                .map(|n| self.case_row(n))
                .filter_map(Result::transpose)
                .collect::<Result<_>>()?,
        })
    }

    /// The notes and corrections recorded from `start` until `end`, oldest first.
    fn shift_notes(&self, start: Time, end: Time) -> Result<Vec<ShiftNote>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.number, e.at, COALESCE(s.name, ''), e.body, c.confidential FROM events e
               JOIN cases c ON c.id = e.case_id LEFT JOIN staff s ON s.id = e.actor_id
             WHERE e.kind IN ('noted', 'corrected') AND e.at >= ?1 AND e.at <= ?2
             ORDER BY e.at, e.id LIMIT 500",
        )?;
        let rows = stmt.query_map(params![secs(start), secs(end)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        let mut notes = Vec::new();
        for row in rows {
            let (number, at, who, body, confidential) = row?;
            let body = serde_json::from_str(&body).map_err(|e| StoreError::Damaged(e.to_string()))?;
            notes.push(ShiftNote {
                number,
                at: from_secs(at),
                who,
                body,
                confidential,
            });
        }
        Ok(notes)
    }

    #[allow(clippy::too_many_arguments)]
    fn save_handover(
        &mut self,
        h: &Handover,
        sections: Option<&Sections>,
        kind: &str,
        actor: StaffId,
        now: Time,
        policy: &Policy,
    ) -> Result<()> {
        // The incoming clerk joins the shift they arrive for: the rest of the
        // shift handed over when it is signed mid-shift (14:38 of a day shift),
        // the next one when it is signed near or after its end.
        let taken = joining_shift(policy, now, None);
        self.transaction(|tx| {
            audit(tx, kind, actor, now, &serde_json::json!({"kind": kind, "id": h.id}))?;
            // The incoming signature anchors the chain, its own event included:
            // a signed handover is read-only, so the head stays as signed.
            let anchor = if h.is_signed() {
                Some(super::anchor::head(tx)?)
            } else {
                None
            };
            tx.execute(
                "UPDATE handovers SET data = ?, sections = COALESCE(?, sections), incoming_id = ?,
                    outgoing_signed_at = ?, incoming_signed_at = ?,
                    anchor_events = COALESCE(?, anchor_events), anchor_head = COALESCE(?, anchor_head) WHERE id = ?",
                params![
                    serde_json::to_string(h).unwrap_or_default(),
                    sections.map(|s| serde_json::to_string(s).unwrap_or_default()),
                    h.incoming.map(|i| i.0),
                    h.outgoing_signed_at.map(secs),
                    h.incoming_signed_at.map(secs),
                    anchor.as_ref().map(|a| i64::try_from(a.events).unwrap_or(i64::MAX)),
                    anchor.map(|a| a.head),
                    h.id
                ],
            )?;
            if h.is_signed() {
                // The outgoing clerk is off duty only now; the incoming clerk is on.
                tx.execute(
                    "UPDATE on_duty SET off_at = ? WHERE staff_id = ? AND shift_start <= ? AND off_at IS NULL",
                    params![secs(now), h.outgoing.0, secs(h.shift.start)],
                )?;
                if let Some(incoming) = h.incoming {
                    tx.execute(
                        "INSERT OR IGNORE INTO on_duty (staff_id, shift_start, shift_end, joined_at) VALUES (?, ?, ?, ?)",
                        params![incoming.0, secs(taken.start), secs(taken.end), secs(now)],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Runs a rule on a handover and saves it.
    pub fn handover_update(
        &mut self,
        id: i64,
        policy: &Policy,
        now: Time,
        kind: &str,
        actor: &Actor,
        change: impl FnOnce(&mut Handover, usize) -> Result<(), HandoverError>,
    ) -> Result<HandoverRecord, DutyError> {
        let mut record = self.handover(id, policy, now)?;
        let was_outgoing_signed = record.handover.outgoing_signed_at.is_some();
        let open = record.sections.open_log.iter().filter(|e| e.ending.is_none()).count();
        change(&mut record.handover, open)?;
        // Freeze what was handed over at the outgoing signature.
        let freeze = (!was_outgoing_signed && record.handover.outgoing_signed_at.is_some()).then_some(&record.sections);
        self.save_handover(&record.handover, freeze, kind, actor.id, now, policy)?;
        Ok(record)
    }
}
