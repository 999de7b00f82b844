//! The command line as users and integrators drive it: one process per
//! command, each test on its own desk in a temp dir, with a fixed clock and an
//! explicit environment (no user config can leak in).

#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use tempfile::TempDir;

const ADMIN: &str = "管理员";
const ADMIN_PIN: &str = "1111";
const CLERK: &str = "张小明";
const CLERK_PIN: &str = "2222";
const OTHER: &str = "李静";
const OTHER_PIN: &str = "3333";
const SUPERVISOR: &str = "陈主管";
const SUPERVISOR_PIN: &str = "4444";
/// Wednesday 30 September 2026, 10:00 at the desk; 1–7 October are holidays.
const T0: &str = "2026-09-30T10:00:00+08:00";

// ---------------------------------------------------------------- helpers

/// A command line: a string split on whitespace, or the words themselves
/// (for arguments that contain spaces).
trait Words {
    fn words(&self) -> Vec<String>;
}

impl Words for str {
    fn words(&self) -> Vec<String> {
        self.split_whitespace().map(str::to_string).collect()
    }
}

impl Words for String {
    fn words(&self) -> Vec<String> {
        self.as_str().words()
    }
}

impl Words for [&str] {
    fn words(&self) -> Vec<String> {
        self.iter().map(|s| (*s).to_string()).collect()
    }
}

impl<const N: usize> Words for [&str; N] {
    fn words(&self) -> Vec<String> {
        self.as_slice().words()
    }
}

/// One desk in its own temp dir.
struct Desk {
    dir: TempDir,
    now: RefCell<String>,
}

