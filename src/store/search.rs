//! The search index: every character and every pair of neighbouring characters
//! of a case's text is a token, so one- and two-character Chinese terms are
//! found through an index (FTS5's trigram tokenizer finds nothing under three
//! characters, and `LIKE '%…%'` reads every row).

use std::collections::HashSet;

use rusqlite::{Transaction, params};

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
    if !fresh {
        tx.prepare_cached("DELETE FROM case_search WHERE rowid = ?")?
            .execute([case_id])?;
    }
    tx.prepare_cached("INSERT INTO case_search (rowid, body, who) VALUES (?, ?, ?)")?
        .execute(params![case_id, body, who])?;
    Ok(())
}

/// A case's two search columns, as tokens: its number, text and departments
/// (named by the caller); and who complained.
#[must_use]
pub(crate) fn search_row(case: &Case, dept: &str, assigned: &str) -> (String, String) {
    let i = &case.intake;
    let body = format!("{} {} {} {dept} {assigned}", i.number, i.summary, i.details);
    let who = match &i.complainant {
        Complainant::Named { name, phone, .. } => format!("{name} {}", phone.as_deref().unwrap_or("")),
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
}
