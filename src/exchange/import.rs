//! Import: an export (JSON or CSV) into this desk, all or nothing, naming
//! the line of every bad row.
//!
//! Three threads share the work. One reads and parses the file; one maps each
//! case's names to this desk's ids, replays its events and makes its rows
//! ([`NewCase`]); the caller's thread checks numbers and writes, in one
//! transaction. Only the writer may add what the desk lacks (a department,
//! a category, an inactive account for a name it does not know), inside that
//! transaction: a case naming one goes to the writer unprepared and is made
//! there, and the names it adds are known to the preparing thread from then on.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::RwLock;

use chrono::Datelike;
use serde_json::{Value, json};

mod ids;
mod read;

use self::ids::Ids;
use self::read::{Incoming, READ_CHUNK, Row, parse_json, read_csv};
use super::{ImportError, What, name_fields};
use crate::desk::Desk;
use crate::domain::deadline::local_date;
use crate::domain::retrace::{Refusal, Retracing, retrace};
use crate::domain::{Actor, Calendar, Complainant, Event, EventBody, Policy, Role, StaffId, Time};
use crate::store::StoreError;
use crate::store::bulk::NewCase;
use crate::store::load::Load;
use crate::store::rows::from_secs;
use crate::words::Words;

/// What an import loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Cases imported.
    pub cases: u64,
    /// Of them, cases whose confidential complainant the file had as `***`.
    pub masked: u64,
    /// Accounts made for staff the file names and the desk lacked (`--create-staff`).
    pub staff_created: u64,
}

/// How an import goes.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// Whether a file exported without a supervisor (complainants `***`) may be loaded.
    pub masked_ok: bool,
    /// Whether staff the file names and the desk lacks are added (inactive,
    /// no PIN); else such a file is refused, naming them.
    pub create_staff: bool,
    /// The desk's now: the import's audit record, and no event may be dated after it.
    pub now: Time,
}

/// Imports every case of the file at `path` (an export, JSON or CSV) or none;
/// returns how many, how many of them had a masked complainant and how many
/// accounts were made. Each case's events are retraced through the rules
/// ([`crate::domain::retrace`]): a case the desk would have refused refuses
/// the file. A file exported without a supervisor (confidential complainants
/// as `***`) is refused unless `masked_ok`, one naming staff the desk lacks
/// unless `create_staff`. A CSV file streams: a million cases need little
/// memory. `progress` hears how far it got, of how much.
pub fn import(
    desk: &mut Desk,
    by: &Actor,
    path: &std::path::Path,
    options: &ImportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<Imported, ImportError> {
    let unreadable = |e: std::io::Error| ImportError::Io(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    import_from(
        desk,
        by,
        std::io::BufReader::with_capacity(1 << 20, file),
        size,
        *options,
        progress,
    )
}

/// Imports an export the clerk sent over a connection to the desk service,
/// held in memory (see [`import`]).
pub fn import_bytes(
    desk: &mut Desk,
    by: &Actor,
    bytes: Vec<u8>,
    options: &ImportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<Imported, ImportError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    import_from(desk, by, std::io::Cursor::new(bytes), size, *options, progress)
}

/// Imports an export held in memory (see [`import`]); returns how many cases.
pub fn import_text(
    desk: &mut Desk,
    by: &Actor,
    text: &str,
    options: &ImportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let bytes = text.as_bytes().to_vec();
    let size = bytes.len() as u64;
    import_from(desk, by, std::io::Cursor::new(bytes), size, *options, progress).map(|done| done.cases)
}

fn import_from(
    desk: &mut Desk,
    by: &Actor,
    mut reader: impl std::io::BufRead + Send + 'static,
    size: u64,
    options: ImportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<Imported, ImportError> {
    let unreadable = |e: std::io::Error| ImportError::Io(e.to_string());
    let head = reader.fill_buf().map_err(unreadable)?;
    if head.starts_with("\u{feff}".as_bytes()) {
        reader.consume(3);
    }
    let head = reader.fill_buf().map_err(unreadable)?;
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let mut text = String::new();
        reader.read_to_string(&mut text).map_err(unreadable)?;
        let (rows, doc) = parse_json(&text)?;
        drop(text);
        let total = rows.len() as u64;
        let mut chunks = Vec::new();
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Row> = rows.by_ref().take(READ_CHUNK).collect();
            let done = total - rows.len() as u64;
            chunks.push((chunk, done));
        }
        return write_rows(desk, by, options, &doc, chunks.into_iter(), &|done| {
            progress(done, total);
        });
    }
    let chunks = read_csv(reader)?;
    write_rows(desk, by, options, &Value::Null, chunks.into_iter(), &|at| {
        progress(at, size);
    })
}

/// A case ready to be written, with what its number means for the counters.
struct Ready {
    new: NewCase,
    year: i32,
    seq: Option<i64>,
}

/// A row of the file after the preparing thread.
struct Prepared {
    line: usize,
    number: String,
    masked: bool,
    case: Result<Made, String>,
}

/// A row of the file after the preparing thread, or why it cannot be read (by line).
type PreparedRow = Result<Prepared, (usize, String)>;

/// What the preparing thread made of a case.
enum Made {
    Ready(Box<Ready>),
    /// It names something this desk lacks: the writer makes it.
    Unresolved(Vec<Value>),
}

/// What making a case needs of the desk: its rules, its clock and its words.
struct Rules<'a> {
    policy: &'a Policy,
    calendar: &'a Calendar,
    now: Time,
    words: Words,
}

