#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Crashes: `kill -9` of writers.
//!
//! A clerk's terminal can die at any instant (power, a closed SSH session, the
//! OOM killer). Every killed process is a real `casedesk`, sent SIGKILL
//! (`Child::kill`); afterwards `casedesk check` passes (integrity, foreign
//! keys, audit chain, no half-written command: every case replays from its
//! events).
//!
//! - At random moments: each round starts a writer — `case new` or `case
//!   urge` — lets it run a random while, then kills it, noting whether it had
//!   already exited 0 and printed its result (acknowledged). Every
//!   acknowledged case and step is there, no command left two cases or two
//!   events, and the case numbers are unique and without gaps (a rolled-back
//!   intake gives its number back). `CASEDESK_KILLS` rounds (20 when unset;
//!   `scripts/long-checks.sh` runs 200).
//! - Inside the write transaction: random moments mostly miss the few
//!   milliseconds `case new` holds its transaction open. A second connection
//!   watches the desk (its `BEGIN IMMEDIATE` is refused as busy exactly while
//!   another connection holds the write lock of a transaction) and kills the
//!   writer the moment it sees the lock taken; a round whose case is then
//!   missing was killed between `BEGIN` and `COMMIT`. Most rounds must be.
//!   `CASEDESK_KILLS` rounds.
//! - Inside an import, one transaction for the whole file: an export of a
//!   demo desk (`CASEDESK_DEMO_CASES` cases, 3000 when unset) imported into a
//!   fresh desk and killed part-way, alone on the desk (a rollback journal: a
//!   kill inside leaves a hot `-journal` file behind) and with another
//!   terminal reading (WAL: killed while the watcher sees the writer's lock).
//!   Either all of the import is there or none of it, and kills of both
//!   kinds landed inside the transaction.
//! - A large `demo` killed part-way. The demo builds its desk in a side file
//!   and renames it into place when done, so this shows that a killed demo
//!   leaves no desk or a whole one, not how the store's transactions survive
//!   a kill (the tests above do).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde_json::Value;
use support::procs::{Guard, HANG, Ran, must, run};
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, Rng, env_number, strings};

// ------------------------------------------------------------------ helpers

/// `casedesk check` on the desk.
fn check(desk: &Desk) -> Ran {
    run(desk, None, None, &strings(&["check"]))
}

#[track_caller]
fn assert_check_passes(desk: &Desk, when: &str) {
    let r = check(desk);
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

/// A second connection to a desk, watching for a writer: its `BEGIN
/// IMMEDIATE` is refused as busy exactly while another connection holds the
/// desk's write lock, that is, is inside a write transaction.
struct Watcher(Connection);

impl Watcher {
    fn open(db: &Path) -> Watcher {
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap();
        conn.busy_timeout(Duration::ZERO).unwrap();
        // A read joins the desk's WAL as any terminal does.
        let _: i64 = conn.query_row("SELECT COUNT(*) FROM staff", [], |r| r.get(0)).unwrap();
        Watcher(conn)
    }

    /// Whether another connection is inside a write transaction now.
    fn sees_a_writer(&self) -> bool {
        match self.0.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => {
                self.0.execute_batch("ROLLBACK").unwrap();
                false
            }
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => true,
            Err(e) => panic!("the watcher cannot begin: {e}"),
        }
    }

    /// Cases with this summary, as committed.
    fn cases_with_summary(&self, summary: &str) -> i64 {
        self.0
            .query_row("SELECT COUNT(*) FROM cases WHERE summary = ?", [summary], |r| r.get(0))
            .unwrap()
    }
}

/// Cases a reader sees committed in `db` (0 while there is no desk yet).
fn committed_cases(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0)))
        .unwrap_or(0)
}

