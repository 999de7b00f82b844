#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What clerks and other desks feed in: typed times and import files.
//!
//! Property tests (proptest): the time parser never panics, whatever the text
//! (control characters, `+99999999999d`, non-ASCII), the command line takes
//! the same times and refuses the rest as a usage error that prints the text
//! as typed, and every time the parser accepts prints as RFC 3339 and parses
//! back to the same instant. Import never panics
//! and is all or nothing — on random bytes, on JSON shaped like the export with
//! fields corrupted, removed or retyped, and on CSV with random cells: an error
//! leaves the desk exactly as it was and names the line of every bad row; an
//! accepted file leaves a desk that passes `check`. (Round trips of valid
//! exports: `exchange_round_trips.rs`.)
//!
//! Case counts are modest (64 per property) so the file runs in seconds;
//! `PROPTEST_CASES` sets more (`scripts/long-checks.sh` runs 5000).

mod support;

use std::cell::RefCell;

use casedesk::commands::{EXIT_USAGE, time_arg};
use casedesk::domain::Time;
use casedesk::exchange::{ImportError, import_message, import_text};
use casedesk::words::Lang;
use casedesk::words::time::{DateOnly, parse_time, rfc3339};
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde_json::{Value, json};
use support::exchange::*;
use support::{CLERK, CLERK_PIN, Desk, T0, at, expect_code, proptest_cases};

fn config(default_cases: u32) -> Config {
    Config {
        cases: proptest_cases(default_cases),
        // No regression files written into the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

// ================================================================== times

const ZONES: [Tz; 6] = [
    chrono_tz::Asia::Shanghai,
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::America::Sao_Paulo,
];

/// Text a clerk might type, or a cat on the keyboard.
fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,12}",
        "[ \t\n\r\u{0}\u{7}\u{1b}\u{a0}\u{3000}]{0,3}\\+[0-9]{0,22}[dhmxyD天]?[ \t\u{0}]{0,2}",
        "[+-]?[0-9]{1,7}-[0-9]{1,2}-[0-9]{1,2}",
        "[+-]?[0-9]{1,6}-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:[0-5][0-9](:[0-6][0-9])?",
        "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,12})?(Z|z|[+-][0-2][0-9]:[0-5][0-9])",
        prop::sample::select(vec![
            "today",
            "tomorrow",
            "今天",
            "明天",
            " today ",
            "TODAY",
            "+0d",
            "+-1d",
            "+99999999999d",
            "+9223372036854775807m",
            "+9223372036854775808h",
            "+2562047788015215h",
            "+106751991167300d",
            "+153722867280912930m",
            "9999-12-31",
            "+262143-12-31",
            "-262143-01-01",
            "0000-01-01",
            "10000-01-01",
            "99999-12-31 23:59",
            "1970-01-01T00:00:00Z",
            "2026-02-29",
            "2026-10-12 24:00",
        ])
        .prop_map(str::to_string),
    ]
}

/// An instant in chrono's usable range, and a zone.
fn now_and_zone() -> impl Strategy<Value = (Time, Tz)> {
    (
        prop_oneof![
            -62_135_596_800i64..253_402_300_799, // years 1 … 9999
            1_700_000_000i64..1_900_000_000,
        ],
        0..ZONES.len(),
    )
        .prop_map(|(secs, z)| (Utc.timestamp_opt(secs, 0).unwrap(), ZONES[z]))
}

fn date_only(end: bool) -> DateOnly {
    if end { DateOnly::EndOfDay } else { DateOnly::StartOfDay }
}

/// A desk for [`on_the_command_line`], one per test thread (the property runs
/// thousands of cases: opening a desk for each would be most of the work).
struct CliDesk {
    _dir: tempfile::TempDir,
    desk: RefCell<casedesk::desk::Desk>,
}

thread_local! {
    static CLI_DESK: CliDesk = {
        let dir = tempfile::tempdir().unwrap();
        let paths = casedesk::paths::Paths {
            db: dir.path().join("desk.db"),
            policy: dir.path().join("no-policy.toml"),
            calendar: dir.path().join("no-calendar.toml"),
        };
        let desk = casedesk::desk::Desk::open(&paths, Lang::Zh, true).unwrap();
        CliDesk { _dir: dir, desk: RefCell::new(desk) }
    };
}

/// A time argument as the command line takes it (`commands::time_arg`, what
/// every `--at`, `--promise`, `--received-at` … goes through) on a desk whose
/// clock is at `now` in zone `tz`: the time, or the failure it exits with
/// (its code, and the message it prints on standard error).
fn on_the_command_line(text: &str, now: Time, tz: Tz, only: DateOnly) -> Result<Time, (i32, String)> {
    CLI_DESK.with(|d| {
        let mut desk = d.desk.borrow_mut();
        desk.fixed_now = Some(now);
        desk.policy.timezone = tz;
        time_arg(&desk, text, only).map_err(|f| (f.code, f.message))
    })
}

