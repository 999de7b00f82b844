//! Graded responsibility (002 五、投诉处罚): a justified or partly justified
//! reply records a tier — light by default, medium at least for a repeat
//! subject or a reply three working days late — and the report counts it per
//! department and per person, with the policy's penalties when the desk has a
//! table, and the departments' late replies (压单).

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::responsibility::FloorReason;
use casedesk::domain::{AssignMode, Command, EventBody, History, Policy, RuleError, Tier, Verdict};
use serde_json::Value;
use support::domain::{Desk as Engine, assign, form, owner, reply};
use support::{ADMIN, ADMIN_PIN, CLERK_PIN, Desk};

fn tier_of(events: &[casedesk::domain::Event]) -> Option<Tier> {
    events.iter().find_map(|e| match &e.body {
        EventBody::Replied { tier, .. } => *tier,
        _ => None,
    })
}

fn with_tier(verdict: Verdict, tier: Option<Tier>) -> Command {
    match reply(verdict) {
        Command::Reply {
            verdict,
            facts,
            responsible,
            measures,
            dept,
            ..
        } => Command::Reply {
            verdict,
            facts,
            responsible,
            measures,
            dept,
            tier,
        },
        _ => unreachable!(),
    }
}

#[test]
fn a_justified_reply_is_light_unless_given_and_only_justified_replies_have_a_tier() {
    let mut desk = Engine::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    let later = "2026-03-03T10:00:00+08:00";
    assert_eq!(
        desk.refuse(&owner(), later, with_tier(Verdict::Unjustified, Some(Tier::Light))),
        RuleError::TierNotJustified
    );
    let unjustified = desk
        .decide(&owner(), later, &with_tier(Verdict::Unjustified, None))
        .unwrap();
    assert_eq!(tier_of(&unjustified), None);
    let partly = desk
        .decide(&owner(), later, &with_tier(Verdict::Partly, Some(Tier::Severe)))
        .unwrap();
    assert_eq!(tier_of(&partly), Some(Tier::Severe));
    let events = desk.run(&owner(), later, with_tier(Verdict::Justified, None));
    assert_eq!(tier_of(&events), Some(Tier::Light));
    assert_eq!(desk.case.departments[0].reply.as_ref().unwrap().tier, Some(Tier::Light));
}

#[test]
fn a_repeat_subject_is_medium_at_least() {
    // The third complaint about the same department and category (002: 同一问题被投诉三次以上).
    let history = History {
        caller_cases: 0,
        subject_complaints: 2,
    };
    let mut desk = Engine::open_with(Policy::builtin().unwrap(), form(), history, "2026-03-02T09:00:00+08:00");
    assert!(desk.case.repeat_subject);
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    let later = "2026-03-03T10:00:00+08:00";
    assert_eq!(
        desk.refuse(&owner(), later, with_tier(Verdict::Justified, Some(Tier::Light))),
        RuleError::TierBelowFloor {
            floor: Tier::Medium,
            why: FloorReason::RepeatSubject
        }
    );
    let severe = desk
        .decide(&owner(), later, &with_tier(Verdict::Justified, Some(Tier::Severe)))
        .unwrap();
    assert_eq!(tier_of(&severe), Some(Tier::Severe));
    let events = desk.run(&owner(), later, with_tier(Verdict::Justified, None));
    assert_eq!(tier_of(&events), Some(Tier::Medium));
}

#[test]
fn a_reply_three_working_days_late_is_medium_counted_across_the_national_day_holiday() {
    // Assigned by phone on Wed 30 Sep 2026: due the next working day, Thu 8
    // Oct (1–7 Oct are the holiday); Sat 10 Oct is a make-up working day.
    let mut desk = Engine::open(form(), "2026-09-30T09:00:00+08:00");
    desk.run(&owner(), "2026-09-30T10:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(
        desk.clock(casedesk::domain::DeadlineKind::DepartmentReply).due,
        support::domain::eod("2026-10-08")
    );
    // Sat 10 Oct: two working days late (9th, 10th): light is allowed.
    let saturday = desk
        .decide(
            &owner(),
            "2026-10-10T10:00:00+08:00",
            &with_tier(Verdict::Justified, Some(Tier::Light)),
        )
        .unwrap();
    assert_eq!(tier_of(&saturday), Some(Tier::Light));
    // Mon 12 Oct: three (9th, 10th, 12th): medium at least.
    let monday = "2026-10-12T10:00:00+08:00";
    assert_eq!(
        desk.refuse(&owner(), monday, with_tier(Verdict::Justified, Some(Tier::Light))),
        RuleError::TierBelowFloor {
            floor: Tier::Medium,
            why: FloorReason::LongDelay { days: 3 }
        }
    );
    let events = desk.run(&owner(), monday, with_tier(Verdict::Justified, None));
    assert_eq!(tier_of(&events), Some(Tier::Medium));
}

