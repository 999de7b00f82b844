//! The command line as users and integrators drive it: one process per
//! command, each test on its own desk in a temp dir, with a fixed clock and an
//! explicit environment (no user config can leak in). Here case numbers, the
//! whole loop, exit codes, refusals that leave no partial data, PINs and the
//! first receiver's responsibility.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------- numbers

#[test]
fn case_numbers_count_up_per_year_of_receipt() {
    let desk = Desk::new();
    let out = desk.ok(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel phone --kind complaint --summary 护士态度生硬 \
         --name 王芳 --phone 13800138000 --dept 护理部 --category attitude",
    );
    assert_eq!(out, "2026-000001\n");
    assert_eq!(desk.intake("--summary 候诊时间太长 --name 李四"), "2026-000002");
    // A letter dated last year gets a number of that year, counted on its own.
    let letter = desk.intake("--summary 去年的来信 --name 张三 --received-at 2025-12-30");
    assert_eq!(letter, "2025-000001");
    assert_eq!(desk.show(&letter)["received_at"], "2025-12-30T00:00:00+08:00");
    assert_eq!(desk.intake("--summary 又一个 --name 李四"), "2026-000003");
}

// ---------------------------------------------------------------- the loop

#[test]
fn whole_loop_from_intake_to_close() {
    let desk = Desk::new();
    let n = desk.intake(
        "--summary 护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude \
         --promise 2026-10-12",
    );
    assert_eq!(n, "2026-000001");
    let c = desk.show(&n);
    assert_eq!(c["number"], "2026-000001");
    assert_eq!(c["state"], "received");
    assert_eq!(c["owner"], CLERK);
    assert_eq!(c["first_receiver"], CLERK);
    assert_eq!(c["level"], 0);
    assert_eq!(c["flags"], json!([]));
    assert_eq!(c["version"], 1);
    assert_eq!(c["kind"], "complaint");
    assert_eq!(c["channel"], "phone");
    assert_eq!(c["severity"], "minor");
    assert_eq!(c["dept"], "护理部");
    assert_eq!(c["category"], "attitude");
    assert_eq!(c["summary"], "护士态度生硬");
    assert_eq!(c["received_at"], T0);
    assert_eq!(
        c["complainant"],
        json!({"name": "王芳", "phone": "13800138000", "address": null, "relation": null})
    );
    assert_eq!(
        c["deadlines"],
        json!({
            "promised_reply": "2026-10-12T23:59:59+08:00",
            "resolution": "2026-10-27T23:59:59+08:00",
        })
    );
    assert_eq!(kinds(&c), ["received"]);
    assert_eq!(c["events"][0]["actor"], CLERK);
    assert_eq!(c["events"][0]["at"], T0);

    // Written assignment on Wednesday 30 September: 3 working days after the
    // National Day holidays is Saturday 10 October, a make-up working day.
    let out = desk.at("2026-09-30T10:05:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode written"),
    );
    assert!(out.starts_with("2026-000001：交办完成，当前状态：已交办"), "{out}");
    let c = desk.show(&n);
    assert_eq!(c["state"], "assigned");
    assert_eq!(c["assigned_dept"], "护理部");
    assert_eq!(
        c["deadlines"],
        json!({
            "department_reply": "2026-10-10T23:59:59+08:00",
            "promised_reply": "2026-10-12T23:59:59+08:00",
            "resolution": "2026-10-27T23:59:59+08:00",
        })
    );
    assert_eq!(kinds(&c), ["received", "assigned"]);
    assert_eq!(c["events"][1]["actor"], CLERK);
    assert_eq!(c["events"][1]["at"], "2026-09-30T10:05:00+08:00");

    desk.at("2026-10-09T15:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!(
            "case reply {n} --as 张小明 --verdict justified --facts 当班护士忙于抢救语气生硬 \
             --responsible 当班护士 --measures 科室培训沟通礼仪"
        ),
    );
    let c = desk.show(&n);
    assert_eq!(c["state"], "replied");
    assert_eq!(
        c["deadlines"],
        json!({
            "promised_reply": "2026-10-12T23:59:59+08:00",
            "resolution": "2026-10-27T23:59:59+08:00",
        })
    );

    desk.at("2026-10-09T16:00:00+08:00").ok(
        Some(CLERK_PIN),
        &format!("case feedback {n} --as 张小明 --method phone --text 已电话告知处理结果"),
    );
    let c = desk.show(&n);
    assert_eq!(c["state"], "feedback_given");
    // Return visit: 3 working days after Friday 9 October = Sat 10 (make-up), Mon 12, Tue 13.
    assert_eq!(
        c["deadlines"],
        json!({
            "return_visit": "2026-10-13T23:59:59+08:00",
            "resolution": "2026-10-27T23:59:59+08:00",
        })
    );
    assert_eq!(c["version"], 4);

    // Closing before the return visit is refused and changes nothing.
    desk.at("2026-10-12T10:00:00+08:00")
        .fails(Some(CLERK_PIN), &format!("case close {n} --as 张小明"), 3);
    assert_eq!(desk.show(&n), c);

    desk.ok(
        Some(CLERK_PIN),
        &format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied --comment 满意"),
    );
    let c = desk.show(&n);
    assert_eq!(c["state"], "visited");
    assert_eq!(c["deadlines"], json!({"resolution": "2026-10-27T23:59:59+08:00"}));

    desk.at("2026-10-12T10:30:00+08:00")
        .ok(Some(CLERK_PIN), &format!("case close {n} --as 张小明"));
    let c = desk.show(&n);
    assert_eq!(c["state"], "closed");
    assert_eq!(c["closed_at"], "2026-10-12T10:30:00+08:00");
    assert_eq!(c["owner"], CLERK);
    assert_eq!(c["first_receiver"], CLERK);
    assert_eq!(c["level"], 0);
    assert_eq!(c["flags"], json!([]));
    assert_eq!(c["version"], 6);
    // Archive in 15 working days; monthly follow-up visits after an external complaint.
    assert_eq!(
        c["deadlines"],
        json!({
            "archive": "2026-11-02T23:59:59+08:00",
            "follow_up_1": "2026-11-12T23:59:59+08:00",
            "follow_up_2": "2026-12-12T23:59:59+08:00",
            "follow_up_3": "2027-01-12T23:59:59+08:00",
        })
    );
    let timeline: Vec<(&str, &str, &str)> = c["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
                e["at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        timeline,
        [
            ("received", CLERK, T0),
            ("assigned", CLERK, "2026-09-30T10:05:00+08:00"),
            ("replied", CLERK, "2026-10-09T15:00:00+08:00"),
            ("feedback_given", CLERK, "2026-10-09T16:00:00+08:00"),
            ("return_visited", CLERK, "2026-10-12T10:00:00+08:00"),
            ("closed", CLERK, "2026-10-12T10:30:00+08:00"),
        ]
    );

    // A closed case is read-only.
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("case escalate {n} --as 张小明 --reason 再议"),
        3,
    );
    assert!(err.contains("已结案"), "{err}");
    desk.ok(None, "check");
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_tell_usage_rule_conflict_and_other_failures() {
    let desk = Desk::new();
    let n = desk.intake("--summary 护士态度生硬 --name 王芳");

    // 2: a bad coded value lists the accepted ones.
    let err = desk.fails(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel tele --kind complaint --summary x --name 王",
        2,
    );
    assert_eq!(
        err.trim_end(),
        "渠道“tele”无效。可选：phone, letter, visit, email, online, fax, survey, internal"
    );
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("--lang en case assign {n} --as 张小明 --dept 护理部 --mode fax"),
        2,
    );
    assert!(err.contains("'fax'") && err.contains("phone, written"), "{err}");
    let err = desk.fails(None, "case list --state open", 2);
    assert!(
        err.contains("received, answered, referred, assigned, replied, feedback_given, visited, reopened, closed"),
        "{err}"
    );

    // 2: unknown names are refused with the known ones.
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 药剂科 --mode phone"),
        2,
    );
    assert_eq!(err.trim_end(), "没有部门“药剂科”。已有：护理部");
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("--lang en case assign {n} --as 张小明 --dept 药剂科 --mode phone"),
        2,
    );
    assert_eq!(err.trim_end(), "Unknown department '药剂科'. Known: 护理部");
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 无名氏 --dept 护理部 --mode phone"),
        2,
    );
    assert_eq!(err.trim_end(), "没有人员“无名氏”。已有：管理员、张小明");
    let err = desk.fails(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel phone --kind complaint --summary x --name 王 --category parking",
        2,
    );
    assert!(err.contains("“parking”"), "{err}");
    assert!(
        err.contains("attitude (服务态度)") && err.contains("other (其他)"),
        "{err}"
    );
    let err = desk.fails(None, "case show 2026-000099", 2);
    assert_eq!(err.trim_end(), "没有案件 2026-000099。");
    // clap's own usage errors are 2 as well.
    desk.fails(None, "case frobnicate", 2);

    // 3: refused by a rule.
    let err = desk.fails(Some(CLERK_PIN), &format!("case close {n} --as 张小明"), 3);
    assert!(err.starts_with("不能结案"), "{err}");

    // 4: written against a stale version.
    assert_eq!(desk.show(&n)["version"], 1);
    desk.ok(
        Some(CLERK_PIN),
        &format!("case promise {n} --as 张小明 --at 2026-10-09 --if-version 1"),
    );
    assert_eq!(desk.show(&n)["version"], 2);
    let err = desk.fails(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode phone --if-version 1"),
        4,
    );
    assert!(err.contains("第 1 版") && err.contains("第 2 版"), "{err}");
    let c = desk.show(&n);
    assert_eq!(
        (c["version"].clone(), c["state"].clone()),
        (json!(2), json!("received"))
    );

    // 1: anything else, e.g. a wrong PIN.
    let err = desk.fails(
        Some("9999"),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode phone"),
        1,
    );
    assert_eq!(err.trim_end(), "PIN 错误，还可尝试 4 次。");
    assert_eq!(desk.show(&n)["version"], 2);
}