proptest! {
    #![proptest_config(config(512))]

    /// Never a panic, whatever is typed. The command line takes what the
    /// parser takes; a refusal is a usage error (exit 2) that prints the text
    /// as typed, with the forms a time may take (`cli.time.bad`, as the screens').
    #[test]
    fn parse_time_never_panics(text in time_text(), (now, tz) in now_and_zone(), end in any::<bool>()) {
        let parsed = parse_time(&text, now, tz, date_only(end));
        match (parsed, on_the_command_line(&text, now, tz, date_only(end))) {
            (Ok(t), Ok(c)) => prop_assert_eq!(t, c, "{:?}", text),
            (Err(_), Err((code, message))) => {
                prop_assert_eq!(code, EXIT_USAGE, "{:?}", text);
                prop_assert!(message.contains(&text), "{:?} printed as {:?}", text, message);
            }
            (parsed, cli) => prop_assert!(false, "{:?}: the parser says {:?}, the command line {:?}", text, parsed, cli),
        }
    }

    /// Every instant the parser accepts prints (RFC 3339) and parses back to itself,
    /// whatever the clock and the zone then.
    #[test]
    fn accepted_times_round_trip_through_rfc3339(
        text in time_text(),
        (now, tz) in now_and_zone(),
        (later, tz2) in now_and_zone(),
        end in any::<bool>(),
    ) {
        // The parser takes only the years whose printed form reads back (see
        // `far_dates_are_refused_with_the_forms`): every accepted time is checked.
        if let Ok(t) = parse_time(&text, now, tz, date_only(end)) {
            let printed = rfc3339(t, tz);
            let again = parse_time(&printed, later, tz2, date_only(!end));
            prop_assert_eq!(&again, &Ok(t), "{:?} → {} → {:?}", text, printed, again);
        }
    }
}

/// Instants that would not print back as given are refused: years past 9998
/// (they print as `+10005-…`, not RFC 3339) and before 1970 (local mean time
/// offsets such as Shanghai's +08:05:43 lose their seconds). The refusal names
/// the forms (the screens show it so; the command line prints the typed value:
/// `a_refused_time_on_the_command_line_prints_what_was_typed`).
#[test]
fn far_dates_are_refused_with_the_forms() {
    let now = at(T0);
    let tz = chrono_tz::Asia::Shanghai;
    for (text, only) in [
        ("+2914000d", DateOnly::EndOfDay),
        ("1900-01-01 00:00", DateOnly::StartOfDay),
        ("1900-01-01", DateOnly::StartOfDay),
        ("9999-12-31", DateOnly::EndOfDay),
    ] {
        let err = parse_time(text, now, tz, only).unwrap_err();
        assert!(err.to_string().contains("+2d"), "{text}: {err}");
    }
    // The years a desk lives in are taken.
    assert!(parse_time("1970-01-02", now, tz, DateOnly::StartOfDay).is_ok());
    assert!(parse_time("9998-12-31", now, tz, DateOnly::EndOfDay).is_ok());
}

