//! Export and import: the whole desk as JSON, or one CSV row per case.
//!
//! Ids differ between desks, so exported events name staff, departments and
//! categories instead; import maps the names back (creating departments and
//! categories it lacks, and unknown staff as inactive accounts with no PIN).
//! Import is all or nothing and names the line of every bad row.

use std::collections::HashMap;
use std::io::Write;

use chrono::Datelike;
use serde_json::{Value, json};

use crate::cli::Format;
use crate::desk::Desk;
use crate::domain::deadline::local_date;
use crate::domain::{Actor, Case, Event, Role, Time};
use crate::i18n::{Lang, tf};
use crate::store::StoreError;

/// The export's format tag.
const FORMAT: &str = "casedesk-export";
const CSV_HEADER: &[&str] = &[
    "number",
    "received_at",
    "state",
    "kind",
    "channel",
    "origin",
    "severity",
    "dept",
    "category",
    "complainant",
    "phone",
    "summary",
    "owner",
    "level",
    "flags",
    "events",
];

/// Why an import or export failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not an export.
    #[error("not a casedesk export: {0}")]
    Format(String),
    /// Rows that cannot be imported, by line.
    #[error("{} bad rows", .0.len())]
    Rows(Vec<(usize, String)>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed.
    #[error("{0}")]
    Io(String),
}

/// The error in the clerk's language.
#[must_use]
pub fn import_message(lang: Lang, e: &ImportError) -> String {
    match e {
        ImportError::Format(why) => tf(lang, "cli.import_format", &[("why", why.clone())]),
        ImportError::Rows(rows) => {
            let mut text = tf(lang, "cli.import_rows", &[("count", rows.len().to_string())]);
            for (line, why) in rows.iter().take(50) {
                text.push('\n');
                text.push_str(&tf(
                    lang,
                    "cli.import_row",
                    &[("line", line.to_string()), ("why", why.clone())],
                ));
            }
            text
        }
        ImportError::Store(s) => crate::messages::store(lang, s),
        ImportError::Io(s) => s.clone(),
    }
}

/// Names of staff, departments and categories by id.
pub(crate) struct Names {
    staff: HashMap<i64, String>,
    depts: HashMap<i64, String>,
    cats: HashMap<i64, String>,
}

impl Names {
    /// The desk's names.
    pub(crate) fn of(store: &crate::store::Store) -> Result<Names, StoreError> {
        Ok(Names {
            staff: store
                .staff()?
                .into_iter()
                .map(|s| (s.actor.id.0, s.actor.name))
                .collect(),
            depts: store.departments()?.into_iter().map(|d| (d.id.0, d.name)).collect(),
            cats: store.categories()?.into_iter().map(|c| (c.id.0, c.code)).collect(),
        })
    }
}

/// Ids → names, for the fields of each event kind that hold ids.
pub(crate) fn to_portable(v: &mut Value, n: &Names) {
    let Value::Object(m) = v else { return };
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let swap = |m: &mut serde_json::Map<String, Value>, key: &str, names: &HashMap<i64, String>| {
        if let Some(id) = m.get(key).and_then(Value::as_i64) {
            let name = if id == 0 && key == "actor" {
                "system".to_string()
            } else {
                names.get(&id).cloned().unwrap_or_default()
            };
            m.insert(key.to_string(), json!(name));
        }
    };
    swap(m, "actor", &n.staff);
    match kind.as_str() {
        "received" => {
            swap(m, "dept", &n.depts);
            swap(m, "subject_staff", &n.staff);
            swap(m, "category", &n.cats);
        }
        "referred" | "assigned" => swap(m, "dept", &n.depts),
        "transfer_requested" => swap(m, "to", &n.staff),
        "transfer_accepted" => {
            swap(m, "from", &n.staff);
            swap(m, "to", &n.staff);
        }
        _ => {}
    }
}

