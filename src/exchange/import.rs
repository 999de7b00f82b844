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

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

use chrono::Datelike;
use serde_json::{Value, json};

use super::{FORMAT, ImportError, What, name_fields};
use crate::desk::Desk;
use crate::domain::deadline::local_date;
use crate::domain::{Actor, Calendar, Case, DeptId, Event, Policy, Role, Time};
use crate::store::StoreError;
use crate::store::bulk::NewCase;
use crate::store::directory::IdsByName;
use crate::store::load::Load;
use crate::store::rows::{DeptNames, from_secs};

/// One case to import: where it stood in the file, its number and portable events.
struct Incoming {
    line: usize,
    number: String,
    events: Vec<Value>,
    /// Exported without a supervisor: its confidential complainant is `***`.
    masked: bool,
}

/// What an import loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Cases imported.
    pub cases: u64,
    /// Of them, cases whose confidential complainant the file had as `***`.
    pub masked: u64,
}

/// A case of the file, or why its row cannot be read (by line).
type Row = Result<Incoming, (usize, String)>;

/// Cases read ahead of the writer, at a time.
const READ_CHUNK: usize = 500;

fn parse_json(text: &str) -> Result<(Vec<Row>, Value), ImportError> {
    let mut doc: Value = serde_json::from_str(text).map_err(|e| ImportError::Format(e.to_string()))?;
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ImportError::Format(format!("\"format\" is not \"{FORMAT}\"")));
    }
    let cases = match doc.get_mut("cases").map(Value::take) {
        Some(Value::Array(cases)) => cases,
        _ => Vec::new(),
    };
    let rows = cases
        .into_iter()
        .enumerate()
        .map(|(n, mut c)| {
            let number = c.get("number").and_then(Value::as_str).unwrap_or("").to_string();
            let masked = c.get("masked").and_then(Value::as_bool) == Some(true);
            match c.get_mut("events").map(Value::take) {
                Some(Value::Array(events)) if !number.is_empty() => Ok(Incoming {
                    line: n + 1,
                    number,
                    events,
                    masked,
                }),
                _ => Err((n + 1, "needs \"number\" and \"events\"".to_string())),
            }
        })
        .collect();
    Ok((rows, doc))
}

/// Reads a CSV export row by row on a thread of its own, a chunk at a time,
/// with how far into the file each chunk ends.
fn read_csv(
    reader: impl std::io::Read + Send + 'static,
) -> Result<std::sync::mpsc::Receiver<(Vec<Row>, u64)>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Format(e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(num_col), Some(ev_col)) = (col("number"), col("events")) else {
        return Err(ImportError::Format(
            "CSV needs the columns \"number\" and \"events\"".into(),
        ));
    };
    let masked_col = col("masked");
    let (send, receive) = std::sync::mpsc::sync_channel(8);
    std::thread::spawn(move || {
        // The export made cells that start like a formula text with a `'`.
        let cell = |record: &csv::StringRecord, col: usize| {
            crate::words::terminal::cell_back(record.get(col).unwrap_or("")).to_string()
        };
        let mut chunk = Vec::with_capacity(READ_CHUNK);
        let mut record = csv::StringRecord::new();
        loop {
            let row = match reader.read_record(&mut record) {
                Ok(false) => break,
                Err(e) => Err((e.position().map_or(0, |p| p.line() as usize), e.to_string())),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    let number = cell(&record, num_col).trim().to_string();
                    let masked = masked_col.is_some_and(|c| !record.get(c).unwrap_or("").trim().is_empty());
                    match serde_json::from_str::<Vec<Value>>(&cell(&record, ev_col)) {
                        Ok(events) if !number.is_empty() => Ok(Incoming {
                            line,
                            number,
                            events,
                            masked,
                        }),
                        Ok(_) => Err((line, "empty number".to_string())),
                        Err(e) => Err((line, format!("events: {e}"))),
                    }
                }
            };
            chunk.push(row);
            if chunk.len() == READ_CHUNK {
                let at = reader.position().byte();
                if send.send((std::mem::take(&mut chunk), at)).is_err() {
                    return;
                }
            }
        }
        let at = reader.position().byte();
        let _ = send.send((chunk, at));
    });
    Ok(receive)
}

