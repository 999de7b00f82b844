//! Many new cases at once (the demo, an import): the same rows, triggers,
//! foreign keys and audit chain as one intake, but a batch of cases per
//! statement. SQLite keeps a statement journal for every statement that may
//! abort (the audit triggers, foreign keys), so a row per statement would copy
//! pages for every row; a batch per statement copies them once.
//!
//! A [`NewCase`] is everything a case's rows need, made without the database,
//! so a second thread can make the next cases while this one writes.

use rusqlite::Transaction;
use rusqlite::types::Value;

use super::audit::{NewEvent, hash};
use super::case_depts;
use super::rows::{CASE_COLUMN_COUNT, CASE_COLUMNS, COMPLAINANT_SLOT, DeptNames, case_row, complainant_row};
use super::search::{SearchBatch, columns_json};
use super::{Result, StoreError, secs};
use crate::domain::facts::Facts;
use crate::domain::{Case, Event};

/// Cases per statement: each case row binds 42 values.
const CASES_PER_STATEMENT: usize = 64;
/// Events per statement (7 values each).
const EVENTS_PER_STATEMENT: usize = 256;
/// Cases held before they are written.
const CASES_PER_FLUSH: usize = 1024;

/// The page cache of a connection that loads, in KiB (negative: SQLite's unit for KiB).
const BULK_CACHE_KIB: i64 = -262_144;

