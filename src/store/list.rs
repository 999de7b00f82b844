//! Listing and searching cases.

use rusqlite::OptionalExtension;
use rusqlite::types::Value;

pub use super::rows::from_secs;
use super::{Result, Store, secs};
use crate::domain::{Actor, State, Time};

/// Which cases to list.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    /// Only this state.
    pub state: Option<State>,
    /// Only open cases (not closed).
    pub open_only: bool,
    /// Only this owner.
    pub owner: Option<i64>,
    /// Only cases with a running step past due at this time.
    pub overdue_at: Option<Time>,
    /// Only cases with a running step due before this time.
    pub due_before: Option<Time>,
    /// Text in number, summary, details, department, complainant name or phone.
    pub search: Option<String>,
    /// A search's next page: only cases older than this one (by number).
    pub search_after: Option<String>,
    /// Only cases at this escalation level or higher.
    pub min_level: Option<u8>,
    /// Only cases of this caller (`Complainant::caller_key`: a phone's
    /// digits, else a name), newest first.
    pub caller_key: Option<String>,
    /// Only cases received in `[from, until)`.
    pub received_between: Option<(Time, Time)>,
    /// Only cases in one of these states.
    pub states: Vec<State>,
    /// Only cases with a transfer waiting to be accepted.
    pub pending_transfer: bool,
    /// At most this many rows (0 = no limit).
    pub limit: usize,
}

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseRow {
    /// Case number.
    pub number: String,
    /// When it came in.
    pub received_at: Time,
    /// State code.
    pub state: String,
    /// Kind code.
    pub kind: String,
    /// Severity code.
    pub severity: String,
    /// Escalation level.
    pub level: u8,
    /// Flag codes.
    pub flags: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Department name.
    pub dept: Option<String>,
    /// Owner's name.
    pub owner: String,
    /// Complainant's name as the viewer may see it.
    pub complainant: Option<String>,
    /// Nearest running due time.
    pub next_due: Option<Time>,
}

/// Who may see a case's complainant: everyone for ordinary cases; for
/// confidential ones only the owner and supervisors.
#[must_use]
pub fn may_see_complainant(viewer: Option<&Actor>, owner_id: i64, confidential: bool) -> bool {
    crate::domain::complainant::may_see(viewer, crate::domain::StaffId(owner_id), confidential)
}