impl Desk {
    /// A temp dir with no database yet.
    fn empty() -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
            now: RefCell::new(T0.to_string()),
        }
    }

    /// A desk with admin 管理员, department 护理部 and clerk 张小明.
    fn new() -> Desk {
        let desk = Desk::empty();
        desk.init();
        desk.ok(Some(ADMIN_PIN), &format!("dept add --as {ADMIN} --name 护理部"));
        desk.add_staff(CLERK, "clerk", CLERK_PIN);
        desk
    }

    fn init(&self) {
        let out = self
            .cmd(None, &format!("init --admin {ADMIN}"))
            .env("CASEDESK_NEW_PIN", ADMIN_PIN)
            .output()
            .unwrap();
        expect_code(&out, 0);
    }

    fn add_staff(&self, name: &str, role: &str, pin: &str) {
        let out = self
            .cmd(
                Some(ADMIN_PIN),
                &format!("staff add --as {ADMIN} --name {name} --role {role}"),
            )
            .env("CASEDESK_NEW_PIN", pin)
            .output()
            .unwrap();
        expect_code(&out, 0);
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("desk.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Sets the desk clock for the commands that follow.
    fn at(&self, now: &str) -> &Desk {
        *self.now.borrow_mut() = now.to_string();
        self
    }

    /// The command with a clean, explicit environment; `who_pin` becomes CASEDESK_PIN.
    fn cmd(&self, who_pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        let mut cmd = Command::cargo_bin("casedesk").unwrap();
        cmd.args(args.words())
            .env("CASEDESK_DB", self.db())
            .env("CASEDESK_NOW", self.now.borrow().as_str())
            .env("CASEDESK_POLICY", self.path("no-policy.toml"))
            .env("CASEDESK_CALENDAR", self.path("no-calendar.toml"))
            .env_remove("CASEDESK_LANG")
            .env_remove("CASEDESK_NEW_PIN")
            .timeout(Duration::from_secs(60));
        match who_pin {
            Some(pin) => cmd.env("CASEDESK_PIN", pin),
            None => cmd.env_remove("CASEDESK_PIN"),
        };
        cmd
    }

    fn run(&self, who_pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
        self.cmd(who_pin, args).output().unwrap()
    }

    /// Runs, expects exit 0, returns standard output.
    fn ok(&self, who_pin: Option<&str>, args: &(impl Words + ?Sized)) -> String {
        let out = self.run(who_pin, args);
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs, expects exit `code`, returns standard error.
    fn fails(&self, who_pin: Option<&str>, args: &(impl Words + ?Sized), code: i32) -> String {
        let out = self.run(who_pin, args);
        expect_code(&out, code);
        String::from_utf8(out.stderr).unwrap()
    }

    /// A phone complaint taken in by 张小明; returns the number printed.
    fn intake(&self, extra: &(impl Words + ?Sized)) -> String {
        self.intake_as(CLERK, CLERK_PIN, extra)
    }

    fn intake_as(&self, who: &str, pin: &str, extra: &(impl Words + ?Sized)) -> String {
        let mut args = format!("case new --as {who} --channel phone --kind complaint").words();
        args.extend(extra.words());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.ok(Some(pin), args.as_slice());
        assert!(out.ends_with('\n') && out.lines().count() == 1, "{out:?}");
        out.trim_end().to_string()
    }

    /// `case show N --json` with no viewer.
    fn show(&self, number: &str) -> Value {
        serde_json::from_str(&self.ok(None, &format!("case show {number} --json"))).unwrap()
    }

    fn show_as(&self, number: &str, who: &str, pin: &str) -> Value {
        serde_json::from_str(&self.ok(Some(pin), &format!("case show {number} --json --as {who}"))).unwrap()
    }

    /// `case list --json` (no limit) with extra filters; no viewer.
    fn list(&self, extra: &str) -> Vec<Value> {
        serde_json::from_str(&self.ok(None, &format!("case list --json --limit 0 {extra}"))).unwrap()
    }

    fn numbers(&self, extra: &str) -> Vec<String> {
        self.list(extra)
            .iter()
            .map(|r| r["number"].as_str().unwrap().to_string())
            .collect()
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        self.sql()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

#[track_caller]
fn expect_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn kinds(case: &Value) -> Vec<&str> {
    case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

const NONE: [&str; 0] = [];

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
    // Refused before the write: unknown department, category, staff; bad value.
    desk.fails(Some(CLERK_PIN), &new("--summary x --dept 药剂科"), 2);
    desk.fails(Some(CLERK_PIN), &new("--summary x --category parking"), 2);
    desk.fails(Some(CLERK_PIN), &new("--summary x --staff 无名氏"), 2);
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

// ---------------------------------------------------------------- privacy

#[test]
fn anonymous_cases_store_no_identity() {
    let desk = Desk::new();
    // An identity together with --anonymous is a usage error.
    desk.fails(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel letter --kind complaint --summary x --anonymous --name 王芳",
        2,
    );
    let n = desk.intake("--summary 匿名信反映收费问题 --anonymous --dept 护理部");
    assert_eq!(n, "2026-000001");
    let c = desk.show(&n);
    assert_eq!(c["complainant"], json!({"anonymous": true}));
    assert_eq!(c["confidential"], false);
    assert_eq!(desk.count("complainants"), 0);

    let export: Value = serde_json::from_str(&desk.ok(None, "export --format json")).unwrap();
    assert_eq!(export["cases"].as_array().unwrap().len(), 1);
    let case = &export["cases"][0];
    assert_eq!(case["number"], n);
    assert_eq!(case["events"][0]["complainant"], json!({"type": "anonymous"}));

    // No contact, so no return visit: it closes exempt once answered.
    desk.ok(
        Some(CLERK_PIN),
        &format!("case answer {n} --as 张小明 --text 已转收费处核查"),
    );
    desk.fails(
        Some(CLERK_PIN),
        &format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied"),
        3,
    );
    desk.ok(Some(CLERK_PIN), &format!("case close {n} --as 张小明"));
    assert_eq!(desk.show(&n)["state"], "closed");
}

#[test]
fn confidential_complainant_is_shown_only_to_owner_and_supervisors() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake("--summary 反映医生收受红包 --name 赵秘密 --phone 13900001111 --confidential");

    let hidden = desk.ok(None, &format!("case show {n} --json"));
    let c: Value = serde_json::from_str(&hidden).unwrap();
    assert_eq!(c["complainant"], json!({"confidential": true}));
    assert_eq!(c["confidential"], true);
    assert!(
        !hidden.contains("赵秘密") && !hidden.contains("13900001111"),
        "{hidden}"
    );
    let text = desk.ok(None, &format!("case show {n}"));
    assert!(!text.contains("赵秘密") && !text.contains("13900001111"), "{text}");
    assert_eq!(
        desk.show_as(&n, OTHER, OTHER_PIN)["complainant"],
        json!({"confidential": true})
    );
    let named = json!({"name": "赵秘密", "phone": "13900001111", "address": null, "relation": null});
    assert_eq!(desk.show_as(&n, CLERK, CLERK_PIN)["complainant"], named);
    // A supervisor who is not the owner sees it only with a reason, and the viewing is recorded.
    assert_eq!(
        desk.show_as(&n, SUPERVISOR, SUPERVISOR_PIN)["complainant"],
        json!({"confidential": true})
    );
    let out = desk.ok(
        Some(SUPERVISOR_PIN),
        &format!("case show {n} --json --as {SUPERVISOR} --reason 医疗纠纷调查"),
    );
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["complainant"], named);
    let views: Vec<String> = desk
        .sql()
        .prepare("SELECT body FROM events WHERE kind = 'confidential_viewed' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(views.len(), 2, "the owner's view and the supervisor's: {views:?}");
    assert!(views[1].contains("医疗纠纷调查"), "{views:?}");

    // Search without a viewer finds it by its text only, never by who complained.
    assert_eq!(desk.numbers("--search 赵秘密"), Vec::<String>::new());
    assert_eq!(desk.numbers("--search 13900001111"), Vec::<String>::new());
    let rows = desk.list("--search 红包");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["number"], n);
    assert_eq!(rows[0]["complainant"], "***");
    let out = desk.ok(Some(OTHER_PIN), "case list --json --search 赵秘密 --as 李静");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), json!([]));
    // The owner finds it by name.
    let out = desk.ok(Some(CLERK_PIN), "case list --json --search 赵秘密 --as 张小明");
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["number"], n);
    // Lists never show a confidential complainant, not even to the owner: the
    // case page does, and records the viewing.
    assert_eq!(rows[0]["complainant"], "***");
}