#[test]
fn close_without_return_visit_says_why_in_both_languages() {
    let desk = Desk::new();
    let n = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    for step in [
        "assign --dept 护理部 --mode phone",
        "reply --verdict unjustified --facts 经核实无此事",
        "feedback --method phone --text 已解释",
    ] {
        let (cmd, rest) = step.split_once(' ').unwrap();
        desk.ok(Some(CLERK_PIN), &format!("case {cmd} {n} --as 张小明 {rest}"));
    }
    assert_eq!(desk.show(&n)["state"], "feedback_given");

    let zh = desk.fails(Some(CLERK_PIN), &format!("case close {n} --as 张小明"), 3);
    assert!(zh.contains("不能结案"), "{zh}");
    assert!(zh.contains("回访"), "{zh}");
    assert!(zh.contains("0/3"), "{zh}");

    let en = desk.fails(Some(CLERK_PIN), &format!("--lang en case close {n} --as 张小明"), 3);
    assert!(en.contains("Cannot close"), "{en}");
    assert!(en.contains("return visit"), "{en}");
    assert!(en.contains("attempts 0 of 3"), "{en}");

    // A failed attempt is counted.
    desk.ok(
        Some(CLERK_PIN),
        &format!("case visit-failed {n} --as 张小明 --note 无人接听"),
    );
    let version = desk.show(&n)["version"].clone();
    let zh = desk.fails(Some(CLERK_PIN), &format!("case close {n} --as 张小明"), 3);
    assert!(zh.contains("1/3"), "{zh}");
    assert_eq!(desk.show(&n)["version"], version);
}

