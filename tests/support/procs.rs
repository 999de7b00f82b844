//! `casedesk` processes run as the crash and load tests need them: output to
//! files (no pipe can fill up and stall a writer), killed and reaped when
//! dropped (also when a test fails half-way), hung ones killed.

use std::fs;
use std::path::PathBuf;
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::Desk;

/// A command that runs longer than this is hung: it is killed and counted as failed.
pub const HANG: Duration = Duration::from_secs(60);

/// Numbers the output files of every process of the test binary.
static SEQ: AtomicU64 = AtomicU64::new(0);

/// A running `casedesk`, killed and reaped when dropped; its output files go with it.
pub struct Guard {
    pub child: Option<Child>,
    files: [PathBuf; 2],
    started: Instant,
}

impl Guard {
    /// Starts `casedesk ARGS` on `desk` at its clock; `pin` and `new_pin`
    /// become `CASEDESK_PIN` and `CASEDESK_NEW_PIN`.
    pub fn spawn(desk: &Desk, pin: Option<&str>, new_pin: Option<&str>, args: &[String]) -> Guard {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let files = [desk.path(&format!("out-{n}")), desk.path(&format!("err-{n}"))];
        let mut c = desk.command(pin, args);
        c.stdout(fs::File::create(&files[0]).unwrap())
            .stderr(fs::File::create(&files[1]).unwrap());
        if let Some(pin) = new_pin {
            c.env("CASEDESK_NEW_PIN", pin);
        }
        let mut guard = Guard {
            child: None,
            files,
            started: Instant::now(),
        };
        guard.child = Some(c.spawn().expect("start casedesk"));
        guard
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// How it ended, if it has (without waiting).
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.as_mut()?.try_wait().unwrap()
    }

    /// SIGKILL now (if still running) and reap; returns how it ended.
    pub fn kill(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        drop(child.kill());
        child.wait().ok()
    }

    /// Waits for the end (killing it when hung: `None`).
    pub fn wait(&mut self) -> Option<ExitStatus> {
        loop {
            let child = self.child.as_mut()?;
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return Some(status);
            }
            if self.started.elapsed() > HANG {
                self.kill();
                return None;
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    pub fn stdout(&self) -> String {
        fs::read_to_string(&self.files[0]).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.files[1]).unwrap_or_default()
    }

    /// Waits for the end and collects what it did.
    pub fn finish(mut self) -> Ran {
        let status = self.wait();
        Ran {
            code: status.and_then(|s| s.code()),
            stdout: self.stdout(),
            stderr: self.stderr(),
            took: self.started.elapsed(),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            drop(child.kill());
            drop(child.wait());
        }
        for f in &self.files {
            drop(fs::remove_file(f));
        }
    }
}

/// What a finished command did.
#[derive(Debug)]
pub struct Ran {
    /// Exit code; `None` when killed (hung).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Ran {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    /// The desk told the clerk it was busy (or SQLite's "database is locked" leaked through).
    pub fn busy(&self) -> bool {
        let e = self.stderr.to_lowercase();
        e.contains("数据库正忙") || e.contains("busy") || e.contains("locked")
    }
}

/// Runs one command to its end.
pub fn run(desk: &Desk, pin: Option<&str>, new_pin: Option<&str>, args: &[String]) -> Ran {
    Guard::spawn(desk, pin, new_pin, args).finish()
}

/// Runs a set-up command that must succeed; returns its standard output.
#[track_caller]
pub fn must(desk: &Desk, pin: Option<&str>, new_pin: Option<&str>, args: &[&str]) -> String {
    let args = super::strings(args);
    let r = run(desk, pin, new_pin, &args);
    assert!(r.ok(), "casedesk {args:?} failed: {r:?}");
    r.stdout
}
