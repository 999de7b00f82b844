//! Reports and statistics (domain.md "Reports and statistics", "Closing rules"):
//! a small known desk built through the command line, one process per step at
//! fixed desk times, every figure counted by hand in the comments next to the
//! assertions, then `casedesk report` (JSON, CSV, HTML, text), `casedesk visits`
//! and `casedesk urges` compared with those counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use support::expect_code;
use support::reports::*;

// ---------------------------------------------------------------- the May report

#[test]
fn the_known_desk_is_where_the_hand_counts_say() {
    let k = known();
    let show = |label: &str| k.desk.json_at(NOW, None, &format!("case show {} --json", k.n(label)));
    for label in ["P1", "P2", "P3", "M1", "M3", "M4", "M6", "M7", "M8", "M10", "M11"] {
        assert_eq!(show(label)["state"], "closed", "{label}");
    }
    assert_eq!(show("M2")["state"], "reopened");
    assert_eq!(show("M5")["state"], "assigned");
    assert_eq!(show("M9")["state"], "feedback_given");
    // Repeat flags: the 3rd case of one phone, the 3rd complaint about one
    // department and category, and the reopened case.
    for label in ["M2", "M3", "M11"] {
        let flags = show(label)["flags"].clone();
        assert!(flags.as_array().unwrap().contains(&json!("repeat")), "{label}: {flags}");
    }
    // M7's phone assignment on Fri 8 May was due on the make-up Saturday.
    let m7 = show("M7");
    let reply = m7["deadline_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "department_reply")
        .unwrap()
        .clone();
    assert_eq!(reply["due"], "2026-05-09T23:59:59+08:00");
    assert_eq!(reply["status"], "met_late");
}

#[test]
fn may_report_counts_by_channel_kind_category_department_and_severity() {
    let r = may("");
    assert_eq!(r["period"], json!({"from": "2026-05-01", "until": "2026-06-01"}));
    // M1–M11: eleven cases received in May (P1–P3 are April's).
    assert_eq!(r["total"], 11);
    // Lists: most first, then by label.
    // 电话 M1 M2 M5 M7 M11; 来访 M3 M9; 信函 M4; 电子邮件 M8; 网络 M6; 调查表 M10.
    assert_eq!(
        r["by_channel"],
        counts(&[
            ("电话", 5),
            ("来访", 2),
            ("信函", 1),
            ("电子邮件", 1),
            ("网络", 1),
            ("调查表", 1)
        ])
    );
    // 投诉 M1 M2 M5 M6 M7 M9 M11; 咨询 M3; 建议 M10; 报修 M8; 表扬 M4.
    assert_eq!(
        r["by_kind"],
        counts(&[("投诉", 7), ("咨询", 1), ("建议", 1), ("报修", 1), ("表扬", 1)])
    );
    // 服务态度 M1 M11; 环境 M6 M10; 其他 M3; 医疗护理/服务质量 M5; 收费物价 M2;
    // 效率/等候 M7; 行风 M9; 设施维修 M8; the praise M4 has no category.
    assert_eq!(
        r["by_category"],
        counts(&[
            ("服务态度", 2),
            ("环境", 2),
            ("其他", 1),
            ("医疗护理/服务质量", 1),
            ("收费物价", 1),
            ("效率/等候", 1),
            ("行风", 1),
            ("设施维修", 1),
            ("（未填）", 1),
        ])
    );
    // 护理部 M1 M4 M5 M6 M9 M11; 收费处 M2 M7 M8 M10; the inquiry M3 has none.
    assert_eq!(r["by_dept"], counts(&[("护理部", 6), ("收费处", 4), ("（未填）", 1)]));
    // 重要 M5; 重大 M9; the other nine are minor.
    assert_eq!(r["by_severity"], counts(&[("一般", 9), ("重大", 1), ("重要", 1)]));
}

#[test]
fn may_report_four_100_percent_rates_and_return_visits() {
    let r = may("");
    // Recorded: 11 cases + 2 duty-log entries in May, of which L1 ended
    // (answered) and L2 is still open: (11 + 1) / (11 + 2).
    assert_eq!(r["recorded"], ratio(12, 13));
    // Acknowledged the same day: a reply time promised at intake (M1 M2 M5 M6
    // M7 M8 M9 M11) or answered on the spot the same day (M3, M4) = 10.
    // M10 came in Thu 14 May 16:00 with no promise and was promised Fri 15 May.
    assert_eq!(r["answered_in_time"], ratio(10, 11));
    // A result: everything but M5 (never replied) and M2 (reopened: round 2 has
    // no result yet) = 9.
    assert_eq!(r["handled"], ratio(9, 11));
    // Fed back: the same nine (M9 was told on 27 May; M2's feedback belonged
    // to the round that was reopened).
    assert_eq!(r["fed_back"], ratio(9, 11));
    // Of those nine: reached by a return visit M1 M8 M10 M11 = 4; exempt by
    // rule M3 (inquiry on the spot), M4 (praise on the spot), M6 (anonymous),
    // M7 (3 failed attempts on distinct days) = 4; M9 still waiting.
    assert_eq!(r["visit_rate"], ratio(4, 9));
    assert_eq!(r["visit_coverage"], ratio(8, 9));
    // Visit answers: M1 satisfied, M8 basic, M10 satisfied, M11 satisfied,
    // M2 unsatisfied → 4 of 5.
    assert_eq!(r["satisfaction"], ratio(4, 5));
}

#[test]
fn may_report_deadlines_urges_and_departments() {
    let r = may("");
    // Department replies: on time M1 (due 8 May, replied 6 May), M2 (due 7 May,
    // replied 7 May), M6 (due 8, replied 8), M8 (due 21, replied 21), M9 (due 28,
    // replied 27) = 5; late M7 (due Sat 9 May, a make-up working day; replied
    // Mon 11 May); past due and still missing M5 (due 21 May) → 5 of 7.
    assert_eq!(r["on_time"], ratio(5, 7));
    // Open cases past a due time now: M5 (its reply, urgent answer and promise).
    // M2's running clock is its new resolution limit (1 Jun) and M9's is its
    // return visit (1 Jun): not yet due.
    assert_eq!(r["overdue_now"], 1);
    // M5 urged on 22 and 25 May.
    assert_eq!(r["urges"], 2);
    // Per department, most overdue first:
    //   护理部: cases M1 M4 M5 M6 M9 M11 = 6; on time M1 M6 M9 of M1 M5 M6 M9 = 3/4;
    //           overdue now M5; urges 2; justified complaints M1 (partly) M6 M9 = 3.
    //   收费处: cases M2 M7 M8 M10 = 4; on time M2 M8 of M2 M7 M8 = 2/3; nothing
    //           overdue, no urges; justified complaints M7 (partly) = 1 — M8 is a
    //           repair and M2's verdict was unjustified (and is void since reopened).
    //   （未填）: M3 only.
    assert_eq!(
        r["depts"],
        json!([
            {"dept": "护理部", "cases": 6, "on_time": ratio(3, 4), "overdue_now": 1, "urges": 2, "justified": 3},
            {"dept": "收费处", "cases": 4, "on_time": ratio(2, 3), "overdue_now": 0, "urges": 0, "justified": 1},
            {"dept": "（未填）", "cases": 1, "on_time": ratio(0, 0), "overdue_now": 0, "urges": 0, "justified": 0},
        ])
    );
    // Justified or partly justified complaints by category: M7 效率/等候, M1
    // 服务态度, M6 环境, M9 行风 (label order for ties).
    assert_eq!(
        r["justified_by_category"],
        counts(&[("效率/等候", 1), ("服务态度", 1), ("环境", 1), ("行风", 1)])
    );
}

#[test]
fn may_report_repeats_hot_spots_closing_and_daily_intake() {
    let r = may("");
    // Repeat: M3 (3rd case of 13800138000 in 90 days), M11 (3rd complaint
    // about 护理部 + 服务态度: P1, M1, M11), M2 (reopened after an unsatisfied
    // visit) = 3 of 11.
    assert_eq!(r["repeat"], ratio(3, 11));
    // Callers with more than one case in May: 王芳 (M1, M2 written
    // 138-0013-8000, M3) — masked without --names. 钱九 (M4, no phone) has one.
    assert_eq!(r["top_callers"], counts(&[("138****8000", 3)]));
    // Previous period: the 31 days before 1 May = 31 Mar – 30 Apr: P1 服务态度,
    // P2 and P3 收费物价. Rising: 环境 0 → 2 (+2); then +1 each, by label:
    // 其他 0 → 1, 医疗护理/服务质量 0 → 1, 效率/等候 0 → 1, 服务态度 1 → 2,
    // (行风, 设施维修, （未填）cut by the top 5). 收费物价 fell 2 → 1.
    assert_eq!(
        r["hot_spots"],
        json!([
            {"category": "环境", "now": 2, "before": 0},
            {"category": "其他", "now": 1, "before": 0},
            {"category": "医疗护理/服务质量", "now": 1, "before": 0},
            {"category": "效率/等候", "now": 1, "before": 0},
            {"category": "服务态度", "now": 2, "before": 1},
        ])
    );
    // Closed: M1 M3 M4 M6 M7 M8 M10 M11 = 8.
    assert_eq!(r["closed"], 8);
    // Working days to close (holiday calendar): M1 3 (Sat 2 May → Fri 8 May:
    // 6, 7, 8; 3–5 May are holidays), M3 0, M4 0, M6 1, M7 5 (Fri 8 → Thu 14
    // May: Sat 9 is a make-up working day, then 11–14), M8 2, M10 3, M11 3
    // → 17 / 8 = 2.125 → 2.1. (Plain weekdays would give 18 / 8 → 2.3; holidays
    // without the make-up day 16 / 8 = 2.0; calendar days 23 / 8 → 2.9.)
    assert_eq!(r["avg_wd_to_close"], json!(2.1));
    // One entry per day of May, in order, counts on the days of intake.
    let daily = r["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 31);
    let expected: BTreeMap<&str, u64> = [
        ("2026-05-02", 1), // M1
        ("2026-05-06", 2), // M2 M4
        ("2026-05-07", 1), // M6
        ("2026-05-08", 1), // M7
        ("2026-05-13", 1), // M3
        ("2026-05-14", 1), // M10
        ("2026-05-18", 1), // M5
        ("2026-05-20", 1), // M8
        ("2026-05-25", 1), // M9
        ("2026-05-26", 1), // M11
    ]
    .into_iter()
    .collect();
    for (i, entry) in daily.iter().enumerate() {
        let day = format!("2026-05-{:02}", i + 1);
        assert_eq!(entry[0], json!(day));
        assert_eq!(
            entry[1],
            json!(expected.get(day.as_str()).copied().unwrap_or(0)),
            "{day}"
        );
    }
    // No names unless a supervisor asks.
    assert_eq!(r["by_owner"], Value::Null);
    let text = r.to_string();
    for secret in ["王芳", "13800138000", "张小明", "李静", "陈十三", "13100006666"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn april_report_counts_working_days_across_qingming() {
    let r = known().desk.report(NOW, "--from 2026-04-01 --to 2026-04-30");
    assert_eq!(r["period"], json!({"from": "2026-04-01", "until": "2026-05-01"}));
    assert_eq!((r["total"].clone(), r["closed"].clone()), (json!(3), json!(3)));
    // P1 Thu 2 Apr → Thu 9 Apr: 3, 7, 8, 9 = 4 (Sat 4 – Mon 6 Apr Qingming);
    // P2 20 → 22 Apr: 2; P3 0 → 6 / 3 = 2.0 (plain weekdays: 7 / 3 → 2.3).
    assert_eq!(r["avg_wd_to_close"], json!(2.0));
    // No duty-log entries in April.
    assert_eq!(r["recorded"], ratio(3, 3));
    // P1 and P2 replied on time.
    assert_eq!(r["on_time"], ratio(2, 2));
    // P1 satisfied, P2 basic; P3 exempt (inquiry on the spot).
    assert_eq!(r["visit_rate"], ratio(2, 3));
    assert_eq!(r["visit_coverage"], ratio(3, 3));
    assert_eq!(r["satisfaction"], ratio(2, 2));
    assert_eq!(r["daily"].as_array().unwrap().len(), 30);
}

#[test]
fn names_only_for_a_supervisor() {
    let k = known();
    let line = format!("report {MAY} --format json --names --as");
    let r = k
        .desk
        .json_at(NOW, Some(SUPERVISOR.pin), &format!("{line} {}", SUPERVISOR.name));
    // 王芳's three cases, under the name she gave.
    assert_eq!(r["top_callers"], counts(&[("王芳 13800138000", 3)]));
    // Owners: 张小明 took in M1–M8 and M10 (9), 李静 M9 and M11 (2).
    assert_eq!(r["by_owner"], counts(&[("张小明", 9), ("李静", 2)]));
    // Everything else is the same report.
    let mut plain = may("");
    let mut named = r.clone();
    for v in [&mut plain, &mut named] {
        let o = v.as_object_mut().unwrap();
        o.remove("top_callers");
        o.remove("by_owner");
        o["late"].as_object_mut().unwrap().remove("by_clerk");
    }
    assert_eq!(plain, named);

    // A clerk asking for names is refused by a rule (exit 3), and nothing is printed.
    let out = k.desk.run_at(NOW, Some(CLERK.pin), &format!("{line} {}", CLERK.name));
    expect_code(&out, 3);
    assert!(out.stdout.is_empty());
    // --names needs someone asking (usage, exit 2).
    expect_code(&k.desk.run_at(NOW, None, &format!("report {MAY} --names")), 2);
}

// ---------------------------------------------------------------- filters

#[test]
fn filters_narrow_every_count() {
    // 收费处: M2 M7 M8 M10.
    let r = may("--dept 收费处");
    assert_eq!(r["total"], 4);
    assert_eq!(r["by_kind"], counts(&[("投诉", 2), ("建议", 1), ("报修", 1)]));
    assert_eq!(r["by_dept"], counts(&[("收费处", 4)]));
    // Closed M7 M8 M10; replies on time M2 M8 of M2 M7 M8.
    assert_eq!(r["closed"], 3);
    assert_eq!(r["on_time"], ratio(2, 3));
    assert_eq!((r["overdue_now"].clone(), r["urges"].clone()), (json!(0), json!(0)));
    assert_eq!(r["repeat"], ratio(1, 4)); // M2
    assert_eq!(r["top_callers"], json!([])); // 王芳 has only M2 here
    assert_eq!(r["justified_by_category"], counts(&[("效率/等候", 1)])); // M7
    // Previous period filtered alike: P2, P3 收费物价. Rising, by label:
    // 效率/等候 0 → 1, 环境 0 → 1, 设施维修 0 → 1.
    assert_eq!(
        r["hot_spots"],
        json!([
            {"category": "效率/等候", "now": 1, "before": 0},
            {"category": "环境", "now": 1, "before": 0},
            {"category": "设施维修", "now": 1, "before": 0},
        ])
    );
    // wd: M7 5, M8 2, M10 3 → 10 / 3 = 3.33 → 3.3.
    assert_eq!(r["avg_wd_to_close"], json!(3.3));

    // Complaints: M1 M2 M5 M6 M7 M9 M11.
    let r = may("--kind complaint");
    assert_eq!(r["total"], 7);
    assert_eq!(r["by_channel"], counts(&[("电话", 5), ("来访", 1), ("网络", 1)]));
    assert_eq!(r["by_kind"], counts(&[("投诉", 7)]));
    // Replies on time M1 M2 M6 M9 of M1 M2 M5 M6 M7 M9 (M8 was a repair).
    assert_eq!(r["on_time"], ratio(4, 6));
    assert_eq!(r["closed"], 4); // M1 M6 M7 M11
    assert_eq!(r["top_callers"], counts(&[("138****8000", 2)])); // M1 M2
    assert_eq!(r["repeat"], ratio(2, 7)); // M2 M11
    let depts: Vec<(&str, u64)> = r["depts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["dept"].as_str().unwrap(), d["cases"].as_u64().unwrap()))
        .collect();
    assert_eq!(depts, [("护理部", 5), ("收费处", 2)]);

    // 服务态度: M1 M11 — P1 before.
    let r = may("--category attitude");
    assert_eq!(r["total"], 2);
    assert_eq!(r["by_category"], counts(&[("服务态度", 2)]));
    assert_eq!(r["closed"], 2);
    assert_eq!(r["repeat"], ratio(1, 2)); // M11
    assert_eq!(r["avg_wd_to_close"], json!(3.0)); // M1 3, M11 3
    assert_eq!(r["justified_by_category"], counts(&[("服务态度", 1)])); // M1
    assert_eq!(r["hot_spots"], json!([{"category": "服务态度", "now": 2, "before": 1}]));

    // Filters combine: 护理部 complaints M1 M5 M6 M9 M11; of those by phone M1 M5 M11.
    assert_eq!(may("--dept 护理部 --kind complaint")["total"], 5);
    assert_eq!(may("--dept 护理部 --kind complaint --channel phone")["total"], 3);

    // An unknown department or kind is a usage error naming the known ones.
    let out = known().desk.run_at(NOW, None, "report --dept 药剂科");
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("收费处"));
    expect_code(&known().desk.run_at(NOW, None, "report --kind rumour"), 2);
}

// ---------------------------------------------------------------- periods

#[test]
fn period_month_on_the_known_desk_is_the_may_report() {
    assert_eq!(known().desk.report(NOW, "--period month"), may(""));
}

// ---------------------------------------------------------------- formats

#[test]
fn csv_report_has_a_bom_and_intact_chinese_rows() {
    let raw = known().desk.ok_at(NOW, None, &format!("report {MAY} --format csv"));
    assert!(raw.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let rows = parse_csv(&raw);
    let row =
        |sec: &str, item: &str| -> Vec<&[String; 6]> { rows.iter().filter(|r| r[0] == sec && r[1] == item).collect() };
    // A count in the value column, the other columns empty.
    let has = |sec: &str, item: &str, val: &str| {
        assert!(
            row(sec, item)
                .iter()
                .any(|r| r[2] == val && r[3..].iter().all(String::is_empty)),
            "no row ({sec}, {item}, {val}) in {rows:#?}"
        );
    };
    // A rate as its numerator, denominator and percent, each a number of its own.
    let rate = |sec: &str, item: &str, num: u64, den: u64, pct: f64| {
        let found = row(sec, item);
        assert_eq!(found.len(), 1, "({sec}, {item}) in {rows:#?}");
        let r = found[0];
        assert_eq!(r[2], "", "{r:?}");
        assert_eq!(r[3].parse::<u64>().unwrap(), num, "{r:?}");
        assert_eq!(r[4].parse::<u64>().unwrap(), den, "{r:?}");
        assert!((r[5].parse::<f64>().unwrap() - pct).abs() < 1e-9, "{r:?}");
    };
    has("概况", "受理总数", "11");
    has("概况", "已结案", "8");
    has("概况", "当前超时（本期受理的案件中）", "1");
    has("概况", "催办次数", "2");
    has("概况", "平均结案工作日", "2.1");
    let rates = "“四个100%”与回访";
    rate(rates, "登记率（100%有记录）", 12, 13, 92.3);
    rate(rates, "及时答复率（当日告知）", 10, 11, 90.9);
    rate(rates, "回访率（已回访）", 4, 9, 44.4);
    rate(rates, "回访覆盖率（已回访或按规定免回访）", 8, 9, 88.9);
    rate(rates, "满意率（满意+基本满意）", 4, 5, 80.0);
    rate(rates, "部门按时答复率", 5, 7, 71.4);
    rate(rates, "重复投诉率", 3, 11, 27.3);
    has("按渠道", "电话", "5");
    has("按分类", "（未填）", "1");
    has("按严重程度", "重大", "1");
    has("属实投诉（按分类）", "行风", "1");
    has("重复来电（前10）", "138****8000", "3");
    // Each department's figures are rows of their own, the measure in the section.
    has("部门考核·受理", "护理部", "6");
    rate("部门考核·按时答复", "护理部", 3, 4, 75.0);
    has("部门考核·压单", "护理部", "1");
    has("部门考核·催办", "护理部", "2");
    has("部门考核·属实", "护理部", "3");
    has("部门考核·受理", "（未填）", "1");
    // Nothing to count: 0 of 0, and no rate.
    let none = row("部门考核·按时答复", "（未填）");
    assert_eq!(none.len(), 1, "{rows:#?}");
    assert_eq!(none[0][3..], ["0", "0", ""], "{none:?}");
    has("上升最快的分类（上期 → 本期）·上期", "环境", "0");
    has("上升最快的分类（上期 → 本期）·本期", "环境", "2");
    assert!(!rows.iter().any(|r| r[0] == "按负责人"));
}

#[test]
fn html_report_is_a_whole_printable_page() {
    let k = known();
    let line = format!("report {MAY} --format html");
    let html = k.desk.ok_at(NOW, None, &line);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        html.contains("<h1>投诉与反馈统计 2026-05-01 至 2026-05-31</h1>"),
        "{html}"
    );
    assert!(html.contains("<h2>部门考核</h2>"));
    assert!(html.contains("<tr><th>受理总数</th><td>11</td></tr>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<table").count(), html.matches("</table>").count());
    // --out writes the same page to a file and nothing to standard output.
    let file = k.desk.path("may.html");
    let mut args = words(&line);
    args.extend(["--out", file.to_str().unwrap()]);
    let out = k.desk.cmd_at(NOW, None, &args).output().unwrap();
    expect_code(&out, 0);
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim_end(), html.trim_end());
}

#[test]
fn text_report_has_the_chinese_sections_and_a_daily_line() {
    let text = known().desk.ok_at(NOW, None, &format!("report {MAY}"));
    assert!(text.starts_with("投诉与反馈统计 2026-05-01 至 2026-05-31\n"), "{text}");
    for title in [
        "概况",
        "“四个100%”与回访",
        "按渠道",
        "按类型",
        "按分类",
        "按部门",
        "按严重程度",
        "属实投诉（按分类）",
        "重复来电（前10）",
        "部门考核",
        "上升最快的分类（上期 → 本期）",
        "每日受理",
    ] {
        assert!(text.lines().any(|l| l == title), "no section {title} in\n{text}");
    }
    assert!(!text.contains("按负责人"), "{text}");
    let total = text.lines().find(|l| l.contains("受理总数")).unwrap();
    assert!(total.trim_end().ends_with(" 11"), "{total}");
    // The daily sparkline: one bar per day of May, the highest (2 cases, 6 May)
    // full, a single case half-way, no case the lowest bar.
    let spark = text.lines().last().unwrap().trim();
    let bars: Vec<char> = spark.chars().collect();
    assert_eq!(bars.len(), 31, "{spark}");
    assert_eq!(bars[5], '█'); // 6 May
    assert_eq!(bars[1], '▄'); // 2 May
    assert_eq!(bars[0], '▁'); // 1 May
    assert_eq!(bars.iter().filter(|c| **c != '▁').count(), 10, "{spark}");
}

// ---------------------------------------------------------------- worklists

#[test]
fn visits_lists_return_visits_and_follow_ups_by_due_date() {
    let k = known();
    let list = |viewer: Option<&Who>| -> Vec<Value> {
        let out = match viewer {
            Some(w) => k.desk.act(NOW, w, "visits --json"),
            None => k.desk.ok_at(NOW, None, "visits --json"),
        };
        serde_json::from_str(&out).unwrap()
    };
    let plain = list(None);
    // Waiting at 29 May, the return visits first:
    //   M9 return visit: fed back Wed 27 May → 28, 29 May, 1 Jun → 1 Jun;
    //   P2 follow-up 1: closed 22 Apr → due 22 May (not made: overdue);
    //   M1 follow-up 1: closed 8 May → 8 Jun;
    //   P1 follow-up 2: follow-up 1 made 9 May; closed 9 Apr → 9 Jun;
    //   M11 follow-up 1: closed 29 May → 29 Jun.
    // Not listed: M6 (anonymous), M7 (closed unreachable after three failed
    // attempts: no follow-ups are scheduled), praise/inquiry/repair/suggestion
    // cases, M2 (reopened: no feedback yet), M5 (no reply yet).
    let got: Vec<(String, String, String)> = plain
        .iter()
        .map(|v| {
            (
                v["number"].as_str().unwrap().to_string(),
                v["kind"].as_str().unwrap().to_string(),
                v["due"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The return visits first, then the follow-ups, each by due date.
    let want: Vec<(String, String, String)> = [
        ("M9", "return_visit", "2026-06-01"),
        ("P2", "follow_up", "2026-05-22"),
        ("M1", "follow_up", "2026-06-08"),
        ("P1", "follow_up", "2026-06-09"),
        // M7 was closed unreachable after three attempts: no follow-ups are scheduled.
        ("M11", "follow_up", "2026-06-29"),
    ]
    .iter()
    .map(|(l, kind, day)| (k.n(l).to_string(), (*kind).to_string(), end_of(day)))
    .collect();
    assert_eq!(got, want);
    // Ordinary complainants are shown to whoever calls back.
    let p2 = &plain[1];
    assert_eq!(
        (p2["complainant"].as_str(), p2["phone"].as_str()),
        (Some("孙七"), Some("13700001111"))
    );
    // M9 is confidential: masked for everyone in the worklist, its owner and a
    // supervisor included — the case page shows it, and records the viewing.
    let m9 = |l: &[Value]| l.iter().find(|v| v["number"] == k.n("M9")).unwrap().clone();
    for masked in [
        m9(&plain),
        m9(&list(Some(&CLERK))),
        m9(&list(Some(&CLERK2))),
        m9(&list(Some(&SUPERVISOR))),
    ] {
        assert_eq!(
            (masked["complainant"].as_str(), masked["phone"].as_str()),
            (Some("***"), Some("***"))
        );
    }
}

#[test]
fn urges_lists_the_overdue_reply_and_counts_per_department() {
    let k = known();
    let v = k.desk.json_at(NOW, None, "urges --json");
    // Only M5's reply is past due (written assignment Mon 18 May, due Thu 21
    // May); urged twice. M2 and M9 are open but their replies came in.
    assert_eq!(
        v["overdue"],
        json!([{
            "number": k.n("M5"),
            "dept": "护理部",
            "due": end_of("2026-05-21"),
            "urges": 2,
            "summary": "输液时多次穿刺失败",
        }])
    );
    assert_eq!(v["departments"], json!([{"dept": "护理部", "overdue": 1, "urges": 2}]));
    // At the last minute of its due day it is not yet overdue.
    let before = k.desk.json_at("2026-05-21T23:59", None, "urges --json");
    assert_eq!(before["overdue"], json!([]), "{before}");
}
