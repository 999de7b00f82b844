//! Backups: a consistent copy while others write (SQLite's online backup),
//! anchored in the copy and in the desk, daily copies with rotation, and a
//! warning for databases on network file systems. Restoring one is `restore`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::anchor::{self, Anchor};
use super::audit::append;
use super::staff::desk_event;
use super::{Result, Store, StoreError};
use crate::domain::StaffId;

/// Pages copied per step; between steps other terminals' writes go on.
pub(crate) const PAGES_PER_STEP: std::ffi::c_int = 1024;

impl Store {
    /// Copies the desk to `target` (replaced if it exists), consistent as of
    /// one moment, and anchors it: the copy keeps its own head (a restore
    /// refuses it if events were added or removed since), and the desk
    /// records the copy's head and an audit event (`backup_made`), so a
    /// backup rewritten afterwards no longer meets what the desk recorded.
    pub fn backup_to(&mut self, target: &Path) -> Result<Anchor> {
        let dst = copy_to(&self.conn, target)?;
        let anchor = anchor::head(&dst)?;
        let file = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
        let file = file.display().to_string();
        anchor::insert(&dst, anchor::COPY, &anchor, &file)?;
        drop(dst);
        let body = serde_json::json!({
            "kind": "backup_made", "file": file, "events": anchor.events, "head": anchor.hex(),
        })
        .to_string();
        let now = super::rows::from_secs(chrono::Utc::now().timestamp());
        self.transaction(|tx| {
            anchor::insert(tx, anchor::BACKUP, &anchor, &file)?;
            append(tx, &[desk_event("backup_made", StaffId::SYSTEM, now, &body)])
        })?;
        Ok(anchor)
    }
}

/// Copies the database of `conn` to `target` (replaced if it exists) with
/// SQLite's online backup, while others go on writing: a plain file, no WAL
/// beside it, its owner's only. Returns a connection to the copy.
pub(crate) fn copy_to(conn: &Connection, target: &Path) -> Result<Connection> {
    let io = |source| StoreError::Io {
        path: target.to_path_buf(),
        source,
    };
    if target.exists() {
        std::fs::remove_file(target).map_err(io)?;
    }
    // Its folder as the desk's (0700 when made); the file itself, as every
    // file that leaves the desk, its owner's only (0600) whatever the umask.
    super::create_private(target)?;
    crate::paths::private_file(target).map_err(io)?;
    let mut dst = Connection::open(target)?;
    {
        let backup = Backup::new(conn, &mut dst)?;
        backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)?;
    }
    // A backup is a plain file: no WAL beside it.
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(dst)
}

/// Makes today's copy in `folder` if the newest is older than a day, and keeps
/// only the newest `keep`. Returns the new file, if one was made.
pub fn daily(store: &mut Store, folder: &Path, keep: usize, today: chrono::NaiveDate) -> Result<Option<PathBuf>> {
    let io = |source| StoreError::Io {
        path: folder.to_path_buf(),
        source,
    };
    if !folder.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(folder).map_err(io)?;
    }
    let target = folder.join(format!("casedesk-{today}.db"));
    let made = if target.exists() {
        None
    } else {
        store.backup_to(&target)?;
        Some(target)
    };
    let mut copies: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("casedesk-") && n.ends_with(".db"))
        })
        .collect();
    copies.sort();
    while copies.len() > keep.max(1) {
        let old = copies.remove(0);
        std::fs::remove_file(&old).map_err(io)?;
    }
    Ok(made)
}

/// The file system type holding `path`, from `/proc/mounts` (Linux); `None` elsewhere.
#[must_use]
pub fn fs_type(path: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path.parent().unwrap_or(path)).ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (_dev, mount, kind) = (parts.next()?, parts.next()?, parts.next()?);
            let mount = mount.replace("\\040", " ");
            abs.starts_with(&mount).then(|| (mount.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// Whether a file system type is a network one, where SQLite's locking is unsafe.
#[must_use]
pub fn is_network_fs(kind: &str) -> bool {
    matches!(
        kind,
        "nfs"
            | "nfs4"
            | "cifs"
            | "smb3"
            | "smbfs"
            | "9p"
            | "glusterfs"
            | "ceph"
            | "afs"
            | "fuse.sshfs"
            | "davfs"
            | "ncpfs"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_file_systems_are_known() {
        assert!(is_network_fs("nfs4"));
        assert!(is_network_fs("fuse.sshfs"));
        assert!(!is_network_fs("ext4"));
        assert!(!is_network_fs("tmpfs"));
        assert!(fs_type(Path::new("/tmp/x.db")).is_some());
    }
}
