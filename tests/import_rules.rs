//! Import goes through the rules (issue 17, part 7): every case of the file
//! is retraced through the engine, each step at its own time and by its own
//! staff member, and a case the desk would have refused refuses the file —
//! nothing is written, the message names the case, the event and the rule in
//! the clerk's language, and the exit code is not 0. Staff the desk lacks
//! are refused unless `--create-staff`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{Value, json};
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk};

/// A desk with one closed complaint (every step at the desk clock, T0) and a
/// second one still open; its JSON export.
fn source() -> (Desk, Value) {
    let desk = Desk::new();
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude");
    for step in [
        "assign --dept 护理部 --mode written",
        "reply --verdict partly --facts 部分属实 --responsible 护士甲 --measures 培训",
        "feedback --method phone --text 已告知",
        "visit --method phone --satisfaction basic",
        "close",
    ] {
        let (cmd, rest) = step.split_once(' ').unwrap_or((step, ""));
        desk.ok(Some(CLERK_PIN), &format!("case {cmd} {a} --as {CLERK} {rest}"));
    }
    desk.intake("--summary 挂号排队太久 --name 李四 --phone 13900001111");
    let doc = serde_json::from_str(&desk.ok(None, "export --format json")).unwrap();
    (desk, doc)
}

/// The events of the first case.
fn events(doc: &mut Value) -> &mut Vec<Value> {
    doc["cases"][0]["events"].as_array_mut().unwrap()
}

/// The place of the first event of `kind` in the first case.
fn place(doc: &Value, kind: &str) -> usize {
    doc["cases"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} event"))
}

/// When the files are imported: two days after the source desk's steps.
const IMPORT_AT: &str = "2026-10-02T10:00:00+08:00";

/// Imports `doc` into a fresh desk (admin, 护理部, 张小明) at [`IMPORT_AT`]
/// with `extra` arguments; the desk and the run's output.
fn import(doc: &Value, extra: &[&str]) -> (Desk, std::process::Output) {
    let target = Desk::new();
    target.at(IMPORT_AT);
    let file = target.path("import.json");
    std::fs::write(&file, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let mut args = vec!["import", file.to_str().unwrap(), "--as", ADMIN];
    args.extend_from_slice(extra);
    let out = target.run(Some(ADMIN_PIN), &args);
    (target, out)
}

/// Imports `doc` and expects it refused as a whole: exit 2, nothing written;
/// returns the message.
#[track_caller]
fn refused(doc: &Value, extra: &[&str]) -> String {
    let (target, out) = import(doc, extra);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty(), "{err}");
    assert_eq!(target.count("cases"), 0, "a refused import wrote cases: {err}");
    assert_eq!(target.count("staff"), 2, "a refused import added staff: {err}");
    target.ok(None, "check");
    err
}

#[test]
fn the_untouched_export_imports() {
    let (_, doc) = source();
    let (target, out) = import(&doc, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(target.count("cases"), 2);
    target.ok(None, "check");
}

#[test]
fn a_summary_past_its_limit_is_refused_naming_the_case_and_the_rule() {
    let (_, mut doc) = source();
    events(&mut doc)[0]["summary"] = json!("长".repeat(350_000));
    let err = refused(&doc, &[]);
    assert!(err.starts_with("导入失败，未做任何更改。1 行有问题："), "{err}");
    assert!(
        err.contains(
            "第 1 行：案件 2026-000001 的第 1 个事件（受理登记）不符合规则：摘要过长：350000 字，最多 200 字。"
        ),
        "{err}"
    );
    assert!(err.contains("请改正"), "{err}");
}

#[test]
fn a_close_without_a_return_visit_is_refused() {
    let (_, mut doc) = source();
    let visit = place(&doc, "return_visited");
    events(&mut doc).remove(visit);
    let err = refused(&doc, &[]);
    assert!(
        err.contains("案件 2026-000001 的第 5 个事件（结案）不符合规则：不能结案"),
        "{err}"
    );
    // The same in English.
    let err = refused(&doc, &["--lang", "en"]);
    assert!(
        err.contains("case 2026-000001, event 5 (") && err.contains("breaks a rule"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
}

#[test]
fn an_exemption_the_rules_do_not_grant_is_refused() {
    let (_, mut doc) = source();
    let close = place(&doc, "closed");
    events(&mut doc)[close]["exemption"] = json!("unreachable");
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 6 个事件（结案）") && err.contains("按本台规则"),
        "{err}"
    );
}

#[test]
fn a_close_dated_1999_is_refused() {
    let (_, mut doc) = source();
    let close = place(&doc, "closed");
    events(&mut doc)[close]["at"] = json!("1999-01-01T02:00:00Z");
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 6 个事件（结案）不符合规则：时间 1999-01-01 10:00 早于本案受理登记（2026-09-30 10:00）。"),
        "{err}"
    );
}

#[test]
fn an_event_in_the_future_is_refused() {
    let (_, mut doc) = source();
    let close = place(&doc, "closed");
    events(&mut doc)[close]["at"] = json!("2027-01-01T02:00:00Z");
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 6 个事件（结案）不符合规则：时间 2027-01-01 10:00 晚于现在（2026-10-02 10:00）"),
        "{err}"
    );
    // A whole case in the future too: its intake.
    let (_, mut doc) = source();
    for e in events(&mut doc) {
        e["at"] = json!("2027-01-01T02:00:00Z");
    }
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 1 个事件（受理登记）") && err.contains("晚于现在"),
        "{err}"
    );
}