/// Makes a case whose names are all known, or says why it cannot be.
fn prepare(incoming: Incoming, ids: &RwLock<Ids>, rules: &Rules<'_>) -> Prepared {
    let Incoming {
        line,
        number,
        events,
        masked,
    } = incoming;
    let case = match ids.read() {
        Err(_) => Err("the import stopped".to_string()),
        Ok(ids) if !ids.know_all(&events) => Ok(Made::Unresolved(events)),
        Ok(ids) => events_of(events, &mut |what, name| {
            ids.get(what, name).ok_or_else(|| format!("unknown name {name}"))
        })
        .and_then(|events| ready(&number, events, masked, &ids, rules))
        .map(|r| Made::Ready(Box::new(r))),
    };
    Prepared {
        line,
        number,
        masked,
        case,
    }
}

/// The case the events make once retraced through the rules, as rows,
/// checked against the row's number. A masked case's complainant lost their
/// contact details in the file, not before the steps taken to reach them: it
/// is retraced as reachable and kept as the file has it.
fn ready(number: &str, mut events: Vec<Event>, masked: bool, ids: &Ids, rules: &Rules<'_>) -> Result<Ready, String> {
    let staff = |id: StaffId| ids.actor(id);
    let retracing = Retracing {
        now: rules.now,
        policy: rules.policy,
        calendar: rules.calendar,
        staff: &staff,
    };
    let as_filed = masked.then(|| reachable(&mut events)).flatten();
    let (mut case, mut events) = retrace(events, &retracing).map_err(|r| refused(number, &r, ids, rules.words))?;
    if let Some(complainant) = as_filed {
        if let Some(Event {
            body: EventBody::Received(r),
            ..
        }) = events.first_mut()
        {
            r.complainant = complainant.clone();
        }
        case.intake.complainant = complainant;
    }
    if case.number() != number {
        return Err(format!(
            "number {number} differs from its intake event's {}",
            case.number()
        ));
    }
    let (year, seq) = match number_parts(&case.intake.number) {
        Some((year, seq)) => (year, Some(seq)),
        None => (local_date(rules.policy.timezone, case.intake.received_at).year(), None),
    };
    let facts = crate::domain::facts::facts(&case, rules.policy, rules.calendar);
    let new = NewCase::new(&case, &events, &facts, &ids.dept_names).map_err(|e| e.to_string())?;
    Ok(Ready { new, year, seq })
}

/// Why a case cannot stand, in the clerk's words; when its step was refused
/// to an account this import made a clerk for want of a role, what to do.
fn refused(number: &str, refusal: &Refusal, ids: &Ids, words: Words) -> String {
    let mut text = crate::words::errors::untraced(words, number, refusal);
    let guessed = refusal
        .actor
        .filter(|a| ids.guessed.contains(&a.0))
        .and_then(|a| ids.people.get(&a.0));
    if let (Some((name, _)), crate::domain::retrace::Untraced::Rule(_)) = (guessed, &refusal.why) {
        text.push_str(&words.tf("import.guessed_role", &[("name", name.clone())]));
    }
    text
}

/// Gives a masked intake's complainant a stand-in phone; returns the complainant as filed.
fn reachable(events: &mut [Event]) -> Option<Complainant> {
    let Some(Event {
        body: EventBody::Received(r),
        ..
    }) = events.first_mut()
    else {
        return None;
    };
    let Complainant::Named { name, .. } = &r.complainant else {
        return None;
    };
    let stand_in = Complainant::Named {
        name: name.clone(),
        phone: Some("0".into()),
        address: None,
        relation: None,
    };
    Some(std::mem::replace(&mut r.complainant, stand_in))
}

