//! Export and import: the whole desk as JSON, or one CSV row per case.
//!
//! Ids differ between desks, so exported events name staff, departments and
//! categories instead; import maps the names back (creating departments and
//! categories it lacks, and, when told to, unknown staff as inactive accounts
//! with no PIN). Import retraces every case through the rules, is all or
//! nothing and names the line of every bad row.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{Value, json};

use crate::desk::Desk;
use crate::domain::{Actor, Case, Event, Role};
use crate::store::StoreError;
use crate::words::{Words, tf};

mod files;
mod import;
mod people;
mod sheet;

pub use import::{ImportOptions, Imported, import, import_bytes, import_text};
pub use people::parse_people;
pub use sheet::{SheetFormat, export_sheet};

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON document.
    Json,
    /// One row per case (UTF-8 with BOM).
    Csv,
    /// A workbook for people: one row per case, in the desk's language.
    Xlsx,
}

/// The export's format tag.
pub(crate) const FORMAT: &str = "casedesk-export";
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
    "masked",
];

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Cases written.
    pub cases: u64,
    /// Confidential complainants written out whole (a supervisor's export).
    pub confidential: u64,
    /// Confidential complainants written as `***` (an export without a supervisor).
    pub masked: u64,
}

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
    /// The file was exported without a supervisor: its confidential
    /// complainants are `***`, and importing it needs `--masked-ok`.
    #[error("a masked export ({0} confidential complainants written as ***)")]
    Masked(u64),
    /// The file names staff this desk lacks, and `--create-staff` was not given
    /// (with any other bad rows, by line).
    #[error("staff not on this desk: {}", names.join(", "))]
    UnknownStaff {
        /// Their names.
        names: Vec<String>,
        /// Other rows that cannot be imported.
        rows: Vec<(usize, String)>,
    },
}

/// The error in the clerk's language.
#[must_use]
pub fn import_message(words: Words, e: &ImportError) -> String {
    let lang = words.lang;
    match e {
        ImportError::Format(why) => tf(lang, "cli.import_format", &[("why", why.clone())]),
        ImportError::Rows(rows) => {
            let mut text = tf(lang, "cli.import_rows", &[("count", rows.len().to_string())]);
            push_rows(lang, &mut text, rows);
            text.push('\n');
            text.push_str(&crate::words::t(lang, "cli.import_rows_fix"));
            text
        }
        ImportError::UnknownStaff { names, rows } => {
            let mut text = tf(
                lang,
                "cli.import_unknown_staff",
                &[("count", names.len().to_string()), ("names", names.join("、"))],
            );
            if !rows.is_empty() {
                text.push('\n');
                text.push_str(&tf(lang, "cli.import_rows_also", &[("count", rows.len().to_string())]));
                push_rows(lang, &mut text, rows);
            }
            text
        }
        ImportError::Store(s) => words.store(s),
        ImportError::Io(s) => s.clone(),
        ImportError::Masked(_) => crate::words::t(lang, "cli.import_masked"),
    }
}

/// The first 50 bad rows, a line each.
fn push_rows(lang: crate::words::Lang, text: &mut String, rows: &[(usize, String)]) {
    for (line, why) in rows.iter().take(50) {
        text.push('\n');
        text.push_str(&tf(
            lang,
            "cli.import_row",
            &[("line", line.to_string()), ("why", why.clone())],
        ));
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

/// What an event's field names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    Staff,
    Dept,
    Category,
}

/// The fields of an event kind that hold an id of staff, a department or a
/// category (the actor's in every kind): names in an export, ids on a desk.
pub(crate) fn name_fields(kind: &str) -> &'static [(&'static str, What)] {
    use What::{Category, Dept, Staff};
    match kind {
        "received" => &[
            ("actor", Staff),
            ("dept", Dept),
            ("subject_staff", Staff),
            ("category", Category),
        ],
        "referred" | "assigned" => &[("actor", Staff), ("dept", Dept)],
        "corrected" => &[
            ("actor", Staff),
            ("old_dept", Dept),
            ("dept", Dept),
            ("old_category", Category),
            ("category", Category),
        ],
        "transfer_requested" => &[("actor", Staff), ("to", Staff)],
        "transfer_accepted" => &[("actor", Staff), ("from", Staff), ("to", Staff)],
        _ => &[("actor", Staff)],
    }
}

/// Ids → names, for the fields of each event kind that hold ids.
pub(crate) fn to_portable(v: &mut Value, n: &Names) {
    let Value::Object(m) = v else { return };
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    for &(key, what) in name_fields(&kind) {
        let Some(id) = m.get(key).and_then(Value::as_i64) else {
            continue;
        };
        let name = if id == 0 && key == "actor" {
            "system".to_string()
        } else {
            let names = match what {
                What::Staff => &n.staff,
                What::Dept => &n.depts,
                What::Category => &n.cats,
            };
            names.get(&id).cloned().unwrap_or_default()
        };
        m.insert(key.to_string(), json!(name));
    }
}

