//! Where the desk's files live: the user's data and config folders, unless overridden.

use std::path::PathBuf;

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
