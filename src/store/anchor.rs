//! Anchors: the audit chain's head — how many events it held and the newest
//! one's hash — kept where a rewriter of the desk file cannot quietly follow
//! it. Each signed handover holds one (and prints it on its page), each
//! backup holds its own and the desk records it, and a service can append
//! one to an anchor file outside the desk ([`append_to_file`]). `casedesk
//! check` then proves the chain still passes through every anchor it is
//! shown: a removed tail, or a chain rewritten before an anchor, is named by
//! the anchor it no longer meets.
//!
//! An anchor's count is its newest event's id: events are numbered from 1
//! and never removed, so reading the head costs one index step at any size.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::rows::from_secs;
use super::{Result, Store, StoreError};
use crate::domain::Time;

/// The first line of an anchor file: what the lines below it are.
const FILE_HEADER: &str = "# casedesk anchors: events head-hash time (each line the audit chain's head then)";

/// The fewest hex digits of a head hash an anchor file's line may give (a
/// hash copied by hand from a printed page may be cut short, not shorter).
const MIN_HEX: usize = 16;

/// The audit chain's head at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// How many events the chain held.
    pub events: u64,
    /// The newest event's hash (from paper, perhaps only its first bytes).
    pub head: Vec<u8>,
    /// When it was taken, by the real clock, where known.
    pub at: Option<Time>,
}

impl Anchor {
    /// The head hash in hex.
    #[must_use]
    pub fn hex(&self) -> String {
        hex::encode(&self.head)
    }

    /// The head hash's first 12 hex digits, for messages.
    #[must_use]
    pub fn short(&self) -> String {
        let hex = self.hex();
        format!("{}…", &hex[..hex.len().min(12)])
    }

    /// Whether the chain's event at this anchor's count, of hash `hash`, is this anchor's.
    #[must_use]
    pub fn meets(&self, hash: &[u8]) -> bool {
        !self.head.is_empty() && hash.starts_with(&self.head)
    }

    /// The anchor as a line of an anchor file: count, hash, time.
    #[must_use]
    pub fn line(&self) -> String {
        let at = self.at.map_or_else(|| "-".to_string(), |t| t.to_rfc3339());
        format!("{} {} {at}", self.events, self.hex())
    }
}

/// Where an anchor was found: what `check` names when the chain no longer meets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Stored with handover `id` when its incoming clerk signed it (and printed on its page).
    Handover {
        /// The handover.
        id: i64,
        /// When the incoming clerk signed.
        signed_at: Time,
    },
    /// Recorded by this desk when it made a backup to `file`.
    Backup {
        /// The backup's file, as named then.
        file: String,
    },
    /// A backup's own head, written into the backup file when it was made.
    Copy,
    /// A line of an anchor file kept outside the desk.
    Line {
        /// The anchor file.
        file: PathBuf,
        /// Its line, from 1.
        line: usize,
    },
    /// The head of a backup file given as evidence.
    BackupFile {
        /// The backup file.
        file: PathBuf,
    },
}

/// An anchor and where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Where.
    pub source: Source,
    /// The head it holds.
    pub anchor: Anchor,
}

/// The chain's head in `conn` (a transaction derefs to one): no events is
/// count 0 and the genesis hash.
pub fn head(conn: &Connection) -> Result<Anchor> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (events, head) = row.unwrap_or((0, super::audit::GENESIS.to_vec()));
    Ok(Anchor {
        events: count(events),
        head,
        at: Some(from_secs(chrono::Utc::now().timestamp())),
    })
}

impl Store {
    /// The audit chain's head now.
    pub fn head(&self) -> Result<Anchor> {
        head(&self.conn)
    }
}

/// Appends the desk's head now (count, hash, the real clock's time) to the
/// anchor file at `path`, made (owner-only) if new, and flushes it to disk.
/// Keep the file outside the desk's folder, where whoever can write the desk
/// cannot also rewrite it (another host, a write-once share, a log service):
/// `casedesk check --anchors FILE` proves the chain still passes through
/// every line. For a service that calls it now and then; writes nothing to the desk.
pub fn append_to_file(store: &Store, path: &Path) -> Result<Anchor> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let anchor = store.head()?;
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    let empty = file.metadata().map_err(io)?.len() == 0;
    let mut text = String::new();
    if empty {
        text.push_str(FILE_HEADER);
        text.push('\n');
    }
    text.push_str(&anchor.line());
    text.push('\n');
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(anchor)
}

