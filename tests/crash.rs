#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Crashes: `kill -9` of a writer at random moments.
//!
//! A clerk's terminal can die at any instant (power, a closed SSH session, the
//! OOM killer). Each round starts a real `casedesk` writer — `case new` or
//! `case urge` — lets it run a random while, then sends SIGKILL
//! (`Child::kill`), noting whether it had already exited 0 and printed its
//! result (acknowledged). `CASEDESK_KILLS` rounds (20 when unset;
//! `scripts/long-checks.sh` runs 200).
//!
//! Afterwards `casedesk check` passes (integrity, foreign keys, audit chain, no
//! half-written command: every case replays from its events), every
//! acknowledged case and step is there, no command left two cases or two
//! events, and the case numbers are unique and without gaps (a rolled-back
//! intake gives its number back).
//!
//! A large `demo` killed part-way leaves a desk that either passes `check` or
//! is gone (`CASEDESK_DEMO_CASES`, 3000 when unset).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");
const NOW: &str = "2026-09-30T10:00:00+08:00";
const ADMIN: &str = "管理员";
const ADMIN_PIN: &str = "1111";
const CLERK: &str = "张小明";
const CLERK_PIN: &str = "2222";
const HANG: Duration = Duration::from_secs(60);

// ------------------------------------------------------------------ processes

/// A child process that is killed and reaped when dropped (also on a panic).
struct Guard {
    child: Option<Child>,
    files: [PathBuf; 2],
}

impl Guard {
    /// SIGKILL now (if still running) and reap; returns how it ended.
    fn kill(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        drop(child.kill());
        child.wait().ok()
    }

