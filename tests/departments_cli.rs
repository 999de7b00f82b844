//! Several departments on one case through the command line: each has its
//! own clock on `case show`, its own line on the list to urge (压单), and a
//! reply says whose it is.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use support::{CLERK_PIN, Desk, SUPERVISOR, SUPERVISOR_PIN};

/// A complaint assigned to 护理部 by phone on Mon 2 Nov 2026 (due Tue 3 Nov)
/// and to 药剂科 in writing on Tue 3 Nov (due Fri 6 Nov).
fn two_departments(desk: &Desk) -> String {
    desk.add_dept("药剂科");
    desk.at("2026-11-02T09:00:00+08:00");
    let n = desk.intake("--summary 输液配错药 --name 王芳 --phone 13800138000 --dept 护理部 --promise 2026-11-13");
    desk.at("2026-11-02T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode phone"),
    );
    desk.at("2026-11-03T10:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 药剂科 --mode written"),
    );
    n
}

fn overdue_depts(desk: &Desk, at: &str) -> Vec<String> {
    let v: Value = desk.json_at(at, None, "urges --json");
    v["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["dept"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_department_has_its_own_clock_its_own_line_to_urge_and_replies_for_itself() {
    let desk = Desk::new();
    let n = two_departments(&desk);
    let c = desk.show(&n);
    let replies: Vec<(String, String)> = c["deadline_details"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["name"] == "department_reply")
        .map(|d| {
            (
                d["dept"].as_str().unwrap().to_string(),
                d["due"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        replies,
        [
            ("护理部".to_string(), "2026-11-03T23:59:59+08:00".to_string()),
            ("药剂科".to_string(), "2026-11-06T23:59:59+08:00".to_string())
        ]
    );
    assert_eq!(c["departments"].as_array().unwrap().len(), 2);
    // 4 Nov: only 护理部 holds a reply past due; 9 Nov: both do.
    assert_eq!(overdue_depts(&desk, "2026-11-04T09:00:00+08:00"), ["护理部"]);
    assert_eq!(overdue_depts(&desk, "2026-11-09T09:00:00+08:00"), ["护理部", "药剂科"]);
    let text = desk.at("2026-11-04T09:00:00+08:00").ok(None, &["case", "show", &n]);
    assert!(
        text.contains("部门答复（护理部）") && text.contains("部门答复（药剂科）"),
        "{text}"
    );
    // A reply without its department is refused, naming both.
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("case reply {n} --as 张小明 --verdict unjustified --facts 按规程处理"),
        3,
    );
    assert!(err.contains("护理部") && err.contains("药剂科"), "{err}");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case reply {n} --as 张小明 --dept 药剂科 --verdict unjustified --facts 按规程处理"),
    );
    assert_eq!(desk.show(&n)["state"], "assigned");
    // The supervisor lets 护理部 off: 药剂科's reply is the result.
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    desk.ok(
        Some(SUPERVISOR_PIN),
        &format!("case release {n} --as {SUPERVISOR} --dept 护理部 --reason 与护理无关"),
    );
    let c = desk.show(&n);
    assert_eq!(c["state"], "replied");
    assert_eq!(overdue_depts(&desk, "2026-11-09T09:00:00+08:00"), Vec::<String>::new());
}
