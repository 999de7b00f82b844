//! What the integration tests share. Each test file includes it with
//! `mod support;`; not every file uses every helper.
//!
//! - this module: times, command lines as words, exit codes, the staff most
//!   tests use, a small deterministic random generator, settings from the
//!   environment (proptest's case count among them);
//! - [`desk`]: a desk in a temp dir driven through the real `casedesk` binary,
//!   with a fixed clock and an explicit environment;
//! - [`reports`]: the hand-counted desk of the `report*` tests;
//! - [`procs`]: `casedesk` processes that are killed and reaped when dropped
//!   (the crash and load tests);
//! - [`confidential`]: the desk with a confidential complainant of the
//!   `confidentiality_*` tests;
//! - [`domain`]: the case engine in memory, for the `domain_*` rule tests;
//! - [`duty`]: shifts, the duty log and handovers of the `handover*` tests;
//! - [`exchange`]: desks and export files for the import tests;
//! - [`lifecycle`]: random command sequences for the property tests;
//! - [`pty`]: the binary in a real pseudo-terminal;
//! - [`screen`]: the app in memory, keys in and frames out;
//! - [`tamper`]: a desk file edited behind the desk's back (past its guards, the chain hashed again).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod confidential;
pub mod desk;
pub mod domain;
pub mod duty;
pub mod exchange;
pub mod lifecycle;
pub mod procs;
pub mod pty;
pub mod reports;
pub mod screen;
pub mod tamper;

use std::process::Output;

use casedesk::domain::{Channel, Complainant, IntakeForm, Kind, Origin, Severity, Time};
use serde_json::Value;

pub use desk::Desk;

/// The program under test, as cargo built it for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_casedesk");

/// The administrator every desk is made with, and the PIN.
pub const ADMIN: &str = "管理员";
pub const ADMIN_PIN: &str = "111111";
/// The clerk most tests work as.
pub const CLERK: &str = "张小明";
pub const CLERK_PIN: &str = "2222";
/// Another clerk.
pub const OTHER: &str = "李静";
pub const OTHER_PIN: &str = "3333";
/// A supervisor.
pub const SUPERVISOR: &str = "陈主管";
pub const SUPERVISOR_PIN: &str = "444444";
/// Wednesday 30 September 2026, 10:00 at the desk; 1–7 October are holidays.
pub const T0: &str = "2026-09-30T10:00:00+08:00";
/// No arguments at all.
pub const NONE: [&str; 0] = [];

/// A staff member and their PIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Who {
    pub name: &'static str,
    pub pin: &'static str,
}

impl Who {
    /// The administrator every desk is made with.
    pub const ADMIN: Who = Who {
        name: ADMIN,
        pin: ADMIN_PIN,
    };
    /// The clerk most tests work as.
    pub const CLERK: Who = Who {
        name: CLERK,
        pin: CLERK_PIN,
    };
    /// Another clerk.
    pub const OTHER: Who = Who {
        name: OTHER,
        pin: OTHER_PIN,
    };
    /// A supervisor.
    pub const SUPERVISOR: Who = Who {
        name: SUPERVISOR,
        pin: SUPERVISOR_PIN,
    };
}

/// An instant given in RFC 3339, e.g. `2026-03-02T09:00:00+08:00`.
#[track_caller]
pub fn at(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// A command line: a string split on whitespace, or the words themselves
/// (for arguments that contain spaces).
pub trait Words {
    fn words(&self) -> Vec<String>;
}

impl Words for str {
    fn words(&self) -> Vec<String> {
        self.split_whitespace().map(str::to_string).collect()
    }
}

impl Words for String {
    fn words(&self) -> Vec<String> {
        self.as_str().words()
    }
}

impl Words for [&str] {
    fn words(&self) -> Vec<String> {
        self.iter().map(|s| (*s).to_string()).collect()
    }
}

impl<const N: usize> Words for [&str; N] {
    fn words(&self) -> Vec<String> {
        self.as_slice().words()
    }
}

impl Words for Vec<&str> {
    fn words(&self) -> Vec<String> {
        self.as_slice().words()
    }
}

impl Words for [String] {
    fn words(&self) -> Vec<String> {
        self.to_vec()
    }
}

impl Words for Vec<String> {
    fn words(&self) -> Vec<String> {
        self.clone()
    }
}

/// Owned copies of command-line words.
pub fn strings(args: &[&str]) -> Vec<String> {
    args.words()
}

/// Fails, showing both outputs, unless the process exited with `code`.
#[track_caller]
pub fn expect_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The kinds of a case's events, oldest first, from `case show --json`.
pub fn kinds(case: &Value) -> Vec<&str> {
    case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

/// A whole number from the environment (`default` when unset or unreadable).
pub fn env_number(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// How many cases a property runs: `PROPTEST_CASES` when set (as
/// `scripts/long-checks.sh` sets it), else `default`. A `cases:` written
/// into a proptest config would override the variable: use this instead.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: small, deterministic, no crates.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index into something `len` long.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap()
    }
}

/// A minor phone complaint from 王芳 (13800138000) with only a summary: what a
/// store or screen test records when the case's content does not matter.
#[must_use]
pub fn plain_form(summary: &str) -> IntakeForm {
    IntakeForm {
        number: String::new(),
        received_at: None,
        channel: Channel::Phone,
        kind: Kind::Complaint,
        origin: Origin::External,
        complainant: Complainant::Named {
            name: "王芳".into(),
            phone: Some("13800138000".into()),
            address: None,
            relation: None,
        },
        confidential: false,
        dept: None,
        subject_staff: None,
        subject_person: None,
        category: None,
        severity: Severity::Minor,
        summary: summary.into(),
        details: String::new(),
        promised_reply_at: None,
        flags: vec![],
    }
}