/// Writes the desk; returns the number of cases. `progress` hears how many
/// cases are written. Confidential complainants are written only for a
/// supervisor (`viewer`); anyone else gets `***`. Cases stream from the
/// store one at a time, so a million-case desk exports in little memory.
pub fn export(
    desk: &Desk,
    format: Format,
    out: &mut dyn Write,
    viewer: Option<&Actor>,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let full = viewer.is_some_and(|v| v.active && v.role == Role::Supervisor);
    let store = &desk.store;
    let io = |e: std::io::Error| ImportError::Io(e.to_string());
    let names = Names::of(store)?;
    let total: u64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get::<_, i64>(0))
        .map_err(StoreError::from)?
        .try_into()
        .unwrap_or(0);
    let mut sink = match format {
        Format::Json => {
            let head = json!({
                "format": FORMAT,
                "version": 1,
                "departments": store.departments()?.iter().map(|d| json!({"name": d.name, "phone": d.phone})).collect::<Vec<_>>(),
                "categories": store.categories()?.iter().map(|c| json!({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en})).collect::<Vec<_>>(),
                "staff": store.staff()?.iter().map(|s| json!({"name": s.actor.name, "role": s.actor.role.code(), "active": s.actor.active})).collect::<Vec<_>>(),
            });
            // The head's fields, then the cases one by one.
            let head = serde_json::to_string_pretty(&head).map_err(|e| ImportError::Io(e.to_string()))?;
            let head = head.trim_end().trim_end_matches('}').trim_end();
            write!(out, "{head},\n  \"cases\": [").map_err(io)?;
            Sink::Json(out)
        }
        Format::Csv => {
            // The BOM makes Excel read the file as UTF-8, so Chinese text survives.
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER).map_err(|e| ImportError::Io(e.to_string()))?;
            Sink::Csv(Box::new(w))
        }
    };
    let conn = store.conn();
    let mut stmt = conn
        .prepare("SELECT c.id, c.number, e.actor_id, e.at, e.body FROM cases c JOIN events e ON e.case_id = c.id ORDER BY c.id, e.seq")
        .map_err(StoreError::from)?;
    let mut rows = stmt.query([]).map_err(StoreError::from)?;
    let mut current: Option<(i64, String)> = None;
    let mut events: Vec<Event> = Vec::new();
    let mut count = 0u64;
    let emit = |number: &str, events: &[Event], sink: &mut Sink<'_>, count: &mut u64| -> Result<(), ImportError> {
        if count.is_multiple_of(1000) {
            progress(*count, total);
        }
        let first = *count == 0;
        *count += 1;
        export_case(desk, &names, full, number, events, first, sink)
    };
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let id: i64 = r.get(0).map_err(StoreError::from)?;
        if current.as_ref().is_some_and(|(c, _)| *c != id)
            && let Some((_, number)) = current.take()
        {
            emit(&number, &events, &mut sink, &mut count)?;
            events.clear();
        }
        if current.is_none() {
            current = Some((id, r.get(1).map_err(StoreError::from)?));
        }
        let body: String = r.get(4).map_err(StoreError::from)?;
        events.push(crate::store::cases::event_from_row(
            r.get(2).map_err(StoreError::from)?,
            r.get(3).map_err(StoreError::from)?,
            &body,
        )?);
    }
    if let Some((_, number)) = current {
        emit(&number, &events, &mut sink, &mut count)?;
    }
    match sink {
        Sink::Json(out) => writeln!(out, "\n  ]\n}}").map_err(io)?,
        Sink::Csv(mut w) => w.flush().map_err(io)?,
    }
    Ok(count)
}

