//! The SQLite store: one file per desk, shared by every terminal on the host.

pub mod anchor;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bases;
pub mod batches;
pub mod brief;
pub mod bulk;
pub mod case_depts;
pub mod cases;
pub mod check;
pub mod directory;
pub mod duty;
pub mod fault;
pub mod links;
pub mod list;
pub mod load;
pub mod people;
pub mod phrases;
pub mod queue;
pub mod report;
pub mod restore;
pub mod rings;
pub mod rows;
pub mod schema;
pub mod search;
pub mod settings;
pub mod staff;
pub mod views;
pub mod visits;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::domain::{RuleError, Time};

pub use cases::CaseRecord;
pub use list::{CaseFilter, CaseRow};
pub use queue::{QueueCounts, QueuePage, QueueView};

/// How long a writer waits for another terminal's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Search entries made again on opening past which the clerk is told first
/// (some seconds' work).
const REINDEX_NOTICE: usize = 10_000;

/// Prepared statements a connection keeps.
const STATEMENT_CACHE: usize = 128;

/// Something the store could not do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A step must name one of the departments still to reply (the rule's
    /// error, with the departments' names).
    #[error("departments still to reply: {}", pending.join(", "))]
    Departments {
        /// The department named that is not still to reply, if one was.
        named: Option<String>,
        /// The departments still to reply.
        pending: Vec<String>,
    },
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The file system failed.
    #[error("{path}: {source}")]
    Io {
        /// Which file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
    /// No desk at this path yet.
    #[error("no desk at {0}")]
    NoDesk(PathBuf),
    /// `init` on a desk that has staff already.
    #[error("a desk already exists at {0}")]
    AlreadyInitialized(PathBuf),
    /// A name that is not on the list.
    #[error("unknown {what} '{given}'; known: {}", known.join(", "))]
    Unknown {
        /// staff, department, category.
        what: &'static str,
        /// The name given.
        given: String,
        /// The names there are.
        known: Vec<String>,
    },
    /// A name more than one person of the directory has: say which, by job number.
    #[error("'{given}' is {} people; say which by job number", candidates.len())]
    AmbiguousPerson {
        /// The name given.
        given: String,
        /// The people of that name.
        candidates: Vec<crate::domain::subject::Entry>,
    },
    /// The directory has this person (their job number, or their name and
    /// department without one) already.
    #[error("{} ({}) is in the people directory already", .0.name, .0.dept)]
    PersonOnFile(crate::domain::subject::Entry),
    /// No case with that number.
    #[error("no case {0}")]
    NoCase(String),
    /// The name is taken.
    #[error("'{0}' already exists")]
    Duplicate(String),
    /// No phrase offered with that id.
    #[error("no phrase #{0}")]
    NoPhrase(i64),
    /// No duty-log entry with that id.
    #[error("no duty-log entry #{0}")]
    NoLogEntry(i64),
    /// The duty-log entry already has its ending.
    #[error("duty-log entry #{0} is already resolved")]
    AlreadyResolved(i64),
    /// No handover with that id.
    #[error("no handover #{0}")]
    NoHandover(i64),
    /// Wrong PIN.
    #[error("wrong PIN ({left} tries left)")]
    BadPin {
        /// Tries before the account locks.
        left: u32,
    },
    /// Too many wrong PINs.
    #[error("account locked until {until}")]
    Locked {
        /// When it unlocks.
        until: Time,
    },
    /// The PIN is too short or not digits.
    #[error("a PIN is {min} to 12 digits")]
    WeakPin {
        /// The fewest digits for the account's role.
        min: usize,
    },
    /// Someone else changed the case since it was read.
    #[error("case {number} was changed by someone else (read version {read}, now {now})")]
    Conflict {
        /// The case.
        number: String,
        /// The version the write was based on.
        read: i64,
        /// The version in the store.
        now: i64,
    },
    /// The rules refused the command.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A saved view's name or number that cannot be.
    #[error(transparent)]
    View(#[from] crate::domain::view::ViewError),
    /// Stored data that does not parse.
    #[error("stored data is damaged: {0}")]
    Damaged(String),
    /// Other terminals held the database too long.
    #[error("the database is busy; try again")]
    Busy,
    /// A line of an anchor file that is not an anchor.
    #[error("{}:{line}: not an anchor (events, then the head hash in hex)", file.display())]
    NotAnAnchor {
        /// The anchor file.
        file: PathBuf,
        /// The line, from 1.
        line: usize,
    },
    /// The disk (or the database's size limit) is full; nothing was written.
    #[error("the disk is full; nothing was saved")]
    DiskFull,
    /// The desk's file or its folder cannot be written by this user (its
    /// mode, a read-only file system): it is read, never written.
    #[error("the desk is read-only: {0}")]
    ReadOnly(PathBuf),
}

impl StoreError {
    /// Busy and locked errors from SQLite become [`StoreError::Busy`].
    fn classify(self) -> Self {
        match &self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                StoreError::Busy
            }
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DiskFull => {
                StoreError::DiskFull
            }
            // Over a file-size limit (`ulimit -f`) a write fails as EFBIG,
            // which SQLite reports as an I/O error: the disk is full for us.
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::SystemIoFailure && fault::file_size_limit_hit() =>
            {
                StoreError::DiskFull
            }
            _ => self,
        }
    }

    /// [`StoreError::classify`], and a write SQLite refused as read-only
    /// (the file's mode changed under an open desk) becomes [`StoreError::ReadOnly`].
    fn classify_at(self, path: &Path) -> Self {
        match self.classify() {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly => {
                StoreError::ReadOnly(path.to_path_buf())
            }
            other => other,
        }
    }
}