#[test]
fn csv_export_does_not_leak_confidential_complainants() {
    let desk = Desk::new();
    desk.intake("--summary 反映医生收受红包 --name 赵秘密 --phone 13900001111 --confidential");
    let csv = desk.ok(None, "export --format csv");
    assert!(csv.contains(",***,"), "{csv}");
    assert!(!csv.contains("赵秘密"), "{csv}");
    assert!(!csv.contains("13900001111"), "{csv}");
}

// ---------------------------------------------------------------- listing

#[test]
fn a_desk_from_before_the_search_index_parts_says_it_indexes_again_and_finds_everything() {
    let desk = Desk::new();
    let a = desk.intake("--summary 护士态度生硬 --name 王芳");
    let b = desk.intake("--summary 收费处多收了挂号费 --name 李四");
    // What an older desk looks like after migration 8: cases, no index parts.
    let sql = desk.sql();
    let parts = casedesk::store::search::parts(&sql).unwrap();
    for p in parts {
        let table = casedesk::store::search::part_table(p);
        sql.execute_batch(&format!("DROP TABLE {table}")).unwrap();
    }
    sql.execute("DELETE FROM search_parts", []).unwrap();
    drop(sql);
    let out = desk.run(None, "case list --json --search 挂号");
    expect_code(&out, 0);
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("正在为 2 件案件重建检索索引"), "{said}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["number"], b);
    // Once: the next command says nothing more.
    let out = desk.run(None, "case list --json --search 态度");
    expect_code(&out, 0);
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["number"], a);
}

