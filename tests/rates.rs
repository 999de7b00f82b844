//! Complaint rates (issue 18, point 9; seed 004's 百万用户申诉率): a base per
//! month kept in the desk (`casedesk base set/list`, labelled by the policy),
//! or given for one report (`--base N`); the report prints each count beside
//! its share and its rate per 10,000 and per million, in every format and on
//! the report screen; a period of several months sums its months' bases, and
//! a month without one says so instead of inventing a rate. On fixed dates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{Value, json};
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, SUPERVISOR, SUPERVISOR_PIN, expect_code};

/// Tuesday 10 November 2026.
const NOV: &str = "2026-11-10T10:00:00+08:00";

/// A desk whose policy calls the base 门诊人次, with three complaints and a
/// suggestion received in November.
fn desk() -> Desk {
    let desk = Desk::new_at(NOV);
    std::fs::write(desk.path("policy.toml"), "[report]\nbase_label = \"门诊人次\"\n").unwrap();
    desk.ok(Some(ADMIN_PIN), &["policy", "apply", "policy.toml", "--as", ADMIN]);
    for summary in ["候诊太久", "护士态度差", "收费有误"] {
        desk.intake(&["--summary", summary, "--name", "王芳"]);
    }
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "suggestion",
            "--summary",
            "多设座椅",
            "--name",
            "李四",
        ],
    );
    desk
}

fn set(desk: &Desk, month: &str, value: &str) -> String {
    desk.ok(
        Some(ADMIN_PIN),
        &["base", "set", month, "--value", value, "--as", ADMIN],
    )
}

fn report(desk: &Desk, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend(args);
    serde_json::from_str(&desk.ok(None, &all)).unwrap()
}

#[test]
fn an_admin_keeps_each_months_base_and_every_change_is_recorded() {
    let desk = desk();
    assert_eq!(set(&desk, "2026-11", "152000").trim(), "2026-11 的门诊人次：152,000");
    assert_eq!(
        set(&desk, "2026-11", "151,800").trim(),
        "2026-11 的门诊人次：152,000 → 151,800"
    );
    set(&desk, "2026-10", "149000");
    let list = desk.ok(None, &["base", "list"]);
    assert!(list.contains("门诊人次"), "{list}");
    let oct = list.find("2026-10").unwrap();
    let nov = list.find("2026-11").unwrap();
    assert!(
        oct < nov && list.contains("151,800") && list.contains("149,000"),
        "{list}"
    );
    let json: Value = serde_json::from_str(&desk.ok(None, &["base", "list", "--json"])).unwrap();
    assert_eq!(
        json,
        json!({"base_label": "门诊人次", "months": [
            {"month": "2026-10", "base": 149_000},
            {"month": "2026-11", "base": 151_800},
        ]})
    );
    let events: Vec<String> = desk
        .sql()
        .prepare("SELECT body FROM events WHERE kind = 'base_set' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events.len(), 3);
    let second: Value = serde_json::from_str(&events[1]).unwrap();
    assert_eq!(
        (second["month"].clone(), second["from"].clone(), second["to"].clone()),
        (json!("2026-11"), json!(152_000), json!(151_800))
    );
    desk.ok(None, &["check"]);
}

#[test]
fn a_bad_month_or_base_is_said_in_the_clerks_language_and_only_an_admin_sets_one() {
    let desk = desk();
    let err = desk.fails(
        Some(ADMIN_PIN),
        &["base", "set", "2026-13", "--value", "1", "--as", ADMIN],
        2,
    );
    assert!(err.contains("月份写作 2026-11：“2026-13”不是月份"), "{err}");
    for bad in ["0", "abc", "-5", "1.5"] {
        let err = desk.fails(
            Some(ADMIN_PIN),
            &["base", "set", "2026-11", "--value", bad, "--as", ADMIN],
            2,
        );
        assert!(err.contains("基数须为大于 0 的整数"), "{bad}: {err}");
    }
    let out = desk
        .cmd(Some(ADMIN_PIN), &["base", "set", "Nov", "--value", "1", "--as", ADMIN])
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    expect_code(&out, 2);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("A month is written 2026-11")
    );
    desk.fails(
        Some(CLERK_PIN),
        &["base", "set", "2026-11", "--value", "100", "--as", CLERK],
        3,
    );
    let err = desk.fails(None, &["report", "--base", "many"], 2);
    assert!(err.contains("“many”"), "{err}");
    assert_eq!(desk.count("rate_bases"), 0);
}

