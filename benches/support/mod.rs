//! What the benchmarks share: the demo desk of the requested size, made once.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;

use casedesk::desk::Desk;
use casedesk::paths::Paths;
use casedesk::words::Lang;

/// The desk size: `CASEDESK_BENCH_CASES` (default 100000).
pub fn cases() -> u64 {
    std::env::var("CASEDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// A demo desk of the requested size, made once and reused.
pub fn desk_paths(n: u64) -> Paths {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-desks");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = Paths {
        db: dir.join(format!("demo-{n}.db")),
        policy: dir.join("none.toml"),
        calendar: dir.join("none-cal.toml"),
    };
    if !paths.db.exists() {
        let tmp = dir.join(format!("demo-{n}.tmp.db"));
        drop(std::fs::remove_file(&tmp));
        let tmp_paths = Paths {
            db: tmp.clone(),
            ..paths.clone()
        };
        let mut desk = Desk::open(&tmp_paths, Lang::Zh, true).unwrap();
        eprintln!("making a {n}-case demo desk (once)…");
        casedesk::demo::generate(&mut desk, n, 7, &|_| {}).unwrap();
        drop(desk);
        std::fs::rename(&tmp, &paths.db).unwrap();
    }
    paths
}

/// Evicts the desk from the operating system's cache, so the next read comes
/// from disk: the database file and, while a connection has it open in WAL
/// mode, its write-ahead log (`-wal`, whose pages are read instead of the
/// file's for everything written since the last checkpoint) and its index
/// (`-shm`). Pages a process has mapped stay resident: the `-shm` of a desk
/// that is open somewhere is shared memory by design, 32 KiB per 4,096 log frames.
pub fn evict(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let path = PathBuf::from(path);
        if suffix.is_empty() || path.exists() {
            evict_file(&path);
        }
    }
}

fn evict_file(path: &std::path::Path) {
    // GNU dd's nocache flag asks the kernel to drop the file's cached pages
    // (posix_fadvise DONTNEED over the whole file with count=0).
    let status = std::process::Command::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()
        .unwrap();
    // A log removed meanwhile (its last connection closed) has nothing left to evict.
    assert!(status.success() || !path.exists(), "could not evict {}", path.display());
}