/// Store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The desk's database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only: this user cannot write the file or its folder.
    read_only: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A long one-time job of opening a desk after an upgrade, told before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// The schema's new migrations run over a desk of this many cases (a new
    /// index over a million cases takes some seconds to build).
    Upgrading {
        /// Cases on the desk.
        cases: usize,
    },
    /// The search index is made again for this many cases (a desk from
    /// before the index's parts).
    Reindexing {
        /// Cases indexed.
        cases: usize,
    },
}

impl Store {
    /// Opens the desk at `path`, creating the file (owner-only) and its folder when missing.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_noting(path, true, &|_| {})
    }

    /// Opens an existing desk; a missing file is [`StoreError::NoDesk`], never created.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_noting(path, false, &|_| {})
    }

    /// Opens the desk (creating it when `create`); `notice` hears of a long
    /// one-time job first (see [`Opening`]).
    pub fn open_noting(path: &Path, create: bool, notice: &dyn Fn(Opening)) -> Result<Store> {
        if create {
            create_private(path)?;
        } else if !path.exists() {
            return Err(StoreError::NoDesk(path.to_path_buf()));
        }
        let mut store = Self::connect_noting(path, notice)?;
        store.record_staff_baseline()?;
        store.fill_search_index(notice)?;
        store.reindex_listed(notice)?;
        Ok(store)
    }

    /// Every connection is set up here and nowhere else. A desk this user
    /// cannot write (see [`fault::writable`]) is opened read-only.
    fn connect_noting(path: &Path, notice: &dyn Fn(Opening)) -> Result<Store> {
        if path.exists() && !fault::writable(path) {
            return Self::connect_read_only(path);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A search prepares one statement per part of the index (16 at a
        // million cases) and keeps them for the next keystroke.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL lets readers on other terminals go on while one clerk writes;
        // synchronous=FULL makes an acknowledged command survive a power cut.
        // Waits (the busy timeout) while a bulk write holds the desk alone
        // (see `Store::alone`), then says the desk is busy.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| StoreError::from(e).classify())?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Makes INSERT OR REPLACE fire the audit table's delete trigger.
        conn.pragma_update(None, "recursive_triggers", "ON")?;
        let migrations = schema::migrations();
        if migrations
            .pending_migrations(&conn)
            .map_err(|e| StoreError::from(e).classify())?
            > 0
        {
            // A new desk has no cases table yet.
            let has_cases: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'cases')",
                [],
                |r| r.get(0),
            )?;
            let cases: i64 = if has_cases {
                conn.query_row("SELECT COALESCE(MAX(id), 0) FROM cases", [], |r| r.get(0))?
            } else {
                0
            };
            if cases > 0 {
                notice(Opening::Upgrading {
                    cases: usize::try_from(cases).unwrap_or(usize::MAX),
                });
            }
        }
        migrations
            .to_latest(&mut conn)
            .map_err(|e| StoreError::from(e).classify())?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        })
    }

    /// A read-only connection: no journal mode set, no migration run, no
    /// write ever tried. A desk in WAL mode whose folder is read-only has no
    /// shared-memory file to read through, so it is read as immutable then
    /// (nobody can write it there either). A desk whose schema is older than
    /// this program cannot be read without its upgrade, a write.
    fn connect_read_only(path: &Path) -> Result<Store> {
        let open = |immutable: bool| -> Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            let conn = if immutable {
                Connection::open_with_flags(fault::immutable_uri(path), flags)?
            } else {
                Connection::open_with_flags(path, flags - OpenFlags::SQLITE_OPEN_URI)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            // The first read finds out whether the log can be read.
            conn.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        };
        let conn = open(false).or_else(|_| open(true))?;
        if schema::migrations().pending_migrations(&conn)? > 0 {
            return Err(StoreError::ReadOnly(path.to_path_buf()));
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
        })
    }

    /// A read-only desk, whatever this user may do with the file: for
    /// looking without any chance of writing (and for the tests of a
    /// read-only desk, which run as root).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::NoDesk(path.to_path_buf()));
        }
        Self::connect_read_only(path)
    }

    /// Whether the desk is open read-only (this user cannot write it).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Fills in report facts for cases recorded before they were kept
    /// (`facts_version` 0). Needs the policy and calendar, so the desk calls it.
    pub fn fill_facts(&mut self, policy: &crate::domain::Policy, calendar: &crate::domain::Calendar) -> Result<usize> {
        let numbers: Vec<String> = self
            .conn
            .prepare("SELECT number FROM cases WHERE facts_version = 0")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if numbers.is_empty() {
            return Ok(0);
        }
        self.transaction(|tx| {
            for n in &numbers {
                let record = cases::load(tx, n)?;
                cases::write_facts(
                    tx,
                    record.id,
                    &crate::domain::facts::facts(&record.case, policy, calendar),
                )?;
            }
            Ok(numbers.len())
        })
    }

    /// Where the desk lives.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, inside the store.
    pub(crate) fn sql(&self) -> &Connection {
        &self.conn
    }

    /// The raw connection, for the integration tests and benchmarks that look
    /// into the file or damage it on purpose (the `test-hooks` feature, which
    /// only the tests' and benchmarks' build turns on): the program itself has
    /// no SQL outside `src/store`.
    #[cfg(feature = "test-hooks")]
    #[must_use]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A raw write transaction, for the integration tests (see [`Store::conn`]).
    #[cfg(feature = "test-hooks")]
    pub fn write<T>(&mut self, work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        self.transaction(work)
    }

    /// Runs `work`, a write of many new pages (an import), with a rollback
    /// journal when no other connection has the desk open: new pages are
    /// then written once, not to the log and again into the file (a
    /// million-case import takes a quarter less time). Terminals opened
    /// meanwhile wait, as for any writer, and are told the desk is busy if it
    /// takes longer. With anyone else connected the desk stays in WAL and
    /// nobody is disturbed. Either way `synchronous=FULL` holds and a crash
    /// rolls the whole write back.
    pub fn alone<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        // Leaving WAL needs the only connection; otherwise SQLite keeps WAL.
        let alone = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        let result = work(self);
        if alone {
            // The work is done (or undone) whatever this says: should a
            // terminal that opened in between hold the desk now, it has set
            // WAL itself, as every connection does when it opens.
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
        }
        result
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: it takes the write lock
    /// up front, so a busy desk waits on the busy timeout instead of failing mid-way.
    pub(crate) fn transaction<T>(&mut self, work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from(e).classify_at(&path))?;
        let value = work(&tx).map_err(|e| e.classify_at(&path))?;
        tx.commit().map_err(|e| StoreError::from(e).classify_at(&path))?;
        Ok(value)
    }
}

