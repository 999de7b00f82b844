//! Where the desk's files live: the user's data and config folders, unless overridden.

pub mod group;

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The files of one desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// The database.
    pub db: PathBuf,
    /// The user's policy file (may not exist).
    pub policy: PathBuf,
    /// The user's calendar file (may not exist).
    pub calendar: PathBuf,
}

impl Paths {
    /// The defaults from `directories`, overridden by flags or environment.
    #[must_use]
    pub fn resolve(db: Option<PathBuf>, policy: Option<PathBuf>, calendar: Option<PathBuf>) -> Paths {
        let dirs = directories::ProjectDirs::from("", "", "casedesk");
        let data = dirs
            .as_ref()
            .map_or_else(|| PathBuf::from("."), |d| d.data_dir().to_path_buf());
        let config = dirs
            .as_ref()
            .map_or_else(|| PathBuf::from("."), |d| d.config_dir().to_path_buf());
        Paths {
            db: db.unwrap_or_else(|| data.join("casedesk.db")),
            policy: policy.unwrap_or_else(|| config.join("policy.toml")),
            calendar: calendar.unwrap_or_else(|| config.join("calendar.toml")),
        }
    }
}

/// Opens a file that leaves the desk (an export, a report, a printed page, a
/// backup) for writing, empty: readable and writable by its owner only (0600),
/// whatever the umask and whatever the file's mode was before, since such
/// files hold complainants' names and phones.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let file = options.open(path)?;
        // `mode` applies only when the file is created: an older file keeps
        // its mode unless told.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Writes `contents` to a file that leaves the desk (see [`private_file`]).
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = private_file(path)?;
    file.write_all(contents)?;
    file.flush()
}
