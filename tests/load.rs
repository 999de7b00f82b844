#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Load: several clerks' terminals on one desk file at once.
//!
//! Four writer threads each run real `casedesk` processes in a loop — `case new`,
//! then steps on their own cases (`assign`, `urge`, `escalate`, `promise`,
//! `pause`/`resume`), one process per command, as clerks at separate terminals
//! do — while two reader threads run `case list --json`, `case show --json` and
//! `report --format json`. The run lasts `CASEDESK_LOAD_SECS` seconds (6 when
//! unset; `scripts/long-checks.sh` runs 60).
//!
//! Afterwards: no command failed on a busy/locked database, every acknowledged
//! command (exit 0) is in the desk and nothing else is (each case's events and
//! version match what its clerk was told), readers never saw a case go back in
//! time, and `casedesk check` passes. The totals are printed (`--nocapture`).

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::procs::{Ran, must, run};
use support::{ADMIN, ADMIN_PIN, Desk, Rng, strings};

const CLERKS: [(&str, &str); 4] = [("张小明", "2001"), ("李静", "2002"), ("王芳", "2003"), ("刘洋", "2004")];
const SUPERVISOR: (&str, &str) = ("陈建国", "300001");
const DEPTS: [&str; 3] = ["护理部", "门诊部", "后勤保障部"];

// ------------------------------------------------------------------ bookkeeping

/// What a writer was told it did to one of its cases.
#[derive(Clone, Debug, Default)]
struct Expected {
    assigned: usize,
    promised: usize,
    paused: usize,
    resumed: usize,
    urge_notes: BTreeSet<String>,
    escalate_reasons: BTreeSet<String>,
    /// Escalations refused (exit 3): only right when the case is at the top level.
    escalations_refused: usize,
    /// Acknowledged steps after intake: each bumps the case's version by one.
    steps: i64,
}

#[derive(Default)]
struct Tally {
    /// Acknowledged (exit 0) by command.
    acked: BTreeMap<&'static str, u64>,
    /// Refused by a rule where that is expected (escalate at the top level).
    refused: u64,
    /// Failed: the command line and what it said.
    failed: Vec<String>,
    /// Failed or warned because the database was busy/locked.
    busy: Vec<String>,
    latencies: Vec<Duration>,
}

