//! The search index: every character and every pair of neighbouring characters
//! of a case's text is a token, so one- and two-character Chinese terms are
//! found through an index (FTS5's trigram tokenizer finds nothing under three
//! characters, and `LIKE '%…%'` reads every row). The index is in parts of
//! 65,536 consecutive cases (see `schema::V8`): every merge of its segments
//! stays small, and each write does a little of that work.

use std::collections::HashSet;

use rusqlite::{Connection, Transaction, params};

use super::Result;
use crate::domain::{Case, Complainant};

/// Tokens of `text`: lower-cased characters and neighbouring pairs within runs
/// of letters, digits and CJK characters, separated by spaces, each once (the
/// index keeps no positions or counts, so a repeat would only cost time).
#[must_use]
pub fn tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    let mut seen: HashSet<(char, char)> = HashSet::new();
    let mut prev: Option<char> = None;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if seen.insert((c, '\0')) {
                out.push(c);
                out.push(' ');
            }
            if let Some(p) = prev
                && seen.insert((p, c))
            {
                out.push(p);
                out.push(c);
                out.push(' ');
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    out
}

/// An FTS5 query for `term`: for each run of letters, digits or CJK characters
/// (split as the text was), its single character or all its pairs, all ANDed.
/// `None` when the term has no such characters.
#[must_use]
pub fn query(term: &str) -> Option<String> {
    let lower: String = term.chars().flat_map(char::to_lowercase).collect();
    let mut parts = Vec::new();
    for run in lower.split(|c: char| !c.is_alphanumeric()).filter(|r| !r.is_empty()) {
        let chars: Vec<char> = run.chars().collect();
        if chars.len() == 1 {
            parts.push(format!("\"{}\"", chars[0]));
        } else {
            parts.extend(chars.windows(2).map(|w| format!("\"{}{}\"", w[0], w[1])));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The digits of a term that is a phone number however it was written
/// (`138-1111-2222`, `+86 138 1111 2222`, full-width digits): the digits a
/// case's phone is also indexed by. `None` for a term that is not one.
#[must_use]
pub fn phone_digits(term: &str) -> Option<String> {
    crate::domain::complainant::clean_phone(term)?;
    crate::domain::complainant::normalize_phone(term)
}

/// The FTS5 query for `term`, and the digits to match the complainants'
/// phones with when it is a phone number: the term as written, or its
/// digits (a case number such as `2026-000123` is written with a dash too).
#[must_use]
pub fn search_query(term: &str) -> Option<(String, Option<String>)> {
    let written = query(term)?;
    let Some(digits) = phone_digits(term) else {
        return Some((written, None));
    };
    match query(&digits) {
        Some(d) if d != written => Some((format!("({written}) OR ({d})"), Some(digits))),
        _ => Some((written, Some(digits))),
    }
}

/// Cases per part of the index (a case's part is its id shifted right by 16).
/// A merge within a part reads at most this many cases' entries of a term
/// (the list of cases of a common character is then at most 64 KiB), and a
/// search for a rare term reads one part per 65,536 cases.
const PART_BITS: u32 = 16;
/// Pages of merge work after each write to a part, when it has any to do:
/// a few milliseconds at most, and far more than a part's writes need.
const MERGE_PAGES: i64 = 8;

/// The part of the index that holds case `case_id`.
#[must_use]
pub(crate) fn part_of(case_id: i64) -> i64 {
    case_id >> PART_BITS
}

/// The FTS5 table of part `part`.
#[must_use]
pub fn part_table(part: i64) -> String {
    format!("case_search_{part}")
}

/// Every part there is, newest first (a search reads them in this order).
pub fn parts(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT part FROM search_parts ORDER BY part DESC")?;
    let parts = stmt.query_map([], |r| r.get(0))?;
    Ok(parts.collect::<Result<_, _>>()?)
}

/// Makes part `part` when it is not there yet; returns its table.
fn ensure_part(tx: &Transaction<'_>, part: i64) -> Result<String> {
    let table = part_table(part);
    let added = tx
        .prepare_cached("INSERT OR IGNORE INTO search_parts (part) VALUES (?)")?
        .execute([part])?;
    if added == 1 {
        tx.execute_batch(&super::schema::SEARCH_PART.replace("{t}", &table))?;
    }
    Ok(table)
}

/// Does up to [`MERGE_PAGES`] of merge work in `table`: nothing unless one of
/// its levels has four segments or a merge is under way.
fn merge_some(tx: &Transaction<'_>, table: &str) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)"))?
        .execute([MERGE_PAGES])?;
    Ok(())
}

/// Indexes (or re-indexes) one case: its text, and who complained in a column
/// of its own so a search never reveals a confidential complainant.
/// `fresh` = the case was never indexed (no old entry to delete first).
pub(crate) fn index_case(tx: &Transaction<'_>, case_id: i64, case: &Case, fresh: bool) -> Result<()> {
    let dept_of = |id: Option<crate::domain::DeptId>| -> Result<String> {
        Ok(match id {
            Some(d) => tx
                .prepare_cached("SELECT name FROM departments WHERE id = ?")?
                .query_row([d.0], |r| r.get::<_, String>(0))
                .unwrap_or_default(),
            None => String::new(),
        })
    };
    let (body, who) = search_row(
        case,
        &dept_of(case.intake.dept)?,
        &dept_of(case.assignment.map(|(d, _)| d))?,
    );
    let table = ensure_part(tx, part_of(case_id))?;
    if !fresh {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?"))?
            .execute([case_id])?;
    }
    tx.prepare_cached(&format!("INSERT INTO {table} (rowid, body, who) VALUES (?, ?, ?)"))?
        .execute(params![case_id, body, who])?;
    merge_some(tx, &table)
}

/// Search entries of many new cases (a bulk load, filling the index): each
/// part's entries go in with one statement, as one large segment. Cases come
/// in rising id order. Call [`SearchBatch::finish`].
#[derive(Default)]
pub(crate) struct SearchBatch {
    part: Option<i64>,
    /// The held entries, as the inside of a JSON array of `[rowid, body, who]`.
    rows: String,
}

impl SearchBatch {
    /// Holds case `id`'s entry; `columns` are its two search columns as JSON
    /// strings, comma-separated. A case of the next part writes the held ones.
    pub(crate) fn add(&mut self, tx: &Transaction<'_>, id: i64, columns: &str) -> Result<()> {
        if self.part != Some(part_of(id)) {
            self.write(tx)?;
            self.part = Some(part_of(id));
        }
        if !self.rows.is_empty() {
            self.rows.push(',');
        }
        self.rows.push_str(&format!("[{id},{columns}]"));
        Ok(())
    }

    /// Writes the entries still held.
    pub(crate) fn finish(mut self, tx: &Transaction<'_>) -> Result<()> {
        self.write(tx)
    }

    fn write(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let Some(part) = self.part else { return Ok(()) };
        if self.rows.is_empty() {
            return Ok(());
        }
        let table = ensure_part(tx, part)?;
        let rows = format!("[{}]", std::mem::take(&mut self.rows));
        tx.execute(
            &format!(
                "INSERT INTO {table} (rowid, body, who)
                 SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)"
            ),
            [rows],
        )?;
        Ok(())
    }
}

/// A case's two search columns (its departments named from `depts`) as JSON
/// strings, comma-separated: what [`SearchBatch::add`] takes.
pub(crate) fn columns_json(case: &Case, depts: &super::rows::DeptNames) -> Result<String> {
    let name = |d: Option<crate::domain::DeptId>| d.and_then(|d| depts.get(&d)).map_or("", String::as_str);
    let (body, who) = search_row(case, name(case.intake.dept), name(case.assignment.map(|(d, _)| d)));
    let json = |s: &str| serde_json::to_string(s).map_err(|e| super::StoreError::Damaged(e.to_string()));
    Ok(format!("{},{}", json(&body)?, json(&who)?))
}

/// A case's two search columns, as tokens: its number, text and departments
/// (named by the caller); and who complained.
#[must_use]
pub(crate) fn search_row(case: &Case, dept: &str, assigned: &str) -> (String, String) {
    let i = &case.intake;
    let body = format!("{} {} {} {dept} {assigned}", i.number, i.summary, i.details);
    let who = match &i.complainant {
        // The phone as written and as its digits: a search for either finds it.
        Complainant::Named { name, phone, .. } => format!(
            "{name} {} {}",
            phone.as_deref().unwrap_or(""),
            i.complainant.phone_key().unwrap_or_default()
        ),
        Complainant::Anonymous => String::new(),
    };
    (tokens(&body), tokens(&who))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_and_pairs_are_tokens() {
        assert_eq!(tokens("护士态度"), "护 士 护士 态 士态 度 态度 ");
        assert_eq!(tokens("A1-b"), "a 1 a1 b ");
        assert_eq!(tokens("13800138000"), "1 3 13 8 38 0 80 00 01 ", "each token once");
        assert_eq!(tokens("护士，护士"), "护 士 护士 ");
        assert_eq!(query("态度").as_deref(), Some("\"态度\""));
        assert_eq!(query("护士态度").as_deref(), Some("\"护士\" \"士态\" \"态度\""));
        assert_eq!(query("护").as_deref(), Some("\"护\""));
        assert_eq!(query("%_ "), None);
        assert_eq!(query("2026-01").as_deref(), Some("\"20\" \"02\" \"26\" \"01\""));
    }

    #[test]
    fn a_phone_however_written_is_also_searched_by_its_digits() {
        let digits = Some("13811112222".to_string());
        for term in [
            "13811112222",
            "138-1111-2222",
            "+86 138 1111 2222",
            "１３８１１１１２２２２",
            "138 1111 2222",
        ] {
            assert_eq!(phone_digits(term), digits, "{term}");
        }
        assert_eq!(phone_digits("护士态度"), None);
        assert_eq!(phone_digits("1111"), None, "too short to be a phone");
        let (plain, d) = search_query("13811112222").unwrap();
        assert_eq!(plain, query("13811112222").unwrap(), "digits: one query");
        assert_eq!(d, digits);
        let (dashed, _) = search_query("138-1111-2222").unwrap();
        assert_eq!(
            dashed,
            format!(
                "({}) OR ({})",
                query("138-1111-2222").unwrap(),
                query("13811112222").unwrap()
            )
        );
        assert_eq!(search_query("态度"), Some(("\"态度\"".to_string(), None)));
    }
}