impl Store {
    /// Indexes every case when the search index is empty but cases exist (a
    /// desk made before the index, or before it was in parts). Cheap to check
    /// on every open.
    fn fill_search_index(&mut self, notice: &dyn Fn(Opening)) -> Result<()> {
        if self.read_only {
            // Searching finds less until someone who can write opens the desk.
            return Ok(());
        }
        let needed: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM cases) AND NOT EXISTS(SELECT 1 FROM search_parts)",
            [],
            |r| r.get(0),
        )?;
        if !needed {
            return Ok(());
        }
        let depts = self.dept_names()?;
        let numbers: Vec<String> = self
            .conn
            .prepare("SELECT number FROM cases ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        notice(Opening::Reindexing { cases: numbers.len() });
        self.transaction(|tx| {
            let mut batch = search::SearchBatch::default();
            for n in &numbers {
                let record = cases::load(tx, n)?;
                batch.add(tx, record.id, &search::columns_json(&record.case, &depts)?)?;
            }
            batch.finish(tx)?;
            // Every entry is new: none is left to make again.
            tx.execute("DELETE FROM search_reindex", [])?;
            Ok(())
        })
    }

    /// Makes again the search entries of the cases listed in `search_reindex`
    /// (migration 13: phones written with marks, now indexed by their digits
    /// too), then empties the list. Cheap to check on every open.
    fn reindex_listed(&mut self, notice: &dyn Fn(Opening)) -> Result<()> {
        let empty: bool = self
            .conn
            .query_row("SELECT NOT EXISTS(SELECT 1 FROM search_reindex)", [], |r| r.get(0))?;
        if empty {
            return Ok(());
        }
        let listed: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT c.id, c.number FROM search_reindex r JOIN cases c ON c.id = r.case_id ORDER BY c.id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if listed.len() >= REINDEX_NOTICE {
            notice(Opening::Reindexing { cases: listed.len() });
        }
        self.transaction(|tx| {
            for (id, number) in &listed {
                let record = cases::load(tx, number)?;
                search::index_case(tx, *id, &record.case, false)?;
            }
            tx.execute("DELETE FROM search_reindex", [])?;
            Ok(())
        })
    }
}

/// Creates the folder (owner-only, if new) and the file (owner-only).
pub(crate) fn create_private(path: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(parent).map_err(io)?;
    }
    if path.exists() {
        // Nothing to make (and the file may be one this user can only read).
        return Ok(());
    }
    {
        // A WAL or shared-memory file left from an earlier database of the same
        // name would be replayed into the new one and corrupt it.
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                std::fs::remove_file(&side).map_err(io)?;
            }
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(io)?;
    Ok(())
}

/// Unix seconds of an instant, the form used in indexed columns.
#[must_use]
pub fn secs(t: Time) -> i64 {
    t.timestamp()
}