impl Tally {
    fn record(&mut self, what: &'static str, args: &[String], r: &Ran, refusal_ok: bool) -> bool {
        self.latencies.push(r.took);
        if r.busy() {
            self.busy.push(format!("{args:?} → {:?}: {}", r.code, r.stderr.trim()));
        }
        if r.ok() {
            *self.acked.entry(what).or_default() += 1;
            true
        } else {
            if refusal_ok && r.code == Some(3) {
                self.refused += 1;
            } else {
                self.failed
                    .push(format!("{args:?} → {:?}: {}", r.code, r.stderr.trim()));
            }
            false
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn secs_from_env() -> f64 {
    std::env::var("CASEDESK_LOAD_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(6.0)
}

// ------------------------------------------------------------------ the clerks

struct WriterResult {
    tally: Tally,
    cases: BTreeMap<String, Expected>,
}

/// One clerk at a terminal: records cases and works on them until `until`.
fn writer(desk: &Desk, w: usize, until: Instant, known: &Mutex<Vec<String>>) -> WriterResult {
    let (name, pin) = CLERKS[w];
    let mut rng = Rng(0xC1E2_0000 + w as u64);
    let mut tally = Tally::default();
    let mut cases: BTreeMap<String, Expected> = BTreeMap::new();
    let mut paused: HashMap<String, bool> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let token = format!("w{w}-n{n}");
        if order.is_empty() || rng.index(4) == 0 {
            let kind = ["complaint", "suggestion", "inquiry", "repair"][rng.index(4)];
            let mut args = strings(&[
                "case",
                "new",
                "--as",
                name,
                "--channel",
                ["phone", "visit", "letter", "online"][rng.index(4)],
                "--kind",
                kind,
                "--summary",
                &format!("负载测试 {token}"),
                "--details",
                &format!("第 {n} 件，由 {name} 在终端 {w} 登记。"),
            ]);
            if rng.index(3) == 0 {
                args.push("--anonymous".into());
            } else {
                args.extend(strings(&[
                    "--name",
                    &format!("来访人{w}{n}"),
                    "--phone",
                    &format!("139{w:02}{n:06}"),
                ]));
            }
            if kind == "complaint" {
                args.extend(strings(&[
                    "--dept",
                    DEPTS[rng.index(DEPTS.len())],
                    "--category",
                    "attitude",
                ]));
            }
            let r = run(desk, Some(pin), None, &args);
            if tally.record("case new", &args, &r, false) {
                let number = r.stdout.trim().to_string();
                assert!(
                    number.len() == 11 && number.starts_with("2026-"),
                    "case new printed {:?} (stderr {:?})",
                    r.stdout,
                    r.stderr
                );
                cases.insert(number.clone(), Expected::default());
                order.push(number.clone());
                known.lock().unwrap().push(number);
            }
            continue;
        }
        let number = order[rng.index(order.len())].clone();
        let is_paused = paused.get(&number).copied().unwrap_or(false);
        let base = |step: &str| strings(&["case", step, &number, "--as", name]);
        let (what, args, refusal_ok): (&'static str, Vec<String>, bool) = match rng.index(6) {
            0 | 1 => {
                let mut a = base("assign");
                a.extend(strings(&[
                    "--dept",
                    DEPTS[rng.index(DEPTS.len())],
                    "--mode",
                    ["written", "phone"][rng.index(2)],
                ]));
                ("case assign", a, false)
            }
            2 => {
                let mut a = base("urge");
                a.extend(strings(&["--note", &token, "--whom", "科室主任", "--method", "电话"]));
                ("case urge", a, false)
            }
            3 => {
                let mut a = base("escalate");
                a.extend(strings(&["--reason", &token]));
                ("case escalate", a, true)
            }
            4 => {
                // A case promised before needs the reason for its new time.
                let mut a = base("promise");
                a.extend(strings(&[
                    "--at",
                    &format!("+{}d", 1 + rng.index(5)),
                    "--reason",
                    "与投诉人重新约定",
                ]));
                ("case promise", a, false)
            }
            _ if is_paused => ("case resume", base("resume"), false),
            _ => {
                let mut a = base("pause");
                a.extend(strings(&["--reason", "等待投诉人补充材料"]));
                ("case pause", a, false)
            }
        };
        let r = run(desk, Some(pin), None, &args);
        let acked = tally.record(what, &args, &r, refusal_ok);
        let e = cases.get_mut(&number).unwrap();
        if !acked {
            if refusal_ok && r.code == Some(3) {
                e.escalations_refused += 1;
            }
            continue;
        }
        e.steps += 1;
        match what {
            "case assign" => e.assigned += 1,
            "case promise" => e.promised += 1,
            "case urge" => {
                e.urge_notes.insert(token);
            }
            "case escalate" => {
                e.escalate_reasons.insert(token);
            }
            "case pause" => {
                e.paused += 1;
                paused.insert(number, true);
            }
            "case resume" => {
                e.resumed += 1;
                paused.insert(number, false);
            }
            _ => unreachable!(),
        }
    }
    WriterResult { tally, cases }
}

/// A terminal that only looks: lists, opens cases, runs reports.
fn reader(desk: &Desk, r: usize, until: Instant, known: &Mutex<Vec<String>>) -> Tally {
    let mut rng = Rng(0x5EAD_0000 + r as u64);
    let mut tally = Tally::default();
    // The newest version this terminal has seen of each case: it must never go back.
    let mut seen: HashMap<String, i64> = HashMap::new();
    while Instant::now() < until {
        let pick = {
            let k = known.lock().unwrap();
            (!k.is_empty()).then(|| k[rng.index(k.len())].clone())
        };
        let choice = rng.index(3);
        let (what, args): (&'static str, Vec<String>) = match (choice, &pick) {
            (0, Some(number)) => ("case show", strings(&["case", "show", number, "--json"])),
            (1, _) => (
                "case list",
                strings(&["case", "list", "--json", "--limit", ["50", "500"][rng.index(2)]]),
            ),
            _ => (
                "report",
                strings(&[
                    "report",
                    "--format",
                    "json",
                    "--period",
                    ["today", "month", "year"][rng.index(3)],
                ]),
            ),
        };
        let ran = run(desk, None, None, &args);
        if !tally.record(what, &args, &ran, false) {
            continue;
        }
        match serde_json::from_str::<Value>(&ran.stdout) {
            Err(e) => tally
                .failed
                .push(format!("{args:?}: output is not JSON ({e}): {:?}", ran.stdout)),
            Ok(v) if what == "case show" => {
                let number = pick.as_deref().unwrap();
                let version = v["version"].as_i64().unwrap_or(-1);
                if v["number"].as_str() != Some(number) || version < 1 {
                    tally.failed.push(format!("{args:?}: unexpected case JSON {v}"));
                }
                let before = seen.insert(number.to_string(), version).unwrap_or(0);
                if version < before {
                    tally
                        .failed
                        .push(format!("{args:?}: version went back from {before} to {version}"));
                    seen.insert(number.to_string(), before);
                }
            }
            Ok(v) if what == "case list" && !v.is_array() => {
                tally.failed.push(format!("{args:?}: not a list: {v}"));
            }
            Ok(_) => {}
        }
    }
    tally
}

// ------------------------------------------------------------------ checks afterwards

fn events_of(case: &Value) -> Vec<Value> {
    case["events"].as_array().cloned().unwrap_or_default()
}

fn count_kind(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|e| e["kind"] == kind).count()
}

fn texts(events: &[Value], kind: &str, field: &str, filter: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    events
        .iter()
        .filter(|e| e["kind"] == kind && filter(e))
        .filter_map(|e| e[field].as_str().map(str::to_string))
        .collect()
}

/// Every acknowledged command is in the case, and nothing the clerk was not told about.
fn verify_case(desk: &Desk, number: &str, want: &Expected) -> Result<(), String> {
    let r = run(desk, None, None, &strings(&["case", "show", number, "--json"]));
    if !r.ok() {
        return Err(format!("acknowledged case {number} cannot be shown: {r:?}"));
    }
    let case: Value = serde_json::from_str(&r.stdout).map_err(|e| format!("{number}: {e}"))?;
    let events = events_of(&case);
    let mut problems = Vec::new();
    let mut same = |what: &str, got: usize, want: usize| {
        if got != want {
            problems.push(format!("{what}: {got} in the desk, {want} acknowledged"));
        }
    };
    same("received", count_kind(&events, "received"), 1);
    same("assigned", count_kind(&events, "assigned"), want.assigned);
    same("promised", count_kind(&events, "promised"), want.promised);
    same("paused", count_kind(&events, "paused"), want.paused);
    same("resumed", count_kind(&events, "resumed"), want.resumed);
    let urges = texts(&events, "urged", "note", |_| true);
    if urges != want.urge_notes {
        problems.push(format!("urges: desk {urges:?}, acknowledged {:?}", want.urge_notes));
    }
    let manual = texts(&events, "escalated", "reason", |e| e["cause"] == "manual");
    if manual != want.escalate_reasons {
        problems.push(format!(
            "escalations: desk {manual:?}, acknowledged {:?}",
            want.escalate_reasons
        ));
    }
    let version = case["version"].as_i64().unwrap_or(-1);
    if version != 1 + want.steps {
        problems.push(format!("version {version}, but 1 + {} acknowledged steps", want.steps));
    }
    if want.escalations_refused > 0 && case["level"].as_u64() != Some(3) {
        problems.push(format!(
            "{} escalations refused, yet the case is at level {}",
            want.escalations_refused, case["level"]
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("case {number}: {}", problems.join("; ")))
    }
}

fn set_up(desk: &Desk) {
    must(desk, None, Some(ADMIN_PIN), &["init", "--admin", ADMIN, "--training"]);
    for d in DEPTS {
        must(
            desk,
            Some(ADMIN_PIN),
            None,
            &["dept", "add", "--as", ADMIN, "--name", d],
        );
    }
    for (name, pin) in CLERKS {
        must(
            desk,
            Some(ADMIN_PIN),
            Some(pin),
            &["staff", "add", "--as", ADMIN, "--name", name, "--role", "clerk"],
        );
    }
    must(
        desk,
        Some(ADMIN_PIN),
        Some(SUPERVISOR.1),
        &[
            "staff",
            "add",
            "--as",
            ADMIN,
            "--name",
            SUPERVISOR.0,
            "--role",
            "supervisor",
        ],
    );
}

fn report_latency(label: &str, mut l: Vec<Duration>) {
    l.sort();
    println!(
        "load:   {label} latency p50 {:?}, p95 {:?}, p99 {:?}, max {:?}",
        percentile(&l, 0.5),
        percentile(&l, 0.95),
        percentile(&l, 0.99),
        l.last().copied().unwrap_or_default()
    );
}

#[test]
fn four_clerks_and_two_readers_lose_nothing_and_never_see_busy() {
    // Wednesday 30 September 2026, 10:00 at the desk: a fixed clock keeps every
    // run alike (no overdue escalations appear on their own).
    let desk = Desk::empty();
    set_up(&desk);
    let secs = secs_from_env();
    let known = Mutex::new(Vec::new());
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(secs);
    let (writers, readers) = thread::scope(|s| {
        let writers: Vec<_> = (0..CLERKS.len())
            .map(|w| {
                let (desk, known) = (&desk, &known);
                s.spawn(move || writer(desk, w, until, known))
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|r| {
                let (desk, known) = (&desk, &known);
                s.spawn(move || reader(desk, r, until, known))
            })
            .collect();
        (
            writers.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>(),
            readers.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>(),
        )
    });
    let elapsed = start.elapsed().as_secs_f64();

    // Totals.
    let mut acked: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut failed, mut busy, mut refused) = (Vec::new(), Vec::new(), 0);
    let (mut wlat, mut rlat) = (Vec::new(), Vec::new());
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for w in writers {
        for (k, v) in &w.tally.acked {
            *acked.entry(k).or_default() += v;
        }
        failed.extend(w.tally.failed);
        busy.extend(w.tally.busy);
        refused += w.tally.refused;
        wlat.extend(w.tally.latencies);
        expected.extend(w.cases);
    }
    let mut reads = 0;
    for r in readers {
        for (k, v) in &r.acked {
            *acked.entry(k).or_default() += v;
            reads += v;
        }
        failed.extend(r.failed);
        busy.extend(r.busy);
        rlat.extend(r.latencies);
    }
    let writes: u64 = acked
        .iter()
        .filter(|(k, _)| !matches!(**k, "case show" | "case list" | "report"))
        .map(|(_, v)| v)
        .sum();
    println!(
        "load: {elapsed:.1} s, 4 writers + 2 readers on one desk file ({} CPUs)",
        thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "load:   writes acknowledged {writes} ({:.1}/s), refused by rule {refused}, reads {reads} ({:.1}/s), total {:.1} commands/s",
        writes as f64 / elapsed,
        reads as f64 / elapsed,
        (writes + reads + refused) as f64 / elapsed
    );
    for (k, v) in &acked {
        println!("load:   {k:<14} {v:>6}  ({:.1}/s)", *v as f64 / elapsed);
    }
    println!("load:   failed {}, busy/locked {}", failed.len(), busy.len());
    report_latency("write", wlat);
    report_latency("read ", rlat);

    assert!(
        busy.is_empty(),
        "{} commands met a busy desk:\n{}",
        busy.len(),
        busy.join("\n")
    );
    assert!(
        failed.is_empty(),
        "{} commands failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(writes > 0 && reads > 0, "the run did nothing");

    // Every acknowledged case exists; no case exists that nobody was told about.
    let listed = run(
        &desk,
        None,
        None,
        &strings(&["case", "list", "--json", "--limit", "1000000"]),
    );
    assert!(listed.ok(), "{listed:?}");
    let listed: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
    let listed: Vec<String> = listed
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "a case number appears twice");
    let want: BTreeSet<&String> = expected.keys().collect();
    assert_eq!(unique, want, "the desk's cases differ from the acknowledged ones");

    // Every acknowledged step is in its case, and only those.
    let lost: Vec<String> = expected
        .iter()
        .filter_map(|(n, e)| verify_case(&desk, n, e).err())
        .collect();
    assert!(lost.is_empty(), "lost or phantom updates:\n{}", lost.join("\n"));

    let check = run(&desk, None, None, &strings(&["check"]));
    assert!(check.ok(), "casedesk check failed: {check:?}");
    assert!(check.stdout.contains("检查通过"), "{check:?}");
    assert!(
        check.stdout.contains(&format!("案件：{} 个", expected.len())),
        "{}",
        check.stdout
    );
    println!(
        "load:   verified {} cases and every acknowledged step; casedesk check passed",
        expected.len()
    );
}
