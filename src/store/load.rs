//! A bulk load (the demo, an import) in one write transaction: besides its
//! cases ([`Bulk`]), the departments, categories and accounts it adds, the
//! numbers' counters and its audit record; and a new desk's indexes, built
//! once its load is in.

use rusqlite::Transaction;

use super::audit::append;
use super::bulk::Bulk;
use super::directory::{IdsByName, ids_by_name, insert_category, insert_department};
use super::staff::{desk_event, insert_inactive_staff, insert_staff};
use super::{Result, Store};
use crate::domain::{Actor, CategoryId, DeptId, Role, StaffId, Time};

/// A bulk load's write transaction, handed to the work of [`Store::load`].
pub struct Load<'t, 'c> {
    tx: &'t Transaction<'c>,
}

/// The definitions of the indexes and the trigger a new desk loads without
/// ([`Store::defer_indexes`]), to be built again ([`Store::restore_indexes`]).
#[derive(Debug)]
#[must_use]
pub struct DeferredIndexes(Vec<String>);

impl Store {
    /// Runs `work`, a bulk load, in one write transaction (see [`Store::write`]):
    /// all of it is written, or none.
    pub fn load<T>(&mut self, work: impl FnOnce(&Load<'_, '_>) -> Result<T>) -> Result<T> {
        self.transaction(|tx| work(&Load { tx }))
    }

    /// The new desk (no one else can open it: it is not in its place yet) loads
    /// with a rollback journal, so new pages are written once instead of to the
    /// log and again to the file, and without the case indexes, which are built
    /// afterwards from sorted keys. The partial indexes of cases hold a few rows
    /// each (open cases, visits due) and stay: building one afterwards would read
    /// every case again. The audit log's guard against an insert onto an existing
    /// event's id waits too (it reads the log once per new event, a tenth of the
    /// load); the load's events all get new ids, and no other connection can
    /// reach this file until the guard is back. Returns the deferred definitions.
    pub fn defer_indexes(&mut self) -> Result<DeferredIndexes> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        self.transaction(|tx| {
            let sql: Vec<(String, String, String)> = tx
                .prepare(
                    "SELECT type, name, sql FROM sqlite_schema
                 WHERE (type = 'index' AND sql IS NOT NULL
                        AND (tbl_name = 'complainants' OR (tbl_name = 'cases' AND sql NOT LIKE '% WHERE %')))
                    OR (type = 'trigger' AND name = 'events_no_replace')",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (kind, name, _) in &sql {
                tx.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            }
            Ok(DeferredIndexes(sql.into_iter().map(|(_, _, sql)| sql).collect()))
        })
    }

    /// Builds the deferred indexes, puts the deferred trigger back and goes back
    /// to the write-ahead log.
    pub fn restore_indexes(&mut self, deferred: &DeferredIndexes) -> Result<()> {
        self.transaction(|tx| {
            for sql in &deferred.0 {
                tx.execute_batch(sql)?;
            }
            Ok(())
        })?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        Ok(())
    }

    /// Lets SQLite gather the statistics its planner wants (after a large load).
    pub fn optimize(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(())
    }
}

impl<'t, 'c> Load<'t, 'c> {
    /// The ids of the directory's names, as the load starts.
    pub fn ids_by_name(&self) -> Result<IdsByName> {
        ids_by_name(self.tx)
    }

    /// Adds a department (its name not yet taken); returns its id.
    pub fn add_department(&self, name: &str, phone: Option<&str>) -> Result<DeptId> {
        insert_department(self.tx, name, phone)
    }

    /// Adds a person to the people directory unless it has them already (by
    /// job number, else name and department without one); whether added.
    pub fn add_person(&self, person: &crate::domain::subject::Entry, now: Time) -> Result<bool> {
        super::people::add_if_missing(self.tx, person, now)
    }

    /// Adds a category (its code not yet taken); returns its id.
    pub fn add_category(&self, code: &str, name_zh: &str, name_en: &str) -> Result<CategoryId> {
        insert_category(self.tx, code, name_zh, name_en)
    }

    /// Adds an account (`pin_hash` from `staff::hash_pin`; none for people
    /// on file who do not use the desk), recorded as added by `by`.
    pub fn add_staff(
        &self,
        by: StaffId,
        name: &str,
        role: Role,
        dept: Option<DeptId>,
        pin_hash: Option<&str>,
        now: Time,
    ) -> Result<Actor> {
        insert_staff(self.tx, by, name, role, dept, pin_hash, now)
    }

    /// Adds an inactive account with no PIN (a name the desk lacks).
    pub fn add_inactive_staff(&self, by: StaffId, name: &str, role: Role, now: Time) -> Result<Actor> {
        insert_inactive_staff(self.tx, by, name, role, now)
    }

    /// Whether a case has this number already.
    pub fn case_exists(&self, number: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM cases WHERE number = ?)")?
            .query_row([number], |r| r.get(0))?)
    }

    /// The load's new cases, written in batches (call [`Bulk::finish`]).
    pub fn cases(&self) -> Result<Bulk<'t, 'c>> {
        Bulk::new(self.tx)
    }

    /// Moves each year's case counter up to at least `last` (year, last), so
    /// numbers given later stay unique.
    pub fn raise_counters(&self, last: impl IntoIterator<Item = (i32, i64)>) -> Result<()> {
        for (year, last) in last {
            self.tx.execute(
                "INSERT INTO case_counters (year, last) VALUES (?1, ?2)
                 ON CONFLICT(year) DO UPDATE SET last = MAX(last, ?2)",
                rusqlite::params![year, last],
            )?;
        }
        Ok(())
    }

    /// Records a desk-level event of `kind` (no case) by `by`; `body` is its JSON.
    pub fn record(&self, kind: &str, by: StaffId, now: Time, body: &str) -> Result<()> {
        append(self.tx, &[desk_event(kind, by, now, body)])
    }

    /// Keeps a file's bytes (from an export) unless the desk has them.
    pub fn keep_attachment(&self, sha256: &str, mime: &str, bytes: &[u8]) -> Result<()> {
        super::attachments::keep_bytes(self.tx, sha256, mime, bytes)
    }

    /// The files the loaded cases name whose bytes the desk lacks (SHA-256, hex).
    pub fn missing_attachments(&self) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare(
            "SELECT DISTINCT json_extract(body, '$.sha256') FROM events
             WHERE kind = 'attached'
               AND json_extract(body, '$.sha256') NOT IN (SELECT lower(hex(sha256)) FROM attachments)",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Makes the batch incidents the loaded cases joined (a batch the desk
    /// lacks is opened by its first member's join, by who made it), and
    /// their memberships.
    pub fn fill_batches(&self) -> Result<()> {
        self.tx.execute_batch(
            "INSERT OR IGNORE INTO batches (number, title, opened_at, opened_by)
                SELECT json_extract(body, '$.batch'), json_extract(body, '$.title'), MIN(at), actor_id
                FROM events WHERE kind = 'joined_batch' GROUP BY json_extract(body, '$.batch');
             INSERT OR IGNORE INTO batch_members (batch_id, case_id, joined_at)
                SELECT b.id, e.case_id, e.at FROM events e
                JOIN batches b ON b.number = json_extract(e.body, '$.batch')
                WHERE e.kind = 'joined_batch';",
        )?;
        Ok(())
    }
}