#[test]
fn a_desk_of_an_older_version_says_it_is_updated_once_and_keeps_its_cases() {
    let desk = Desk::new();
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    let b = desk.intake("--summary 又是护士态度 --name 王芳 --phone 138-0013-8000");
    // What a desk of schema version 8 looks like: complainants' own indexes,
    // no index of a caller's cases.
    let sql = desk.sql();
    sql.execute_batch(
        "DROP INDEX cases_caller;
         CREATE INDEX complainants_phone ON complainants(phone_key) WHERE phone_key IS NOT NULL;
         CREATE INDEX complainants_name_no_phone ON complainants(name) WHERE phone_key IS NULL;
         PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(sql);
    let out = desk.run(None, "case list --json");
    expect_code(&out, 0);
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("正在为 2 件案件更新数据库结构"), "{said}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2);
    let sql = desk.sql();
    let index: String = sql
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'cases_caller'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(index.contains("caller_key, received_at"), "{index}");
    drop(sql);
    // Once: the next command says nothing more, and the caller's third call
    // is found a repeat through the new index.
    let out = desk.run(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel phone --kind complaint --summary 第三次 --name 王芳 --phone 13800138000",
    );
    expect_code(&out, 0);
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    let c = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(![&a, &b].contains(&&c), "{c}");
    assert_eq!(desk.show(&c)["flags"], json!(["repeat"]));
}

#[test]
fn list_filters_by_state_owner_search_and_overdue() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    // Acknowledge is due at the end of today.
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --dept 护理部");
    let b = desk.intake_as(
        OTHER,
        OTHER_PIN,
        "--summary 收费处多收了挂号费 --name 李四 --promise 2026-10-20",
    );
    let c = desk.intake("--summary 停车场排队太久 --name 张三 --promise 2026-10-09");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case assign {c} --as 张小明 --dept 护理部 --mode written"),
    );

    assert_eq!(desk.numbers("--state assigned"), [c.as_str()]);
    let received: BTreeSet<String> = desk.numbers("--state received").into_iter().collect();
    assert_eq!(received, BTreeSet::from([a.clone(), b.clone()]));
    assert_eq!(desk.numbers("--owner 李静"), [b.as_str()]);
    // Two Chinese characters are enough.
    assert_eq!(desk.numbers("--search 态度"), [a.as_str()]);
    assert_eq!(desk.numbers("--search 挂号"), [b.as_str()]);
    assert_eq!(desk.numbers("--search 李四"), [b.as_str()]);
    assert_eq!(desk.numbers("--search 100%"), Vec::<String>::new());
    assert_eq!(desk.numbers("--state received --owner 张小明"), [a.as_str()]);
    // Most urgent first: a (today), c (9 October), b (20 October).
    assert_eq!(desk.numbers(""), [a.as_str(), c.as_str(), b.as_str()]);
    assert_eq!(desk.numbers("--overdue"), Vec::<String>::new());

    desk.at("2026-10-12T09:00:00+08:00");
    assert_eq!(desk.numbers("--overdue"), [a.as_str(), c.as_str()]);
    let rows = desk.list("");
    let row = &rows[0];
    assert_eq!(row["number"], a);
    assert_eq!(row["state"], "received");
    assert_eq!(row["kind"], "complaint");
    assert_eq!(row["owner"], CLERK);
    assert_eq!(row["dept"], "护理部");
    assert_eq!(row["summary"], "护士态度生硬");
    assert_eq!(row["complainant"], "王芳");
    assert_eq!(row["received_at"], T0);
    assert_eq!(row["next_due"], "2026-09-30T23:59:59+08:00");
    assert_eq!(row["overdue"], true);
    assert_eq!(rows[2]["number"], b);
    assert_eq!(rows[2]["overdue"], false);

    // The text listing marks overdue lines.
    let text = desk.ok(None, "case list --overdue");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.starts_with("⚠ ")), "{text}");
}

