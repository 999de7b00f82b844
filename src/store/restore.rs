//! Restoring a backup over the desk (`casedesk restore FILE --as ADMIN`).
//!
//! The backup is checked first, on a copy beside the desk: as it is (its own
//! anchor must still be its head), then whole (`check`: integrity, guards,
//! chain, tables against events, its anchors). Then the desk is held — the
//! write lock of SQLite's online backup into it, taken before anything of the
//! desk is read and kept until the last page is in, so no terminal writes in
//! between (a desk busy for longer than [`WAIT`] is refused, nothing changed).
//! Held, the desk is copied beside itself (dated), compared with the backup
//! (the two chains may part only at a restore; a training desk's backup never
//! replaces a real desk, nor the other way round), and what the backup lacks is
//! written into the copy: each year's case-number counter as high as the
//! desk had it (a number once issued is never issued again) and a `restored`
//! event naming the backup, both heads, the copy kept and the cases dropped.
//! Then the copy's pages replace the desk's, in one transaction.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::anchor::{self, Anchor};
use super::audit::append;
use super::backup::copy_to;
use super::check::{self, CheckReport};
use super::staff::desk_event;
use super::{BUSY_TIMEOUT, Result, Store, StoreError};
use crate::domain::{Actor, Role, RuleError, Time};

/// How long a restore waits for another terminal's write to end before it refuses.
const WAIT: Duration = Duration::from_secs(2);

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    /// The backup's head: the restored chain passes through it.
    pub backup: Anchor,
    /// The replaced desk's head.
    pub replaced: Anchor,
    /// Where the replaced desk is kept.
    pub kept: PathBuf,
    /// Cases of the replaced desk the backup lacks, as numbers and ranges (`a..b`).
    pub dropped: Vec<String>,
    /// How many cases that is.
    pub dropped_count: u64,
    /// Cases restored.
    pub cases: u64,
    /// Where the backup's chain and the replaced desk's part (the first event
    /// that differs, a restore or event 1), if they do.
    pub parted_at: Option<u64>,
}

/// Why a restore was refused; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The backup failed its check.
    #[error("the backup failed its check")]
    Failed(Box<CheckReport>),
    /// The backup's own anchor is not its head: events were added to it or
    /// removed from it after it was made.
    #[error("the backup's own anchor ({} events) is not its head ({} events)", own.events, head.events)]
    NotItsHead {
        /// The anchor the backup was made with.
        own: Anchor,
        /// Its head now.
        head: Anchor,
    },
    /// The backup and the desk agree up to an event and differ from it on,
    /// and it is no restore: one of them was rewritten.
    #[error("the backup and the desk differ from event {at} on, which is no restore")]
    Parted {
        /// The first event that differs.
        at: u64,
    },
    /// A training desk's backup over a real desk, or the other way round: a
    /// real desk made a training desk would take a clerk's clock.
    #[error("a training desk's backup and a real desk (or the other way round)")]
    Mode {
        /// Whether the backup is of a training desk.
        backup_training: bool,
    },
    /// Another terminal kept writing to the desk.
    #[error("another terminal is writing to the desk")]
    Busy,
}

impl From<rusqlite::Error> for RestoreError {
    fn from(e: rusqlite::Error) -> Self {
        RestoreError::Store(StoreError::from(e))
    }
}

/// The copy a restore works on, beside the desk; its files go when it does.
struct Staging(PathBuf);

impl Staging {
    fn beside(desk: &Path) -> Result<Staging> {
        let mut path = desk.as_os_str().to_owned();
        path.push(".restoring");
        let staging = Staging(PathBuf::from(path));
        staging.remove();
        Ok(staging)
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut side = self.0.as_os_str().to_owned();
            side.push(suffix);
            drop(std::fs::remove_file(PathBuf::from(side)));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.remove();
    }
}