/// 002's table: light 50 / medium 100 / severe 200 yuan, −2 / −5 / −10
/// points, the supervisor 20%, 压单 50 yuan a case then 50 a day, doubled
/// on a second complaint.
pub const PENALTIES: &str = "[penalties]
joint_liability_percent = 20
overdue_yuan = 50
overdue_yuan_per_day = 50
second_complaint_factor = 2
light = { internal_yuan = 50, external_yuan = 50, points = 2 }
medium = { internal_yuan = 100, external_yuan = 100, points = 5 }
severe = { internal_yuan = 200, external_yuan = 300, points = 10 }
";

/// A complaint assigned to 护理部 by phone on Mon 2 Nov 2026 (due Tue 3 Nov)
/// and to 药剂科 in writing on Tue 3 Nov (due Fri 6 Nov); 药剂科 replies on
/// time (severe, 李药师), 护理部 on Mon 9 Nov, four working days late (张护士).
fn two_departments_replied(desk: &Desk) -> String {
    desk.add_dept("药剂科");
    desk.at("2026-11-02T09:00:00+08:00");
    let n = desk.intake("--summary 输液配错药 --name 王芳 --phone 13800138000 --dept 护理部 --promise 2026-11-13");
    let step = |at: &str, args: String| {
        desk.at(at).ok(Some(CLERK_PIN), &args);
    };
    step(
        "2026-11-02T10:00:00+08:00",
        format!("case assign {n} --as 张小明 --dept 护理部 --mode phone"),
    );
    step(
        "2026-11-03T10:00:00+08:00",
        format!("case assign {n} --as 张小明 --dept 药剂科 --mode written"),
    );
    step(
        "2026-11-05T10:00:00+08:00",
        format!(
            "case reply {n} --as 张小明 --dept 药剂科 --verdict justified --facts 配药核对漏项 \
             --responsible 李药师 --measures 双人核对 --tier severe"
        ),
    );
    // Four working days late: light is refused, saying why.
    let late = "2026-11-09T10:00:00+08:00";
    let refused = desk.at(late).fails(
        Some(CLERK_PIN),
        &format!(
            "case reply {n} --as 张小明 --dept 护理部 --verdict partly --facts 执行医嘱未核对 \
             --responsible 张护士 --measures 培训 --tier light"
        ),
        3,
    );
    assert!(
        refused.contains("至少为中度") && refused.contains("超时4个工作日"),
        "{refused}"
    );
    step(
        late,
        format!(
            "case reply {n} --as 张小明 --dept 护理部 --verdict partly --facts 执行医嘱未核对 \
             --responsible 张护士 --measures 培训"
        ),
    );
    n
}

fn november(desk: &Desk) -> Value {
    serde_json::from_str(&desk.at("2026-11-30T10:00:00+08:00").ok(
        None,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "json",
        ],
    ))
    .unwrap()
}

fn line<'a>(lines: &'a Value, name: &str) -> &'a Value {
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == name || l["dept"] == name)
        .unwrap_or_else(|| panic!("no line for {name}: {lines}"))
}