impl Store {
    /// SQLite's data version: it changes when another connection commits, so a
    /// screen knows to refresh.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Cases matching `filter`, most urgent first (nearest due, then newest);
    /// search results and a caller's history newest first.
    pub fn list(&self, filter: &CaseFilter, viewer: Option<&Actor>) -> Result<Vec<CaseRow>> {
        let mut sql = format!("SELECT {ROW_COLUMNS} FROM {{source}} {ROW_JOINS} WHERE 1 = 1");
        let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        // A search walks the index's parts newest first and stops at the
        // limit; anything else walks the cases.
        if search.is_some() {
            sql = sql.replace("{source}", "{part} f CROSS JOIN cases c ON c.id = f.rowid");
        } else {
            sql = sql.replace("{source}", "cases c");
        }
        let mut args: Vec<Value> = Vec::new();
        if let Some(state) = filter.state {
            sql.push_str(" AND c.state = ?");
            args.push(Value::Text(state.code().to_string()));
        }
        if filter.open_only {
            sql.push_str(" AND c.closed_at IS NULL");
        }
        if let Some(owner) = filter.owner {
            sql.push_str(" AND c.owner_id = ?");
            args.push(Value::Integer(owner));
        }
        if let Some(at) = filter.overdue_at {
            sql.push_str(" AND c.closed_at IS NULL AND c.next_due < ?");
            args.push(Value::Integer(secs(at)));
        }
        if let Some(at) = filter.due_before {
            sql.push_str(" AND c.closed_at IS NULL AND c.next_due < ?");
            args.push(Value::Integer(secs(at)));
        }
        if let Some(level) = filter.min_level {
            sql.push_str(" AND c.level >= ? AND c.closed_at IS NULL");
            args.push(Value::Integer(i64::from(level)));
        }
        if let Some((from, until)) = filter.received_between {
            sql.push_str(" AND c.received_at >= ? AND c.received_at < ?");
            args.push(Value::Integer(secs(from)));
            args.push(Value::Integer(secs(until)));
        }
        if !filter.states.is_empty() {
            sql.push_str(&format!(
                " AND c.state IN ({})",
                vec!["?"; filter.states.len()].join(", ")
            ));
            args.extend(filter.states.iter().map(|s| Value::Text(s.code().to_string())));
        }
        if filter.pending_transfer {
            sql.push_str(" AND c.closed_at IS NULL AND c.flags LIKE '%transfer_pending%'");
        }
        if let Some(caller) = &filter.caller_key {
            // A caller's history never shows which confidential cases they are
            // behind, except to the owner of those cases.
            sql.push_str(" AND c.caller_key = ? AND (c.confidential = 0 OR c.owner_id = ?)");
            args.push(Value::Text(caller.clone()));
            args.push(Value::Integer(viewer.map_or(-1, |v| v.id.0)));
        }
        if let Some(text) = search
            && !search_condition(text, viewer, &mut sql, &mut args)
        {
            return Ok(Vec::new());
        }
        if search.is_some()
            && let Some(number) = &filter.search_after
        {
            // The index walks its rows by id: the next page starts below the last row shown.
            let id: Option<i64> = self
                .conn
                .prepare_cached("SELECT id FROM cases WHERE number = ?")?
                .query_row([number], |r| r.get(0))
                .optional()?;
            // Numbered: the search's own parameters are numbered already.
            sql.push_str(&format!(" AND f.rowid < ?{}", args.len() + 1));
            args.push(Value::Integer(id.unwrap_or(i64::MIN)));
        }
        if search.is_some() {
            // Search results: newest first, so the first page comes straight off the index.
            sql.push_str(" ORDER BY f.rowid DESC");
        } else if filter.caller_key.is_some() {
            // A caller's history: newest first, straight off cases_caller.
            sql.push_str(" ORDER BY c.received_at DESC, c.id DESC");
        } else {
            sql.push_str(
                " ORDER BY c.closed_at IS NOT NULL, c.next_due IS NULL, c.next_due, c.received_at DESC, c.id DESC",
            );
        }
        // Positional and numbered parameters cannot mix: number them all.
        let sql = format!("{} LIMIT ?{}", number_params(&sql), args.len() + 1);
        // SQLite reads a negative limit as none.
        let limit = |held: usize| match filter.limit {
            0 => Value::Integer(-1),
            n => Value::Integer(i64::try_from(n - held).unwrap_or(i64::MAX)),
        };
        if search.is_none() {
            args.push(limit(0));
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), case_row)?;
            return Ok(rows.collect::<Result<_, _>>()?);
        }
        // Each part holds older cases than the one before it, so the parts'
        // results one after another are newest first.
        let mut found = Vec::new();
        args.push(limit(0));
        for part in super::search::parts(&self.conn)? {
            if let Some(last) = args.last_mut() {
                *last = limit(found.len());
            }
            let mut stmt = self
                .conn
                .prepare_cached(&sql.replace("{part}", &super::search::part_table(part)))?;
            for row in stmt.query_map(rusqlite::params_from_iter(&args), case_row)? {
                found.push(row?);
            }
            if filter.limit > 0 && found.len() >= filter.limit {
                break;
            }
        }
        Ok(found)
    }
}

impl Store {
    /// How many cases a search for `text` finds, counting no further than
    /// `cap` (a one-character term may match most of a large desk): the same
    /// index match and exact test as [`Store::list`], without reading the rows.
    pub fn search_count(&self, text: &str, viewer: Option<&Actor>, cap: u64) -> Result<u64> {
        let mut inner = "SELECT 1 FROM {part} f CROSS JOIN cases c ON c.id = f.rowid
            LEFT JOIN departments d ON d.id = c.dept_id
            LEFT JOIN complainants p ON p.id = c.complainant_id WHERE 1 = 1"
            .to_string();
        let mut args: Vec<Value> = Vec::new();
        if !search_condition(text.trim(), viewer, &mut inner, &mut args) {
            return Ok(0);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM ({} LIMIT ?{})",
            number_params(&inner),
            args.len() + 1
        );
        let mut found: u64 = 0;
        args.push(Value::Integer(0));
        for part in super::search::parts(&self.conn)? {
            if found >= cap {
                break;
            }
            if let Some(last) = args.last_mut() {
                *last = Value::Integer(i64::try_from(cap - found).unwrap_or(i64::MAX));
            }
            let n: i64 = self
                .conn
                .prepare_cached(&sql.replace("{part}", &super::search::part_table(part)))?
                .query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?;
            found += u64::try_from(n).unwrap_or(0);
        }
        Ok(found)
    }
}