#[test]
fn a_months_report_counts_per_ten_thousand_and_per_million_of_its_base() {
    let desk = desk();
    set(&desk, "2026-11", "152000");
    let r = report(&desk, &[]);
    let rate = &r["rate"];
    assert_eq!(rate["base_label"], "门诊人次");
    assert_eq!(rate["base"], 152_000);
    assert_eq!(rate["months"], json!([{"month": "2026-11", "base": 152_000}]));
    assert_eq!(rate["missing"], json!([]));
    assert_eq!(
        rate["lines"][0],
        json!({"kind": null, "item": "受理总数", "count": 4, "share": 100.0, "per_10k": 0.26, "per_million": 26.32,
               "previous_count": 0, "previous_per_10k": null, "previous_per_million": null})
    );
    assert_eq!(
        rate["lines"][1],
        json!({"kind": "complaint", "item": "投诉", "count": 3, "share": 75.0, "per_10k": 0.2, "per_million": 19.74,
               "previous_count": 0, "previous_per_10k": null, "previous_per_million": null})
    );
    assert_eq!(rate["lines"][2]["kind"], "suggestion");
    let text = desk.ok(None, &["report"]);
    assert!(text.contains("比率（每万 / 每百万）"), "{text}");
    assert!(
        text.contains("门诊人次") && text.contains("152,000（2026-11）"),
        "{text}"
    );
    assert!(text.contains("3 件 · 占 75.0% · 每万 0.20 · 每百万 19.74"), "{text}");
    for format in ["html", "md"] {
        let page = desk.ok(None, &["report", "--format", format]);
        assert!(page.contains("每万 0.20 · 每百万 19.74"), "{format}: {page}");
        assert!(page.contains("152,000（2026-11）"), "{format}: {page}");
    }
    // In CSV each figure is a number in a row of its own.
    let csv = desk.ok(None, &["report", "--format", "csv"]);
    for row in [
        "比率（每万 / 每百万）·件数,门诊人次,152000,,,",
        "比率（每万 / 每百万）·件数,投诉,3,,,",
        "比率（每万 / 每百万）·占比,投诉,,,,75.0",
        "比率（每万 / 每百万）·每万,投诉,0.2,,,",
        "比率（每万 / 每百万）·每百万,投诉,19.74,,,",
    ] {
        assert!(csv.lines().any(|l| l == row), "{row}: {csv}");
    }
    assert!(
        csv.contains("比率（每万 / 每百万）·说明,门诊人次,\"152,000（2026-11）\""),
        "{csv}"
    );
    let md = desk.ok(None, &["report", "--format", "md"]);
    assert!(md.starts_with("# 投诉与反馈统计 2026-11-01 至 2026-11-30"), "{md}");
    assert!(
        md.contains("## 比率（每万 / 每百万）\n\n| 项目 | 数值 |\n| --- | --- |\n"),
        "{md}"
    );
    let out = desk
        .command(None, &["report"])
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("3 · 75.0% · 0.20 per 10,000 · 19.74 per million"),
        "{text}"
    );
}

#[test]
fn a_month_is_compared_with_the_month_before_when_both_have_a_base() {
    let desk = desk();
    // Two complaints in October, against 100,000 visits; four cases in November against 152,000.
    for summary in ["挂号排队太久", "停车难"] {
        desk.at("2026-10-15T10:00:00+08:00")
            .intake(&["--summary", summary, "--name", "赵六"]);
    }
    desk.at(NOV);
    set(&desk, "2026-10", "100000");
    set(&desk, "2026-11", "152000");
    let r = report(&desk, &[]);
    let all = &r["rate"]["lines"][0];
    assert_eq!(r["rate"]["previous_base"], 100_000);
    assert_eq!(
        [
            &all["count"],
            &all["previous_count"],
            &all["per_10k"],
            &all["previous_per_10k"]
        ],
        [json!(4), json!(2), json!(0.26), json!(0.2)].each_ref()
    );
    let text = desk.ok(None, &["report"]);
    assert!(
        text.contains("4 件 · 占 100.0% · 每万 0.26 · 每百万 26.32；上期 2 件 · 每万 0.20（+0.06）"),
        "{text}"
    );
    // Without October's base there is nothing to compare the rate with.
    let desk = desk_without_october_base();
    let text = desk.ok(None, &["report"]);
    assert!(!text.contains("；上期"), "{text}");
}