// ---------------------------------------------------------------- no partial data

#[test]
fn refused_intake_creates_nothing_and_keeps_the_number() {
    let desk = Desk::new();
    let new = |extra: &str| format!("case new --as 张小明 --channel phone --kind complaint --name 王芳 {extra}");
    // Refused before the write: unknown department, category; bad value. (The
    // person complained about may be any name: one not in the people
    // directory is recorded as unlisted.)
    desk.fails(Some(CLERK_PIN), &new("--summary x --dept 药剂科"), 2);
    desk.fails(Some(CLERK_PIN), &new("--summary x --category parking"), 2);
    desk.fails(Some(CLERK_PIN), &new("--summary x --severity huge"), 2);
    desk.fails(Some("9999"), &new("--summary x"), 1);
    // Refused by the rules inside the write, after a number was reserved.
    let mut blank = new("--dept 护理部").words();
    blank.extend(["--summary".to_string(), "  ".to_string()]);
    let blank: Vec<&str> = blank.iter().map(String::as_str).collect();
    desk.fails(Some(CLERK_PIN), blank.as_slice(), 3);
    desk.fails(Some(CLERK_PIN), &new("--summary x --received-at 2026-10-05"), 3);
    let long = "长".repeat(201);
    desk.fails(Some(CLERK_PIN), &new(&format!("--summary {long}")), 3);
    desk.fails(
        Some(CLERK_PIN),
        &new(&format!("--summary x --staff {}", "长".repeat(51))),
        3,
    );

    assert_eq!(desk.list(""), Vec::<Value>::new());
    assert_eq!(desk.count("cases"), 0);
    assert_eq!(desk.count("complainants"), 0);
    assert_eq!(desk.intake("--summary 护士态度生硬 --name 王芳"), "2026-000001");
}