// ---------------------------------------------------------------- escalation at intake

#[test]
fn third_case_from_the_same_phone_within_90_days_is_a_repeat() {
    let desk = Desk::new();
    // Outside the 90-day window of the later cases.
    let old = desk.intake("--summary 夏天的投诉 --name 王芳 --phone 13800138000 --received-at 2026-06-01");
    let first = desk.intake("--summary 第一次投诉 --name 王芳 --phone 138-0013-8000 --received-at 2026-07-15");
    let second = desk.intake(&[
        "--summary",
        "第二次投诉",
        "--name",
        "王女士",
        "--phone",
        "+86 138 0013 8000",
    ]);
    for n in [&old, &first, &second] {
        let c = desk.show(n);
        assert_eq!((c["level"].clone(), c["flags"].clone()), (json!(0), json!([])), "{n}");
    }
    let third = desk.intake("--summary 第三次投诉 --name 王芳 --phone 13800138000");
    let c = desk.show(&third);
    assert_eq!(c["flags"], json!(["repeat"]));
    assert_eq!(c["level"], 1);
    assert_eq!(kinds(&c), ["received", "escalated"]);
    assert_eq!(c["events"][1]["actor"], "system");
    // Another caller is not affected.
    let other = desk.intake("--summary 别人的投诉 --name 李四 --phone 13900000000");
    assert_eq!(desk.show(&other)["flags"], json!([]));
}

#[test]
fn major_case_goes_to_level_2_with_a_12_hour_report_clock() {
    let desk = Desk::new();
    let n = desk.intake("--summary 输液差错致患者过敏 --name 王芳 --phone 13800138000 --severity major --dept 护理部");
    let c = desk.show(&n);
    assert_eq!(c["severity"], "major");
    assert_eq!(c["level"], 2);
    assert_eq!(c["flags"], json!(["report_now"]));
    assert_eq!(c["deadlines"]["report_to_leadership"], "2026-09-30T22:00:00+08:00");
    assert_eq!(c["deadlines"]["urgent_answer"], "2026-10-10T23:59:59+08:00");
    assert_eq!(kinds(&c), ["received", "escalated"]);
    assert_eq!(c["events"][1]["actor"], "system");

    let n = desk.intake("--summary 重要投诉 --name 李四 --severity important");
    let c = desk.show(&n);
    assert_eq!(c["level"], 0);
    assert_eq!(c["flags"], json!(["supervisor_notified"]));
    assert_eq!(c["deadlines"].get("report_to_leadership"), None);
}

// ---------------------------------------------------------------- export / import

/// A desk with five cases of different states, kinds and years.
fn busy_desk() -> (Desk, Vec<String>) {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude");
    for step in [
        "assign --dept 护理部 --mode written",
        "reply --verdict partly --facts 部分属实 --responsible 护士甲 --measures 培训",
        "feedback --method phone --text 已告知",
        "visit --method phone --satisfaction basic",
        "close",
    ] {
        let (cmd, rest) = step.split_once(' ').unwrap_or((step, ""));
        desk.ok(Some(CLERK_PIN), &format!("case {cmd} {a} --as 张小明 {rest}"));
    }
    let b = desk.intake("--summary 匿名反映收费问题 --anonymous --category billing");
    let c = desk.intake("--summary 保密医生收红包 --name 赵秘密 --phone 13900001111 --confidential");
    let d = desk.intake("--summary 输液差错 --name 李四 --severity major --dept 护理部");
    let e = desk.intake("--summary 交班后的来电 --name 张三 --received-at 2025-12-30");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case transfer {e} --as 张小明 --to 李静 --reason 交接班"),
    );
    desk.ok(Some(OTHER_PIN), &format!("case accept {e} --as 李静"));
    (desk, vec![a, b, c, d, e])
}