    /// Waits for the end (killing it when hung).
    fn wait(&mut self) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            let child = self.child.as_mut()?;
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return Some(status);
            }
            if start.elapsed() > HANG {
                return self.kill();
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    fn stdout(&self) -> String {
        fs::read_to_string(&self.files[0]).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        fs::read_to_string(&self.files[1]).unwrap_or_default()
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

#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// A temp dir for desk files, with an explicit environment for every process.
struct Site {
    dir: TempDir,
    seq: std::cell::Cell<u64>,
}

impl Site {
    fn new() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
            seq: std::cell::Cell::new(0),
        }
    }

    fn db(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn spawn(&self, db: &Path, pin: Option<&str>, new_pin: Option<&str>, args: &[String]) -> Guard {
        let n = self.seq.get();
        self.seq.set(n + 1);
        let home = self.dir.path();
        let files = [home.join(format!("out-{n}")), home.join(format!("err-{n}"))];
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .env("HOME", home)
            .env("CASEDESK_DB", db)
            .env("CASEDESK_POLICY", home.join("no-policy.toml"))
            .env("CASEDESK_CALENDAR", home.join("no-calendar.toml"))
            .env("CASEDESK_NOW", NOW)
            .env("CASEDESK_LANG", "zh")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(fs::File::create(&files[0]).unwrap())
            .stderr(fs::File::create(&files[1]).unwrap());
        if let Some(pin) = pin {
            c.env("CASEDESK_PIN", pin);
        }
        if let Some(pin) = new_pin {
            c.env("CASEDESK_NEW_PIN", pin);
        }
        let mut guard = Guard { child: None, files };
        guard.child = Some(c.spawn().expect("start casedesk"));
        guard
    }

    fn run(&self, db: &Path, pin: Option<&str>, new_pin: Option<&str>, args: &[String]) -> Ran {
        let mut g = self.spawn(db, pin, new_pin, args);
        let status = g.wait();
        Ran {
            code: status.and_then(|s| s.code()),
            stdout: g.stdout(),
            stderr: g.stderr(),
        }
    }

    fn must(&self, db: &Path, pin: Option<&str>, new_pin: Option<&str>, args: &[&str]) -> String {
        let args = strings(args);
        let r = self.run(db, pin, new_pin, &args);
        assert!(r.ok(), "casedesk {args:?} failed: {r:?}");
        r.stdout
    }

    /// `casedesk check` on `db`.
    fn check(&self, db: &Path) -> Ran {
        self.run(db, None, None, &strings(&["check"]))
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_string()).collect()
}

fn env_number(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: small, deterministic, no crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn assert_check_passes(site: &Site, db: &Path, when: &str) {
    let r = site.check(db);
    assert!(
        r.ok() && r.stdout.contains("检查通过"),
        "casedesk check failed {when}:\n{}\n{}",
        r.stdout,
        r.stderr
    );
}

fn new_case_args(token: &str) -> Vec<String> {
    strings(&[
        "case",
        "new",
        "--as",
        CLERK,
        "--channel",
        "phone",
        "--kind",
        "complaint",
        "--summary",
        token,
        "--details",
        "终端在写入时被强制结束",
        "--name",
        "王芳",
        "--phone",
        "13800138000",
        "--dept",
        "护理部",
        "--category",
        "attitude",
    ])
}

/// One round's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Exited 0 before the kill: the clerk saw the result.
    Acknowledged,
    /// Exited non-zero on its own before the kill.
    FailedAlone,
    /// Killed while running.
    Killed,
}

// ------------------------------------------------------------------ kill -9 of writers

#[test]
fn kill_9_of_writers_never_loses_an_acknowledged_command_or_leaves_half_of_one() {
    let site = Site::new();
    let db = site.db("desk.db");
    site.must(&db, None, Some(ADMIN_PIN), &["init", "--admin", ADMIN]);
    site.must(
        &db,
        Some(ADMIN_PIN),
        None,
        &["dept", "add", "--as", ADMIN, "--name", "护理部"],
    );
    site.must(
        &db,
        Some(ADMIN_PIN),
        Some(CLERK_PIN),
        &["staff", "add", "--as", ADMIN, "--name", CLERK, "--role", "clerk"],
    );
    // One case every urge can go to, made before any kill.
    let first = site.run(&db, Some(CLERK_PIN), None, &new_case_args("calibrate-0"));
    assert!(first.ok(), "{first:?}");

    // How long a writer runs here: the kill moment is drawn from 0–30 ms, or
    // from the whole run when that is longer (a debug build signs in slowly),
    // so kills land before, during and after the write transaction.
    let mut runs = Vec::new();
    for i in 1..=3 {
        let start = Instant::now();
        let r = site.run(&db, Some(CLERK_PIN), None, &new_case_args(&format!("calibrate-{i}")));
        assert!(r.ok(), "{r:?}");
        runs.push(start.elapsed());
    }
    runs.sort();
    let window_ms = 30u64.max(u64::try_from(runs[1].as_millis() * 5 / 4).unwrap());

    let kills = env_number("CASEDESK_KILLS", 20);
    let mut rng = Rng(0xDEAD_BEEF);
    // case new: summary token → (outcome, printed number)
    let mut intakes: Vec<(String, Outcome, Option<String>)> = Vec::new();
    // case urge: note token → (outcome, case)
    let mut urges: Vec<(String, Outcome, String)> = Vec::new();
    let mut acked_numbers: Vec<String> = (0..4).map(|i| format!("2026-{:06}", i + 1)).collect();
    let mut tally: BTreeMap<(&str, Outcome), u64> = BTreeMap::new();
    let start = Instant::now();
    for round in 0..kills {
        let token = format!("kill-{round}");
        let urge = rng.below(2) == 1;
        let target = acked_numbers[usize::try_from(rng.below(acked_numbers.len() as u64)).unwrap()].clone();
        let args = if urge {
            strings(&["case", "urge", &target, "--as", CLERK, "--note", &token])
        } else {
            new_case_args(&token)
        };
        let mut g = site.spawn(&db, Some(CLERK_PIN), None, &args);
        thread::sleep(Duration::from_millis(rng.below(window_ms + 1)));
        let finished = g.child.as_mut().unwrap().try_wait().unwrap();
        let outcome = match finished {
            Some(s) if s.success() => Outcome::Acknowledged,
            Some(_) => Outcome::FailedAlone,
            None => Outcome::Killed,
        };
        // A late exit between try_wait and the kill is still "not acknowledged":
        // the clerk never saw it.
        g.kill();
        let out = g.stdout();
        if outcome == Outcome::FailedAlone {
            panic!("{args:?} failed on its own after {round} kills: {}", g.stderr());
        }
        *tally
            .entry((if urge { "case urge" } else { "case new" }, outcome))
            .or_default() += 1;
        if urge {
            urges.push((token, outcome, target));
        } else {
            let number = (outcome == Outcome::Acknowledged).then(|| out.trim().to_string());
            if let Some(n) = &number {
                acked_numbers.push(n.clone());
            }
            intakes.push((token, outcome, number));
        }
        if (round + 1) % 25 == 0 {
            assert_check_passes(&site, &db, &format!("after {} kills", round + 1));
        }
    }
    let spent = start.elapsed();
    assert_check_passes(&site, &db, &format!("after all {kills} kills"));

    // What exists now.
    let listed = site.run(
        &db,
        None,
        None,
        &strings(&["case", "list", "--json", "--limit", "1000000"]),
    );
    assert!(listed.ok(), "{listed:?}");
    let listed: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
    let numbers: Vec<String> = listed
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "duplicate case numbers: {numbers:?}");
    // Numbers are 2026-000001 … 2026-N without a gap: a killed intake gave its number back.
    let expected_numbers: BTreeSet<String> = (1..=numbers.len()).map(|i| format!("2026-{i:06}")).collect();
    let got: BTreeSet<String> = numbers.iter().cloned().collect();
    assert_eq!(got, expected_numbers, "case numbers have gaps");

    let mut by_summary: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut urge_notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in &numbers {
        let r = site.run(&db, None, None, &strings(&["case", "show", n, "--json"]));
        assert!(r.ok(), "case {n} cannot be shown after the kills: {r:?}");
        let case: Value = serde_json::from_str(&r.stdout).unwrap();
        by_summary
            .entry(case["summary"].as_str().unwrap().to_string())
            .or_default()
            .push(n.clone());
        for e in case["events"].as_array().unwrap() {
            if e["kind"] == "urged" {
                urge_notes
                    .entry(e["note"].as_str().unwrap().to_string())
                    .or_default()
                    .push(n.clone());
            }
        }
    }
    let mut survived_unacked = 0;
    for (token, outcome, number) in &intakes {
        let found = by_summary.get(token).cloned().unwrap_or_default();
        assert!(
            found.len() <= 1,
            "one `case new` ({token}) made {} cases: {found:?}",
            found.len()
        );
        if *outcome == Outcome::Acknowledged {
            assert_eq!(
                found.first(),
                number.as_ref(),
                "acknowledged case {token} (number {number:?}) is not in the desk"
            );
        } else if !found.is_empty() {
            survived_unacked += 1;
        }
    }
    for (token, outcome, target) in &urges {
        let found = urge_notes.get(token).cloned().unwrap_or_default();
        assert!(
            found.len() <= 1,
            "one urge ({token}) was recorded {} times",
            found.len()
        );
        if *outcome == Outcome::Acknowledged {
            assert_eq!(
                found.first(),
                Some(target),
                "acknowledged urge {token} on {target} is not in the desk"
            );
        } else if !found.is_empty() {
            survived_unacked += 1;
        }
    }
    println!(
        "crash: {kills} kill -9 rounds in {:.1} s, kill moment drawn from 0–{window_ms} ms (a writer runs ~{:?} here)",
        spent.as_secs_f64(),
        runs[1]
    );
    for ((what, outcome), n) in &tally {
        println!("crash:   {what:<10} {outcome:?}: {n}");
    }
    println!(
        "crash:   killed but committed (kill between COMMIT and exit): {survived_unacked}; cases now {}; casedesk check passed",
        numbers.len()
    );
}