/// Imports every case of the file at `path` (an export, JSON or CSV) or none;
/// returns how many, and how many of them had a masked complainant. A file
/// exported without a supervisor (confidential complainants as `***`) is
/// refused unless `masked_ok`. A CSV file streams: a million cases need little
/// memory. `progress` hears how far it got, of how much.
pub fn import(
    desk: &mut Desk,
    by: &Actor,
    path: &std::path::Path,
    masked_ok: bool,
    now: Time,
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
        Options { masked_ok, now },
        progress,
    )
}

/// Imports an export the clerk sent over a connection to the desk service,
/// held in memory (see [`import`]).
pub fn import_bytes(
    desk: &mut Desk,
    by: &Actor,
    bytes: Vec<u8>,
    masked_ok: bool,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<Imported, ImportError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    import_from(
        desk,
        by,
        std::io::Cursor::new(bytes),
        size,
        Options { masked_ok, now },
        progress,
    )
}

/// How an import goes: whether a masked file may be loaded, and the time.
#[derive(Clone, Copy)]
struct Options {
    masked_ok: bool,
    now: Time,
}

/// Imports an export held in memory (see [`import`]); a masked file is refused.
pub fn import_text(
    desk: &mut Desk,
    by: &Actor,
    text: &str,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let bytes = text.as_bytes().to_vec();
    let size = bytes.len() as u64;
    let options = Options { masked_ok: false, now };
    import_from(desk, by, std::io::Cursor::new(bytes), size, options, progress).map(|done| done.cases)
}

fn import_from(
    desk: &mut Desk,
    by: &Actor,
    mut reader: impl std::io::BufRead + Send + 'static,
    size: u64,
    options: Options,
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

/// This desk's ids by name, as the import goes (it adds what it lacks).
struct Ids {
    staff: HashMap<String, i64>,
    depts: HashMap<String, i64>,
    cats: HashMap<String, i64>,
    /// Department names by id, for the search index.
    dept_names: DeptNames,
}

impl Ids {
    fn read(load: &Load<'_, '_>) -> Result<Ids, StoreError> {
        let IdsByName {
            mut staff,
            depts,
            categories: cats,
        } = load.ids_by_name()?;
        staff.insert("system".into(), 0);
        let dept_names = depts.iter().map(|(name, id)| (DeptId(*id), name.clone())).collect();
        Ok(Ids {
            staff,
            depts,
            cats,
            dept_names,
        })
    }

    fn get(&self, what: What, name: &str) -> Option<i64> {
        match what {
            What::Staff => self.staff.get(name),
            What::Dept => self.depts.get(name),
            What::Category => self.cats.get(name),
        }
        .copied()
    }

    fn add_dept(&mut self, name: &str, id: i64) {
        self.depts.insert(name.to_string(), id);
        self.dept_names.insert(DeptId(id), name.to_string());
    }

    /// Whether every name the events give is known here (a field that is
    /// not a name is left for [`events_of`] to refuse).
    fn know_all(&self, events: &[Value]) -> bool {
        events.iter().all(|v| {
            let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
            name_fields(kind).iter().all(|&(key, what)| match v.get(key) {
                Some(Value::String(name)) => name.is_empty() || self.get(what, name).is_some(),
                _ => true,
            })
        })
    }
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

/// What making a case needs of the desk.
struct Rules<'a> {
    policy: &'a Policy,
    calendar: &'a Calendar,
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
        .and_then(|events| ready(&number, &events, &ids.dept_names, rules))
        .map(|r| Made::Ready(Box::new(r))),
    };
    Prepared {
        line,
        number,
        masked,
        case,
    }
}

/// The case the events replay to, as rows, checked against the row's number.
fn ready(number: &str, events: &[Event], depts: &DeptNames, rules: &Rules<'_>) -> Result<Ready, String> {
    let case = Case::replay(events).map_err(|e| e.to_string())?;
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
    let new = NewCase::new(&case, events, &facts, depts).map_err(|e| e.to_string())?;
    Ok(Ready { new, year, seq })
}