impl Store {
    /// Replaces this desk with the backup `source`, by the admin `by`, at
    /// `now` (see the module's description). Refused, with nothing changed,
    /// when the backup fails its check or another terminal keeps writing.
    pub fn restore_from(&mut self, source: &Path, by: &Actor, now: Time) -> Result<Restored, RestoreError> {
        if !(by.active && by.role == Role::Admin) {
            return Err(StoreError::Rule(RuleError::Role(Role::Admin)).into());
        }
        if !source.is_file() {
            return Err(StoreError::NoDesk(source.to_path_buf()).into());
        }
        let staging = Staging::beside(&self.path)?;
        // The backup as it is, before anything touches it: its head, and the
        // head it was made with.
        let original = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let head = anchor::head(&original)?;
        if let Some(own) = anchor::own(&original)?
            && (own.events != head.events || own.head != head.head)
        {
            return Err(RestoreError::NotItsHead { own, head });
        }
        drop(copy_to(&original, &staging.0)?);
        drop(original);
        // The copy brought up to this version and checked whole.
        let mut copy = Store::open_existing(&staging.0)?;
        let report = check::run(&copy)?;
        if !report.passed() {
            return Err(RestoreError::Failed(Box::new(report)));
        }
        self.conn.busy_timeout(WAIT)?;
        let swapped = self.swap(&mut copy, &staging.0, source, head, by, now);
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let mut restored = swapped?;
        restored.cases = report.cases;
        Ok(restored)
    }

    /// Holds the desk, reads what the copy must keep of it, writes that into
    /// the copy and puts the copy's pages in the desk's place.
    fn swap(
        &mut self,
        copy: &mut Store,
        staging: &Path,
        source: &Path,
        backup: Anchor,
        by: &Actor,
        now: Time,
    ) -> Result<Restored, RestoreError> {
        let desk = self.path.clone();
        let pages = Connection::open(staging)?;
        let into = Backup::new(&pages, &mut self.conn)?;
        // No page yet: this takes the desk's write lock, held to the end.
        if matches!(into.step(0)?, StepResult::Busy | StepResult::Locked) {
            return Err(RestoreError::Busy);
        }
        let live = Connection::open_with_flags(&desk, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let backup_training = training(copy.sql())?;
        if backup_training != training(&live)? {
            return Err(RestoreError::Mode { backup_training });
        }
        let replaced = anchor::head(&live)?;
        let parted_at = parting(&live, copy.sql(), backup.events.min(replaced.events))?;
        if let Some(at) = parted_at
            && at > 1
            && !is_restore(&live, at)?
            && !is_restore(copy.sql(), at)?
        {
            return Err(RestoreError::Parted { at });
        }
        let kept = kept_path(&desk, now);
        drop(copy_to(&live, &kept)?);
        let kept_too = |e: RestoreError| {
            drop(std::fs::remove_file(&kept));
            e
        };
        let (dropped, dropped_count) = dropped(&live, staging).map_err(|e| kept_too(e.into()))?;
        let counters: Vec<(i32, i64)> = live
            .prepare("SELECT year, last FROM case_counters ORDER BY year")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(live);
        let restored = Restored {
            backup,
            replaced,
            kept: kept.clone(),
            dropped,
            dropped_count,
            cases: 0,
            parted_at,
        };
        let file = std::path::absolute(source).unwrap_or_else(|_| source.to_path_buf());
        let body = event_body(&restored, &file, &counters);
        copy.transaction(|tx| {
            for (year, last) in &counters {
                tx.execute(
                    "INSERT INTO case_counters (year, last) VALUES (?1, ?2)
                     ON CONFLICT(year) DO UPDATE SET last = MAX(last, ?2)",
                    rusqlite::params![year, last],
                )?;
            }
            append(tx, &[desk_event("restored", by.id, now, &body)])
        })
        .map_err(|e| kept_too(e.into()))?;
        // The copy is this restore's alone: a moment's lock on it passes.
        let mut tries = 0;
        loop {
            match into.step(-1).map_err(|e| kept_too(e.into()))? {
                StepResult::Done => break,
                StepResult::More => {}
                _ if tries < 400 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => return Err(kept_too(RestoreError::Busy)),
            }
        }
        Ok(restored)
    }
}

/// The restore's audit event: the backup and its head, the replaced desk's
/// head and where it is kept, the cases dropped, the counters kept.
fn event_body(r: &Restored, file: &Path, counters: &[(i32, i64)]) -> String {
    let head = |a: &Anchor| serde_json::json!({"events": a.events, "head": a.hex()});
    let counters: serde_json::Map<String, serde_json::Value> = counters
        .iter()
        .map(|(y, last)| (y.to_string(), (*last).into()))
        .collect();
    serde_json::json!({
        "kind": "restored",
        "file": file.display().to_string(),
        "backup": head(&r.backup),
        "replaced": head(&r.replaced),
        "kept": r.kept.display().to_string(),
        "dropped": r.dropped,
        "dropped_count": r.dropped_count,
        "counters": counters,
        "parted_at": r.parted_at,
    })
    .to_string()
}

/// The first event at which two chains differ, among their first `common`
/// (the shorter's length); `None` when they agree on all of them. Hashes
/// chain, so once two chains differ they differ from then on: a binary
/// search reads a few dozen events at any size.
fn parting(a: &Connection, b: &Connection, common: u64) -> Result<Option<u64>> {
    let hash = |c: &Connection, at: u64| -> Result<Option<Vec<u8>>> {
        Ok(c.prepare_cached("SELECT hash FROM events WHERE id = ?")?
            .query_row([i64::try_from(at).unwrap_or(i64::MAX)], |r| r.get(0))
            .optional()?)
    };
    // Agree on the first `low` events; differ at `high`, if anywhere.
    let (mut low, mut high) = (0, common + 1);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if hash(a, mid)? == hash(b, mid)? {
            low = mid;
        } else {
            high = mid;
        }
    }
    Ok((high <= common).then_some(high))
}