/// What the property's `on_the_command_line` stands for, through the binary:
/// a refused `--at` exits 2 and prints the typed text with the forms a time
/// may take, and changes nothing.
#[test]
fn a_refused_time_on_the_command_line_prints_what_was_typed() {
    let desk = Desk::new();
    let number = desk.intake("--summary 护士态度生硬 --name 王芳");
    for text in ["next week", "+99999999999d", "9999-12-31", "2026-02-30"] {
        let out = desk.run(
            Some(CLERK_PIN),
            &["case", "promise", &number, "--as", CLERK, "--at", text],
        );
        expect_code(&out, EXIT_USAGE);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with(&format!("“{text}”不是可识别的时间。")), "{err}");
        assert!(
            err.contains("2026年12月10日") && err.contains("+2d"),
            "the accepted forms: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(desk.show(&number)["version"], 1, "nothing was written");
}

#[test]
fn huge_offsets_are_refused_not_panicking() {
    let now = at(T0);
    let tz = chrono_tz::Asia::Shanghai;
    for text in [
        "+99999999999d",
        "+99999999999999999999999d",
        "+9223372036854775807d",
        "+9223372036854775807h",
        "+9223372036854775807m",
        "+106751991167301d",
        "+2562047788015216h",
    ] {
        assert!(parse_time(text, now, tz, DateOnly::EndOfDay).is_err(), "{text}");
    }
}

// ================================================================== desks for import
/// Imports `text` into a fresh desk and checks the all-or-nothing promise.
fn import_is_all_or_nothing(text: &str) -> Result<(), TestCaseError> {
    let f = fixture();
    let mut fresh = fresh();
    let before = snapshot(&fresh.desk);
    let result = import_text(&mut fresh.desk, &f.admin, text, &moving(), &|_, _| {});
    match result {
        Err(e) => {
            prop_assert_eq!(
                &snapshot(&fresh.desk),
                &before,
                "a refused import left data behind: {:?}",
                e
            );
            if let ImportError::Rows(rows) = &e {
                prop_assert!(!rows.is_empty(), "no bad rows listed");
                // CSV rows are named by their line in the file; JSON rows by
                // their place in "cases" (1 = the first case).
                let lines = match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
                    Ok(doc) => doc["cases"].as_array().map_or(0, Vec::len),
                    Err(_) => text.lines().count().max(1),
                };
                let message = import_message(casedesk::words::Words::new(Lang::Zh, chrono_tz::Asia::Shanghai), &e);
                for (line, why) in rows.iter().take(50) {
                    prop_assert!(
                        (1..=lines).contains(line),
                        "bad row without a usable line number: line {} of {}: {}",
                        line,
                        lines,
                        why
                    );
                    prop_assert!(message.contains(&line.to_string()), "{}", message);
                }
            }
        }
        Ok(n) => {
            let now = cases_in(&fresh.desk);
            prop_assert_eq!(now, before[0].1 + i64::try_from(n).unwrap());
            let report = casedesk::store::check::run(fresh.desk.store()).unwrap();
            prop_assert!(
                report.integrity == "ok"
                    && report.foreign_key_errors == 0
                    && report.chain.first_bad.is_none()
                    && report.differences.is_empty(),
                "an accepted import left a desk that fails check: {:?}",
                report
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ mutations

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn paths_of(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Seg::Key(k.clone()));
                paths_of(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Seg::Index(i));
                paths_of(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'v>(v: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.get_mut(k)?,
            Seg::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// Values that look right to a careless eye.
const PLAUSIBLE: &[&str] = &[
    "2026-09-30T10:00:00+08:00",
    "2026-09-30T02:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1969-12-31T23:59:59-01:00",
    "2026-10-01",
    "received",
    "assigned",
    "replied",
    "closed",
    "escalated",
    "transfer_accepted",
    "urged",
    "complaint",
    "praise",
    "phone",
    "written",
    "justified",
    "major",
    "dispute",
    "manual",
    "department_reply",
    "return_visit",
    "named",
    "anonymous",
    "张小明",
    "李静",
    "陈主管",
    "system",
    "不存在的人",
    "护理部",
    "attitude",
    "2026-000001",
    "2026-000099",
    "2025-999999",
    "x-1",
    "",
    "***",
];

#[derive(Clone, Debug)]
struct Mutation {
    pick: usize,
    action: u8,
    n: i64,
    text: String,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (any::<usize>(), 0u8..11, any::<i64>(), "\\PC{0,8}").prop_map(|(pick, action, n, text)| Mutation {
        pick,
        action,
        n,
        text,
    })
}

fn mutate(doc: &mut Value, m: &Mutation) {
    let mut paths = Vec::new();
    paths_of(doc, &mut Vec::new(), &mut paths);
    let path = paths[m.pick % paths.len()].clone();
    let plausible = PLAUSIBLE[usize::try_from(m.n.unsigned_abs() % PLAUSIBLE.len() as u64).unwrap()];
    // Removing and moving need the parent.
    if matches!(m.action, 0 | 9 | 10) {
        let Some((last, parent_path)) = path.split_last() else {
            return;
        };
        let Some(parent) = at_path(doc, parent_path) else {
            return;
        };
        match (m.action, last, parent) {
            (0, Seg::Key(k), Value::Object(o)) => {
                o.remove(k);
            }
            (0, Seg::Index(i), Value::Array(a)) => {
                a.remove(*i);
            }
            (9, Seg::Index(i), Value::Array(a)) => {
                let copy = a[*i].clone();
                a.insert(*i, copy);
            }
            (10, Seg::Index(i), Value::Array(a)) => {
                let j = usize::try_from(m.n.unsigned_abs() % a.len() as u64).unwrap();
                a.swap(*i, j);
            }
            _ => {}
        }
        return;
    }
    let Some(target) = at_path(doc, &path) else { return };
    *target = match m.action {
        1 => Value::Null,
        2 => json!(m.n),
        3 => [
            json!(0),
            json!(-1),
            json!(i64::MAX),
            json!(i64::MIN),
            json!(u64::MAX),
            json!(1e308),
            json!(-0.5),
            json!(1),
            json!(2),
            json!(3),
        ][usize::try_from(m.n.unsigned_abs() % 10).unwrap()]
        .clone(),
        4 => json!(m.text),
        5 => json!(m.n % 2 == 0),
        6 => [json!([]), json!({}), json!([{}]), json!({"kind": plausible})]
            [usize::try_from(m.n.unsigned_abs() % 4).unwrap()]
        .clone(),
        7 => json!(plausible),
        // Retype: numbers become strings and strings numbers.
        _ => match target.take() {
            Value::String(s) => s.parse::<i64>().map_or_else(|_| json!(s.len()), |n| json!(n)),
            Value::Number(n) => json!(n.to_string()),
            Value::Bool(b) => json!(b.to_string()),
            other => json!([other]),
        },
    };
}

#[derive(Clone, Debug)]
enum CsvEdit {
    Cell { row: usize, col: usize, text: String },
    EventsJson { row: usize, m: Mutation },
    DropCell { row: usize, col: usize },
    AddCell { row: usize },
    DuplicateRow { row: usize },
    DropRow { row: usize },
}

fn csv_edit() -> impl Strategy<Value = CsvEdit> {
    prop_oneof![
        (
            any::<usize>(),
            any::<usize>(),
            prop_oneof![
                "\\PC{0,10}",
                "[\",\n\r\"]{1,4}",
                Just(String::new()),
                Just("[]".to_string()),
                Just("[{}]".to_string())
            ]
        )
            .prop_map(|(row, col, text)| CsvEdit::Cell { row, col, text }),
        (any::<usize>(), mutation()).prop_map(|(row, m)| CsvEdit::EventsJson { row, m }),
        (any::<usize>(), any::<usize>()).prop_map(|(row, col)| CsvEdit::DropCell { row, col }),
        any::<usize>().prop_map(|row| CsvEdit::AddCell { row }),
        any::<usize>().prop_map(|row| CsvEdit::DuplicateRow { row }),
        any::<usize>().prop_map(|row| CsvEdit::DropRow { row }),
    ]
}

fn apply_csv(rows: &mut Vec<Vec<String>>, e: &CsvEdit) {
    if rows.is_empty() {
        return;
    }
    let n = rows.len();
    match e {
        CsvEdit::Cell { row, col, text } => {
            let r = &mut rows[row % n];
            if !r.is_empty() {
                let c = col % r.len();
                r[c].clone_from(text);
            }
        }
        CsvEdit::EventsJson { row, m } => {
            let events = rows[0].iter().position(|h| h == "events");
            let r = &mut rows[row % n];
            if let Some(c) = events.filter(|c| *c < r.len())
                && let Ok(mut v) = serde_json::from_str::<Value>(&r[c])
            {
                mutate(&mut v, m);
                r[c] = v.to_string();
            }
        }
        CsvEdit::DropCell { row, col } => {
            let r = &mut rows[row % n];
            if !r.is_empty() {
                let c = col % r.len();
                r.remove(c);
            }
        }
        CsvEdit::AddCell { row } => rows[row % n].push("extra".into()),
        CsvEdit::DuplicateRow { row } => {
            let copy = rows[row % n].clone();
            rows.push(copy);
        }
        CsvEdit::DropRow { row } => {
            rows.remove(row % n);
        }
    }
}

// ------------------------------------------------------------------ import properties

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn import_of_random_bytes_is_refused_cleanly(
        bytes in prop::collection::vec(any::<u8>(), 0..1500),
        start in prop::sample::select(vec!["", "{", "\u{feff}", "\u{feff}{", "number,events\n", "{\"format\":\"casedesk-export\",\"cases\":"]),
    ) {
        let text = format!("{start}{}", String::from_utf8_lossy(&bytes));
        import_is_all_or_nothing(&text)?;
    }

    #[test]
    fn import_of_corrupted_export_json_is_all_or_nothing(
        mutations in prop::collection::vec(mutation(), 1..5),
        pretty in any::<bool>(),
    ) {
        let mut doc = fixture().doc.clone();
        for m in &mutations {
            mutate(&mut doc, m);
        }
        let text = if pretty { serde_json::to_string_pretty(&doc).unwrap() } else { doc.to_string() };
        import_is_all_or_nothing(&text)?;
    }

    #[test]
    fn import_of_csv_with_random_cells_is_all_or_nothing(
        edits in prop::collection::vec(csv_edit(), 1..5),
        bom in any::<bool>(),
        quoted in prop::bool::weighted(0.8),
    ) {
        let mut rows = csv_rows(&fixture().csv);
        for e in &edits {
            apply_csv(&mut rows, e);
        }
        import_is_all_or_nothing(&csv_text(&rows, bom, quoted))?;
    }
}
