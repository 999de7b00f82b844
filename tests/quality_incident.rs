//! Pharmacy quality incidents (002 pharmacy): a general drug-quality
//! incident is reported to quality management within 2 working days and its
//! cause and result within a month, besides the 12-hour report of a major
//! case. Both clocks are shown, urged and escalated like the others, and the
//! case closes only once both reports are made. On fixed dates across the
//! National Day holiday.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use support::{CLERK_PIN, Desk};

fn due(c: &Value, name: &str) -> Option<String> {
    c["deadlines"][name].as_str().map(str::to_string)
}

#[test]
fn a_quality_incident_runs_both_clocks_across_the_holiday_and_holds_the_close_until_both_reports() {
    let desk = Desk::new();
    // Wed 30 Sep 2026; 1–7 October are holidays.
    let n = desk.intake("--summary 注射液瓶内有异物 --name 王芳 --phone 13800138000 --flag quality_incident");
    let c = desk.show(&n);
    assert!(c["flags"].as_array().unwrap().iter().any(|f| f == "quality_incident"));
    // Two working days: Thu 8 and Fri 9 October; a month: 30 October.
    assert_eq!(due(&c, "quality_report").as_deref(), Some("2026-10-09T23:59:59+08:00"));
    assert_eq!(due(&c, "quality_result").as_deref(), Some("2026-10-30T23:59:59+08:00"));
    // Late on Sat 10 October: to urge, and escalated a working day on.
    let late = desk.json_at("2026-10-10T09:00:00+08:00", None, &format!("case show {n} --json"));
    assert!(
        late["must_urge"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "quality_report"),
        "{late}"
    );
    let text = desk.at("2026-10-10T09:00:00+08:00").ok(None, &["case", "show", &n]);
    assert!(text.contains("报告质量管理部门"), "{text}");
    desk.at("2026-10-13T09:00:00+08:00").ok(
        Some(CLERK_PIN),
        &[
            "case",
            "quality",
            &n,
            "--as",
            "张小明",
            "--stage",
            "report",
            "--text",
            "已报药剂科质量管理小组",
        ],
    );
    let c = desk.show(&n);
    assert_eq!(due(&c, "quality_report"), None, "met");
    assert!(
        c["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "escalated" && e["cause"] == "overdue" && e["deadline"] == "quality_report"),
        "escalated when still overdue: {c}"
    );
    // Reported once.
    desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "quality",
            &n,
            "--as",
            "张小明",
            "--stage",
            "report",
            "--text",
            "再报一次",
        ],
        3,
    );
    // The loop done, the close still waits for the cause and result.
    desk.at("2026-10-13T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &[
            "case",
            "answer",
            &n,
            "--as",
            "张小明",
            "--text",
            "已更换同批次药品并致歉",
        ],
    );
    desk.ok(
        Some(CLERK_PIN),
        &format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied"),
    );
    let err = desk.fails(Some(CLERK_PIN), &format!("case close {n} --as 张小明"), 3);
    assert!(err.contains("原因和处理结果"), "{err}");
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "quality",
            &n,
            "--as",
            "张小明",
            "--stage",
            "result",
            "--text",
            "供货商包装破损，已退换并约谈",
        ],
    );
    desk.ok(Some(CLERK_PIN), &format!("case close {n} --as 张小明"));
    assert_eq!(desk.show(&n)["state"], "closed");
}

#[test]
fn a_case_flagged_later_starts_both_clocks_then_and_an_unflagged_case_has_no_such_report() {
    let desk = Desk::new();
    let n = desk.intake("--summary 药品说明书缺页 --name 王芳 --phone 13800138000");
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "quality",
            &n,
            "--as",
            "张小明",
            "--stage",
            "report",
            "--text",
            "已报",
        ],
        3,
    );
    assert!(err.contains("药品质量事件"), "{err}");
    // Flagged on Mon 12 October: due Wed 14 October and 12 November.
    desk.at("2026-10-12T09:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case flag {n} --as 张小明 --flag quality_incident"),
    );
    let c = desk.show(&n);
    assert_eq!(due(&c, "quality_report").as_deref(), Some("2026-10-14T23:59:59+08:00"));
    assert_eq!(due(&c, "quality_result").as_deref(), Some("2026-11-12T23:59:59+08:00"));
}