/// Writes the desk; returns how many cases, and how many confidential
/// complainants were written whole or masked. `progress` hears how many
/// cases are written. Confidential complainants are written only for a
/// supervisor (`viewer`); anyone else gets `***`, and the file says so (the
/// JSON's `"masked"`, each masked case's `"masked": true` or CSV column
/// `masked`), so an import can tell. Cases stream from the store one at a
/// time, so a million-case desk exports in little memory.
pub fn export(
    desk: &Desk,
    format: Format,
    out: &mut dyn Write,
    viewer: Option<&Actor>,
    progress: &dyn Fn(u64, u64),
) -> Result<Exported, ImportError> {
    let full = viewer.is_some_and(|v| v.active && v.role == Role::Supervisor);
    if format == Format::Xlsx {
        return export_sheet(desk, SheetFormat::Xlsx, out, viewer, progress);
    }
    let store = desk.store();
    let io = |e: std::io::Error| ImportError::Io(e.to_string());
    let names = Names::of(store)?;
    let total = store.case_count()?;
    let mut sink = match format {
        Format::Json => {
            let head = json!({
                "format": FORMAT,
                "version": 1,
                // Made without a supervisor: confidential complainants are `***`.
                "masked": !full,
                "departments": store.departments()?.iter().map(|d| json!({"name": d.name, "phone": d.phone})).collect::<Vec<_>>(),
                "categories": store.categories()?.iter().map(|c| json!({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en})).collect::<Vec<_>>(),
                "staff": store.staff()?.iter().map(|s| json!({"name": s.actor.name, "role": s.actor.role.code(), "active": s.actor.active})).collect::<Vec<_>>(),
                // The people directory: who cases may be about.
                "people": store.people(None)?,
            });
            // The head's fields, then the cases one by one.
            let head = serde_json::to_string_pretty(&head).map_err(|e| ImportError::Io(e.to_string()))?;
            let head = head.trim_end().trim_end_matches('}').trim_end();
            write!(out, "{head},\n  \"cases\": [").map_err(io)?;
            Sink::Json(out)
        }
        Format::Csv | Format::Xlsx => {
            // The BOM makes Excel read the file as UTF-8, so Chinese text survives.
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER).map_err(|e| ImportError::Io(e.to_string()))?;
            Sink::Csv(Box::new(w))
        }
    };
    let mut done = Exported::default();
    let mut files = files::Withheld::default();
    store.each_case(|number, events| -> Result<(), ImportError> {
        if done.cases.is_multiple_of(1000) {
            progress(done.cases, total);
        }
        let first = done.cases == 0;
        done.cases += 1;
        let confidential = events
            .iter()
            .any(|e| matches!(&e.body, crate::domain::EventBody::Received(r) if r.confidential));
        match (confidential, full) {
            (true, true) => done.confidential += 1,
            (true, false) => done.masked += 1,
            (false, _) => {}
        }
        files.note(events, confidential && !full);
        export_case(desk, &names, full, number, events, first, &mut sink)
    })?;
    match sink {
        Sink::Json(out) => {
            write!(out, "\n  ]").map_err(io)?;
            files::write(store, out, &files)?;
            writeln!(out, "\n}}").map_err(io)?;
        }
        Sink::Csv(mut w) => w.flush().map_err(io)?,
    }
    Ok(done)
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
    let mut masked = false;
    // A masked complainant's corrections would name them: they are left out
    // with the complainant (the file has nothing of theirs to correct).
    let hidden = !full
        && events
            .iter()
            .any(|e| matches!(&e.body, crate::domain::EventBody::Received(r) if r.confidential));
    let portable: Vec<Value> = events
        .iter()
        .filter(|e| {
            !(hidden && matches!(&e.body, crate::domain::EventBody::Corrected { field, .. } if field.is_complainant()))
        })
        .map(|event| {
            let mut v: Value = serde_json::to_value(event).map_err(|e| StoreError::Damaged(e.to_string()))?;
            to_portable(&mut v, names);
            if !full && v.get("confidential").and_then(Value::as_bool) == Some(true) {
                v["complainant"] =
                    json!({"type": "named", "name": "***", "phone": null, "address": null, "relation": null});
                masked = true;
            }
            Ok(v)
        })
        .collect::<Result<_, ImportError>>()?;
    match sink {
        Sink::Json(out) => {
            let io = |e: std::io::Error| ImportError::Io(e.to_string());
            out.write_all(if first { b"\n    " } else { b",\n    " }).map_err(io)?;
            let case = if masked {
                json!({"number": number, "masked": true, "events": portable})
            } else {
                json!({"number": number, "events": portable})
            };
            serde_json::to_writer(&mut *out, &case).map_err(|e| ImportError::Io(e.to_string()))?;
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
                crate::words::time::rfc3339(i.received_at, desk.policy.timezone),
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
                if masked { "1" } else { "" }.to_string(),
            ];
            // A cell starting with `=` would run in a spreadsheet: see `cell`.
            let record = record.map(|c| crate::words::terminal::cell(&c).into_owned());
            w.write_record(&record).map_err(|e| ImportError::Io(e.to_string()))?;
        }
    }
    Ok(())
}
