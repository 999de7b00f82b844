//! The people directory (人员名录): the organisation's people — name,
//! department, job number — apart from desk accounts. A case's subject is
//! found here by name or job number; an admin adds people one at a time or
//! imports a list, each change an audit event.

use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::append;
use super::staff::desk_event;
use super::{Result, Store, StoreError, secs};
use crate::domain::subject::Entry;
use crate::domain::{Actor, StaffId, Time};

/// What saving a list of people did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PeopleSaved {
    /// New people.
    pub added: usize,
    /// People whose name or department changed (found by job number).
    pub updated: usize,
    /// People already there as they are.
    pub unchanged: usize,
}

const COLUMNS: &str = "name, dept, job_number";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        name: r.get(0)?,
        dept: r.get(1)?,
        job_number: r.get(2)?,
    })
}

impl Store {
    /// The directory, by department, name and job number; only `dept`'s
    /// people when given.
    pub fn people(&self, dept: Option<&str>) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM people WHERE ?1 IS NULL OR dept = ?1 ORDER BY dept, name, job_number"
        ))?;
        let rows = stmt.query_map([dept.map(str::trim)], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The people of this name.
    pub fn people_named(&self, name: &str) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM people WHERE name = ? ORDER BY dept, job_number"
        ))?;
        let rows = stmt.query_map([name.trim()], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The person with this job number.
    pub fn person_by_job_number(&self, job_number: &str) -> Result<Option<Entry>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM people WHERE job_number = ?"))?
            .query_row([job_number.trim()], entry)
            .optional()?)
    }

    /// The desk account of this name, if there is one (a person of the
    /// directory who also uses the desk).
    pub fn staff_id_named(&self, name: &str) -> Result<Option<StaffId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM staff WHERE name = ?")?
            .query_row([name.trim()], |r| r.get(0).map(StaffId))
            .optional()?)
    }

    /// Adds one person (an admin, checked by the desk). A job number another
    /// person has, or the same name and department without job numbers, is
    /// [`StoreError::PersonOnFile`].
    pub fn add_person(&mut self, by: &Actor, person: &Entry, now: Time) -> Result<()> {
        self.transaction(|tx| {
            if let Some(other) = existing(tx, person)? {
                return Err(StoreError::PersonOnFile(other));
            }
            insert(tx, person, now)?;
            let body = serde_json::json!({
                "kind": "person_added", "name": person.name, "dept": person.dept, "job_number": person.job_number,
            })
            .to_string();
            append(tx, &[desk_event("person_added", by.id, now, &body)])
        })
    }

    /// Saves an imported list in one transaction: a person with the job
    /// number of one on file updates them; without a job number, one of the
    /// same name and department is the same person; anyone else is added.
    /// `source` (the file) is named in the audit event.
    pub fn import_people(&mut self, by: &Actor, people: &[Entry], source: &str, now: Time) -> Result<PeopleSaved> {
        self.transaction(|tx| {
            let mut saved = PeopleSaved::default();
            for person in people {
                match existing(tx, person)? {
                    None => {
                        insert(tx, person, now)?;
                        saved.added += 1;
                    }
                    Some(old) if old.name == person.name && old.dept == person.dept => saved.unchanged += 1,
                    Some(_) => {
                        tx.prepare_cached("UPDATE people SET name = ?, dept = ?, changed_at = ? WHERE job_number = ?")?
                            .execute(params![person.name, person.dept, secs(now), person.job_number])?;
                        saved.updated += 1;
                    }
                }
            }
            let body = serde_json::json!({
                "kind": "people_imported", "file": source, "added": saved.added, "updated": saved.updated,
                "unchanged": saved.unchanged,
            })
            .to_string();
            append(tx, &[desk_event("people_imported", by.id, now, &body)])?;
            Ok(saved)
        })
    }
}

/// The person on file that `person` is: the one with its job number, else
/// (without one) the one of the same name and department and no job number.
fn existing(tx: &Transaction<'_>, person: &Entry) -> Result<Option<Entry>> {
    let found = match &person.job_number {
        Some(j) => tx
            .prepare_cached(&format!("SELECT {COLUMNS} FROM people WHERE job_number = ?"))?
            .query_row([j], entry)
            .optional()?,
        None => tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM people WHERE name = ? AND dept = ? AND job_number IS NULL"
            ))?
            .query_row([&person.name, &person.dept], entry)
            .optional()?,
    };
    Ok(found)
}

/// Adds `person` unless the directory has them already; whether added.
pub(crate) fn add_if_missing(tx: &Transaction<'_>, person: &Entry, now: Time) -> Result<bool> {
    if existing(tx, person)?.is_some() {
        return Ok(false);
    }
    insert(tx, person, now)?;
    Ok(true)
}

fn insert(tx: &Transaction<'_>, person: &Entry, now: Time) -> Result<()> {
    tx.prepare_cached("INSERT INTO people (name, dept, job_number, added_at, changed_at) VALUES (?, ?, ?, ?, ?)")?
        .execute(params![
            person.name,
            person.dept,
            person.job_number,
            secs(now),
            secs(now)
        ])?;
    Ok(())
}
