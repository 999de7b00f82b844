//! Reports count late entries (补录, issue 17, part 2): how many steps were
//! entered late during the period, by the kind of step and (for a supervisor
//! who asks for names) by the clerk who entered them, in every format; an
//! unsatisfied visit entered late is one step, though it reopens the case.
//! An export and import keeps each step's late note, and the imported desk
//! counts them the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, SUPERVISOR, SUPERVISOR_PIN};

/// Thursday 1 October 2026, the morning after T0: when the late steps are entered.
const T1: &str = "2026-10-01T09:00:00+08:00";

/// A step of `who` on `number` that happened at `happened`, entered at T1.
fn late(desk: &Desk, who: (&str, &str), number: &str, step: &[&str], happened: &str) {
    let mut args = vec!["case", step[0], number, "--as", who.0];
    args.extend_from_slice(&step[1..]);
    args.extend(["--happened-at", happened, "--late-reason", "当时忙于接待，未及时登记"]);
    desk.ok_at(T1, Some(who.1), &args);
}

/// Two cases received on 30 September (one about 护理部), with four steps
/// entered late on 1 October: three by 张小明, one by 李静, among them an
/// unsatisfied return visit (one step, three events).
fn desk() -> (Desk, String, String) {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let a = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部");
    let b = desk
        .ok(
            Some(CLERK_PIN),
            "case new --as 张小明 --channel phone --kind inquiry --summary 询问停车收费 --name 李四 --phone 13900001111",
        )
        .trim()
        .to_string();
    late(
        &desk,
        (CLERK, CLERK_PIN),
        &a,
        &["assign", "--dept", "护理部", "--mode", "written"],
        "2026-09-30 15:00",
    );
    late(
        &desk,
        (OTHER, OTHER_PIN),
        &a,
        &["note", "--text", "家属下午又来电"],
        "2026-09-30 16:00",
    );
    late(
        &desk,
        (CLERK, CLERK_PIN),
        &b,
        &["answer", "--text", "按物价局标准收费"],
        "2026-09-30 15:00",
    );
    late(
        &desk,
        (CLERK, CLERK_PIN),
        &b,
        &[
            "visit",
            "--method",
            "phone",
            "--satisfaction",
            "unsatisfied",
            "--comment",
            "不认可",
        ],
        "2026-09-30 18:00",
    );
    // And one step entered at the time: not late.
    desk.ok_at(
        T1,
        Some(CLERK_PIN),
        &["case", "urge", &a, "--as", CLERK, "--note", "请尽快答复"],
    );
    (desk, a, b)
}

fn report(desk: &Desk, pin: Option<&str>, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    desk.ok_at(T1, pin, &all)
}

fn json(desk: &Desk, pin: Option<&str>, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&report(desk, pin, &all)).unwrap()
}

const OCTOBER: [&str; 4] = ["--from", "2026-10-01", "--to", "2026-10-31"];
const SEPTEMBER: [&str; 4] = ["--from", "2026-09-01", "--to", "2026-09-30"];

#[test]
fn late_steps_are_counted_by_when_they_were_entered_and_by_step() {
    let (desk, _, _) = desk();
    let r = json(&desk, None, &OCTOBER);
    // No case was received in October; four steps were entered late in it.
    assert_eq!(r["total"], 0, "{r}");
    assert_eq!(r["late"]["total"], 4, "{}", r["late"]);
    let by_step: Vec<(String, u64)> = serde_json::from_value(r["late"]["by_step"].clone()).unwrap();
    assert_eq!(
        by_step,
        [
            ("交办".to_string(), 1),
            ("回访".to_string(), 1),
            ("备注".to_string(), 1),
            ("当场答复".to_string(), 1)
        ],
        "{}",
        r["late"]
    );
    // Names only for a supervisor who asks.
    assert!(r["late"]["by_clerk"].is_null(), "{}", r["late"]);
    // September received both cases; nothing was entered late in it.
    let r = json(&desk, None, &SEPTEMBER);
    assert_eq!(r["total"], 2);
    assert_eq!(r["late"]["total"], 0, "{}", r["late"]);
    assert_eq!(r["late"]["by_step"], serde_json::json!([]));
}