#[test]
fn the_tier_shows_under_the_reply_and_the_report_counts_per_department_and_person() {
    let desk = Desk::new();
    std::fs::write(desk.path("penalties.toml"), PENALTIES).unwrap();
    desk.ok(Some(ADMIN_PIN), &["policy", "apply", "penalties.toml", "--as", ADMIN]);
    let n = two_departments_replied(&desk);
    let case = desk.show(&n);
    let tiers: Vec<&Value> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "replied")
        .map(|e| &e["tier"])
        .collect();
    assert_eq!(tiers, [&Value::from("severe"), &Value::from("medium")]);
    assert_eq!(line(&case["departments"], "护理部")["reply"]["tier"], "medium");
    assert_eq!(line(&case["departments"], "护理部")["reply"]["responsible"], "张护士");

    let r = november(&desk);
    // Each assigned department has its own line: the case is in both.
    let nursing = line(&r["depts"], "护理部");
    assert_eq!(
        (nursing["cases"].as_u64(), nursing["justified"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(nursing["on_time"], serde_json::json!({"num": 0, "den": 1}));
    let pharmacy = line(&r["depts"], "药剂科");
    assert_eq!(pharmacy["on_time"], serde_json::json!({"num": 1, "den": 1}));

    let liable = &r["responsibility"];
    assert_eq!(liable["penalties"], true);
    // 护理部: medium 100 yuan, −5, the supervisor 20; late from the end of
    // 3 Nov to 10:00 on 9 Nov: six days begun, 50 + 5 × 50 = 300 yuan.
    let d = line(&liable["depts"], "护理部");
    assert_eq!(
        [
            &d["medium"],
            &d["yuan"],
            &d["points"],
            &d["joint_yuan"],
            &d["late_replies"],
            &d["late_days"],
            &d["late_yuan"]
        ],
        [1, 100, 5, 20, 1, 6, 300].map(Value::from).each_ref()
    );
    // 药剂科: severe on an external complaint, 300 yuan, −10, 60; on time.
    let d = line(&liable["depts"], "药剂科");
    assert_eq!(
        [
            &d["severe"],
            &d["yuan"],
            &d["points"],
            &d["joint_yuan"],
            &d["late_replies"]
        ],
        [1, 300, 10, 60, 0].map(Value::from).each_ref()
    );
    let p = line(&liable["persons"], "张护士");
    assert_eq!([&p["medium"], &p["yuan"]], [1, 100].map(Value::from).each_ref());
    let p = line(&liable["persons"], "李药师");
    assert_eq!([&p["severe"], &p["yuan"]], [1, 300].map(Value::from).each_ref());

    let text = desk.ok(None, &["report", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert!(
        text.contains("责任追究（按部门）") && text.contains("责任追究（按责任人）"),
        "{text}"
    );
    assert!(
        text.contains("轻度 0，中度 1，重度 0；扣款 100 元，绩效 -5 分，主管连带 20 元；压单 1 件共 6 天，扣款 300 元"),
        "{text}"
    );
}

#[test]
fn a_desk_without_a_penalty_table_counts_tiers_and_late_replies_but_no_money() {
    let desk = Desk::new();
    let n = two_departments_replied(&desk);
    assert!(!n.is_empty());
    let r = november(&desk);
    let liable = &r["responsibility"];
    assert_eq!(liable["penalties"], false);
    let d = line(&liable["depts"], "护理部");
    assert_eq!(
        [&d["medium"], &d["yuan"], &d["late_days"]],
        [1, 0, 6].map(Value::from).each_ref()
    );
    let text = desk.ok(None, &["report", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert!(text.contains("轻度 0，中度 1，重度 0；压单 1 件共 6 天"), "{text}");
    assert!(!text.contains("扣款"), "{text}");
}

#[test]
fn a_bad_penalty_table_is_refused_with_the_reason() {
    let desk = Desk::new();
    std::fs::write(
        desk.path("penalties.toml"),
        PENALTIES.replace("joint_liability_percent = 20", "joint_liability_percent = 120"),
    )
    .unwrap();
    let err = desk.fails(
        Some(ADMIN_PIN),
        &["policy", "apply", "penalties.toml", "--as", ADMIN],
        2,
    );
    assert!(err.contains("joint_liability_percent"), "{err}");
}

#[test]
fn a_desk_from_before_department_parts_counts_them_after_its_next_open() {
    let desk = Desk::new();
    two_departments_replied(&desk);
    // The desk as it was before migration 14: no departments' parts (nor saved views).
    let sql = desk.sql();
    support::desk::undo_to(&sql, 13);
    drop(sql);
    let r = november(&desk);
    assert_eq!(line(&r["depts"], "药剂科")["cases"], 1);
    assert_eq!(line(&r["depts"], "护理部")["cases"], 1);
    assert_eq!(line(&r["responsibility"]["depts"], "护理部")["late_days"], 6);
}

#[test]
fn the_report_sheets_carry_responsibility_in_numeric_columns() {
    let desk = Desk::new();
    two_departments_replied(&desk);
    let csv = desk.at("2026-11-30T10:00:00+08:00").ok(
        None,
        &[
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "csv",
        ],
    );
    let rows = support::reports::parse_csv(&csv);
    let figure = |section: &str, item: &str| {
        rows.iter()
            .find(|r| r[0] == section && r[1] == item)
            .map_or_else(|| panic!("no {section} / {item} in\n{csv}"), |r| r[2].clone())
    };
    assert_eq!(figure("责任追究（按部门）·中度", "护理部"), "1");
    assert_eq!(figure("责任追究（按部门）·压单天数", "护理部"), "6");
    assert_eq!(figure("责任追究（按责任人）·重度", "李药师"), "1");
}
