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
use crate::store::cases::{insert_case, insert_complainant, write_events};

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
/// supervisor (`viewer`); anyone else gets `***`.
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
    let names = Names {
        staff: store
            .staff()?
            .into_iter()
            .map(|s| (s.actor.id.0, s.actor.name))
            .collect(),
        depts: store.departments()?.into_iter().map(|d| (d.id.0, d.name)).collect(),
        cats: store.categories()?.into_iter().map(|c| (c.id.0, c.code)).collect(),
    };
    let conn = store.conn();
    let mut stmt = conn
        .prepare("SELECT c.id, c.number, e.actor_id, e.at, e.body FROM cases c JOIN events e ON e.case_id = c.id ORDER BY c.id, e.seq")
        .map_err(StoreError::from)?;
    let mut rows = stmt.query([]).map_err(StoreError::from)?;
    let mut cases: Vec<(String, Vec<Value>)> = Vec::new();
    let mut last_id = None;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let id: i64 = r.get(0).map_err(StoreError::from)?;
        let body: String = r.get(4).map_err(StoreError::from)?;
        let event = crate::store::cases::event_from_row(
            r.get(2).map_err(StoreError::from)?,
            r.get(3).map_err(StoreError::from)?,
            &body,
        )?;
        let mut v: Value = serde_json::to_value(&event).map_err(|e| StoreError::Damaged(e.to_string()))?;
        to_portable(&mut v, &names);
        if !full && v.get("confidential").and_then(Value::as_bool) == Some(true) {
            v["complainant"] =
                json!({"type": "named", "name": "***", "phone": null, "address": null, "relation": null});
        }
        if last_id != Some(id) {
            cases.push((r.get(1).map_err(StoreError::from)?, Vec::new()));
            last_id = Some(id);
        }
        if let Some((_, events)) = cases.last_mut() {
            events.push(v);
        }
    }
    let count = cases.len() as u64;
    match format {
        Format::Json => {
            let doc = json!({
                "format": FORMAT,
                "version": 1,
                "departments": store.departments()?.iter().map(|d| json!({"name": d.name, "phone": d.phone})).collect::<Vec<_>>(),
                "categories": store.categories()?.iter().map(|c| json!({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en})).collect::<Vec<_>>(),
                "staff": store.staff()?.iter().map(|s| json!({"name": s.actor.name, "role": s.actor.role.code(), "active": s.actor.active})).collect::<Vec<_>>(),
                "cases": cases.iter().map(|(number, events)| json!({"number": number, "events": events})).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| ImportError::Io(e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
        Format::Csv => {
            // The BOM makes Excel read the file as UTF-8, so Chinese text survives.
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER).map_err(|e| ImportError::Io(e.to_string()))?;
            for (done, (number, events)) in cases.iter().enumerate() {
                if done % 1000 == 0 {
                    progress(done as u64, count);
                }
                let r = store.case(number)?;
                let c = &r.case;
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
                    number.clone(),
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
                    serde_json::to_string(events).unwrap_or_default(),
                ];
                w.write_record(&record).map_err(|e| ImportError::Io(e.to_string()))?;
            }
            w.flush().map_err(io)?;
        }
    }
    Ok(count)
}

/// One case to import: where it stood in the file, its number and portable events.
struct Incoming {
    line: usize,
    number: String,
    events: Vec<Value>,
}

fn parse(text: &str) -> Result<(Vec<Incoming>, Value), ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        let doc: Value = serde_json::from_str(text).map_err(|e| ImportError::Format(e.to_string()))?;
        if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(ImportError::Format(format!("\"format\" is not \"{FORMAT}\"")));
        }
        let mut incoming = Vec::new();
        let mut bad = Vec::new();
        for (n, c) in doc
            .get("cases")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let number = c.get("number").and_then(Value::as_str).unwrap_or("").to_string();
            match c.get("events").and_then(Value::as_array) {
                Some(events) if !number.is_empty() => incoming.push(Incoming {
                    line: n + 1,
                    number,
                    events: events.clone(),
                }),
                _ => bad.push((n + 1, "needs \"number\" and \"events\"".to_string())),
            }
        }
        if !bad.is_empty() {
            return Err(ImportError::Rows(bad));
        }
        return Ok((incoming, doc));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
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
    let mut incoming = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(0, |p| p.line() as usize);
        match record {
            Err(e) => bad.push((e.position().map_or(0, |p| p.line() as usize), e.to_string())),
            Ok(r) => {
                let number = r.get(num_col).unwrap_or("").trim().to_string();
                match serde_json::from_str::<Vec<Value>>(r.get(ev_col).unwrap_or("")) {
                    Ok(events) if !number.is_empty() => incoming.push(Incoming { line, number, events }),
                    Ok(_) => bad.push((line, "empty number".to_string())),
                    Err(e) => bad.push((line, format!("events: {e}"))),
                }
            }
        }
    }
    if !bad.is_empty() {
        return Err(ImportError::Rows(bad));
    }
    Ok((incoming, Value::Null))
}