#[test]
fn a_supervisor_asking_for_names_sees_who_entered_them() {
    let (desk, _, _) = desk();
    let mut args = OCTOBER.to_vec();
    args.extend(["--as", SUPERVISOR, "--names"]);
    let r = json(&desk, Some(SUPERVISOR_PIN), &args);
    let by_clerk: Vec<(String, u64)> = serde_json::from_value(r["late"]["by_clerk"].clone()).unwrap();
    assert_eq!(by_clerk, [(CLERK.to_string(), 3), (OTHER.to_string(), 1)]);
    let text = report(&desk, Some(SUPERVISOR_PIN), &args);
    assert!(text.contains("补录（按录入人）"), "{text}");
    assert!(
        text.lines().any(|l| l.contains(CLERK) && l.trim_end().ends_with(" 3")),
        "{text}"
    );
}

#[test]
fn every_format_shows_the_late_entries() {
    let (desk, _, _) = desk();
    let text = report(&desk, None, &OCTOBER);
    assert!(
        text.lines()
            .any(|l| l.contains("补录的步骤（本期录入）") && l.trim_end().ends_with(" 4")),
        "{text}"
    );
    assert!(text.contains("补录（按步骤，本期录入）"), "{text}");
    assert!(!text.contains("补录（按录入人）"), "{text}");
    let mut args = OCTOBER.to_vec();
    args.extend(["--format", "csv"]);
    let csv = report(&desk, None, &args);
    assert!(csv.contains("补录的步骤（本期录入）,4,,,"), "{csv}");
    assert!(csv.contains("补录（按步骤，本期录入）,交办,1,,,"), "{csv}");
    let mut args = OCTOBER.to_vec();
    args.extend(["--format", "html"]);
    let html = report(&desk, None, &args);
    assert!(html.contains("<h2>补录（按步骤，本期录入）</h2>"), "{html}");
    let mut args = OCTOBER.to_vec();
    args.extend(["--lang", "en"]);
    let en = report(&desk, None, &args);
    assert!(
        en.lines()
            .any(|l| l.contains("Steps entered late (this period)") && l.trim_end().ends_with(" 4")),
        "{en}"
    );
}

#[test]
fn a_filtered_report_counts_the_late_steps_of_its_cases() {
    let (desk, _, _) = desk();
    let mut args = OCTOBER.to_vec();
    args.extend(["--dept", "护理部"]);
    let r = json(&desk, None, &args);
    assert_eq!(r["late"]["total"], 2, "{}", r["late"]);
    let mut args = OCTOBER.to_vec();
    args.extend(["--kind", "inquiry"]);
    let r = json(&desk, None, &args);
    assert_eq!(r["late"]["total"], 2, "{}", r["late"]);
}

#[test]
fn export_and_import_keep_the_late_notes_and_the_counts() {
    let (desk, a, b) = desk();
    let file = desk.path("export.json");
    desk.ok_at(T1, None, &["export", "--out", file.to_str().unwrap()]);
    let target = Desk::new();
    target.add_staff(OTHER, "clerk", OTHER_PIN);
    target.at("2026-10-02T10:00:00+08:00");
    target.ok(Some(ADMIN_PIN), &["import", file.to_str().unwrap(), "--as", ADMIN]);
    for n in [&a, &b] {
        let (before, after) = (desk.show(n), target.show(n));
        let lates = |c: &Value| -> Vec<Value> {
            c["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["late"].clone())
                .collect()
        };
        assert_eq!(lates(&after), lates(&before), "case {n}");
    }
    assert_eq!(
        json(&target, None, &OCTOBER)["late"],
        json(&desk, None, &OCTOBER)["late"]
    );
}