/// An event's kind, actor, time and body (JSON), ready to be written.
type EventRow = (&'static str, i64, i64, String);

/// One new case with everything its rows need.
pub struct NewCase {
    complainant: Option<[Value; 5]>,
    row: [Value; CASE_COLUMN_COUNT - 1],
    events: Vec<EventRow>,
    /// Its departments' parts (the case id filled in when added).
    depts: Vec<[Value; case_depts::WIDTH]>,
    /// The two search columns as JSON strings, comma-separated.
    search: String,
}

impl NewCase {
    /// Prepares `case` (the replay of `events`) with its report facts.
    pub fn new(case: &Case, events: &[Event], facts: &Facts, depts: &DeptNames) -> Result<NewCase> {
        let events = events
            .iter()
            .map(|e| {
                Ok((
                    e.body.kind_code(),
                    e.actor.0,
                    secs(e.at),
                    // As every event is stored: a late entry's note inside its body.
                    super::cases::event_body(e).map_err(|e| StoreError::Damaged(e.to_string()))?,
                ))
            })
            .collect::<Result<_>>()?;
        Ok(NewCase {
            complainant: complainant_row(&case.intake.complainant),
            // The complainant's id is known when the case is added.
            row: case_row(case, None, facts),
            events,
            depts: facts.depts.iter().map(|f| case_depts::row(0, f)).collect(),
            search: columns_json(case, depts)?,
        })
    }
}

/// Buffers new cases and writes them in batches inside one transaction.
/// Call [`Bulk::finish`]: cases still held are written then.
pub struct Bulk<'t, 'c> {
    tx: &'t Transaction<'c>,
    next_case: i64,
    next_complainant: i64,
    held: usize,
    complainants: Vec<Value>,
    cases: Vec<Value>,
    depts: Vec<Value>,
    /// case id, seq, (kind, actor, at, body): hashed when written, after the chain's tip then.
    events: Vec<(i64, i64, EventRow)>,
    search: SearchBatch,
}

impl<'t, 'c> Bulk<'t, 'c> {
    /// Starts after the newest case, complainant and audit event. The
    /// transaction holds the write lock, so no one else takes these ids.
    pub(crate) fn new(tx: &'t Transaction<'c>) -> Result<Self> {
        let next = |table: &str| -> Result<i64> {
            Ok(
                tx.query_row(&format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"), [], |r| {
                    r.get(0)
                })?,
            )
        };
        // A large transaction in SQLite's default 2 MB page cache spills pages
        // to the log mid-way and reads them back; a loading connection keeps more.
        tx.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        Ok(Bulk {
            tx,
            next_case: next("cases")?,
            next_complainant: next("complainants")?,
            held: 0,
            complainants: Vec::new(),
            cases: Vec::new(),
            depts: Vec::new(),
            events: Vec::new(),
            search: SearchBatch::default(),
        })
    }

    /// Adds a case; returns its row id.
    pub fn add(&mut self, new: NewCase) -> Result<i64> {
        let id = self.next_case;
        self.next_case += 1;
        let mut row = new.row;
        if let Some(complainant) = new.complainant {
            let cid = self.next_complainant;
            self.next_complainant += 1;
            self.complainants.push(Value::Integer(cid));
            self.complainants.extend(complainant);
            row[COMPLAINANT_SLOT] = Value::Integer(cid);
        }
        self.cases.push(Value::Integer(id));
        self.cases.extend(row);
        for mut part in new.depts {
            part[0] = Value::Integer(id);
            self.depts.extend(part);
        }
        self.events
            .extend(new.events.into_iter().zip(1..).map(|(e, seq)| (id, seq, e)));
        self.search.add(self.tx, id, &new.search)?;
        self.held += 1;
        if self.held >= CASES_PER_FLUSH {
            self.flush()?;
        }
        Ok(id)
    }

    /// Writes every held case and search entry.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.search.finish(self.tx)
    }

    fn flush(&mut self) -> Result<()> {
        // Parents first: complainants, then cases, then what refers to cases.
        insert_rows(
            self.tx,
            "complainants (id, name, phone, phone_key, address, relation)",
            6,
            CASES_PER_STATEMENT,
            &mut self.complainants,
        )?;
        insert_rows(
            self.tx,
            &format!("cases ({CASE_COLUMNS})"),
            CASE_COLUMN_COUNT,
            CASES_PER_STATEMENT,
            &mut self.cases,
        )?;
        insert_rows(
            self.tx,
            case_depts::COLUMNS,
            case_depts::WIDTH,
            CASES_PER_STATEMENT,
            &mut self.depts,
        )?;
        // Hashed now, not when added: something else may have joined the
        // chain in between (an import adds the staff it names).
        let mut tip = super::audit::tip(self.tx)?;
        let recorded = chrono::Utc::now().timestamp();
        let mut events = Vec::with_capacity(self.events.len() * 8);
        for (case_id, seq, (kind, actor, at, body)) in self.events.drain(..) {
            let h = hash(
                &tip,
                &NewEvent {
                    case_id: Some(case_id),
                    seq,
                    kind,
                    actor_id: actor,
                    at,
                    body: &body,
                },
                Some(recorded),
            );
            tip = h.to_vec();
            events.extend([
                Value::Integer(case_id),
                Value::Integer(seq),
                Value::Text(kind.to_string()),
                Value::Integer(actor),
                Value::Integer(at),
                Value::Text(body),
                Value::Blob(tip.clone()),
                Value::Integer(recorded),
            ]);
        }
        insert_rows(
            self.tx,
            "events (case_id, seq, kind, actor_id, at, body, hash, recorded_at)",
            8,
            EVENTS_PER_STATEMENT,
            &mut events,
        )?;
        self.held = 0;
        Ok(())
    }
}

/// Inserts `values` (rows of `width` values, in order) `per` rows a statement, and empties it.
fn insert_rows(tx: &Transaction<'_>, into: &str, width: usize, per: usize, values: &mut Vec<Value>) -> Result<()> {
    let sql = |rows: usize| {
        let one = format!("({})", vec!["?"; width].join(","));
        format!("INSERT INTO {into} VALUES {}", vec![one; rows].join(","))
    };
    let full = sql(per);
    for chunk in values.chunks(width * per) {
        if chunk.len() == width * per {
            tx.prepare_cached(&full)?.execute(rusqlite::params_from_iter(chunk))?;
        } else {
            tx.execute(&sql(chunk.len() / width), rusqlite::params_from_iter(chunk))?;
        }
    }
    values.clear();
    Ok(())
}
