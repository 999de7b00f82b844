//! What the store does when the desk's file cannot be written: a file or
//! folder this user may only read, and a disk (or a file-size limit) that is full.

use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether this user may write the desk at `path` and its folder (where
/// SQLite makes its log and lock files): access(2), so the file's and the
/// folder's modes and a read-only file system count as they do for this
/// user (root may write a file whose mode says read-only, and does).
#[must_use]
pub fn writable(path: &Path) -> bool {
    use rustix::fs::{Access, access};
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    access(path, Access::WRITE_OK).is_ok() && access(folder, Access::WRITE_OK).is_ok()
}

/// The desk as an immutable SQLite URI (`file:…?immutable=1`), its path's
/// bytes that a URI reserves written as `%XX`.
#[must_use]
pub fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(b) {
            uri.push(char::from(*b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Set when the kernel sent SIGXFSZ: a write went past the file-size limit
/// (`ulimit -f`). The program's start registers it (`signal_hook`), so the
/// write fails instead of the process being killed.
#[must_use]
pub fn file_size_limit() -> Arc<AtomicBool> {
    static HIT: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    HIT.get_or_init(|| Arc::new(AtomicBool::new(false))).clone()
}

/// Whether a write has gone past the file-size limit: an I/O error then
/// means the disk is full for this process.
#[must_use]
pub fn file_size_limit_hit() -> bool {
    file_size_limit().load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_bytes_are_escaped_in_the_uri() {
        assert_eq!(
            immutable_uri(Path::new("/tmp/a b/桌?#%.db")),
            "file:/tmp/a%20b/%E6%A1%8C%3F%23%25.db?immutable=1"
        );
    }
}