fn without_version(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("version");
    v
}

#[test]
fn json_export_imports_into_a_fresh_desk_unchanged() {
    let (source, numbers) = busy_desk();
    let file = source.path("export.json");
    let file = file.to_str().unwrap();
    let out = source.ok(None, &format!("export --format json --out {file}"));
    assert_eq!(out.trim_end(), "已导出 5 个案件");

    let target = Desk::empty();
    target.init();
    let out = target.ok(Some(ADMIN_PIN), &format!("import {file} --as 管理员"));
    assert_eq!(out.trim_end(), "已导入 5 个案件");
    for n in &numbers {
        assert_eq!(
            without_version(target.show(n)),
            without_version(source.show(n)),
            "case {n}"
        );
    }
    assert_eq!(target.numbers(""), source.numbers(""));
    target.ok(None, "check");
    // Numbers are never reused: the counters moved past the imported ones.
    target.add_staff("新值班员", "clerk", "5555");
    assert_eq!(
        target.intake_as("新值班员", "5555", "--summary 新来电 --name 周五"),
        "2026-000005"
    );
    assert_eq!(
        target.intake_as(
            "新值班员",
            "5555",
            "--summary 补登 --name 周六 --received-at 2025-12-31"
        ),
        "2025-000002"
    );
}

#[test]
fn importing_the_same_export_twice_fails_without_partial_data() {
    let (source, numbers) = busy_desk();
    let file = source.path("export.json");
    let file = file.to_str().unwrap();
    source.ok(None, &format!("export --format json --out {file}"));
    let target = Desk::empty();
    target.init();
    target.ok(Some(ADMIN_PIN), &format!("import {file} --as 管理员"));
    let before = target.list("");
    assert_eq!(before.len(), numbers.len());
    let events = target.count("events");

    let err = target.fails(Some(ADMIN_PIN), &format!("import {file} --as 管理员"), 2);
    assert!(err.starts_with("导入失败，未做任何更改。5 行有问题："), "{err}");
    assert!(err.contains("第 1 行：case 2026-000001 already exists"), "{err}");
    assert_eq!(target.list(""), before);
    assert_eq!(target.count("events"), events);
    target.ok(None, "check");
}

#[test]
fn import_with_one_bad_row_names_it_and_imports_nothing() {
    let (source, _) = busy_desk();
    let mut doc: Value = serde_json::from_str(&source.ok(None, "export --format json")).unwrap();
    doc["cases"][2]["events"][0]["kind"] = json!("bogus");
    let bad = source.path("bad.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let target = Desk::empty();
    target.init();
    let err = target.fails(
        Some(ADMIN_PIN),
        &format!("import {} --as 管理员", bad.to_str().unwrap()),
        2,
    );
    assert!(err.starts_with("导入失败，未做任何更改。1 行有问题："), "{err}");
    assert!(err.contains("第 3 行：") && err.contains("bogus"), "{err}");
    assert_eq!(target.list(""), Vec::<Value>::new());
    // Not even the departments and staff the file names.
    assert_eq!(target.ok(None, "dept list"), "");
    assert_eq!(target.count("staff"), 1);

    // The same in CSV: the record on line 4 of the file (the header is line 1).
    let csv = source.ok(None, "export --format csv");
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 6, "{csv}");
    let cut = lines[3].rfind(",\"[").unwrap();
    lines[3].truncate(cut);
    lines[3].push_str(",not json");
    let bad = source.path("bad.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = target.fails(
        Some(ADMIN_PIN),
        &format!("import {} --as 管理员", bad.to_str().unwrap()),
        2,
    );
    assert!(err.contains("第 4 行："), "{err}");
    assert_eq!(target.list(""), Vec::<Value>::new());

    // The untouched CSV imports.
    let good = source.path("good.csv");
    std::fs::write(&good, &csv).unwrap();
    let out = target.ok(
        Some(ADMIN_PIN),
        &format!("import {} --as 管理员", good.to_str().unwrap()),
    );
    assert_eq!(out.trim_end(), "已导入 5 个案件");
}