/// The columns [`case_row`] reads, from `cases c` and [`ROW_JOINS`].
pub(super) const ROW_COLUMNS: &str =
    "c.number, c.received_at, c.state, c.kind, c.severity, c.level, c.flags, c.summary,
    d.name, s.name, p.name, c.next_due, c.confidential";

/// The tables a list line names besides the case, each read by its key
/// after the case (CROSS JOIN keeps SQLite from walking staff first).
pub(super) const ROW_JOINS: &str = "LEFT JOIN departments d ON d.id = c.dept_id
    LEFT JOIN complainants p ON p.id = c.complainant_id
    CROSS JOIN staff s ON s.id = c.owner_id";

/// A list line from [`ROW_COLUMNS`].
pub(super) fn case_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    // Lists never show a confidential complainant: the case page does, to
    // those allowed, and records each viewing.
    let visible = !r.get::<_, bool>(12)?;
    let name: Option<String> = r.get(10)?;
    let flags: String = r.get(6)?;
    Ok(CaseRow {
        number: r.get(0)?,
        received_at: from_secs(r.get(1)?),
        state: r.get(2)?,
        kind: r.get(3)?,
        severity: r.get(4)?,
        level: r.get(5)?,
        flags: flags.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect(),
        summary: r.get(7)?,
        dept: r.get(8)?,
        owner: r.get(9)?,
        complainant: if visible { name } else { name.map(|_| "***".to_string()) },
        next_due: r.get::<_, Option<i64>>(11)?.map(from_secs),
    })
}

/// Adds a search for `text` to `sql` and `args`: the index finds candidates
/// fast for a term of any length; LIKE keeps only exact matches. False when
/// the term has nothing to search for (no case matches).
fn search_condition(text: &str, viewer: Option<&Actor>, sql: &mut String, args: &mut Vec<Value>) -> bool {
    let Some((fts, digits)) = super::search::search_query(text) else {
        return false;
    };
    sql.push_str(" AND f.{part} MATCH ?");
    args.push(Value::Text(fts));
    let like = |t: &str| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let pattern = like(text);
    // A phone number however it was written matches the phones' digits.
    let phone_pattern = digits.as_deref().map_or_else(|| pattern.clone(), like);
    // Complainant fields of a confidential case match only for its owner,
    // so a search cannot reveal who is behind it (a supervisor opens the
    // case and gives a reason, which is recorded).
    let viewer_id = viewer.filter(|v| v.active).map_or(-1, |v| v.id.0);
    sql.push_str(
        " AND (c.number LIKE ?1x ESCAPE '\\' OR c.summary LIKE ?1x ESCAPE '\\' OR c.details LIKE ?1x ESCAPE '\\'
                   OR d.name LIKE ?1x ESCAPE '\\'
                   OR ((c.confidential = 0 OR c.owner_id = ?2x)
                       AND (p.name LIKE ?1x ESCAPE '\\' OR p.phone LIKE ?1x ESCAPE '\\' OR p.phone_key LIKE ?3x ESCAPE '\\')))",
    );
    let n = args.len();
    *sql = sql
        .replace("?1x", &format!("?{}", n + 1))
        .replace("?2x", &format!("?{}", n + 2))
        .replace("?3x", &format!("?{}", n + 3));
    args.push(Value::Text(pattern));
    args.push(Value::Integer(viewer_id));
    args.push(Value::Text(phone_pattern));
    true
}

/// Rewrites bare `?` placeholders as `?N` so they can sit beside numbered ones.
fn number_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' {
            if chars.peek().is_some_and(char::is_ascii_digit) {
                continue;
            }
            n += 1;
            out.push_str(&n.to_string());
        }
    }
    out
}