/// Imports every case of `text` or none; returns how many.
/// `progress` hears how many cases are read.
pub fn import(
    desk: &mut Desk,
    by: &Actor,
    text: &str,
    now: Time,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, ImportError> {
    let (incoming, doc) = parse(text)?;
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
                {
                    tx.execute("INSERT INTO departments (name, phone) VALUES (?, ?)", rusqlite::params![name, d.get("phone").and_then(Value::as_str)])?;
                    depts.insert(name.to_string(), tx.last_insert_rowid());
                }
            }
        }
        for c in doc.get("categories").and_then(Value::as_array).into_iter().flatten() {
            if let Some(code) = c.get("code").and_then(Value::as_str)
                && !cats.contains_key(code)
            {
                {
                    let zh = c.get("name_zh").and_then(Value::as_str).unwrap_or(code);
                    let en = c.get("name_en").and_then(Value::as_str).unwrap_or(code);
                    tx.execute("INSERT INTO categories (code, name_zh, name_en) VALUES (?, ?, ?)", rusqlite::params![code, zh, en])?;
                    cats.insert(code.to_string(), tx.last_insert_rowid());
                }
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
        let total = incoming.len() as u64;
        for (done, inc) in incoming.iter().enumerate() {
            if done % 1000 == 0 {
                progress(done as u64, total);
            }
            if !seen.insert(inc.number.clone()) {
                bad.push((inc.line, format!("case {} appears twice in the file", inc.number)));
                continue;
            }
            let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM cases WHERE number = ?)", [&inc.number], |r| r.get(0))?;
            if exists {
                bad.push((inc.line, format!("case {} already exists", inc.number)));
                continue;
            }
            let mut events = Vec::with_capacity(inc.events.len());
            let mut row_error = None;
            for v in &inc.events {
                let mut v = v.clone();
                match from_portable(tx, &mut v, &mut staff, &mut depts, &mut cats, &roles, by, now) {
                    Ok(()) => match serde_json::from_value::<Event>(v) {
                        // Stored to the second, like every event.
                        Ok(e) => events.push(Event {
                            at: crate::store::list::from_secs(crate::store::secs(e.at)),
                            ..e
                        }),
                        Err(e) => row_error = Some(format!("event {}: {e}", events.len() + 1)),
                    },
                    Err(e) => row_error = Some(e),
                }
                if row_error.is_some() {
                    break;
                }
            }
            if let Some(e) = row_error {
                bad.push((inc.line, e));
                continue;
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
                continue;
            }
            let complainant_id = insert_complainant(tx, &case.intake.complainant)?;
            let id = insert_case(tx, &case, complainant_id, &crate::domain::facts::facts(&case, &policy, &calendar))?;
            // insert_case sets version 1; a replayed case carries its full history.
            write_events(tx, id, 0, &events)?;
            if let Some((year, seq)) = number_parts(&case.intake.number) {
                let e = counters.entry(year).or_insert(0);
                *e = (*e).max(seq);
            } else {
                let year = local_date(tz, case.intake.received_at).year();
                counters.entry(year).or_insert(0);
            }
            count += 1;
        }
        if !bad.is_empty() {
            return Err(StoreError::Damaged(serde_json::to_string(&bad).unwrap_or_default()));
        }
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
