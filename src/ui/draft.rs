//! Drafts: the intake form is written to disk on every change, so a crash, a
//! closed SSH window or a power cut never loses a half-typed case. A writer
//! thread does the writing, so typing never waits on the disk.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::domain::StaffId;

/// What a draft holds: field name → value.
pub type DraftData = BTreeMap<String, String>;

/// The folder of a desk's drafts: beside the database, owner-only; on a
/// desk shared by a group of OS accounts (`init --group`), in the user's own
/// data folder, where no other account can read a half-typed complainant.
#[must_use]
pub fn folder(db: &Path) -> PathBuf {
    if crate::paths::group::is_shared(db) {
        return crate::paths::group::own_folder(db, "drafts");
    }
    let mut name = db.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".drafts");
    db.with_file_name(name)
}

fn file(folder: &Path, staff: StaffId) -> PathBuf {
    folder.join(format!("intake-{}.json", staff.0))
}

/// Reads a staff member's draft, if any.
#[must_use]
pub fn load(folder: &Path, staff: StaffId) -> Option<DraftData> {
    let text = std::fs::read_to_string(file(folder, staff)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes a draft now, safely: a temporary file, fsync, then rename.
pub fn save_now(folder: &Path, staff: StaffId, data: &DraftData) -> std::io::Result<()> {
    if !folder.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(folder)?;
    }
    let target = file(folder, staff);
    let tmp = target.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&tmp)?;
    f.write_all(serde_json::to_string(data).unwrap_or_default().as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &target)
}

/// Removes a draft (after the case was saved).
pub fn discard(folder: &Path, staff: StaffId) {
    drop(std::fs::remove_file(file(folder, staff)));
}

enum Job {
    Save(StaffId, DraftData),
    Discard(StaffId),
    Flush(Sender<()>),
}

/// The background writer: the newest draft wins, older pending ones are skipped.
#[derive(Debug)]
pub struct DraftWriter {
    tx: Option<Sender<Job>>,
    handle: Option<JoinHandle<()>>,
    folder: PathBuf,
    /// Set when a draft could not be written (a folder of someone else's, a full disk).
    failed: Arc<AtomicBool>,
}

impl DraftWriter {
    /// Starts the writer for drafts in `folder`.
    #[must_use]
    pub fn start(folder: PathBuf) -> Self {
        let (tx, rx) = channel();
        let dir = folder.clone();
        let failed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&failed);
        let handle = std::thread::Builder::new()
            .name("drafts".into())
            .spawn(move || writer(&dir, &rx, &flag))
            .ok();
        Self {
            tx: Some(tx),
            handle,
            folder,
            failed,
        }
    }

    /// Whether a draft could not be written since last asked.
    #[must_use]
    pub fn take_failure(&self) -> bool {
        self.failed.swap(false, Ordering::Relaxed)
    }

    /// Where drafts live.
    #[must_use]
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Queues a save.
    pub fn save(&self, staff: StaffId, data: DraftData) {
        let sent = self
            .tx
            .as_ref()
            .is_some_and(|tx| tx.send(Job::Save(staff, data.clone())).is_ok());
        if !sent && save_now(&self.folder, staff, &data).is_err() {
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Queues a removal.
    pub fn discard(&self, staff: StaffId) {
        if self.tx.as_ref().is_none_or(|tx| tx.send(Job::Discard(staff)).is_err()) {
            discard(&self.folder, staff);
        }
    }

    /// Waits until everything queued is on disk.
    pub fn flush(&self) {
        let (done, wait) = channel();
        if self.tx.as_ref().is_some_and(|tx| tx.send(Job::Flush(done)).is_ok()) {
            let _ = wait.recv();
        }
    }
}

impl Drop for DraftWriter {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(h) = self.handle.take() {
            drop(h.join());
        }
    }
}

fn writer(folder: &Path, rx: &Receiver<Job>, failed: &AtomicBool) {
    while let Ok(first) = rx.recv() {
        // Take everything queued; only the newest draft per person needs writing.
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter());
        let mut latest: BTreeMap<StaffId, Option<DraftData>> = BTreeMap::new();
        let mut flushes = Vec::new();
        for job in jobs {
            match job {
                Job::Save(s, d) => {
                    latest.insert(s, Some(d));
                }
                Job::Discard(s) => {
                    latest.insert(s, None);
                }
                Job::Flush(done) => flushes.push(done),
            }
        }
        for (staff, data) in latest {
            match data {
                Some(d) => {
                    if save_now(folder, staff, &d).is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                }
                None => discard(folder, staff),
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
