//! Reports and statistics (see `report.rs`) on small desks made for one rule
//! each: named periods follow the desk clock, CSV quoting and HTML escaping,
//! and a logged call that became a case counted once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{Value, json};
use support::expect_code;
use support::reports::*;

// ---------------------------------------------------------------- periods

#[test]
fn named_periods_follow_the_desk_clock() {
    let desk = new_desk("2026-01-05T08:00", &["护理部"]);
    let period = |now: &str, extra: &str| -> (Value, usize) {
        let r = desk.report(now, extra);
        (r["period"].clone(), r["daily"].as_array().unwrap().len())
    };
    let p = |from: &str, until: &str| json!({"from": from, "until": until});
    let now = "2026-05-15T12:00";
    // Default and --period month: this calendar month.
    assert_eq!(period(now, ""), (p("2026-05-01", "2026-06-01"), 31));
    assert_eq!(period(now, "--period month"), (p("2026-05-01", "2026-06-01"), 31));
    assert_eq!(period(now, "--period today"), (p("2026-05-15", "2026-05-16"), 1));
    // Friday 15 May: the week from Monday 11 May.
    assert_eq!(period(now, "--period week"), (p("2026-05-11", "2026-05-18"), 7));
    assert_eq!(period(now, "--period quarter"), (p("2026-04-01", "2026-07-01"), 91));
    // The quarterly summary is the last complete quarter.
    assert_eq!(period(now, "--quarterly"), (p("2026-01-01", "2026-04-01"), 90));
    assert_eq!(
        period(now, "--period last-quarter"),
        (p("2026-01-01", "2026-04-01"), 90)
    );
    assert_eq!(period(now, "--period year"), (p("2026-01-01", "2027-01-01"), 365));
    // In January the last complete quarter is last year's fourth.
    assert_eq!(
        period("2026-01-10T09:00", "--quarterly"),
        (p("2025-10-01", "2026-01-01"), 92)
    );
    // A custom period includes its last day.
    assert_eq!(
        period(now, "--from 2026-02-14 --to 2026-02-28"),
        (p("2026-02-14", "2026-03-01"), 15)
    );
    // The month is the desk's (Asia/Shanghai): 00:30 on 1 June there is still
    // 31 May in UTC, but already June at the desk.
    assert_eq!(
        period("2026-06-01T00:30", "--period month"),
        (p("2026-06-01", "2026-07-01"), 30)
    );
    // --period and --from do not mix; a bad date is a usage error.
    let both = "report --period month --from 2026-05-01 --to 2026-05-02";
    expect_code(&desk.run_at(now, None, both), 2);
    expect_code(&desk.run_at(now, None, "report --from 2026-05-xx --to 2026-05-31"), 2);
}

// ---------------------------------------------------------------- formats

#[test]
fn csv_quotes_commas_and_quotes_and_html_escapes_markup() {
    // A department whose name needs quoting in CSV and escaping in HTML.
    let odd = "便民,\"服务\"<中心>&";
    let desk = new_desk("2026-05-15T08:00", &[odd]);
    desk.act(
        "2026-05-15T09:00",
        &CLERK,
        &format!(
            "case new --channel phone --kind complaint --summary 窗口无人 --name 王五 --phone 13600001234 \
             --dept {odd} --category attitude --promise 2026-05-20"
        ),
    );
    let raw = desk.ok_at("2026-05-15T12:00", None, "report --period month --format csv");
    // RFC 4180: the field is quoted and its quotes doubled.
    assert!(raw.contains("按部门,\"便民,\"\"服务\"\"<中心>&\",1,,,"), "{raw}");
    let rows = parse_csv(&raw);
    assert!(rows.iter().any(|r| r[..3] == ["按部门", odd, "1"]), "{rows:#?}");

    let html = desk.ok_at("2026-05-15T12:00", None, "report --period month --format html");
    assert!(
        html.contains("<th>便民,&quot;服务&quot;&lt;中心&gt;&amp;</th>"),
        "{html}"
    );
    assert!(!html.contains("<中心>"), "{html}");
}

// ---------------------------------------------------------------- contacts

/// domain.md: every contact is recorded; a duty-log entry "either becomes a
/// case, is answered …, or is carried over". An entry that became a case is
/// the same contact as that case, so it must not be counted twice.
#[test]
fn a_logged_call_that_became_a_case_is_one_contact() {
    let desk = new_desk("2026-05-15T08:00", &["护理部"]);
    let entry = desk.act("2026-05-15T09:00", &CLERK, "duty log --who 王五 --what 投诉护士态度");
    let n = desk.act(
        "2026-05-15T09:05",
        &CLERK,
        "case new --channel phone --kind complaint --summary 护士态度差 --name 王五 --phone 13600001234 \
         --dept 护理部 --promise 2026-05-20",
    );
    desk.act(
        "2026-05-15T09:06",
        &CLERK,
        &format!("duty resolve {} --case {}", entry.trim(), n.trim()),
    );
    desk.act(
        "2026-05-15T10:00",
        &CLERK,
        "duty log --who 李四 --what 询问挂号 --action 稍后回电",
    );
    let r = desk.report("2026-05-15T12:00", "--period today");
    // Two contacts: 王五's call (the entry and its case) and 李四's open entry;
    // one of them recorded → 1 of 2 (not 2 of 3, as when the entry and its
    // case were counted as two contacts).
    assert_eq!(r["recorded"], ratio(1, 2));
}