/// Why the writer stopped, kept beside the transaction it rolls back.
type Failure = std::cell::RefCell<Option<ImportError>>;

/// What the writer returns to roll its transaction back; the reason is in its [`Failure`].
const STOPPED: &str = "import refused";

/// Writes the rows in one transaction; any bad row (all are named) writes nothing.
fn write_rows(
    desk: &mut Desk,
    by: &Actor,
    options: ImportOptions,
    doc: &Value,
    chunks: impl Iterator<Item = (Vec<Row>, u64)> + Send,
    progress: &dyn Fn(u64),
) -> Result<Imported, ImportError> {
    let files = super::files::read(doc)?;
    let policy = desk.policy.clone();
    let calendar = desk.calendar.clone();
    let rules = Rules {
        policy: &policy,
        calendar: &calendar,
        now: options.now,
        words: desk.words(),
    };
    let done = std::cell::Cell::new(Imported::default());
    let failure: Failure = std::cell::RefCell::new(None);
    let result = desk.bulk_store().alone(|store| {
        store.load(|load| {
            let mut ids = Ids::read(load)?;
            add_described(load, &mut ids, doc)?;
            add_people(load, doc, options.now)?;
            for (sha256, mime, bytes) in &files {
                load.keep_attachment(sha256, mime, bytes)?;
            }
            let roles = roles_of(doc);
            let ids = RwLock::new(ids);
            let writer = Writer {
                load,
                ids: &ids,
                roles: &roles,
                by,
                options,
                rules: &rules,
                done: &done,
                unknown: std::cell::RefCell::default(),
                failure: &failure,
            };
            std::thread::scope(|scope| {
                let (send, receive) = std::sync::mpsc::sync_channel(8);
                let (ids, rules) = (&ids, &rules);
                let preparing = scope.spawn(move || {
                    for (chunk, at) in chunks {
                        let chunk: Vec<_> = chunk
                            .into_iter()
                            .map(|row| row.map(|incoming| prepare(incoming, ids, rules)))
                            .collect();
                        // The writer stopped: its error is the one to report.
                        if send.send((chunk, at)).is_err() {
                            return;
                        }
                    }
                });
                let written = writer.write(receive, progress);
                let prepared = preparing
                    .join()
                    .map_err(|_| StoreError::Damaged("the import stopped".into()));
                written.and_then(|n| prepared.map(|()| n))
            })
        })
    });
    match (result, failure.take()) {
        (Ok(cases), _) => Ok(Imported { cases, ..done.get() }),
        (Err(_), Some(failure)) => Err(failure),
        (Err(e), None) => Err(ImportError::Store(e)),
    }
}

/// Adds the departments and categories the file describes (its head) that
/// the desk lacks, with their details, before any case.
fn add_described(load: &Load<'_, '_>, ids: &mut Ids, doc: &Value) -> Result<(), StoreError> {
    for d in doc.get("departments").and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = d.get("name").and_then(Value::as_str)
            && !ids.depts.contains_key(name)
        {
            let id = load.add_department(name, d.get("phone").and_then(Value::as_str))?;
            ids.add_dept(name, id.0);
        }
    }
    for c in doc.get("categories").and_then(Value::as_array).into_iter().flatten() {
        if let Some(code) = c.get("code").and_then(Value::as_str)
            && !ids.cats.contains_key(code)
        {
            let zh = c.get("name_zh").and_then(Value::as_str).unwrap_or(code);
            let en = c.get("name_en").and_then(Value::as_str).unwrap_or(code);
            let id = load.add_category(code, zh, en)?;
            ids.cats.insert(code.to_string(), id.0);
        }
    }
    Ok(())
}

/// Adds the people of the file's directory (its head) that the desk lacks
/// (by job number, else name and department); a desk's own are kept as they are.
fn add_people(load: &Load<'_, '_>, doc: &Value, now: crate::domain::Time) -> Result<(), StoreError> {
    for p in doc.get("people").and_then(Value::as_array).into_iter().flatten() {
        let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or("");
        let job = p.get("job_number").and_then(Value::as_str);
        // An entry the desk would not keep is left out, as a typed one would be refused.
        if let Ok(entry) = crate::domain::subject::person_entry(text("name"), text("dept"), job) {
            load.add_person(&entry, now)?;
        }
    }
    Ok(())
}

