//! The desk as a sheet for people (`export --format xlsx`, `export --format
//! csv --sheet`): one row per case, headings and labels in the desk's
//! language, local times as dates, phone numbers as text, the latest step
//! and every clock. The interchange export beside it stays as `import`
//! reads it.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDateTime;

use super::{Exported, ImportError};
use crate::desk::Desk;
use crate::domain::deadline::DeadlineStatus;
use crate::domain::{Actor, Case, Complainant, DeadlineKind, DeptId, Event, Role, StaffId, Time};
use crate::print::sheet::{self, Cell, Sheet};
use crate::store::StoreError;
use crate::words::events::{Names, step_text};
use crate::words::{Lang, Words, t, tf};

/// The sheet's file types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// CSV (UTF-8 with BOM), typed as a spreadsheet reads it.
    Csv,
    /// An xlsx workbook.
    Xlsx,
}

/// The columns before the clocks, by the key of their heading (`sheet.col.*`).
const COLUMNS: &[&str] = &[
    "number",
    "received_at",
    "state",
    "kind",
    "channel",
    "origin",
    "severity",
    "dept",
    "category",
    "subject",
    "complainant",
    "phone",
    "summary",
    "details",
    "owner",
    "level",
    "flags",
    "latest_step",
    "latest_at",
    "latest_by",
    "closed_at",
    "overdue",
];

/// The headings: the columns, a due column per kind of clock, then every
/// department's reply clock.
fn headings(lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = COLUMNS.iter().map(|c| t(lang, &format!("sheet.col.{c}"))).collect();
    for kind in DeadlineKind::ALL {
        out.push(tf(lang, "sheet.col.due", &[("what", t(lang, &kind.label_key()))]));
    }
    out.push(t(lang, "sheet.col.dept_dues"));
    out
}

/// Names the rows need, in the desk's language.
struct Lookup {
    staff: HashMap<StaffId, String>,
    depts: HashMap<DeptId, String>,
    cats: HashMap<i64, String>,
}

impl Lookup {
    fn of(desk: &Desk) -> Result<Lookup, StoreError> {
        let store = desk.store();
        let lang = desk.lang;
        Ok(Lookup {
            staff: store.staff()?.into_iter().map(|s| (s.actor.id, s.actor.name)).collect(),
            depts: store.departments()?.into_iter().map(|d| (d.id, d.name)).collect(),
            cats: store
                .categories()?
                .into_iter()
                .map(|c| (c.id.0, if lang == Lang::En { c.name_en } else { c.name_zh }))
                .collect(),
        })
    }
}

/// Writes the desk as a sheet; returns what [`super::export`] returns, with
/// confidential complainants whole only for a supervisor (`viewer`).
pub fn export_sheet(
    desk: &Desk,
    format: SheetFormat,
    out: &mut dyn Write,
    viewer: Option<&Actor>,
    progress: &dyn Fn(u64, u64),
) -> Result<Exported, ImportError> {
    let io = |e: std::io::Error| ImportError::Io(e.to_string());
    let total = desk.store().case_count()?;
    let table = Sheet::new(t(desk.lang, "sheet.cases"), headings(desk.lang));
    let columns = table.headings.len();
    match format {
        // A CSV is written a case at a time.
        SheetFormat::Csv => {
            sheet::write_csv(&table, &mut *out).map_err(io)?;
            let mut w = csv::Writer::from_writer(out);
            let done = each_row(desk, viewer, progress, |row| {
                w.write_record(sheet::csv_row(&row, columns))
                    .map_err(|e| ImportError::Io(e.to_string()))
            })?;
            w.flush().map_err(io)?;
            Ok(done)
        }
        // A workbook is made a row at a time, in constant memory.
        SheetFormat::Xlsx => {
            if total > sheet::MAX_ROWS {
                let count = total.to_string();
                return Err(ImportError::Io(tf(desk.lang, "sheet.too_many", &[("count", count)])));
            }
            let sheet_error =
                |e: sheet::SheetError| ImportError::Io(tf(desk.lang, "sheet.failed", &[("why", e.to_string())]));
            let mut book = sheet::Streamed::new(table).map_err(sheet_error)?;
            let done = each_row(desk, viewer, progress, |row| book.push(row).map_err(sheet_error))?;
            let bytes = book.finish().map_err(sheet_error)?;
            out.write_all(&bytes).map_err(io)?;
            Ok(done)
        }
    }
}

/// Every case's row, in the store's order, to `visit`.
fn each_row(
    desk: &Desk,
    viewer: Option<&Actor>,
    progress: &dyn Fn(u64, u64),
    mut visit: impl FnMut(Vec<Cell>) -> Result<(), ImportError>,
) -> Result<Exported, ImportError> {
    let full = viewer.is_some_and(|v| v.active && v.role == Role::Supervisor);
    let store = desk.store();
    let lookup = Lookup::of(desk)?;
    let total = store.case_count()?;
    let now = desk.now();
    let mut done = Exported::default();
    store.each_case(|number, events| -> Result<(), ImportError> {
        if done.cases.is_multiple_of(1000) {
            progress(done.cases, total);
        }
        done.cases += 1;
        let case = Case::replay(events).map_err(|e| StoreError::Damaged(format!("case {number}: {e}")))?;
        match (case.intake.confidential, full) {
            (true, true) => done.confidential += 1,
            (true, false) => done.masked += 1,
            (false, _) => {}
        }
        visit(case_row(desk.words(), &lookup, &case, events, full, now))
    })?;
    Ok(done)
}

