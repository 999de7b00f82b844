//! A complainant still unsatisfied at a follow-up visit starts a second
//! complaint (002: 若仍不满意，发起二次投诉): a new case linked to the first,
//! one level up, flagged repeat, the follow-up's comment as its summary,
//! owned by the clerk who made the follow-up — or, when the policy says so,
//! the first case reopened.

#![allow(clippy::unwrap_used)]

mod support;

use support::{CLERK, CLERK_PIN, Desk};

/// An external complaint taken through the whole loop and closed on Mon 12 Oct 2026.
fn closed_case(desk: &Desk) -> String {
    let n = desk.intake(
        "--summary 护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude \
         --promise 2026-10-12",
    );
    for (at, step) in [
        (
            "2026-09-30T10:05:00+08:00",
            format!("case assign {n} --as 张小明 --dept 护理部 --mode written"),
        ),
        (
            "2026-10-09T15:00:00+08:00",
            format!(
                "case reply {n} --as 张小明 --verdict justified --facts 属实 --responsible 当班护士 --measures 培训"
            ),
        ),
        (
            "2026-10-09T16:00:00+08:00",
            format!("case feedback {n} --as 张小明 --method phone --text 已告知"),
        ),
        (
            "2026-10-12T10:00:00+08:00",
            format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied --comment 满意"),
        ),
        ("2026-10-12T10:30:00+08:00", format!("case close {n} --as 张小明")),
    ] {
        desk.at(at).ok(Some(CLERK_PIN), &step);
    }
    n
}

#[test]
fn an_unsatisfied_follow_up_starts_a_second_complaint_linked_to_the_first() {
    let desk = Desk::new();
    let first = closed_case(&desk);
    let level_before = desk.show(&first)["level"].as_u64().unwrap();
    let out = desk.at("2026-11-12T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &[
            "case",
            "follow-up",
            &first,
            "--as",
            CLERK,
            "--method",
            "phone",
            "--satisfaction",
            "unsatisfied",
            "--comment",
            "护士态度依旧没有改善，要求再次处理",
        ],
    );
    assert!(out.contains("二次投诉 2026-000002"), "{out}");
    let second = desk.show("2026-000002");
    assert_eq!(second["follows"], first.as_str());
    assert_eq!(second["summary"], "护士态度依旧没有改善，要求再次处理");
    assert_eq!(second["kind"], "complaint");
    assert_eq!(second["owner"], CLERK);
    assert_eq!(second["dept"], "护理部");
    assert_eq!(second["complainant"]["phone"], "13800138000");
    assert!(second["flags"].as_array().unwrap().iter().any(|f| f == "repeat"));
    assert_eq!(second["level"].as_u64().unwrap(), level_before + 1);
    let escalated = second["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "escalated")
        .unwrap();
    assert_eq!(escalated["cause"], "second_complaint");
    assert_eq!(escalated["actor"], "system");
    // The first case stays closed; its timeline names the second.
    let first_now = desk.show(&first);
    assert_eq!(first_now["state"], "closed");
    let last = first_now["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "followed_up");
    assert_eq!(last["second"], "2026-000002");
    let text = desk.ok(None, &["case", "show", &first]);
    assert!(text.contains("已发起二次投诉 2026-000002"), "{text}");
    // A satisfied follow-up starts nothing.
    let out = desk.at("2026-12-14T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case follow-up {first} --as 张小明 --method phone --satisfaction satisfied"),
    );
    assert!(!out.contains("二次投诉"), "{out}");
    assert_eq!(desk.list("").len(), 2);
}

#[test]
fn the_policy_may_reopen_the_first_case_instead() {
    let desk = Desk::new();
    std::fs::write(
        desk.paths().policy,
        "[return_visit]\nunsatisfied_follow_up = \"reopen\"\n",
    )
    .unwrap();
    let first = closed_case(&desk);
    desk.at("2026-11-12T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case follow-up {first} --as 张小明 --method phone --satisfaction unsatisfied --comment 仍不满意"),
    );
    let c = desk.show(&first);
    assert_eq!(c["state"], "reopened");
    assert_eq!(c["round"], 2);
    assert_eq!(desk.list("").len(), 1, "no second case");
}

