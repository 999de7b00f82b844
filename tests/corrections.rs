//! Corrections (更正, issue 20 point 1) on the command line: `case correct`
//! fixes a typing mistake of the intake with a reason, the old value kept in
//! the timeline; a corrected phone is the caller's key and search term from
//! then on; a confidential complainant's old and new values stay hidden from
//! a viewer who may not see them; refusals say what to do.
#![allow(clippy::unwrap_used)]

mod support;

use support::{CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, SUPERVISOR, SUPERVISOR_PIN};

fn correct(number: &str, field: &str, value: &str, reason: &str) -> Vec<String> {
    [
        "case", "correct", number, "--as", CLERK, "--field", field, "--value", value, "--reason", reason,
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect()
}

#[test]
fn a_corrected_phone_is_found_by_search_and_is_the_callers_key() {
    let desk = Desk::new();
    let n = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude");
    let out = desk.ok(
        Some(CLERK_PIN),
        &correct(&n, "complainant.phone", "139-0013-9000", "电话记错"),
    );
    assert!(out.contains("更正"), "{out}");
    assert_eq!(desk.numbers("--search 13900139000"), vec![n.clone()]);
    assert!(
        desk.numbers("--search 13800138000").is_empty(),
        "the old number no longer finds it"
    );
    let (key, phone_key): (String, String) = desk
        .sql()
        .query_row(
            "SELECT c.caller_key, p.phone_key FROM cases c JOIN complainants p ON p.id = c.complainant_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((key.as_str(), phone_key.as_str()), ("13900139000", "13900139000"));
    // The timeline keeps the old value, the new one and why.
    let text = desk.ok(Some(CLERK_PIN), &["case", "show", &n, "--as", CLERK]);
    assert!(
        text.contains("更正 投诉人电话：13800138000 → 139-0013-9000（原因：电话记错）"),
        "{text}"
    );
    let c = desk.show(&n);
    assert_eq!(c["complainant"]["phone"], "139-0013-9000");
    let e = c["events"].as_array().unwrap().last().unwrap();
    assert_eq!(e["kind"], "corrected");
    assert_eq!(e["field"], "complainant.phone");
    assert_eq!(e["old"], "13800138000");
    assert_eq!(e["new"], "139-0013-9000");
    assert_eq!(e["reason"], "电话记错");
    // The tables still agree with the audit log replayed.
    let check = desk.ok(None, &["check"]);
    assert!(check.contains("检查通过"), "{check}");
}

#[test]
fn a_category_summary_and_department_are_corrected_by_name() {
    let desk = Desk::new();
    desk.add_dept("药剂科");
    let n = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --dept 护理部 --category attitude");
    desk.ok(Some(CLERK_PIN), &correct(&n, "category", "收费物价", "分类选错"));
    desk.ok(Some(CLERK_PIN), &correct(&n, "dept", "药剂科", "部门选错"));
    desk.ok(Some(CLERK_PIN), &correct(&n, "summary", "取药窗口态度生硬", "摘要写错"));
    let c = desk.show(&n);
    assert_eq!(c["category"], "billing");
    assert_eq!(c["dept"], "药剂科");
    assert_eq!(c["summary"], "取药窗口态度生硬");
    // The list and the search read the corrected row.
    assert_eq!(desk.numbers("--search 取药窗口"), vec![n.clone()]);
    assert_eq!(desk.numbers("--search 药剂科"), vec![n.clone()]);
    let text = desk.ok(None, &["case", "show", &n]);
    assert!(text.contains("分类：服务态度 → 收费物价（原因：分类选错）"), "{text}");
    assert!(text.contains("被投诉部门：护理部 → 药剂科（原因：部门选错）"), "{text}");
}

#[test]
fn refusals_name_the_rule() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    let n = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --category attitude");
    // Not the owner.
    let mut other = correct(&n, "summary", "别的", "x");
    other[4] = OTHER.to_string();
    let err = desk.fails(Some(OTHER_PIN), &other, 3);
    assert!(err.contains("只有本案负责人或主管"), "{err}");
    // Unchanged, no reason, a category that does not exist, a field that does not exist.
    let err = desk.fails(Some(CLERK_PIN), &correct(&n, "summary", "夜班护士态度生硬", "x"), 3);
    assert!(err.contains("无需更正"), "{err}");
    let err = desk.fails(Some(CLERK_PIN), &correct(&n, "summary", "别的", " "), 3);
    assert!(err.contains("原因"), "{err}");
    let err = desk.fails(Some(CLERK_PIN), &correct(&n, "category", "停车", "x"), 2);
    assert!(err.contains("没有分类“停车”"), "{err}");
    let err = desk.fails(Some(CLERK_PIN), &correct(&n, "subject", "x", "x"), 2);
    assert!(err.contains("complainant.phone"), "lists the fields: {err}");
    // Nothing was written by any of them.
    assert_eq!(desk.show(&n)["version"], 1);
}

#[test]
fn a_confidential_complainants_old_and_new_values_are_hidden_from_other_viewers() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake("--summary 医生收红包 --name 赵敏 --phone 13711112222 --confidential");
    desk.ok(Some(CLERK_PIN), &correct(&n, "complainant.name", "赵明", "同音字"));
    let seen = desk.show_as(&n, OTHER, OTHER_PIN);
    let e = seen["events"].as_array().unwrap().last().unwrap();
    assert_eq!(e["kind"], "corrected");
    assert_eq!(e["field"], "complainant.name");
    assert!(e.get("old").is_none() && e.get("new").is_none(), "{e}");
    let text = desk.ok(Some(OTHER_PIN), &["case", "show", &n, "--as", OTHER]);
    assert!(!text.contains("赵敏") && !text.contains("赵明"), "{text}");
    assert!(text.contains("投诉人姓名：（保密）"), "{text}");
    // The owner sees both.
    let own = desk.show_as(&n, CLERK, CLERK_PIN);
    let e = own["events"].as_array().unwrap().last().unwrap();
    assert_eq!((e["old"].as_str(), e["new"].as_str()), (Some("赵敏"), Some("赵明")));
}