/// The anchors an anchor file holds (blank lines and `#` comments skipped).
pub fn read_file(path: &Path) -> Result<Vec<Placed>> {
    let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || StoreError::NotAnAnchor {
            file: path.to_path_buf(),
            line: i + 1,
        };
        let mut words = line.split_whitespace();
        let events: u64 = words.next().and_then(|w| w.parse().ok()).ok_or_else(bad)?;
        let hex_head = words.next().filter(|h| h.len() >= MIN_HEX).ok_or_else(bad)?;
        // An odd digit at the end (copied by hand) is dropped: bytes compare whole.
        let head = hex::decode(&hex_head[..hex_head.len() & !1]).map_err(|_| bad())?;
        let at = words
            .next()
            .and_then(|w| chrono::DateTime::parse_from_rfc3339(w).ok())
            .map(|t| t.to_utc());
        out.push(Placed {
            source: Source::Line {
                file: path.to_path_buf(),
                line: i + 1,
            },
            anchor: Anchor { events, head, at },
        });
    }
    Ok(out)
}

/// Whether `path` is an SQLite database (a backup) rather than an anchor file.
fn is_database(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut magic = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(file.read_exact(&mut magic).is_ok() && &magic == b"SQLite format 3\0")
}

/// The anchors a file given to `check --anchors` holds: a backup file's head
/// (the backup is an earlier state of this desk, so its head must lie on
/// this desk's chain), or an anchor file's lines. Read only: the file is evidence.
pub fn evidence(path: &Path) -> Result<Vec<Placed>> {
    if !is_database(path)? {
        return read_file(path);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let anchor = head(&conn)?;
    Ok(vec![Placed {
        source: Source::BackupFile {
            file: path.to_path_buf(),
        },
        anchor: Anchor {
            at: file_time(path),
            ..anchor
        },
    }])
}

/// When a file was last written, where the file system says.
fn file_time(path: &Path) -> Option<Time> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(modified))
}

/// Every anchor the desk holds: each signed handover's, and the backups'.
pub fn recorded(conn: &Connection) -> Result<Vec<Placed>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, incoming_signed_at, anchor_events, anchor_head FROM handovers
         WHERE anchor_events IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let signed_at = from_secs(r.get::<_, Option<i64>>(1)?.unwrap_or(0));
        out.push(Placed {
            source: Source::Handover {
                id: r.get(0)?,
                signed_at,
            },
            anchor: Anchor {
                events: count(r.get(2)?),
                head: r.get(3)?,
                at: Some(signed_at),
            },
        });
    }
    let mut stmt = conn.prepare("SELECT kind, events, head, at, file FROM anchors ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let source = if kind == COPY {
            Source::Copy
        } else {
            Source::Backup { file: r.get(4)? }
        };
        out.push(Placed {
            source,
            anchor: Anchor {
                events: count(r.get(1)?),
                head: r.get(2)?,
                at: Some(from_secs(r.get(3)?)),
            },
        });
    }
    Ok(out)
}

/// A stored count (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The anchors table's kind of a backup's own head.
pub(crate) const COPY: &str = "copy";
/// The anchors table's kind of a backup this desk made.
pub(crate) const BACKUP: &str = "backup";

/// Writes `anchor` into the anchors table of `conn`, of `kind`, naming `file`.
pub(crate) fn insert(conn: &Connection, kind: &str, anchor: &Anchor, file: &str) -> Result<()> {
    let at = anchor.at.map_or(0, |t| t.timestamp());
    conn.execute(
        "INSERT INTO anchors (kind, events, head, at, file) VALUES (?, ?, ?, ?, ?)",
        rusqlite::params![
            kind,
            i64::try_from(anchor.events).unwrap_or(i64::MAX),
            anchor.head,
            at,
            file
        ],
    )?;
    Ok(())
}

/// A backup file's newest own anchor (its head when it was made), if it has one.
pub(crate) fn own(conn: &Connection) -> Result<Option<Anchor>> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'anchors')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT events, head, at FROM anchors WHERE kind = ? ORDER BY id DESC LIMIT 1",
            [COPY],
            |r| {
                Ok(Anchor {
                    events: count(r.get(0)?),
                    head: r.get(1)?,
                    at: Some(from_secs(r.get(2)?)),
                })
            },
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_file_line_reads_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("anchors.txt");
        let a = Anchor {
            events: 4512,
            head: vec![0xab; 32],
            at: Some(from_secs(1_800_000_000)),
        };
        std::fs::write(&path, format!("{FILE_HEADER}\n\n{}\n4512 abababababababab\n", a.line()))
            .unwrap_or_else(|e| panic!("{e}"));
        let read = read_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].anchor, a);
        assert!(read[1].anchor.meets(&[0xab; 32]));
        assert!(!read[1].anchor.meets(&[0xac; 32]));
        assert_eq!(
            read[1].source,
            Source::Line {
                file: path.clone(),
                line: 4
            }
        );
        std::fs::write(&path, "4512 abab\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(read_file(&path).is_err(), "a hash cut too short");
    }
}