#[test]
fn a_second_complaint_and_its_first_case_export_and_import_through_the_rules() {
    let desk = Desk::new();
    let first = closed_case(&desk);
    desk.at("2026-11-12T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case follow-up {first} --as 张小明 --method phone --satisfaction unsatisfied --comment 仍不满意"),
    );
    let file = desk.path("all.json");
    desk.ok(
        Some(support::ADMIN_PIN),
        &["export", "--as", support::ADMIN, "--out", file.to_str().unwrap()],
    );
    let other = Desk::new();
    other.at("2026-11-13T10:00:00+08:00").ok(
        Some(support::ADMIN_PIN),
        &[
            "import",
            file.to_str().unwrap(),
            "--as",
            support::ADMIN,
            "--create-staff",
        ],
    );
    let second = other.show("2026-000002");
    assert_eq!(second["follows"], first.as_str());
    assert!(second["flags"].as_array().unwrap().iter().any(|f| f == "repeat"));
}

/// 002's penalty table, the supervisor 20%, doubled on a second complaint.
const PENALTIES: &str = "[penalties]
joint_liability_percent = 20
overdue_yuan = 50
overdue_yuan_per_day = 50
second_complaint_factor = 2
light = { internal_yuan = 50, external_yuan = 50, points = 2 }
medium = { internal_yuan = 100, external_yuan = 100, points = 5 }
severe = { internal_yuan = 200, external_yuan = 200, points = 10 }
";

/// The responsibility line of 护理部 in a report from `from` to 30 Nov.
fn nursing_liability(desk: &Desk, from: &str) -> serde_json::Value {
    let r: serde_json::Value = serde_json::from_str(&desk.at("2026-11-30T10:00:00+08:00").ok(
        None,
        &["report", "--from", from, "--to", "2026-11-30", "--format", "json"],
    ))
    .unwrap();
    r["responsibility"]["depts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "护理部")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"))
}

/// Assigns `n` to 护理部 on 12 Nov and records a justified reply on 13 Nov.
fn replied_medium(desk: &Desk, n: &str) {
    desk.at("2026-11-12T10:30:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode written"),
    );
    desk.at("2026-11-13T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!(
            "case reply {n} --as 张小明 --verdict justified --facts 仍属实 --responsible 当班护士 --measures 再培训 --tier medium"
        ),
    );
}

#[test]
fn a_second_complaints_penalty_is_doubled() {
    let desk = Desk::new();
    std::fs::write(desk.paths().policy, PENALTIES).unwrap();
    let first = closed_case(&desk);
    desk.at("2026-11-12T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case follow-up {first} --as 张小明 --method phone --satisfaction unsatisfied --comment 仍不满意"),
    );
    replied_medium(&desk, "2026-000002");
    // November: the second complaint's medium tier, 100 yuan and −5 doubled.
    let line = nursing_liability(&desk, "2026-11-01");
    assert_eq!(
        [&line["medium"], &line["yuan"], &line["points"], &line["joint_yuan"]],
        [1, 200, 10, 40].map(serde_json::Value::from).each_ref()
    );
}

#[test]
fn a_reopened_first_case_doubles_only_the_rounds_after_the_follow_up() {
    let desk = Desk::new();
    std::fs::write(
        desk.paths().policy,
        format!("[return_visit]\nunsatisfied_follow_up = \"reopen\"\n{PENALTIES}"),
    )
    .unwrap();
    let first = closed_case(&desk);
    desk.at("2026-11-12T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case follow-up {first} --as 张小明 --method phone --satisfaction unsatisfied --comment 仍不满意"),
    );
    replied_medium(&desk, &first);
    // Round 1 light (by the rules) at 50 yuan; round 2 medium doubled, 200.
    let line = nursing_liability(&desk, "2026-09-01");
    assert_eq!(
        [
            &line["light"],
            &line["medium"],
            &line["yuan"],
            &line["points"],
            &line["joint_yuan"]
        ],
        [1, 1, 250, 12, 50].map(serde_json::Value::from).each_ref()
    );
}