#[test]
fn events_out_of_order_are_refused() {
    let (_, mut doc) = source();
    let assign = place(&doc, "assigned");
    events(&mut doc)[assign]["at"] = json!("2026-09-30T03:00:00Z");
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 3 个事件（部门答复）不符合规则：时间 2026-09-30 10:00 早于前一个事件（2026-09-30 11:00）"),
        "{err}"
    );
}

#[test]
fn a_step_the_rules_refuse_in_its_state_is_refused() {
    // Feedback before the department's reply: the case is still assigned.
    let (_, mut doc) = source();
    let reply = place(&doc, "replied");
    events(&mut doc).remove(reply);
    let err = refused(&doc, &[]);
    assert!(err.contains("第 3 个事件（反馈投诉人）不符合规则：案件当前为"), "{err}");
}

#[test]
fn a_step_by_someone_who_may_not_take_it_is_refused() {
    // The admin is on the desk, but does not own the case.
    let (_, mut doc) = source();
    let reply = place(&doc, "replied");
    events(&mut doc)[reply]["actor"] = json!(ADMIN);
    let err = refused(&doc, &[]);
    assert!(err.contains("第 3 个事件（部门答复）不符合规则：首问负责制"), "{err}");
}

#[test]
fn a_phone_that_is_no_number_is_refused_and_a_number_is_made_plain() {
    let (_, mut doc) = source();
    events(&mut doc)[0]["complainant"]["phone"] = json!("call me");
    let err = refused(&doc, &[]);
    assert!(
        err.contains("第 1 个事件（受理登记）") && err.contains("不是电话号码"),
        "{err}"
    );

    let (_, mut doc) = source();
    events(&mut doc)[0]["complainant"]["phone"] = json!("１３８-００１３-８０００");
    let (target, out) = import(&doc, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        target.show("2026-000001")["complainant"]["phone"],
        "138-0013-8000",
        "the phone is kept as the desk keeps a typed one (half-width)"
    );
}

#[test]
fn unknown_staff_are_refused_unless_create_staff() {
    let (_, mut doc) = source();
    // A made-up clerk takes in and handles the first case.
    for e in events(&mut doc) {
        if e["actor"] == CLERK {
            e["actor"] = json!("王五");
        }
    }
    let err = refused(&doc, &[]);
    assert!(
        err.starts_with("导入失败，未做任何更改：文件中有 1 位人员不在本台的人员名单中：王五。"),
        "{err}"
    );
    assert!(err.contains("--create-staff"), "{err}");
    let err = refused(&doc, &["--lang", "en"]);
    assert!(err.contains("not on this desk's staff: 王五"), "{err}");

    let (target, out) = import(&doc, &["--create-staff"]);
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("已导入 2 个案件"), "{said}");
    assert!(said.contains("新建了 1 个人员账户（停用、没有 PIN）"), "{said}");
    assert_eq!(target.show("2026-000001")["owner"], "王五");
    // The account is there, inactive, and cannot sign in until an admin acts.
    let staff: Vec<Value> = serde_json::from_str(&target.ok(None, "staff list --json")).unwrap();
    let made = staff.iter().find(|s| s["name"] == "王五").expect("王五 added");
    assert_eq!(made["active"], false, "{made}");
    assert_eq!(made["role"], "clerk", "{made}");
    target.ok(None, "check");
}

#[test]
fn one_bad_case_stops_the_whole_file_and_the_message_lists_the_first_problems() {
    let (_, mut doc) = source();
    let cases = doc["cases"].as_array_mut().unwrap();
    let good = cases[1].clone();
    // Sixty copies of a case with an over-long summary, after the good one.
    for n in 0..60 {
        let mut bad = good.clone();
        let number = format!("2026-{:06}", 100 + n);
        bad["number"] = json!(number);
        bad["events"][0]["number"] = json!(number);
        bad["events"][0]["summary"] = json!("长".repeat(201));
        cases.push(bad);
    }
    let err = refused(&doc, &[]);
    assert!(err.starts_with("导入失败，未做任何更改。60 行有问题："), "{err}");
    // The first 50 are listed.
    assert_eq!(err.matches("摘要过长：201 字").count(), 50, "{err}");
}