/// The case page after a correction, and the correction's form (key C), read at 80×24.
#[test]
fn snapshots_of_a_corrected_case_and_the_correction_form() {
    use casedesk::domain::{Command, Correctable, StepKind};
    use casedesk::ui::keymap::Action;
    let mut s = support::screen::Screens::staffed(casedesk::words::Lang::Zh);
    let clerk = s.app.desk.resolve_staff(CLERK).unwrap();
    let number = s
        .app
        .desk
        .intake(&clerk, support::plain_form("夜间呼叫无人应答"))
        .unwrap()
        .case
        .number()
        .to_string();
    let fix = Command::Correct {
        field: Correctable::ComplainantPhone,
        value: "13900138000".into(),
        category: None,
        dept: None,
        reason: "电话记错一位".into(),
    };
    s.app.desk.execute(&clerk, &number, None, &fix).unwrap();
    let now = s.now();
    s.app.signed_in(clerk, now);
    s.app.open_case(&number, None, now);
    s.act(Action::Bottom);
    let page = s.text(80, 24).join("\n");
    assert!(page.contains("13800138000 → 13900138000"), "{page}");
    insta::assert_snapshot!("corrected_case_zh_80x24", page);
    s.act(Action::Step(StepKind::Correct));
    insta::assert_snapshot!("correct_form_zh_80x24", s.text(80, 24).join("\n"));
}

/// An export made without a supervisor masks a confidential complainant, and
/// leaves out the corrections of them too; such a file still imports.
#[test]
fn a_masked_export_leaves_out_a_confidential_complainants_corrections() {
    let desk = Desk::new();
    let n = desk.intake("--summary 医生收红包 --name 赵敏 --phone 13711112222 --confidential");
    desk.ok(Some(CLERK_PIN), &correct(&n, "complainant.name", "赵明", "同音字"));
    desk.ok(Some(CLERK_PIN), &correct(&n, "summary", "医生收受红包", "用词"));
    let file = desk.path("masked.json");
    desk.ok(None, &["export", "--format", "json", "--out", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("赵敏") && !text.contains("赵明"), "{text}");
    assert!(text.contains("医生收受红包"), "the summary's correction stays: {text}");
    let other = Desk::new();
    other.ok(
        Some(support::ADMIN_PIN),
        &["import", file.to_str().unwrap(), "--as", support::ADMIN, "--masked-ok"],
    );
    assert_eq!(other.show(&n)["summary"], "医生收受红包");
}