#[test]
fn csv_export_has_a_bom_and_intact_chinese() {
    let desk = Desk::new();
    let n = desk.intake("--summary 护士态度生硬，“请”字都不说 --name 王芳 --dept 护理部");
    let out = desk.run(None, "export --format csv");
    expect_code(&out, 0);
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFnumber,received_at,state,"));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("{n},")), "{row}");
    assert!(row.contains(",护士态度生硬，“请”字都不说,"), "{row}");
    assert!(row.contains(",护理部,") && row.contains(",王芳,"), "{row}");
}

#[test]
fn csv_export_times_are_local() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let csv = desk.ok(None, "export --format csv");
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",2026-09-30T10:00:00+08:00,"), "{row}");
}

// ---------------------------------------------------------------- integrity

#[test]
fn check_passes_then_finds_an_edited_event() {
    let desk = Desk::new();
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。"), "{out}");
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let out = desk.ok(None, "check");
    assert!(out.contains("审计记录：3 条") && out.contains("案件：1 个"), "{out}");

    let conn = desk.sql();
    let body: String = conn
        .query_row("SELECT body FROM events WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    assert!(body.contains("护士"), "{body}");
    conn.execute_batch(
        "DROP TRIGGER events_no_update;
         UPDATE events SET body = replace(body, '护士', '医生') WHERE id = 3;",
    )
    .unwrap();
    drop(conn);

    let out = desk.run(None, "check");
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("审计链在第 3 条记录处断开"), "{stdout}");
    assert!(!stdout.contains("检查通过"), "{stdout}");
    assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), "检查未通过。");
    let out = desk.run(None, "--lang en check");
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Audit chain broken at event 3"), "{stdout}");
}

/// Copies event 3 into a temp table with a forged body and hash, whatever the columns are.
const FORGE_EVENT_3: &str = "CREATE TEMP TABLE forged AS SELECT * FROM events WHERE id = 3;
     UPDATE forged SET body = replace(body, '护士', '医生'), hash = randomblob(32);";
const REPLACE_EVENT_3: &str = "INSERT OR REPLACE INTO events SELECT * FROM forged";

#[test]
fn audit_events_cannot_be_changed_or_removed() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let conn = desk.sql();
    let refused = |sql: &str| {
        let err = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    };
    refused("UPDATE events SET body = replace(body, '护士', '医生') WHERE id = 3");
    refused("UPDATE events SET at = at + 1");
    refused("DELETE FROM events WHERE id = 3");
    refused("DELETE FROM events");
    conn.execute_batch(FORGE_EVENT_3).unwrap();
    refused("INSERT INTO events SELECT * FROM forged WHERE true ON CONFLICT(id) DO UPDATE SET body = excluded.body");
    // As on the desk's own connections (recursive triggers on), REPLACE's delete is refused too.
    conn.execute_batch("PRAGMA recursive_triggers = ON").unwrap();
    refused(REPLACE_EVENT_3);
    drop(conn);
    assert_eq!(desk.count("events"), 3);
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。"), "{out}");
}