/// One case's row, in the order of [`headings`].
fn case_row(words: Words, n: &Lookup, c: &Case, events: &[Event], full: bool, now: Time) -> Vec<Cell> {
    let lang = words.lang;
    let tz = words.tz;
    let local = |at: Time| -> NaiveDateTime { at.with_timezone(&tz).naive_local() };
    let text = |s: &str| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(sheet::cut(lang, s))
        }
    };
    let label = |key: String| Cell::Text(t(lang, &key));
    let i = &c.intake;
    let (name, phone) = match (&i.complainant, i.confidential && !full) {
        (_, true) => ("***".to_string(), String::new()),
        (Complainant::Named { name, phone, .. }, _) => (name.clone(), phone.clone().unwrap_or_default()),
        (Complainant::Anonymous, _) => (t(lang, "sheet.anonymous"), String::new()),
    };
    let dept = |d: Option<DeptId>| d.and_then(|d| n.depts.get(&d).cloned()).unwrap_or_default();
    let staff = |s: StaffId| crate::words::events::staff_name(&n.staff, s);
    let names = Names::new(&n.staff, &n.depts);
    let latest = events.last();
    let paused = c.paused_since.is_some();
    let overdue: Vec<String> = c
        .deadlines
        .iter()
        .filter(|(_, d)| d.status(now, paused) == DeadlineStatus::Overdue)
        .map(|(clock, _)| clock_label(lang, clock.kind, clock.dept.map(|d| dept(Some(d)))))
        .collect();
    let mut row = vec![
        Cell::Text(i.number.clone()),
        Cell::Time(local(i.received_at)),
        label(c.state.label_key()),
        label(i.kind.label_key()),
        label(i.channel.label_key()),
        label(i.origin.label_key()),
        label(i.severity.label_key()),
        text(&dept(i.dept)),
        text(&i.category.and_then(|k| n.cats.get(&k.0).cloned()).unwrap_or_default()),
        subject(lang, i, &dept(i.dept), &staff),
        text(&name),
        if phone.is_empty() {
            Cell::Empty
        } else {
            Cell::Phone(phone)
        },
        text(&i.summary),
        text(&i.details),
        text(&staff(c.owner)),
        Cell::Count(u64::from(c.level)),
        text(
            &c.flags
                .iter()
                .map(|f| t(lang, &f.label_key()))
                .collect::<Vec<_>>()
                .join(&t(lang, "sheet.sep")),
        ),
        latest.map_or(Cell::Empty, |e| text(&step_text(words, e, &names))),
        latest.map_or(Cell::Empty, |e| Cell::Time(local(e.at))),
        latest.map_or(Cell::Empty, |e| text(&staff(e.actor))),
        c.closed_at.map_or(Cell::Empty, |at| Cell::Time(local(at))),
        text(&overdue.join(&t(lang, "sheet.sep"))),
    ];
    for kind in DeadlineKind::ALL {
        row.push(due_of(c, *kind).map_or(Cell::Empty, |at| Cell::Time(local(at))));
    }
    let dept_dues: Vec<String> = c
        .deadlines
        .iter()
        .filter_map(|(clock, d)| Some((clock.dept?, d)))
        .map(|(d, due)| {
            tf(
                lang,
                "sheet.dept_due",
                &[("dept", dept(Some(d))), ("due", crate::words::time::show(due.due, tz))],
            )
        })
        .collect();
    row.push(text(&dept_dues.join(&t(lang, "sheet.dept_sep"))));
    row
}

/// Who the case is about, as `case show` names them; empty for nobody.
fn subject(lang: Lang, intake: &crate::domain::event::Received, dept: &str, staff: &dyn Fn(StaffId) -> String) -> Cell {
    if intake.subject_person.is_none() && intake.subject_staff.is_none() {
        return Cell::Empty;
    }
    Cell::Text(sheet::cut(
        lang,
        &crate::words::subject_person(lang, intake, Some(dept), staff),
    ))
}

/// When a kind of clock runs out: the case's own clock, or among the
/// departments' replies the first still running (else the last one due).
fn due_of(c: &Case, kind: DeadlineKind) -> Option<Time> {
    let clocks: Vec<_> = c
        .deadlines
        .iter()
        .filter(|(k, _)| k.kind == kind)
        .map(|(_, d)| d)
        .collect();
    clocks
        .iter()
        .filter(|d| d.is_running())
        .map(|d| d.due)
        .min()
        .or_else(|| clocks.iter().map(|d| d.due).max())
}

/// A clock's name, with its department's for a department's reply.
fn clock_label(lang: Lang, kind: DeadlineKind, dept: Option<String>) -> String {
    let what = t(lang, &kind.label_key());
    match dept {
        Some(d) if !d.is_empty() => tf(lang, "timeline.about", &[("dept", d), ("text", what)]),
        _ => what,
    }
}