/// Where the export goes.
enum Sink<'a> {
    Json(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

/// Writes one case: its events with names for ids (and, in CSV, its summary columns).
fn export_case(
    desk: &Desk,
    names: &Names,
    full: bool,
    number: &str,
    events: &[Event],
    first: bool,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    let portable: Vec<Value> = events
        .iter()
        .map(|event| {
            let mut v: Value = serde_json::to_value(event).map_err(|e| StoreError::Damaged(e.to_string()))?;
            to_portable(&mut v, names);
            if !full && v.get("confidential").and_then(Value::as_bool) == Some(true) {
                v["complainant"] =
                    json!({"type": "named", "name": "***", "phone": null, "address": null, "relation": null});
            }
            Ok(v)
        })
        .collect::<Result<_, ImportError>>()?;
    match sink {
        Sink::Json(out) => {
            let io = |e: std::io::Error| ImportError::Io(e.to_string());
            out.write_all(if first { b"\n    " } else { b",\n    " }).map_err(io)?;
            serde_json::to_writer(&mut *out, &json!({"number": number, "events": portable}))
                .map_err(|e| ImportError::Io(e.to_string()))?;
        }
        Sink::Csv(w) => {
            let c = Case::replay(events).map_err(|e| StoreError::Damaged(format!("case {number}: {e}")))?;
            let i = &c.intake;
            let (name, phone) = match (&i.complainant, i.confidential && !full) {
                (_, true) => ("***".to_string(), String::new()),
                (crate::domain::Complainant::Named { name, phone, .. }, _) => {
                    (name.clone(), phone.clone().unwrap_or_default())
                }
                (crate::domain::Complainant::Anonymous, _) => (String::new(), String::new()),
            };
            let lookup =
                |m: &HashMap<i64, String>, id: Option<i64>| id.and_then(|i| m.get(&i).cloned()).unwrap_or_default();
            let record = [
                number.to_string(),
                crate::timeparse::rfc3339(i.received_at, desk.policy.timezone),
                c.state.code().to_string(),
                i.kind.code().to_string(),
                i.channel.code().to_string(),
                i.origin.code().to_string(),
                i.severity.code().to_string(),
                lookup(&names.depts, i.dept.map(|d| d.0)),
                lookup(&names.cats, i.category.map(|d| d.0)),
                name,
                phone,
                i.summary.clone(),
                lookup(&names.staff, Some(c.owner.0)),
                c.level.to_string(),
                c.flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(","),
                serde_json::to_string(&portable).unwrap_or_default(),
            ];
            w.write_record(&record).map_err(|e| ImportError::Io(e.to_string()))?;
        }
    }
    Ok(())
}

/// One case to import: where it stood in the file, its number and portable events.
struct Incoming {
    line: usize,
    number: String,
    events: Vec<Value>,
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
            match c.get_mut("events").map(Value::take) {
                Some(Value::Array(events)) if !number.is_empty() => Ok(Incoming {
                    line: n + 1,
                    number,
                    events,
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
    let (send, receive) = std::sync::mpsc::sync_channel(8);
    std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(READ_CHUNK);
        let mut record = csv::StringRecord::new();
        loop {
            let row = match reader.read_record(&mut record) {
                Ok(false) => break,
                Err(e) => Err((e.position().map_or(0, |p| p.line() as usize), e.to_string())),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    let number = record.get(num_col).unwrap_or("").trim().to_string();
                    match serde_json::from_str::<Vec<Value>>(record.get(ev_col).unwrap_or("")) {
                        Ok(events) if !number.is_empty() => Ok(Incoming { line, number, events }),
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
/// returns how many. A CSV file streams: a million cases need little memory.
/// `progress` hears how far it got, of how much.
pub fn import(
    desk: &mut Desk,
    by: &Actor,
    path: &std::path::Path,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let unreadable = |e: std::io::Error| ImportError::Io(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    import_from(
        desk,
        by,
        std::io::BufReader::with_capacity(1 << 20, file),
        size,
        now,
        progress,
    )
}

/// Imports an export held in memory (see [`import`]).
pub fn import_text(
    desk: &mut Desk,
    by: &Actor,
    text: &str,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let bytes = text.as_bytes().to_vec();
    let size = bytes.len() as u64;
    import_from(desk, by, std::io::Cursor::new(bytes), size, now, progress)
}

fn import_from(
    desk: &mut Desk,
    by: &Actor,
    mut reader: impl std::io::BufRead + Send + 'static,
    size: u64,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
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
        return write_rows(desk, by, now, &doc, chunks.into_iter(), &|done| progress(done, total));
    }
    let chunks = read_csv(reader)?;
    write_rows(desk, by, now, &Value::Null, chunks.into_iter(), &|at| {
        progress(at, size)
    })
}

/// Writes the rows in one transaction; any bad row (all are named) writes nothing.
fn write_rows(
    desk: &mut Desk,
    by: &Actor,
    now: Time,
    doc: &Value,
    chunks: impl Iterator<Item = (Vec<Row>, u64)>,
    progress: &dyn Fn(u64),
) -> Result<u64, ImportError> {
    let tz = desk.policy.timezone;
    let policy = desk.policy.clone();
    let calendar = desk.calendar.clone();
    let result = desk.store.write(|tx| {
        let mut staff: HashMap<String, i64> =
            query_pairs(tx, "SELECT name, id FROM staff")?.into_iter().collect();
        staff.insert("system".into(), 0);
        let mut depts: HashMap<String, i64> = query_pairs(tx, "SELECT name, id FROM departments")?.into_iter().collect();
        let mut cats: HashMap<String, i64> = query_pairs(tx, "SELECT code, id FROM categories")?.into_iter().collect();
        // Departments and categories the file describes come first, with their details.
        for d in doc.get("departments").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = d.get("name").and_then(Value::as_str)
                && !depts.contains_key(name)
            {
                tx.execute("INSERT INTO departments (name, phone) VALUES (?, ?)", rusqlite::params![name, d.get("phone").and_then(Value::as_str)])?;
                depts.insert(name.to_string(), tx.last_insert_rowid());
            }
        }
        for c in doc.get("categories").and_then(Value::as_array).into_iter().flatten() {
            if let Some(code) = c.get("code").and_then(Value::as_str)
                && !cats.contains_key(code)
            {
                let zh = c.get("name_zh").and_then(Value::as_str).unwrap_or(code);
                let en = c.get("name_en").and_then(Value::as_str).unwrap_or(code);
                tx.execute("INSERT INTO categories (code, name_zh, name_en) VALUES (?, ?, ?)", rusqlite::params![code, zh, en])?;
                cats.insert(code.to_string(), tx.last_insert_rowid());
            }
        }
        let roles: HashMap<String, Role> = doc
            .get("staff")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s.get("name")?.as_str()?.to_string(), Role::parse(s.get("role")?.as_str()?).ok()?)))
            .collect();
        let mut bad: Vec<(usize, String)> = Vec::new();
        let mut counters: HashMap<i32, i64> = HashMap::new();
        let mut count = 0u64;
        let mut seen = std::collections::HashSet::new();
        let mut bulk = crate::store::bulk::Bulk::new(tx)?;
        let mut dept_names = crate::store::bulk::dept_names(tx)?;
        for (chunk, at) in chunks {
            for row in chunk {
                let inc = match row {
                    Ok(inc) => inc,
                    Err(e) => {
                        bad.push(e);
                        continue;
                    }
                };
                if !seen.insert(inc.number.clone()) {
                    bad.push((inc.line, format!("case {} appears twice in the file", inc.number)));
                    continue;
                }
                let exists: bool = tx
                    .prepare_cached("SELECT EXISTS(SELECT 1 FROM cases WHERE number = ?)")?
                    .query_row([&inc.number], |r| r.get(0))?;
                if exists {
                    bad.push((inc.line, format!("case {} already exists", inc.number)));
                    continue;
                }
                let known_depts = depts.len();
                let events = match portable_events(tx, inc.events, &mut staff, &mut depts, &mut cats, &roles, by, now) {
                    Ok(events) => events,
                    Err(e) => {
                        bad.push((inc.line, e));
                        continue;
                    }
                };
                if depts.len() != known_depts {
                    dept_names = depts.iter().map(|(name, id)| (crate::domain::DeptId(*id), name.clone())).collect();
                }
                let case = match Case::replay(&events) {
                    Ok(c) => c,
                    Err(e) => {
                        bad.push((inc.line, e.to_string()));
                        continue;
                    }
                };
                if case.number() != inc.number {
                    bad.push((inc.line, format!("number {} differs from its intake event's {}", inc.number, case.number())));
                    continue;
                }
                if !bad.is_empty() {
                    // Nothing will be written: only look for more bad rows.
                    continue;
                }
                if let Some((year, seq)) = number_parts(&case.intake.number) {
                    let e = counters.entry(year).or_insert(0);
                    *e = (*e).max(seq);
                } else {
                    let year = local_date(tz, case.intake.received_at).year();
                    counters.entry(year).or_insert(0);
                }
                let facts = crate::domain::facts::facts(&case, &policy, &calendar);
                bulk.add(crate::store::bulk::NewCase::new(&case, &events, &facts, &dept_names)?)?;
                count += 1;
            }
            progress(at);
        }
        if !bad.is_empty() {
            return Err(StoreError::Damaged(serde_json::to_string(&bad).unwrap_or_default()));
        }
        bulk.finish()?;
        // Numbers stay unique: the counters move past every imported number.
        for (year, seq) in counters {
            tx.execute(
                "INSERT INTO case_counters (year, last) VALUES (?1, ?2) ON CONFLICT(year) DO UPDATE SET last = MAX(last, ?2)",
                rusqlite::params![year, seq],
            )?;
        }
        let body = json!({"kind": "import", "cases": count}).to_string();
        crate::store::audit::append(tx, &[crate::store::staff::desk_event("import", by.id, now, &body)])?;
        Ok(count)
    });
    match result {
        Ok(n) => Ok(n),
        Err(StoreError::Damaged(rows)) if rows.starts_with('[') => {
            let rows: Vec<(usize, String)> = serde_json::from_str(&rows).unwrap_or_default();
            Err(ImportError::Rows(rows))
        }
        Err(e) => Err(ImportError::Store(e)),
    }
}

/// A case's portable events as events of this desk (stored to the second, like every event).
#[allow(clippy::too_many_arguments)]
fn portable_events(
    tx: &rusqlite::Transaction<'_>,
    portable: Vec<Value>,
    staff: &mut HashMap<String, i64>,
    depts: &mut HashMap<String, i64>,
    cats: &mut HashMap<String, i64>,
    roles: &HashMap<String, Role>,
    by: &Actor,
    now: Time,
) -> Result<Vec<Event>, String> {
    let mut events = Vec::with_capacity(portable.len());
    for mut v in portable {
        from_portable(tx, &mut v, staff, depts, cats, roles, by, now)?;
        let e = serde_json::from_value::<Event>(v).map_err(|e| format!("event {}: {e}", events.len() + 1))?;
        events.push(Event {
            at: crate::store::list::from_secs(crate::store::secs(e.at)),
            ..e
        });
    }
    Ok(events)
}

fn number_parts(number: &str) -> Option<(i32, i64)> {
    let (y, s) = number.split_once('-')?;
    Some((y.parse().ok()?, s.parse().ok()?))
}

fn query_pairs(tx: &rusqlite::Transaction<'_>, sql: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Names → ids; creates missing departments, categories and (inactive, PIN-less) staff.
#[allow(clippy::too_many_arguments)]
fn from_portable(
    tx: &rusqlite::Transaction<'_>,
    v: &mut Value,
    staff: &mut HashMap<String, i64>,
    depts: &mut HashMap<String, i64>,
    cats: &mut HashMap<String, i64>,
    roles: &HashMap<String, Role>,
    by: &Actor,
    now: Time,
) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err("an event must be an object".into());
    };
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let mut map = |m: &mut serde_json::Map<String, Value>, key: &str, what: u8| -> Result<(), String> {
        let name = match m.get(key) {
            None | Some(Value::Null) => return Ok(()),
            Some(Value::String(name)) => name.clone(),
            // The export names people, departments and categories; a bare
            // number would be an id of some other desk.
            Some(other) => return Err(format!("\"{key}\" must be a name, not {other}")),
        };
        if name.is_empty() {
            m.insert(key.to_string(), Value::Null);
            return Ok(());
        }
        let id = match what {
            0 => match staff.get(&name) {
                Some(id) => *id,
                None => {
                    let role = roles.get(&name).copied().unwrap_or(Role::Clerk);
                    let actor = crate::store::staff::insert_staff(tx, by.id, &name, role, None, None, now)
                        .map_err(|e| e.to_string())?;
                    tx.execute("UPDATE staff SET active = 0 WHERE id = ?", [actor.id.0])
                        .map_err(|e| e.to_string())?;
                    staff.insert(name.clone(), actor.id.0);
                    actor.id.0
                }
            },
            1 => match depts.get(&name) {
                Some(id) => *id,
                None => {
                    tx.execute("INSERT INTO departments (name) VALUES (?)", [&name])
                        .map_err(|e| e.to_string())?;
                    let id = tx.last_insert_rowid();
                    depts.insert(name.clone(), id);
                    id
                }
            },
            _ => match cats.get(&name) {
                Some(id) => *id,
                None => {
                    tx.execute(
                        "INSERT INTO categories (code, name_zh, name_en) VALUES (?1, ?1, ?1)",
                        [&name],
                    )
                    .map_err(|e| e.to_string())?;
                    let id = tx.last_insert_rowid();
                    cats.insert(name.clone(), id);
                    id
                }
            },
        };
        m.insert(key.to_string(), json!(id));
        Ok(())
    };
    map(m, "actor", 0)?;
    match kind.as_str() {
        "received" => {
            map(m, "dept", 1)?;
            map(m, "subject_staff", 0)?;
            map(m, "category", 2)?;
        }
        "referred" | "assigned" => map(m, "dept", 1)?,
        "transfer_requested" => map(m, "to", 0)?,
        "transfer_accepted" => {
            map(m, "from", 0)?;
            map(m, "to", 0)?;
        }
        _ => {}
    }
    Ok(())
}