/// The roles the file gives its staff, by name.
fn roles_of(doc: &Value) -> HashMap<String, Role> {
    doc.get("staff")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            Some((
                s.get("name")?.as_str()?.to_string(),
                Role::parse(s.get("role")?.as_str()?).ok()?,
            ))
        })
        .collect()
}

/// Why a row the writer makes cannot be written.
enum Unmade {
    /// What is wrong with it, in the clerk's words.
    Bad(String),
    /// It names staff the desk lacks (gathered in [`Writer::unknown`]).
    UnknownStaff,
}

/// The writing end of an import, inside its transaction.
struct Writer<'a, 't, 'c> {
    load: &'a Load<'t, 'c>,
    ids: &'a RwLock<Ids>,
    roles: &'a HashMap<String, Role>,
    by: &'a Actor,
    options: ImportOptions,
    rules: &'a Rules<'a>,
    /// Masked cases met, accounts made.
    done: &'a std::cell::Cell<Imported>,
    /// Staff names the desk lacks, without `--create-staff`.
    unknown: std::cell::RefCell<BTreeSet<String>>,
    /// Why it stopped, when it did.
    failure: &'a Failure,
}

impl Writer<'_, '_, '_> {
    /// Stops the import for `why`: the transaction rolls back.
    fn stop(&self, why: ImportError) -> StoreError {
        *self.failure.borrow_mut() = Some(why);
        StoreError::Damaged(STOPPED.into())
    }

    /// Writes the prepared rows; returns how many cases, or stops with every
    /// bad row (and every staff name the desk lacks).
    fn write(
        &self,
        receive: std::sync::mpsc::Receiver<(Vec<PreparedRow>, u64)>,
        progress: &dyn Fn(u64),
    ) -> Result<u64, StoreError> {
        let load = self.load;
        let mut bad: Vec<(usize, String)> = Vec::new();
        let mut counters: HashMap<i32, i64> = HashMap::new();
        let mut count = 0u64;
        let mut seen = HashSet::new();
        let mut bulk = load.cases()?;
        for (chunk, at) in receive {
            for row in chunk {
                let row = match row {
                    Ok(row) => row,
                    Err(e) => {
                        bad.push(e);
                        continue;
                    }
                };
                if row.masked {
                    let mut done = self.done.get();
                    done.masked += 1;
                    self.done.set(done);
                    if !self.options.masked_ok {
                        // Loading `***` as a name would pass for a person: stop at once.
                        return Err(self.stop(ImportError::Masked(done.masked)));
                    }
                }
                if !seen.insert(row.number.clone()) {
                    bad.push((row.line, format!("case {} appears twice in the file", row.number)));
                    continue;
                }
                if load.case_exists(&row.number)? {
                    bad.push((row.line, format!("case {} already exists", row.number)));
                    continue;
                }
                let made = match row.case {
                    Ok(Made::Ready(ready)) => Ok(*ready),
                    Ok(Made::Unresolved(events)) => self.make(&row.number, events, row.masked),
                    Err(e) => Err(Unmade::Bad(e)),
                };
                let ready = match made {
                    Ok(ready) => ready,
                    Err(Unmade::Bad(e)) => {
                        bad.push((row.line, e));
                        continue;
                    }
                    Err(Unmade::UnknownStaff) => continue,
                };
                if !bad.is_empty() || !self.unknown.borrow().is_empty() {
                    // Nothing will be written: only look for more bad rows.
                    continue;
                }
                let last = counters.entry(ready.year).or_insert(0);
                *last = (*last).max(ready.seq.unwrap_or(0));
                bulk.add(ready.new)?;
                count += 1;
            }
            progress(at);
        }
        let unknown = self.unknown.take();
        if !unknown.is_empty() {
            return Err(self.stop(ImportError::UnknownStaff {
                names: unknown.into_iter().collect(),
                rows: bad,
            }));
        }
        if !bad.is_empty() {
            return Err(self.stop(ImportError::Rows(bad)));
        }
        bulk.finish()?;
        load.fill_batches()?;
        // A case's files come with it (a CSV export carries none); a masked
        // export leaves out those of confidential cases.
        let missing = load.missing_attachments()?;
        if !missing.is_empty() && !self.options.masked_ok {
            return Err(self.stop(ImportError::Format(format!(
                "{} attachment(s) named by its cases are not in the file (only a JSON export carries them)",
                missing.len()
            ))));
        }
        // Numbers stay unique: the counters move past every imported number.
        load.raise_counters(counters)?;
        let done = self.done.get();
        let body = json!({
            "kind": "import",
            "cases": count,
            "masked": done.masked,
            "staff_created": done.staff_created,
        })
        .to_string();
        load.record("import", self.by.id, self.options.now, &body)?;
        Ok(count)
    }

    /// Makes a case that names something the desk lacks, adding it.
    fn make(&self, number: &str, events: Vec<Value>, masked: bool) -> Result<Ready, Unmade> {
        let mut ids = self
            .ids
            .write()
            .map_err(|_| Unmade::Bad("the import stopped".to_string()))?;
        let mut lacks_staff = false;
        let events = events_of(events, &mut |what, name| match self.add(&mut ids, what, name) {
            Err(Unmade::UnknownStaff) => {
                lacks_staff = true;
                // A stand-in, so the rest of the case is still read for errors.
                Ok(0)
            }
            Err(Unmade::Bad(e)) => Err(e),
            Ok(id) => Ok(id),
        })
        .map_err(Unmade::Bad)?;
        if lacks_staff {
            return Err(Unmade::UnknownStaff);
        }
        ready(number, events, masked, &ids, self.rules).map_err(Unmade::Bad)
    }

    /// The id of a name, adding a department, a category or (with
    /// `--create-staff`) an inactive, PIN-less account for a name the desk lacks.
    fn add(&self, ids: &mut Ids, what: What, name: &str) -> Result<i64, Unmade> {
        if let Some(id) = ids.get(what, name) {
            return Ok(id);
        }
        let load = self.load;
        let failed = |e: StoreError| Unmade::Bad(e.to_string());
        match what {
            What::Staff if !self.options.create_staff => {
                self.unknown.borrow_mut().insert(name.to_string());
                Err(Unmade::UnknownStaff)
            }
            What::Staff => {
                let given = self.roles.get(name).copied();
                let role = given.unwrap_or(Role::Clerk);
                let actor = load
                    .add_inactive_staff(self.by.id, name, role, self.options.now)
                    .map_err(failed)?;
                ids.staff.insert(name.to_string(), actor.id.0);
                if given.is_none() {
                    ids.guessed.insert(actor.id.0);
                }
                ids.people.insert(actor.id.0, (name.to_string(), role));
                let mut done = self.done.get();
                done.staff_created += 1;
                self.done.set(done);
                Ok(actor.id.0)
            }
            What::Dept => {
                let id = load.add_department(name, None).map_err(failed)?.0;
                ids.add_dept(name, id);
                Ok(id)
            }
            What::Category => {
                let id = load.add_category(name, name, name).map_err(failed)?.0;
                ids.cats.insert(name.to_string(), id);
                Ok(id)
            }
        }
    }
}

