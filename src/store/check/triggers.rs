//! The schema's guards: every trigger the migrations make (the audit log's
//! append-only rules, signed handovers read-only, nothing deleted, case
//! numbers never issued twice) must be in the file as the migrations made
//! it, and no other trigger may be. A guard dropped to edit the file behind
//! the desk's back is named, even when it was put back changed.

use rusqlite::Connection;

use super::super::Result;
use super::super::schema::migrations;

/// What is wrong with one trigger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriggerProblem {
    /// A trigger the migrations make is not in the file.
    Missing(String),
    /// It is there, but not as the migrations made it.
    Changed(String),
    /// A trigger no migration makes (it could change rows as they are written).
    Unexpected(String),
}

/// The triggers of `conn`'s schema: name and SQL, by name.
fn triggers(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default()))
        })?
        .collect::<Result<_, _>>()?)
}

/// SQL compared without its spacing (a trigger put back by hand with other
/// line breaks is still the same guard).
fn plain(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares the file's triggers with those of a new desk made by the same migrations.
pub fn check(conn: &Connection) -> Result<Vec<TriggerProblem>> {
    let mut fresh = Connection::open_in_memory()?;
    migrations().to_latest(&mut fresh)?;
    let expected = triggers(&fresh)?;
    let found = triggers(conn)?;
    let mut problems = Vec::new();
    for (name, sql) in &expected {
        match found.iter().find(|(n, _)| n == name) {
            None => problems.push(TriggerProblem::Missing(name.clone())),
            Some((_, now)) if plain(now) != plain(sql) => problems.push(TriggerProblem::Changed(name.clone())),
            Some(_) => {}
        }
    }
    for (name, _) in &found {
        if !expected.iter().any(|(n, _)| n == name) {
            problems.push(TriggerProblem::Unexpected(name.clone()));
        }
    }
    Ok(problems)
}