fn desk_without_october_base() -> Desk {
    let desk = desk();
    set(&desk, "2026-11", "152000");
    desk
}

#[test]
fn a_quarter_sums_its_months_and_a_month_without_a_base_has_no_rate() {
    let desk = desk();
    set(&desk, "2026-10", "149000");
    set(&desk, "2026-11", "152000");
    let q = ["--from", "2026-10-01", "--to", "2026-12-31"];
    let r = report(&desk, &q);
    assert_eq!(r["rate"]["base"], Value::Null, "no rate invented");
    assert_eq!(r["rate"]["missing"], json!(["2026-12"]));
    assert_eq!(r["rate"]["lines"][1]["count"], 3);
    assert_eq!(r["rate"]["lines"][1]["per_10k"], Value::Null);
    let text = desk.ok(None, &["report", "--from", "2026-10-01", "--to", "2026-12-31"]);
    assert!(
        text.contains("2026-12 没有基数，不计算比率（casedesk base set 2026-12 --value N）"),
        "{text}"
    );
    assert!(!text.contains("· 每万"), "no rate invented: {text}");
    set(&desk, "2026-12", "150000");
    let r = report(&desk, &q);
    assert_eq!(r["rate"]["base"], 451_000);
    // 3 complaints of 451,000: 0.0665 per 10,000, 6.65 per million.
    assert_eq!(r["rate"]["lines"][1]["per_10k"], 0.07);
    assert_eq!(r["rate"]["lines"][1]["per_million"], 6.65);
    let text = desk.ok(None, &["report", "--from", "2026-10-01", "--to", "2026-12-31"]);
    assert!(text.contains("451,000（2026-10 至 2026-12 之和）"), "{text}");
}

#[test]
fn a_base_given_for_one_report_fits_any_period() {
    let desk = desk();
    // A week is not whole months: the monthly bases do not fit it.
    let week = report(&desk, &["--period", "week"]);
    assert_eq!(week["rate"]["whole_months"], false);
    assert_eq!(week["rate"]["base"], Value::Null);
    let text = desk.ok(None, &["report", "--period", "week"]);
    assert!(text.contains("本期不是整月"), "{text}");
    let given = report(&desk, &["--period", "week", "--base", "30,000"]);
    assert_eq!(given["rate"]["base"], 30_000);
    assert_eq!(given["rate"]["given"], true);
    assert_eq!(given["rate"]["lines"][1]["per_10k"], 1.0);
    assert_eq!(given["rate"]["lines"][1]["per_million"], 100.0);
    let text = desk.ok(None, &["report", "--period", "week", "--base", "30000"]);
    assert!(text.contains("30,000（本次指定）"), "{text}");
    // It wins over the month's kept base, for this report only.
    set(&desk, "2026-11", "152000");
    assert_eq!(report(&desk, &["--base", "1000000"])["rate"]["base"], 1_000_000);
    assert_eq!(report(&desk, &[])["rate"]["base"], 152_000);
}

#[test]
fn the_report_screen_shows_the_rates() {
    use casedesk::domain::Role;
    use casedesk::ui::app::Screen;
    let desk = desk();
    set(&desk, "2026-11", "152000");
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let mut s = support::screen::Screens::over_file(&desk.paths(), casedesk::words::Lang::Zh);
    s.app.desk.fixed_now = Some(support::at(NOV));
    s.sign_in("czg", SUPERVISOR_PIN);
    assert_eq!(s.user().role, Role::Supervisor);
    s.typed("S");
    assert!(matches!(s.app.screen, Screen::Report(_)), "{:?}", s.app.message);
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        s.act(casedesk::ui::keymap::Action::Top);
        let mut seen = String::new();
        for _ in 0..30 {
            seen.push_str(&s.text(w, h).join("\n"));
            s.key(crossterm::event::KeyCode::PageDown);
        }
        // Wrapped to the width: the figures are there, whole.
        for part in [
            "比率（每万 / 每百万）",
            "门诊人次",
            "152,000（2026-11）",
            "0.20",
            "19.74",
        ] {
            assert!(seen.contains(part), "{part} at {w}×{h}:\n{seen}");
        }
    }
}