#[test]
fn audit_events_cannot_be_replaced_from_a_plain_connection() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let conn = desk.sql();
    conn.execute_batch(FORGE_EVENT_3).unwrap();
    let err = conn.execute_batch(REPLACE_EVENT_3).unwrap_err().to_string();
    assert!(err.contains("append-only"), "{err}");
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let mode = std::fs::metadata(desk.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");

    let demo = Desk::empty();
    demo.ok(None, "demo --cases 5 --seed 3");
    let mode = std::fs::metadata(demo.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

// ---------------------------------------------------------------- first run, demo, completions

#[test]
fn no_arguments_on_a_fresh_machine_says_what_to_do() {
    let desk = Desk::empty();
    let out = desk.ok(None, &NONE);
    assert!(out.contains("casedesk demo"), "{out}");
    assert!(out.contains("casedesk init --admin"), "{out}");
    assert!(out.contains(desk.db().to_str().unwrap()), "{out}");
    assert!(!desk.db().exists(), "looking must not create a database");
    let out = desk.ok(None, "--lang en");
    assert!(out.contains("No desk yet"), "{out}");
    // Commands that need a desk say how to make one, and create nothing.
    let err = desk.fails(None, "case list", 1);
    assert!(err.contains("casedesk init --admin"), "{err}");
    assert!(!desk.db().exists());

    desk.init();
    let out = desk.ok(None, &NONE);
    assert!(out.contains("接待台已就绪"), "{out}");
    desk.fails(None, "init --admin 另一个", 1);
}

#[test]
fn demo_builds_a_consistent_desk_once() {
    let desk = Desk::empty();
    let out = desk.ok(None, "demo --cases 300 --seed 1");
    assert!(out.contains("300"), "{out}");
    assert!(out.contains("张小明") && out.contains("PIN 1234"), "{out}");
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。") && out.contains("案件：300 个"), "{out}");

    let rows = desk.list("");
    assert_eq!(rows.len(), 300);
    let states: BTreeSet<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    for state in ["received", "assigned", "closed"] {
        assert!(states.contains(state), "{state} missing from {states:?}");
    }
    let numbers: BTreeSet<&str> = rows.iter().map(|r| r["number"].as_str().unwrap()).collect();
    assert_eq!(numbers.len(), 300);
    // The demo loads without the insert guard of the audit log and puts it
    // back: a plain connection (no recursive triggers) still cannot replace an event.
    let err = desk
        .sql()
        .execute(
            "INSERT OR REPLACE INTO events (id, case_id, seq, kind, actor_id, at, body, hash)
             SELECT id, case_id, seq, kind, actor_id, at, '{}', hash FROM events WHERE id = 1",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");

    // Demo accounts sign in with PIN 1234.
    let out = desk.ok(Some("1234"), "case list --as 张小明 --limit 5");
    assert_eq!(out.lines().count(), 5, "{out}");
    desk.fails(Some("4321"), "case list --as 张小明", 1);

    // A second demo on the same path is refused and changes nothing.
    let err = desk.fails(None, "demo --cases 10 --seed 2", 2);
    assert!(err.contains(desk.db().to_str().unwrap()), "{err}");
    assert_eq!(desk.list("").len(), 300);
}

#[test]
fn completions_name_the_program() {
    let desk = Desk::empty();
    desk.cmd(None, "completions bash")
        .assert()
        .success()
        .stdout(predicate::str::contains("_casedesk()").and(predicate::str::contains("complete -F _casedesk")));
    desk.cmd(None, "completions zsh")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("#compdef casedesk"));
    desk.cmd(None, "completions tcsh").assert().code(2);
}

#[test]
fn closed_output_pipe_is_not_a_crash() {
    let desk = Desk::empty();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["completions", "bash"])
        .env("CASEDESK_DB", desk.db())
        .env("CASEDESK_POLICY", desk.path("no-policy.toml"))
        .env("CASEDESK_CALENDAR", desk.path("no-calendar.toml"))
        .stdin(std::process::Stdio::null())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101));
}

#[test]
fn english_by_the_users_config_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "lang = \"en\"\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("casedesk")
        .unwrap()
        .env("CASEDESK_DB", dir.path().join("none.db"))
        .env("CASEDESK_POLICY", dir.path().join("policy.toml"))
        .env("CASEDESK_CALENDAR", dir.path().join("calendar.toml"))
        .env_remove("CASEDESK_LANG")
        .args(["case", "list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("No desk at"), "{err}");
}