/// Whether the desk of `conn` is a training desk (one that never said is a real one).
fn training(conn: &Connection) -> Result<bool> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM desk_settings WHERE key = 'training'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(value.as_deref() == Some("1"))
}

/// Whether event `at` of `conn` is a restore.
fn is_restore(conn: &Connection, at: u64) -> Result<bool> {
    let kind: Option<String> = conn
        .query_row(
            "SELECT kind FROM events WHERE id = ?",
            [i64::try_from(at).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(kind.as_deref() == Some("restored"))
}

/// Where the replaced desk is kept: beside it, named with the time of the
/// restore (`casedesk-replaced-20261130-000500Z.db`, UTC), never over another file.
fn kept_path(desk: &Path, now: Time) -> PathBuf {
    let stem = desk
        .file_stem()
        .map_or_else(|| "casedesk".into(), |s| s.to_string_lossy().into_owned());
    let stamp = now.format("%Y%m%d-%H%M%SZ");
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let path = desk.with_file_name(format!("{stem}-replaced-{stamp}{suffix}.db"));
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

/// The desk's case numbers the copy at `staging` lacks, oldest first, as
/// numbers and ranges of consecutive numbers, and how many.
fn dropped(live: &Connection, staging: &Path) -> Result<(Vec<String>, u64)> {
    live.execute("ATTACH DATABASE ?1 AS backup", [staging.display().to_string()])?;
    let numbers: Result<Vec<String>> = live
        .prepare(
            "SELECT number FROM main.cases c
             WHERE NOT EXISTS (SELECT 1 FROM backup.cases b WHERE b.number = c.number) ORDER BY number",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(StoreError::from);
    live.execute("DETACH DATABASE backup", [])?;
    let numbers = numbers?;
    let count = numbers.len() as u64;
    Ok((ranges(&numbers), count))
}

/// `2026-000041, 2026-000042, 2026-000043, 2026-000050` as
/// `2026-000041..2026-000043, 2026-000050` (the numbers sorted).
fn ranges(numbers: &[String]) -> Vec<String> {
    let key = |n: &str| {
        n.split_once('-')
            .and_then(|(y, s)| Some((y.to_string(), s.parse::<u64>().ok()?)))
    };
    let next = |a: &str, b: &str| matches!((key(a), key(b)), (Some((ya, a)), Some((yb, b))) if ya == yb && b == a + 1);
    let mut out = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && next(&numbers[j], &numbers[j + 1]) {
            j += 1;
        }
        out.push(if i == j {
            numbers[i].clone()
        } else {
            format!("{}..{}", numbers[i], numbers[j])
        });
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_numbers_are_told_as_ranges() {
        let n = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            ranges(&n(&[
                "2025-000009",
                "2026-000001",
                "2026-000002",
                "2026-000003",
                "2026-000005"
            ])),
            n(&["2025-000009", "2026-000001..2026-000003", "2026-000005"])
        );
        assert!(ranges(&[]).is_empty());
    }
}
