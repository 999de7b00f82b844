//! A desk shared by the OS accounts of one group, without the desk service
//! (`init --group NAME`): the desk's folder belongs to the group with the
//! setgid bit (2770), so every file made in it does too, and the desk's files
//! are the group's to read and write (0660; SQLite gives its WAL and
//! shared-memory files the database's mode). What is one clerk's alone, the
//! intake drafts, stays in that clerk's own data folder.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

/// The mode of the shared desk's folders: the group's, new files the group's too.
pub const FOLDER_MODE: u32 = 0o2770;
/// The mode of the shared desk's files.
pub const FILE_MODE: u32 = 0o660;

/// Why a desk could not be given to a group.
#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// No group of that name on this host.
    #[error("no group {0}")]
    NoGroup(String),
    /// The group or the mode could not be set (not a member of the group, not the owner).
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// The id of the group named `group`.
pub fn lookup(group: &str) -> Result<rustix::fs::Gid, GroupError> {
    let found = nix::unistd::Group::from_name(group).map_err(|e| GroupError::Io {
        path: PathBuf::from("/etc/group"),
        source: e.into(),
    })?;
    let gid = found.ok_or_else(|| GroupError::NoGroup(group.to_string()))?.gid;
    Ok(rustix::fs::Gid::from_raw(gid.as_raw()))
}

/// Gives the desk at `db`, its folder and its backups folder to the group `gid`.
pub fn share(db: &Path, gid: rustix::fs::Gid) -> Result<(), GroupError> {
    let give = |path: &Path, mode: u32| {
        let io = |source| GroupError::Io {
            path: path.to_path_buf(),
            source,
        };
        rustix::fs::chown(path, None, Some(gid)).map_err(|e| io(e.into()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io)
    };
    let folder = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    give(folder, FOLDER_MODE)?;
    // The daily backups, made by whoever opens the desk first each day.
    let backups = folder.join("backups");
    if !backups.exists() {
        std::fs::create_dir(&backups).map_err(|source| GroupError::Io {
            path: backups.clone(),
            source,
        })?;
    }
    give(&backups, FOLDER_MODE)?;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        if file.exists() {
            give(&file, FILE_MODE)?;
        }
    }
    Ok(())
}

/// Whether the desk at `db` is shared by a group: its file is the group's to write.
#[must_use]
pub fn is_shared(db: &Path) -> bool {
    std::fs::metadata(db).is_ok_and(|m| m.permissions().mode() & 0o020 != 0)
}

/// This user's own folder `what` for the desk at `db`, in their data
/// folder: one per desk, named by a hash of the desk's path.
#[must_use]
pub fn own_folder(db: &Path, what: &str) -> PathBuf {
    use sha2::Digest as _;
    let data = directories::ProjectDirs::from("", "", "casedesk")
        .map_or_else(|| PathBuf::from("."), |d| d.data_dir().to_path_buf());
    let desk = db.canonicalize().unwrap_or_else(|_| db.to_path_buf());
    let hash = sha2::Sha256::digest(desk.as_os_str().as_encoded_bytes());
    data.join(what).join(hex::encode(&hash[..8]))
}