#[test]
fn refused_steps_leave_the_case_untouched() {
    let desk = Desk::new();
    let n = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode written"),
    );
    let before = desk.show(&n);
    assert_eq!(before["version"], 2);
    let events = desk.count("events");
    let refused = [
        // Justified without the responsible party and measures.
        ("reply --verdict justified --facts 属实", 3),
        ("feedback --method phone --text x", 3),
        ("visit --method phone --satisfaction satisfied", 3),
        ("reopen --reason x", 3),
        ("withdraw --reason x", 3),
        ("reply --verdict maybe --facts x", 2),
        ("assign --dept 药剂科 --mode phone", 2),
    ];
    for (step, code) in refused {
        let (cmd, rest) = step.split_once(' ').unwrap();
        desk.fails(Some(CLERK_PIN), &format!("case {cmd} {n} --as 张小明 {rest}"), code);
    }
    assert_eq!(desk.show(&n), before);
    assert_eq!(desk.count("events"), events);
}

// ---------------------------------------------------------------- PINs

#[test]
fn missing_pin_without_a_terminal_is_explained() {
    let desk = Desk::new();
    let err = desk.fails(
        None,
        "case new --as 张小明 --channel phone --kind complaint --summary x --name 王",
        2,
    );
    assert_eq!(
        err.trim_end(),
        "需要 PIN：请设置环境变量 CASEDESK_PIN，或在终端中运行以输入。"
    );
    let err = desk.fails(None, "--lang en case list --as 张小明", 2);
    assert_eq!(
        err.trim_end(),
        "A PIN is needed: set CASEDESK_PIN, or run this in a terminal to be asked."
    );
    assert_eq!(desk.count("cases"), 0);

    // A new account's PIN is asked for too.
    let err = desk.fails(Some(ADMIN_PIN), "staff add --as 管理员 --name 新人 --role clerk", 2);
    assert!(err.contains("CASEDESK_NEW_PIN"), "{err}");
    assert_eq!(desk.count("staff"), 2);
}