/// The numbers of every case on the desk, checked unique and without gaps
/// (2026-000001 … 2026-N: a killed intake gave its number back).
#[track_caller]
fn numbers_without_gaps(desk: &Desk) -> Vec<String> {
    let listed = run(
        desk,
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
    let expected: BTreeSet<String> = (1..=numbers.len()).map(|i| format!("2026-{i:06}")).collect();
    let got: BTreeSet<String> = numbers.iter().cloned().collect();
    assert_eq!(got, expected, "case numbers have gaps");
    numbers
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
    let desk = Desk::empty();
    // A writer killed while checking its PIN has spent a try (tries are counted
    // before the PIN is checked, so a killed guess counts too): the kills here
    // must not lock the clerk out.
    std::fs::write(desk.paths().policy, "[security]\npin_attempts = 1000\n").unwrap();
    must(&desk, None, Some(ADMIN_PIN), &["init", "--admin", ADMIN, "--training"]);
    must(
        &desk,
        Some(ADMIN_PIN),
        None,
        &["dept", "add", "--as", ADMIN, "--name", "护理部"],
    );
    must(
        &desk,
        Some(ADMIN_PIN),
        Some(CLERK_PIN),
        &["staff", "add", "--as", ADMIN, "--name", CLERK, "--role", "clerk"],
    );
    // One case every urge can go to, made before any kill.
    let first = run(&desk, Some(CLERK_PIN), None, &new_case_args("calibrate-0"));
    assert!(first.ok(), "{first:?}");

    // How long a writer runs here: the kill moment is drawn from 0–30 ms, or
    // from the whole run when that is longer (a debug build signs in slowly),
    // so kills land before, during and after the write transaction.
    let mut runs = Vec::new();
    for i in 1..=3 {
        let start = Instant::now();
        let r = run(&desk, Some(CLERK_PIN), None, &new_case_args(&format!("calibrate-{i}")));
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
        let mut g = Guard::spawn(&desk, Some(CLERK_PIN), None, &args);
        thread::sleep(Duration::from_millis(rng.below(window_ms + 1)));
        let finished = g.try_wait();
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
            assert_check_passes(&desk, &format!("after {} kills", round + 1));
        }
    }
    let spent = start.elapsed();
    assert_check_passes(&desk, &format!("after all {kills} kills"));

    // What exists now: unique numbers without gaps.
    let numbers = numbers_without_gaps(&desk);

    let mut by_summary: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut urge_notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in &numbers {
        let r = run(&desk, None, None, &strings(&["case", "show", n, "--json"]));
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

// ------------------------------------------------------------------ kill -9 inside an intake's transaction

#[test]
fn kill_9_inside_an_intake_transaction_rolls_it_back_whole() {
    let desk = Desk::new();
    let rounds = env_number("CASEDESK_KILLS", 20);
    let watcher = Watcher::open(&desk.db());
    // Rounds by what the kill met: the writer inside its transaction and the
    // case then missing (rolled back), inside but committed between the look
    // and the signal, or done before the watcher saw it write.
    let (mut inside, mut after_commit, mut missed) = (0u64, 0u64, 0u64);
    let mut acknowledged = Vec::new();
    for round in 0..rounds {
        let token = format!("inside-{round}");
        let mut g = Guard::spawn(&desk, Some(CLERK_PIN), None, &new_case_args(&token));
        let started = Instant::now();
        let seen = loop {
            if let Some(status) = g.try_wait() {
                assert!(status.success(), "{token} failed on its own: {}", g.stderr());
                break false;
            }
            if watcher.sees_a_writer() {
                g.kill();
                break true;
            }
            assert!(started.elapsed() < HANG, "{token} hangs");
            thread::sleep(Duration::from_micros(200));
        };
        let stored = watcher.cases_with_summary(&token);
        assert!(stored <= 1, "{token} made {stored} cases");
        match (seen, stored) {
            (true, 0) => inside += 1,
            (true, _) => after_commit += 1,
            (false, _) => {
                assert_eq!(stored, 1, "{token} exited 0 but its case is not there");
                acknowledged.push(g.stdout().trim().to_string());
                missed += 1;
            }
        }
        assert_check_passes(&desk, &format!("after killing {token}"));
    }
    let numbers = numbers_without_gaps(&desk);
    for n in &acknowledged {
        assert!(numbers.contains(n), "acknowledged case {n} is not in the desk");
    }
    println!(
        "crash: {rounds} `case new` watched: killed inside the transaction and rolled back {inside}, \
         committed before the kill landed {after_commit}, done before the watcher saw a write {missed}"
    );
    assert!(
        inside * 2 >= rounds,
        "only {inside} of {rounds} kills landed inside the intake's transaction"
    );
}

// ------------------------------------------------------------------ kill -9 inside an import

/// A desk of `cases` demo cases exported as JSON: the file and the number of cases in it.
fn demo_export(cases: u64) -> (Desk, std::path::PathBuf) {
    let source = Desk::empty();
    let r = run(
        &source,
        None,
        None,
        &strings(&["demo", "--cases", &cases.to_string(), "--seed", "5"]),
    );
    assert!(r.ok(), "demo: {r:?}");
    let file = source.path("export.json");
    let r = run(
        &source,
        None,
        None,
        &strings(&["export", "--format", "json", "--out", file.to_str().unwrap()]),
    );
    assert!(r.ok(), "export: {r:?}");
    (source, file)
}

/// The demo's export was made without a supervisor: its confidential
/// complainants are masked, which the import is told it may load.
fn import_args(file: &Path) -> Vec<String> {
    strings(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        ADMIN,
        "--masked-ok",
        "--create-staff",
    ])
}

/// A file beside the desk's database that holds something.
fn holds(desk: &Desk, suffix: &str) -> bool {
    let file = desk.path(&format!("desk.db{suffix}"));
    std::fs::metadata(file).is_ok_and(|m| m.len() > 0)
}

/// After a kill: `check` passes, and all of the import or none of it is there.
#[track_caller]
fn all_or_none(desk: &Desk, total: u64, when: &str) -> u64 {
    assert_check_passes(desk, when);
    let cases = u64::try_from(committed_cases(&desk.db())).unwrap();
    assert!(
        cases == 0 || cases == total,
        "{when}: {cases} of the {total} imported cases are in the desk"
    );
    cases
}

#[test]
fn kill_9_inside_an_import_leaves_all_of_it_or_none() {
    let total = env_number("CASEDESK_DEMO_CASES", 3000);
    let (_source, file) = demo_export(total);

    // A whole import first: how long it takes, and that it is whole.
    let whole_desk = Desk::empty();
    whole_desk.init();
    let started = Instant::now();
    let r = run(&whole_desk, Some(ADMIN_PIN), None, &import_args(&file));
    let whole = started.elapsed();
    assert!(r.ok(), "the import failed on its own: {r:?}");
    assert_eq!(all_or_none(&whole_desk, total, "after a whole import"), total);

    let mut findings = Vec::new();
    // Alone on the desk, the import writes with a rollback journal: a kill
    // inside the transaction leaves the journal behind, hot.
    let mut journal_inside = 0;
    for fraction in [0.35, 0.55, 0.75, 0.95] {
        let desk = Desk::empty();
        desk.init();
        let mut g = Guard::spawn(&desk, Some(ADMIN_PIN), None, &import_args(&file));
        thread::sleep(whole.mul_f64(fraction));
        let finished = g.try_wait();
        g.kill();
        let journal = holds(&desk, "-journal");
        let when = format!("an import killed alone at {:.0}%", fraction * 100.0);
        let cases = all_or_none(&desk, total, &when);
        if journal && cases == 0 {
            journal_inside += 1;
        }
        findings.push(format!(
            "{when}: {}; hot journal left {journal}; cases after: {cases}",
            if finished.is_some() { "had finished" } else { "killed" }
        ));
    }
    // With another terminal reading, the desk stays in WAL: the watcher kills
    // the import while it sees the import's write lock.
    let mut watched_inside = 0;
    for fraction in [0.3, 0.6] {
        let desk = Desk::empty();
        desk.init();
        let watcher = Watcher::open(&desk.db());
        let mut g = Guard::spawn(&desk, Some(ADMIN_PIN), None, &import_args(&file));
        let started = Instant::now();
        while !watcher.sees_a_writer() {
            assert!(g.try_wait().is_none(), "the import ended before it was seen writing");
            assert!(started.elapsed() < HANG, "the import hangs");
            thread::sleep(Duration::from_millis(1));
        }
        let began = started.elapsed();
        thread::sleep(whole.mul_f64(fraction));
        let seen = watcher.sees_a_writer();
        g.kill();
        drop(watcher);
        let when = format!(
            "an import killed {:.0}% of a whole import after its transaction began",
            fraction * 100.0
        );
        let cases = all_or_none(&desk, total, &when);
        if seen && cases == 0 {
            watched_inside += 1;
        }
        findings.push(format!(
            "{when} ({began:?} in): writer still seen {seen}; cases after: {cases}"
        ));
    }
    println!("crash: import of {total} cases takes {whole:?} when left alone");
    for f in &findings {
        println!("crash:   {f}");
    }
    assert!(journal_inside >= 1, "no kill landed inside an import alone on the desk");
    assert!(watched_inside >= 1, "no kill landed inside an import in WAL");
}

// ------------------------------------------------------------------ kill -9 of a large demo

#[test]
fn a_demo_killed_midway_leaves_a_sound_desk_or_none() {
    let cases = env_number("CASEDESK_DEMO_CASES", 3000);
    let cases_arg = cases.to_string();
    let args = strings(&["demo", "--cases", &cases_arg, "--seed", "11"]);

    // A whole run first: how long it takes, and that the full desk is sound.
    let full = Desk::empty();
    let start = Instant::now();
    let r = run(&full, None, None, &args);
    let whole = start.elapsed();
    assert!(r.ok(), "demo failed on its own: {r:?}");
    assert_check_passes(&full, "after a whole demo");

    let mut findings = Vec::new();
    // Kill moments: fractions of a whole run, and (`None`) the instant the
    // finished desk is seen at its place (renamed there from the side file),
    // before the process has ended.
    let moments = [Some(0.1), Some(0.3), Some(0.5), Some(0.7), None];
    for fraction in moments {
        let desk = Desk::empty();
        let db = desk.db();
        let mut g = Guard::spawn(&desk, None, None, &args);
        let started = Instant::now();
        match fraction {
            Some(f) => thread::sleep(whole.mul_f64(f)),
            None => {
                while committed_cases(&db) == 0 && g.try_wait().is_none() && started.elapsed() < whole * 4 {
                    thread::sleep(Duration::from_millis(2));
                }
            }
        }
        let when = started.elapsed();
        let finished = g.try_wait();
        g.kill();
        let state = if finished.is_some() {
            "had already finished".to_string()
        } else if !db.exists() {
            "killed; no desk file left".to_string()
        } else {
            let r = check(&desk);
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
            let again = run(&desk, None, None, &args);
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
            || "as soon as the desk appeared at its place".to_string(),
            |f| format!("at {:.0}%", f * 100.0),
        );
        findings.push(format!("{moment} ({when:?}): {state}"));
    }
    println!("crash: demo --cases {cases} takes {whole:?} when left alone");
    for f in &findings {
        println!("crash:   demo killed {f}");
    }
}