/// Writes the rows in one transaction; any bad row (all are named) writes nothing.
fn write_rows(
    desk: &mut Desk,
    by: &Actor,
    options: Options,
    doc: &Value,
    chunks: impl Iterator<Item = (Vec<Row>, u64)> + Send,
    progress: &dyn Fn(u64),
) -> Result<Imported, ImportError> {
    let policy = desk.policy.clone();
    let calendar = desk.calendar.clone();
    let rules = Rules {
        policy: &policy,
        calendar: &calendar,
    };
    let masked = std::cell::Cell::new(0u64);
    let result = desk.bulk_store().alone(|store| {
        store.load(|load| {
            let mut ids = Ids::read(load)?;
            add_described(load, &mut ids, doc)?;
            add_people(load, doc, options.now)?;
            let roles = roles_of(doc);
            let ids = RwLock::new(ids);
            let writer = Writer {
                load,
                ids: &ids,
                roles: &roles,
                by,
                now: options.now,
                rules: &rules,
                masked_ok: options.masked_ok,
                masked: &masked,
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
    match result {
        Ok(n) => Ok(Imported {
            cases: n,
            masked: masked.get(),
        }),
        Err(StoreError::Damaged(why)) if why == MASKED => Err(ImportError::Masked(masked.get())),
        Err(StoreError::Damaged(rows)) if rows.starts_with('[') => {
            let rows: Vec<(usize, String)> = serde_json::from_str(&rows).unwrap_or_default();
            Err(ImportError::Rows(rows))
        }
        Err(e) => Err(ImportError::Store(e)),
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

/// What the writer stops with when it meets a masked case it may not load.
const MASKED: &str = "masked export";

/// The writing end of an import, inside its transaction.
struct Writer<'a, 't, 'c> {
    load: &'a Load<'t, 'c>,
    ids: &'a RwLock<Ids>,
    roles: &'a HashMap<String, Role>,
    by: &'a Actor,
    now: Time,
    rules: &'a Rules<'a>,
    /// Whether a case exported with its complainant masked may be loaded.
    masked_ok: bool,
    /// Masked cases met.
    masked: &'a std::cell::Cell<u64>,
}

impl Writer<'_, '_, '_> {
    /// Writes the prepared rows; returns how many cases, or every bad row (as
    /// JSON in `Damaged`, which rolls the transaction back).
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
                    self.masked.set(self.masked.get() + 1);
                    if !self.masked_ok {
                        // Loading `***` as a name would pass for a person: stop at once.
                        return Err(StoreError::Damaged(MASKED.into()));
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
                    Ok(Made::Unresolved(events)) => self.make(&row.number, events),
                    Err(e) => Err(e),
                };
                let ready = match made {
                    Ok(ready) => ready,
                    Err(e) => {
                        bad.push((row.line, e));
                        continue;
                    }
                };
                if !bad.is_empty() {
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
        if !bad.is_empty() {
            return Err(StoreError::Damaged(serde_json::to_string(&bad).unwrap_or_default()));
        }
        bulk.finish()?;
        // Numbers stay unique: the counters move past every imported number.
        load.raise_counters(counters)?;
        let body = json!({"kind": "import", "cases": count, "masked": self.masked.get()}).to_string();
        load.record("import", self.by.id, self.now, &body)?;
        Ok(count)
    }

    /// Makes a case that names something the desk lacks, adding it.
    fn make(&self, number: &str, events: Vec<Value>) -> Result<Ready, String> {
        let mut ids = self.ids.write().map_err(|_| "the import stopped".to_string())?;
        let events = events_of(events, &mut |what, name| self.add(&mut ids, what, name))?;
        ready(number, &events, &ids.dept_names, self.rules)
    }

    /// The id of a name, adding a department, a category or an (inactive,
    /// PIN-less) account for a name the desk lacks.
    fn add(&self, ids: &mut Ids, what: What, name: &str) -> Result<i64, String> {
        if let Some(id) = ids.get(what, name) {
            return Ok(id);
        }
        let load = self.load;
        let failed = |e: StoreError| e.to_string();
        match what {
            What::Staff => {
                let role = self.roles.get(name).copied().unwrap_or(Role::Clerk);
                let actor = load
                    .add_inactive_staff(self.by.id, name, role, self.now)
                    .map_err(failed)?;
                ids.staff.insert(name.to_string(), actor.id.0);
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