#[test]
fn wrong_pins_count_down_then_lock_the_account() {
    let desk = Desk::new();
    let list = "case list --as 张小明";
    for left in [4, 3, 2, 1] {
        let err = desk.fails(Some("0000"), list, 1);
        assert_eq!(err.trim_end(), format!("PIN 错误，还可尝试 {left} 次。"));
    }
    let err = desk.fails(Some("0000"), list, 1);
    assert!(err.starts_with("PIN 错误次数过多，账号锁定至"), "{err}");
    // Even the right PIN is refused while locked.
    let err = desk.fails(Some(CLERK_PIN), list, 1);
    assert!(err.starts_with("PIN 错误次数过多，账号锁定至"), "{err}");
    let err = desk.fails(Some(CLERK_PIN), "--lang en case list --as 张小明", 1);
    assert!(err.contains("locked"), "{err}");
    // Others are not affected.
    desk.ok(Some(ADMIN_PIN), "case list --as 管理员");
    // After the policy's 15 minutes the right PIN works again.
    desk.at("2026-09-30T10:16:00+08:00").ok(Some(CLERK_PIN), list);

    // A right PIN resets the count.
    desk.fails(Some("0000"), list, 1);
    desk.ok(Some(CLERK_PIN), list);
    let err = desk.fails(Some("0000"), list, 1);
    assert_eq!(err.trim_end(), "PIN 错误，还可尝试 4 次。");
}

#[test]
fn lockout_message_uses_local_time() {
    let desk = Desk::new();
    for _ in 0..5 {
        desk.fails(Some("0000"), "case list --as 张小明", 1);
    }
    let err = desk.fails(Some(CLERK_PIN), "case list --as 张小明", 1);
    assert!(err.contains("10:15"), "{err}");
}

// ---------------------------------------------------------------- first receiver

#[test]
fn first_receiver_keeps_the_case_until_a_transfer_is_accepted() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake("--summary 护士态度生硬 --name 王芳");
    let assign = |who: &str| format!("case assign {n} --as {who} --dept 护理部 --mode phone");

    // Another clerk may not act on 张小明's case, nor take it.
    let err = desk.fails(Some(OTHER_PIN), &assign(OTHER), 3);
    assert_eq!(
        err.trim_end(),
        "首问负责制：只有本案负责人或主管可以操作。需要接手请先办理移交。"
    );
    desk.fails(
        Some(OTHER_PIN),
        &format!("case transfer {n} --as 李静 --to 李静 --reason 我来"),
        3,
    );
    desk.fails(Some(OTHER_PIN), &format!("case accept {n} --as 李静"), 3);
    assert_eq!(desk.show(&n)["version"], 1);

    // The owner offers it; ownership moves only on acceptance.
    desk.ok(
        Some(CLERK_PIN),
        &format!("case transfer {n} --as 张小明 --to 李静 --reason 交接班"),
    );
    let c = desk.show(&n);
    assert_eq!(c["owner"], CLERK);
    assert_eq!(c["pending_transfer"], OTHER);
    desk.ok(Some(OTHER_PIN), &format!("case accept {n} --as 李静"));
    let c = desk.show(&n);
    assert_eq!(c["owner"], OTHER);
    assert_eq!(c["first_receiver"], CLERK);
    assert_eq!(c["pending_transfer"], Value::Null);

    // Now the former owner is refused and the new owner may act.
    desk.fails(Some(CLERK_PIN), &assign(CLERK), 3);
    desk.ok(Some(OTHER_PIN), &format!("case promise {n} --as 李静 --at 2026-10-09"));
    // A supervisor may step in; the owner stays.
    desk.ok(Some(SUPERVISOR_PIN), &assign(SUPERVISOR));
    let c = desk.show(&n);
    assert_eq!(c["state"], "assigned");
    assert_eq!(c["owner"], OTHER);
    let who: Vec<(&str, &str)> = c["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        who,
        [
            ("received", CLERK),
            ("transfer_requested", CLERK),
            ("transfer_accepted", OTHER),
            ("promised", OTHER),
            ("assigned", SUPERVISOR),
        ]
    );
    assert_eq!(desk.numbers("--owner 李静"), [n.as_str()]);
    assert_eq!(desk.numbers("--owner 张小明"), Vec::<String>::new());
}
