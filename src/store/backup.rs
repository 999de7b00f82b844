//! Backups: a consistent copy while others write (SQLite's online backup),
//! restore only after the copy passes every check, daily copies with rotation,
//! and a warning for databases on network file systems.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError};

/// Pages copied per step; between steps other terminals' writes go on.
const PAGES_PER_STEP: std::ffi::c_int = 1024;

impl Store {
    /// Copies the desk to `target` (replaced if it exists), consistent as of one moment.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
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
            let backup = Backup::new(&self.conn, &mut dst)?;
            backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)?;
        }
        // A backup is a plain file: no WAL beside it.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Replaces this desk's content with `source`, after checking it: SQLite
    /// integrity, foreign keys and the audit chain must all pass, or nothing changes.
    pub fn restore_from(&mut self, source: &Path) -> Result<super::check::CheckReport> {
        if !source.exists() {
            return Err(StoreError::NoDesk(source.to_path_buf()));
        }
        let copy = Store::connect(source)?;
        let report = super::check::run(&copy)?;
        if report.integrity != "ok"
            || report.foreign_key_errors > 0
            || report.chain.first_bad.is_some()
            || !report.state_mismatch.is_empty()
        {
            return Ok(report);
        }
        let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let backup = Backup::new(&src, &mut self.conn)?;
        backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)?;
        Ok(report)
    }
}

/// Makes today's copy in `folder` if the newest is older than a day, and keeps
/// only the newest `keep`. Returns the new file, if one was made.
pub fn daily(store: &Store, folder: &Path, keep: usize, today: chrono::NaiveDate) -> Result<Option<PathBuf>> {
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