// ------------------------------------------------------------------ kill -9 of a large demo

/// Cases a reader sees committed in `db` (0 while there is no desk yet).
fn committed_cases(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0)))
        .unwrap_or(0)
}

#[test]
fn a_demo_killed_midway_leaves_a_sound_desk_or_none() {
    let site = Site::new();
    let cases = env_number("CASEDESK_DEMO_CASES", 3000);
    let cases_arg = cases.to_string();
    let args = strings(&["demo", "--cases", &cases_arg, "--seed", "11"]);

    // A whole run first: how long it takes, and that the full desk is sound.
    let full = site.db("full.db");
    let start = Instant::now();
    let r = site.run(&full, None, None, &args);
    let whole = start.elapsed();
    assert!(r.ok(), "demo failed on its own: {r:?}");
    assert_check_passes(&site, &full, "after a whole demo");

    let mut findings = Vec::new();
    // Kill moments: fractions of a whole run, and (`None`) the instant the
    // cases' transaction is seen committed, while the escalations and the
    // rest still run.
    let moments = [Some(0.1), Some(0.3), Some(0.5), Some(0.7), None];
    for (i, fraction) in moments.into_iter().enumerate() {
        let db = site.db(&format!("killed-{i}.db"));
        let mut g = site.spawn(&db, None, None, &args);
        let started = Instant::now();
        match fraction {
            Some(f) => thread::sleep(whole.mul_f64(f)),
            None => {
                while committed_cases(&db) == 0
                    && g.child.as_mut().unwrap().try_wait().unwrap().is_none()
                    && started.elapsed() < whole * 4
                {
                    thread::sleep(Duration::from_millis(2));
                }
            }
        }
        let when = started.elapsed();
        let finished = g.child.as_mut().unwrap().try_wait().unwrap();
        g.kill();
        let state = if finished.is_some() {
            "had already finished".to_string()
        } else if !db.exists() {
            "killed; no desk file left".to_string()
        } else {
            let r = site.check(&db);
            let summary: Vec<&str> = r.stdout.lines().collect();
            assert!(
                !r.stderr.contains("panicked"),
                "check panicked on a killed demo's desk: {}",
                r.stderr
            );
            // Never corrupt: what is left passes the check, or opening it says what is wrong.
            assert!(
                r.ok() && r.stdout.contains("检查通过"),
                "a demo killed after {when:?} left a desk that fails casedesk check:\n{}\n{}",
                r.stdout,
                r.stderr
            );
            let again = site.run(&db, None, None, &args);
            format!(
                "killed; desk left behind passes check ({}); `demo` again: exit {:?} {}",
                summary
                    .iter()
                    .filter(|l| l.contains("案件") || l.contains("审计"))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
                again.code,
                again.stderr.trim()
            )
        };
        let moment = fraction.map_or_else(
            || "as soon as its cases were committed".to_string(),
            |f| format!("at {:.0}%", f * 100.0),
        );
        findings.push(format!("{moment} ({when:?}): {state}"));
    }
    println!("crash: demo --cases {cases} takes {whole:?} when left alone");
    for f in &findings {
        println!("crash:   demo killed {f}");
    }
}