/// A case's portable events as events of this desk (names → ids by
/// `resolve`; stored to the second, like every event).
fn events_of(
    portable: Vec<Value>,
    resolve: &mut dyn FnMut(What, &str) -> Result<i64, String>,
) -> Result<Vec<Event>, String> {
    let mut events = Vec::with_capacity(portable.len());
    for mut v in portable {
        // An escape in a summary or a name would act on the terminal that prints it.
        if let Some((field, code)) = crate::domain::text::control_in_event(&v) {
            return Err(format!(
                "event {}: \"{field}\" holds the control character {code}",
                events.len() + 1
            ));
        }
        ids_for_names(&mut v, resolve)?;
        let e = serde_json::from_value::<Event>(v).map_err(|e| format!("event {}: {e}", events.len() + 1))?;
        events.push(Event {
            at: from_secs(crate::store::secs(e.at)),
            ..e
        });
    }
    Ok(events)
}

/// Names → ids in one event's fields that hold them.
fn ids_for_names(v: &mut Value, resolve: &mut dyn FnMut(What, &str) -> Result<i64, String>) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err("an event must be an object".into());
    };
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    for &(key, what) in name_fields(&kind) {
        let name = match m.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(name)) => name.clone(),
            // The export names people, departments and categories; a bare
            // number would be an id of some other desk.
            Some(other) => return Err(format!("\"{key}\" must be a name, not {other}")),
        };
        let id = if name.is_empty() {
            Value::Null
        } else {
            json!(resolve(what, &name)?)
        };
        m.insert(key.to_string(), id);
    }
    Ok(())
}

fn number_parts(number: &str) -> Option<(i32, i64)> {
    let (y, s) = number.split_once('-')?;
    Some((y.parse().ok()?, s.parse().ok()?))
}
