//! Duty shifts, the duty log (值班记录) and the signed shift handover (交接班),
//! as a duty clerk drives them: one process per command, each test on its own
//! desk in a temp dir, with a fixed clock and an explicit environment. A few
//! tests go through the library (`casedesk::store::Store`,
//! `casedesk::domain::handover`) for what the command line cannot show.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use casedesk::domain::handover::{HandoverError, LogEnding, ShiftKind, next_shift, shift_at};
use casedesk::domain::{Actor, Channel, Policy, Role, Time};
use casedesk::store::Store;
use casedesk::store::duty::DutyError;
use chrono::{DateTime, NaiveTime, Utc};
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const ADMIN: &str = "管理员";
const ADMIN_PIN: &str = "1111";
/// The night clerk who hands over.
const OUT: &str = "张小明";
const OUT_PIN: &str = "2222";
/// The day clerk who takes over.
const INC: &str = "李静";
const INC_PIN: &str = "3333";
/// Monday 2 March 2026, 20:00 at the desk: the night shift 17:30–08:00.
const NIGHT: &str = "2026-03-02T20:00:00+08:00";
const NIGHT_TITLE: &str = "交接班记录 · 夜班 2026-03-02 17:30 – 2026-03-03 08:00";
const CHECKLIST: [&str; 5] = ["钥匙", "对讲机", "登记本", "值班电话", "区域整洁"];

// ---------------------------------------------------------------- helpers

/// Command-line arguments: a string split on whitespace, or the words themselves.
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

impl<const N: usize> Words for [&str; N] {
    fn words(&self) -> Vec<String> {
        self.iter().map(|s| (*s).to_string()).collect()
    }
}

/// One desk in its own temp dir.
struct Desk {
    dir: TempDir,
    now: RefCell<String>,
}

impl Desk {
    /// Admin 管理员, department 护理部, clerks 张小明 and 李静; the clock at 20:00 on a Monday.
    fn new() -> Desk {
        let desk = Desk {
            dir: tempfile::tempdir().unwrap(),
            now: RefCell::new(NIGHT.to_string()),
        };
        let out = desk
            .cmd(None, &format!("init --admin {ADMIN}"))
            .env("CASEDESK_NEW_PIN", ADMIN_PIN)
            .output()
            .unwrap();
        expect_code(&out, 0);
        desk.ok(Some(ADMIN_PIN), &format!("dept add --as {ADMIN} --name 护理部"));
        desk.add_staff(OUT, OUT_PIN);
        desk.add_staff(INC, INC_PIN);
        desk
    }

    fn add_staff(&self, name: &str, pin: &str) {
        let out = self
            .cmd(
                Some(ADMIN_PIN),
                &format!("staff add --as {ADMIN} --name {name} --role clerk"),
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

    /// The command with a clean, explicit environment; `pin` becomes CASEDESK_PIN.
    fn cmd(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        let mut cmd = Command::cargo_bin("casedesk").unwrap();
        cmd.args(args.words())
            .env("CASEDESK_DB", self.db())
            .env("CASEDESK_NOW", self.now.borrow().as_str())
            .env("CASEDESK_POLICY", self.path("no-policy.toml"))
            .env("CASEDESK_CALENDAR", self.path("no-calendar.toml"))
            .env_remove("CASEDESK_LANG")
            .env_remove("CASEDESK_NEW_PIN")
            .timeout(Duration::from_secs(60));
        match pin {
            Some(pin) => cmd.env("CASEDESK_PIN", pin),
            None => cmd.env_remove("CASEDESK_PIN"),
        };
        cmd
    }

    fn run(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
        self.cmd(pin, args).output().unwrap()
    }

    /// Runs, expects exit 0, returns standard output.
    #[track_caller]
    fn ok(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> String {
        let out = self.run(pin, args);
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs, expects exit `code`, returns standard error.
    #[track_caller]
    fn fails(&self, pin: Option<&str>, args: &(impl Words + ?Sized), code: i32) -> String {
        let out = self.run(pin, args);
        expect_code(&out, code);
        String::from_utf8(out.stderr).unwrap()
    }

    /// A complaint taken in by 张小明; extra arguments are whitespace-split.
    fn intake(&self, extra: &str) -> String {
        let out = self.ok(
            Some(OUT_PIN),
            &format!("case new --as {OUT} --channel phone --kind complaint {extra}"),
        );
        assert_eq!(out.lines().count(), 1, "{out:?}");
        out.trim_end().to_string()
    }

    fn show(&self, number: &str) -> Value {
        serde_json::from_str(&self.ok(None, &format!("case show {number} --json"))).unwrap()
    }

    /// `duty who`, one trimmed line per person.
    fn who(&self) -> Vec<String> {
        self.ok(None, "duty who")
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    }

    /// `duty log` by 张小明; returns the id printed.
    fn log(&self, who: &str, what: &str) -> i64 {
        let out = self.ok(
            Some(OUT_PIN),
            &["duty", "log", "--as", OUT, "--who", who, "--what", what],
        );
        out.trim().parse().unwrap()
    }

    /// 张小明 prepares his handover; returns its id.
    fn prepare(&self) -> i64 {
        let out = self.ok(Some(OUT_PIN), &format!("handover prepare --as {OUT}"));
        out.trim().parse().unwrap()
    }

    /// 张小明 ticks every item of the default checklist.
    fn tick_all(&self, id: i64) {
        for item in CHECKLIST {
            self.ok(Some(OUT_PIN), &format!("handover check {id} --as {OUT} --item {item}"));
        }
    }

    /// Prepared, ticked and signed by 张小明; returns the id.
    fn signed_out(&self) -> i64 {
        let id = self.prepare();
        self.tick_all(id);
        let out = self.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
        assert_eq!(out, format!("交接班 #{id}：交班人已签字，等待接班人审阅签收\n"));
        id
    }

    fn print(&self, id: i64, format: &str) -> String {
        self.ok(None, &format!("handover print {id} --format {format}"))
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    /// The ending of duty-log entry `id` as stored (JSON), if any.
    fn ending(&self, id: i64) -> Option<String> {
        self.sql()
            .query_row("SELECT ending FROM duty_log WHERE id = ?", [id], |r| r.get(0))
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

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn secs(s: &str) -> i64 {
    at(s).timestamp()
}

/// The Markdown print cut into its `## ` sections: heading and the `- ` items under it
/// (trailing blanks of an item, left by empty fields, cut off).
fn md_sections(md: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push((h.to_string(), Vec::new()));
        } else if let (Some(item), Some(last)) = (line.strip_prefix("- "), out.last_mut()) {
            last.1.push(item.trim_end().to_string());
        }
    }
    out
}

/// The section whose heading starts with `prefix` (e.g. "已超时案件（").
#[track_caller]
fn section(md: &str, prefix: &str) -> (String, Vec<String>) {
    md_sections(md)
        .into_iter()
        .find(|(h, _)| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("no section {prefix} in\n{md}"))
}

/// The case numbers of a section's items, in order.
fn numbers(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|i| i.split("  ").next().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- shifts

#[test]
fn joining_at_20_00_is_the_night_shift_until_08_00_and_07_59_is_still_that_night() {
    let desk = Desk::new();
    let out = desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(out, "张小明 已加入夜班（2026-03-02 17:30 – 2026-03-03 08:00）\n");
    let (start, end): (i64, i64) = desk
        .sql()
        .query_row(
            "SELECT shift_start, shift_end FROM on_duty WHERE staff_id = (SELECT id FROM staff WHERE name = ?)",
            [OUT],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(start, secs("2026-03-02T17:30:00+08:00"));
    assert_eq!(end, secs("2026-03-03T08:00:00+08:00"));

    // At half past six the next morning it is still the same night shift.
    desk.at("2026-03-03T06:30:00+08:00");
    let out = desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    assert_eq!(out, "李静 已加入夜班（2026-03-02 17:30 – 2026-03-03 08:00）\n");
    assert_eq!(desk.who(), ["张小明", "李静"], "in the order they joined");

    // At eight the day shift starts.
    desk.at("2026-03-03T08:00:00+08:00");
    let out = desk.ok(Some(ADMIN_PIN), &format!("duty start --as {ADMIN}"));
    assert_eq!(out, "管理员 已加入白班（2026-03-03 08:00 – 2026-03-03 17:30）\n");
}

#[test]
fn the_outgoing_clerk_stays_on_duty_until_the_incoming_clerk_signs() {
    let desk = Desk::new();
    assert_eq!(desk.who(), Vec::<String>::new(), "nobody on duty on a new desk");
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(desk.who(), ["张小明"]);

    // The night is over, nobody has signed: still on duty, and told so.
    desk.at("2026-03-03T08:30:00+08:00");
    assert_eq!(desk.who(), ["张小明 （班次已结束，交接未签收，仍在岗）"]);

    // The outgoing signature alone relieves nobody.
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    assert_eq!(desk.who(), ["张小明 （班次已结束，交接未签收，仍在岗）", "李静"]);

    desk.at("2026-03-03T08:35:00+08:00");
    let out = desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(out, format!("交接班 #{id}：接班人已签收，交班人下班\n"));
    assert_eq!(desk.who(), ["李静"]);
    let off_at: Option<i64> = desk
        .sql()
        .query_row(
            "SELECT off_at FROM on_duty WHERE staff_id = (SELECT id FROM staff WHERE name = ?)",
            [OUT],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(off_at, Some(secs("2026-03-03T08:35:00+08:00")));
}

#[test]
fn an_incoming_clerk_who_arrives_before_eight_hands_over_the_day_shift() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-03T07:45:00+08:00");
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));

    desk.at("2026-03-03T09:00:00+08:00");
    assert_eq!(desk.who(), ["李静"], "she took over the day shift");

    desk.at("2026-03-03T17:20:00+08:00");
    let mine: i64 = desk
        .ok(Some(INC_PIN), &format!("handover prepare --as {INC}"))
        .trim()
        .parse()
        .unwrap();
    assert!(
        desk.print(mine, "text")
            .starts_with("交接班记录 · 白班 2026-03-03 08:00 – 2026-03-03 17:30\n"),
        "{}",
        desk.print(mine, "text")
    );
}

#[test]
fn after_the_handover_the_incoming_clerk_is_on_duty() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-03T08:05:00+08:00");
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(desk.who(), ["李静"]);
}

// ---------------------------------------------------------------- duty log

#[test]
fn duty_log_entries_get_ids_and_each_ends_exactly_once() {
    let desk = Desk::new();
    assert_eq!(desk.log("王先生", "询问门诊时间"), 1);
    let out = desk.ok(
        Some(OUT_PIN),
        &[
            "duty",
            "log",
            "--as",
            OUT,
            "--channel",
            "visit",
            "--who",
            "李女士",
            "--what",
            "投诉护士态度",
            "--action",
            "已安抚",
        ],
    );
    assert_eq!(out, "2\n");
    assert_eq!(desk.log("赵先生", "要求明早回电"), 3);
    assert_eq!(
        desk.ok(None, "duty list --open"),
        "#3  2026-03-02 20:00  张小明  赵先生  要求明早回电    [未处理]\n\
         #2  2026-03-02 20:00  张小明  李女士  投诉护士态度  已安抚  [未处理]\n\
         #1  2026-03-02 20:00  张小明  王先生  询问门诊时间    [未处理]\n"
    );

    // An ending is required, and a case ending must name a case that exists.
    let err = desk.fails(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT}"), 2);
    assert!(
        err.contains("--case") && err.contains("--answered") && err.contains("--carry"),
        "{err}"
    );
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("duty resolve 2 --as {OUT} --case 2026-000099"),
        2,
    );
    assert_eq!(err, "没有案件 2026-000099。\n");
    assert_eq!(desk.ending(2), None);
    let err = desk.fails(
        Some(OUT_PIN),
        &["duty", "resolve", "3", "--as", OUT, "--carry", "  "],
        3,
    );
    assert_eq!(err, "请填写内容。\n");
    desk.fails(
        Some(OUT_PIN),
        &format!("duty resolve 1 --as {OUT} --answered 八点开诊 --carry 明天再说"),
        2,
    );
    assert_eq!(desk.ending(1), None);

    // One ending each: answered, became a case, carried over.
    let out = desk.ok(
        Some(OUT_PIN),
        &[
            "duty",
            "resolve",
            "1",
            "--as",
            OUT,
            "--answered",
            "周一至周五 8:00 开诊",
        ],
    );
    assert_eq!(out, "值班记录 #1 已处理\n");
    let case = desk.intake("--summary 护士态度生硬 --name 李女士");
    assert_eq!(case, "2026-000001");
    desk.ok(Some(OUT_PIN), &format!("duty resolve 2 --as {OUT} --case {case}"));
    desk.ok(Some(OUT_PIN), &format!("duty resolve 3 --as {OUT} --carry 明早8点回电"));

    assert_eq!(desk.ok(None, "duty list --open"), "");
    assert_eq!(
        desk.ok(None, "duty list"),
        "#3  2026-03-02 20:00  张小明  赵先生  要求明早回电    [已移交下一班：明早8点回电]\n\
         #2  2026-03-02 20:00  张小明  李女士  投诉护士态度  已安抚  [已转案件 2026-000001]\n\
         #1  2026-03-02 20:00  张小明  王先生  询问门诊时间    [已答复]\n"
    );
    let list: Vec<Value> = serde_json::from_str(&desk.ok(None, "duty list --json")).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["id"], 3);
    assert_eq!(list[0]["channel"], "phone");
    assert_eq!(list[0]["ending"]["type"], "carried_over");
    assert_eq!(list[0]["ending"]["reason"], "明早8点回电");
    assert_eq!(list[1]["channel"], "visit");
    assert_eq!(list[1]["ending"]["type"], "case");
    assert_eq!(list[1]["ending"]["number"], "2026-000001");
    assert_eq!(list[2]["ending"]["type"], "answered");
    assert_eq!(list[2]["ending"]["text"], "周一至周五 8:00 开诊");

    // Ending an entry a second time is refused, whatever the new ending, and changes nothing.
    let before: Vec<Option<String>> = (1..=3).map(|i| desk.ending(i)).collect();
    for args in [
        format!("duty resolve 1 --as {OUT} --answered 再答一次"),
        format!("duty resolve 2 --as {OUT} --carry 改主意了"),
        format!("duty resolve 3 --as {OUT} --case {case}"),
    ] {
        let out = desk.run(Some(OUT_PIN), &args);
        assert!(!out.status.success(), "{args} was accepted");
        assert!(!out.stderr.is_empty(), "{args}: refused without a word");
    }
    let after: Vec<Option<String>> = (1..=3).map(|i| desk.ending(i)).collect();
    assert_eq!(before, after);
    // And an entry that does not exist cannot be ended either.
    desk.fails(Some(OUT_PIN), &format!("duty resolve 99 --as {OUT} --carry 无"), 2);
    // A blank entry is not logged at all.
    let err = desk.fails(Some(OUT_PIN), &["duty", "log", "--as", OUT, "--what", "  "], 3);
    assert_eq!(err, "请填写内容。\n");
    let n: i64 = desk
        .sql()
        .query_row("SELECT COUNT(*) FROM duty_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn resolving_an_entry_twice_says_it_is_already_resolved() {
    let desk = Desk::new();
    desk.log("王先生", "询问门诊时间");
    desk.ok(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT} --answered 八点开诊"));
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("duty resolve 1 --as {OUT} --answered 再答一次"),
        3,
    );
    assert!(!err.contains("没有案件"), "{err}");
    assert!(err.contains("#1"), "{err}");
}

#[test]
fn duty_log_and_handover_rows_are_never_deleted_nor_rewritten() {
    let desk = Desk::new();
    desk.log("王先生", "询问门诊时间");
    desk.log("李女士", "投诉护士态度");
    desk.ok(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT} --answered 八点开诊"));
    let ended = desk.ending(1).unwrap();

    let db = desk.sql();
    let err = db.execute("DELETE FROM duty_log WHERE id = 2", []).unwrap_err();
    assert!(err.to_string().contains("duty-log entries are never deleted"), "{err}");
    let err = db.execute("DELETE FROM duty_log", []).unwrap_err();
    assert!(err.to_string().contains("never deleted"), "{err}");
    let err = db
        .execute(
            r#"UPDATE duty_log SET ending = '{"type":"carried_over","reason":"改"}' WHERE id = 1"#,
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("a duty-log entry ends once"), "{err}");
    let err = db
        .execute("UPDATE duty_log SET ending = NULL WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("ends once"), "{err}");
    drop(db);
    assert_eq!(desk.ending(1).as_deref(), Some(ended.as_str()));
    let n: i64 = desk
        .sql()
        .query_row("SELECT COUNT(*) FROM duty_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);

    // Handovers are never deleted, not even a draft.
    desk.ok(Some(OUT_PIN), &format!("duty resolve 2 --as {OUT} --carry 明早回电"));
    let id = desk.prepare();
    let err = desk
        .sql()
        .execute("DELETE FROM handovers WHERE id = ?", [id])
        .unwrap_err();
    assert!(err.to_string().contains("handovers are never deleted"), "{err}");
}

// ---------------------------------------------------------------- rules

#[test]
fn open_duty_log_entries_of_the_outgoing_clerk_block_the_signature() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.log("王先生", "询问门诊时间");
    desk.log("李女士", "投诉护士态度");
    // Another clerk's open entry is hers to resolve, not his.
    let out = desk.ok(
        Some(INC_PIN),
        &["duty", "log", "--as", INC, "--who", "周女士", "--what", "问探视时间"],
    );
    assert_eq!(out, "3\n");
    let id = desk.prepare();
    desk.tick_all(id);

    let (heading, items) = section(&desk.print(id, "md"), "未处理或移交下一班的值班记录");
    assert_eq!(heading, "未处理或移交下一班的值班记录（2）");
    assert_eq!(
        items,
        [
            "2026-03-02 20:00  王先生  询问门诊时间",
            "2026-03-02 20:00  李女士  投诉护士态度"
        ],
        "only his own entries"
    );

    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert_eq!(err, "还有 2 条值班记录未处理（转案件、答复或移交下一班），不能签字。\n");
    desk.ok(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT} --answered 八点开诊"));
    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert!(err.contains("还有 1 条值班记录未处理"), "{err}");
    let signed: Option<i64> = desk
        .sql()
        .query_row("SELECT outgoing_signed_at FROM handovers WHERE id = ?", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(signed, None, "a refused signature writes nothing");

    desk.ok(Some(OUT_PIN), &format!("duty resolve 2 --as {OUT} --carry 明早回电"));
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
}

#[test]
fn checklist_items_must_be_ticked_or_explained_before_signing() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let id = desk.prepare();
    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert_eq!(
        err,
        "以下交接项目未勾选也未说明：钥匙、对讲机、登记本、值班电话、区域整洁\n"
    );

    for item in ["钥匙", "对讲机", "登记本", "值班电话"] {
        let out = desk.ok(Some(OUT_PIN), &format!("handover check {id} --as {OUT} --item {item}"));
        assert_eq!(out, format!("交接班 #{id}：已更新清单\n"));
    }
    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert_eq!(err, "以下交接项目未勾选也未说明：区域整洁\n");

    // A blank note explains nothing.
    desk.ok(
        Some(OUT_PIN),
        &[
            "handover",
            "check",
            &id.to_string(),
            "--as",
            OUT,
            "--item",
            "区域整洁",
            "--note",
            "  ",
        ],
    );
    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert_eq!(err, "以下交接项目未勾选也未说明：区域整洁\n");

    // An item that is not on the list.
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("handover check {id} --as {OUT} --item 咖啡机"),
        3,
    );
    assert_eq!(err, "清单中没有“咖啡机”。\n");

    // A note explains an item that is not ticked: it may be signed now, and the print says so.
    desk.ok(
        Some(OUT_PIN),
        &format!("handover check {id} --as {OUT} --item 区域整洁 --note 保洁员8点后清理"),
    );
    desk.at("2026-03-03T07:50:00+08:00");
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    let (_, items) = section(&desk.print(id, "md"), "交接清单");
    assert_eq!(
        items,
        [
            "☑ 钥匙",
            "☑ 对讲机",
            "☑ 登记本",
            "☑ 值班电话",
            "☐ 区域整洁（保洁员8点后清理）"
        ]
    );
    let list: Vec<Value> = serde_json::from_str(&desk.ok(None, "handover list --json")).unwrap();
    assert_eq!(list[0]["checklist"][4]["ticked"], false);
    assert_eq!(list[0]["checklist"][4]["note"], "保洁员8点后清理");
    assert_eq!(list[0]["outgoing_signed_at"], "2026-03-02T23:50:00Z");
}

#[test]
fn only_the_outgoing_clerk_edits_and_two_different_people_sign_in_order() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let id = desk.prepare();
    let not_outgoing = "只有交班人本人可以修改和签字。\n";
    let err = desk.fails(Some(INC_PIN), &format!("handover check {id} --as {INC} --item 钥匙"), 3);
    assert_eq!(err, not_outgoing);
    let err = desk.fails(
        Some(ADMIN_PIN),
        &format!("handover check {id} --as {ADMIN} --item 钥匙"),
        3,
    );
    assert_eq!(err, not_outgoing, "not even an admin");
    desk.tick_all(id);
    let err = desk.fails(Some(INC_PIN), &format!("handover sign {id} --as {INC}"), 3);
    assert_eq!(err, not_outgoing);

    // The incoming clerk cannot review or sign before the outgoing clerk signed.
    let err = desk.fails(Some(INC_PIN), &format!("handover accept {id} --as {INC}"), 3);
    assert_eq!(err, "交班人尚未签字。\n");
    let err = desk.fails(
        Some(INC_PIN),
        &format!("handover ask {id} --as {INC} --question 几点了"),
        3,
    );
    assert_eq!(err, "交班人尚未签字。\n");

    // Preparing again reopens the same handover (here to set the cautions); the
    // incoming clerk preparing gets a handover of her own, not his.
    let out = desk.ok(
        Some(OUT_PIN),
        &format!("handover prepare --as {OUT} --cautions 3床家属情绪激动"),
    );
    assert_eq!(out, format!("{id}\n"), "prepare reopens the same handover");
    let hers = desk.ok(Some(INC_PIN), &format!("handover prepare --as {INC} --cautions 她的"));
    assert_ne!(hers, out);

    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    let err = desk.fails(Some(OUT_PIN), &format!("handover accept {id} --as {OUT}"), 3);
    assert_eq!(err, "交班和接班不能是同一人。\n");
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("handover ask {id} --as {OUT} --question 自问"),
        3,
    );
    assert_eq!(err, "交班和接班不能是同一人。\n");
    // Signed by the outgoing clerk: no more edits, not even by him.
    let outgoing_signed = "交班人已签字，只能由接班人审阅签收。\n";
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("handover check {id} --as {OUT} --item 钥匙 --note 丢了"),
        3,
    );
    assert_eq!(err, outgoing_signed);
    let err = desk.fails(Some(OUT_PIN), &format!("handover prepare --as {OUT} --cautions 改"), 3);
    assert_eq!(err, outgoing_signed);
    let err = desk.fails(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"), 3);
    assert_eq!(err, outgoing_signed);

    let out = desk.ok(
        Some(INC_PIN),
        &[
            "handover",
            "ask",
            &id.to_string(),
            "--as",
            INC,
            "--question",
            "3床家属几点来？",
        ],
    );
    assert_eq!(out, format!("交接班 #{id}：已记录问题\n"));
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    let list: Vec<Value> = serde_json::from_str(&desk.ok(None, "handover list --json")).unwrap();
    assert_eq!(list.len(), 2);
    let his = list.iter().find(|h| h["id"] == id).unwrap();
    assert_eq!(his["cautions"], "3床家属情绪激动");
    assert_eq!(his["questions"], serde_json::json!(["3床家属几点来？"]));
    assert_eq!(his["outgoing"], 2);
    assert_eq!(his["incoming"], 3);
    let theirs = list.iter().find(|h| h["id"] != id).unwrap();
    assert_eq!(theirs["cautions"], "她的");
    assert_eq!(theirs["outgoing"], 3);
    assert!(theirs["outgoing_signed_at"].is_null());
}

#[test]
fn a_signed_handover_is_read_only() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-03T07:50:00+08:00");
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    let data_before: String = desk
        .sql()
        .query_row("SELECT data FROM handovers WHERE id = ?", [id], |r| r.get(0))
        .unwrap();

    let read_only = "交接班记录已双方签字，只读。\n";
    for (pin, args) in [
        (
            OUT_PIN,
            format!("handover check {id} --as {OUT} --item 钥匙 --note 丢了"),
        ),
        (OUT_PIN, format!("handover prepare --as {OUT} --cautions 补充")),
        (INC_PIN, format!("handover ask {id} --as {INC} --question 还有吗")),
        (INC_PIN, format!("handover accept {id} --as {INC}")),
        (ADMIN_PIN, format!("handover accept {id} --as {ADMIN}")),
    ] {
        assert_eq!(desk.fails(Some(pin), &args, 3), read_only, "{args}");
    }

    // Not behind the program's back either.
    let db = desk.sql();
    for sql in [
        "UPDATE handovers SET data = '{}' WHERE id = ?",
        "UPDATE handovers SET incoming_signed_at = NULL WHERE id = ?",
        "UPDATE handovers SET sections = NULL WHERE id = ?",
    ] {
        let err = db.execute(sql, [id]).unwrap_err();
        assert!(
            err.to_string().contains("a signed handover is read-only"),
            "{sql}: {err}"
        );
    }
    let data_after: String = db
        .query_row("SELECT data FROM handovers WHERE id = ?", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(data_before, data_after);
    drop(db);

    // Every step is on the audit trail, and the trail still checks.
    let kinds: Vec<String> = {
        let db = desk.sql();
        let mut stmt = db
            .prepare("SELECT kind FROM events WHERE case_id IS NULL AND kind LIKE 'handover%' ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut expected = vec!["handover_prepared"];
    expected.extend(["handover_checked"; 5]);
    expected.extend(["handover_signed_out", "handover_signed_in"]);
    assert_eq!(kinds, expected);
    desk.ok(None, "check");
}

// ---------------------------------------------------------------- generated sections

/// The desk at 20:00 on the night of 2 March: five cases by 张小明, one duty-log entry open.
///
/// - 000001 received, acknowledgement due tonight
/// - 000002 assigned to 护理部 in writing
/// - 000003 severity major: level 2
/// - 000004 a letter dated 24 February: overdue, not received this shift
/// - 000005 promised in three days, offered to 李静
fn known_desk() -> Desk {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(desk.intake("--summary 护士态度生硬 --name 王芳"), "2026-000001");
    assert_eq!(
        desk.intake("--summary 候诊时间太长 --name 李四 --dept 护理部"),
        "2026-000002"
    );
    desk.ok(
        Some(OUT_PIN),
        &format!("case assign 2026-000002 --as {OUT} --dept 护理部 --mode written"),
    );
    assert_eq!(
        desk.intake("--summary 患者跌倒受伤 --name 赵六 --severity major"),
        "2026-000003"
    );
    assert_eq!(
        desk.intake("--summary 上周来信未回复 --name 钱七 --received-at 2026-02-24"),
        "2026-000004"
    );
    assert_eq!(
        desk.intake("--summary 停车收费不合理 --name 孙八 --promise +3d"),
        "2026-000005"
    );
    desk.ok(
        Some(OUT_PIN),
        &format!("case transfer 2026-000005 --as {OUT} --to {INC} --reason 交接班移交"),
    );
    desk.log("王先生", "询问门诊时间");
    desk
}

#[test]
fn generated_sections_list_the_desk_under_the_right_headings() {
    let desk = known_desk();
    assert_eq!(desk.show("2026-000003")["level"], 2);
    assert_eq!(desk.show("2026-000002")["state"], "assigned");
    let id = desk.prepare();
    let md = desk.print(id, "md");
    assert!(md.starts_with(&format!("# {NIGHT_TITLE}\n")), "{md}");

    let headings: Vec<String> = md_sections(&md).into_iter().map(|(h, _)| h).collect();
    assert_eq!(
        headings,
        [
            "注意事项",
            "交接清单",
            "下一班到期的未结案件（4）",
            "已超时案件（1）",
            "已升级案件（1）",
            "待回访（0）",
            "本班受理（4）",
            "待接收的移交（1）",
            "未处理或移交下一班的值班记录（1）",
            "接班人提出的问题",
        ]
    );

    // Due before the next (day) shift ends at 17:30 tomorrow: not the one promised in three days.
    let (_, due) = section(&md, "下一班到期的未结案件");
    assert_eq!(
        numbers(&due),
        ["2026-000004", "2026-000003", "2026-000002", "2026-000001"]
    );
    assert!(due.contains(&"2026-000002  已交办  张小明  2026-03-02 23:59  护理部  候诊时间太长".to_string()));

    let (_, overdue) = section(&md, "已超时案件");
    assert_eq!(
        overdue,
        ["2026-000004  已受理  张小明  2026-02-24 23:59    上周来信未回复"]
    );

    let (_, escalated) = section(&md, "已升级案件");
    assert_eq!(numbers(&escalated), ["2026-000003"]);
    assert!(escalated[0].ends_with("患者跌倒受伤"), "{escalated:?}");

    // Received this shift: not the letter dated last week.
    let (_, received) = section(&md, "本班受理");
    let mut got = numbers(&received);
    got.sort();
    assert_eq!(got, ["2026-000001", "2026-000002", "2026-000003", "2026-000005"]);

    // The transfer waits for 李静: 张小明 still owns it.
    let (_, transfers) = section(&md, "待接收的移交");
    assert_eq!(
        transfers,
        ["2026-000005  已受理  张小明  2026-03-05 20:00    停车收费不合理"]
    );

    let (_, log) = section(&md, "未处理或移交下一班的值班记录");
    assert_eq!(log.len(), 1);
    assert!(log[0].starts_with("2026-03-02 20:00  王先生  询问门诊时间"), "{log:?}");

    // Empty sections say so.
    assert!(md.contains("## 待回访（0）\n\n—  \n"), "{md}");
}

#[test]
fn sections_are_live_while_preparing_and_frozen_at_the_outgoing_signature() {
    let desk = known_desk();
    let id = desk.prepare();
    desk.ok(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT} --answered 八点开诊"));
    let frozen_before: Option<String> = desk
        .sql()
        .query_row("SELECT sections FROM handovers WHERE id = ?", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(frozen_before, None);

    // Live while preparing: a case recorded at 21:00 shows up.
    desk.at("2026-03-02T21:00:00+08:00");
    assert_eq!(desk.intake("--summary 夜间噪音 --name 吴十"), "2026-000006");
    let md = desk.print(id, "md");
    assert_eq!(section(&md, "本班受理").0, "本班受理（5）");
    assert_eq!(
        section(&md, "未处理或移交下一班的值班记录").0,
        "未处理或移交下一班的值班记录（0）"
    );

    // Signed at 07:50: tonight's acknowledgements are overdue by then.
    desk.at("2026-03-03T07:50:00+08:00");
    desk.tick_all(id);
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    let at_signature = desk.print(id, "md");
    assert_eq!(section(&at_signature, "已超时案件").0, "已超时案件（5）");
    assert_eq!(section(&at_signature, "本班受理").0, "本班受理（5）");
    assert_eq!(section(&at_signature, "待接收的移交").0, "待接收的移交（1）");

    // Recorded after the signature, still in the night shift: not in the handover.
    desk.at("2026-03-03T07:55:00+08:00");
    assert_eq!(
        desk.intake("--summary 签字后来电 --name 郑十一 --severity major"),
        "2026-000007"
    );
    desk.ok(
        Some(OUT_PIN),
        &format!("case transfer 2026-000007 --as {OUT} --to {INC} --reason 交接"),
    );
    let md = desk.print(id, "md");
    assert_eq!(md, at_signature);
    assert!(!md.contains("2026-000007"), "{md}");
    assert_eq!(section(&md, "已升级案件").0, "已升级案件（1）");

    // Still the same once signed by both, and a day later.
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    desk.at("2026-03-04T10:00:00+08:00");
    let md = desk.print(id, "md");
    assert!(!md.contains("2026-000007"), "{md}");
    assert_eq!(section(&md, "已超时案件").0, "已超时案件（5）");
    assert_eq!(section(&md, "本班受理").0, "本班受理（5）");
}

#[test]
fn carried_over_entries_are_handed_to_the_next_shift() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.log("赵先生", "要求明早回电");
    desk.ok(Some(OUT_PIN), &format!("duty resolve 1 --as {OUT} --carry 明早8点回电"));
    let id = desk.signed_out();
    let md = desk.print(id, "md");
    assert!(md.contains("要求明早回电"), "{md}");
    assert!(md.contains("明早8点回电"), "{md}");
}

// ---------------------------------------------------------------- print

#[test]
fn print_carries_the_chinese_text_intact_in_text_markdown_and_html() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let n = desk.intake("--summary 药房窗口<3号>排队太久 --name 王芳");
    assert_eq!(n, "2026-000001");
    let id = desk.prepare();
    desk.ok(
        Some(OUT_PIN),
        &[
            "handover",
            "prepare",
            "--as",
            OUT,
            "--cautions",
            "3床家属情绪激动，<勿>单独接触 & 报医务科",
        ],
    );
    for item in ["钥匙", "对讲机", "登记本", "值班电话"] {
        desk.ok(Some(OUT_PIN), &format!("handover check {id} --as {OUT} --item {item}"));
    }
    desk.ok(
        Some(OUT_PIN),
        &format!("handover check {id} --as {OUT} --item 区域整洁 --note 保洁员8点后清理"),
    );
    desk.at("2026-03-03T07:50:00+08:00");
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    desk.ok(
        Some(INC_PIN),
        &[
            "handover",
            "ask",
            &id.to_string(),
            "--as",
            INC,
            "--question",
            "回访约在几点？",
        ],
    );
    desk.at("2026-03-03T07:58:00+08:00");
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));

    // Plain text.
    let text = desk.print(id, "text");
    let underline = "=".repeat(casedesk::words::width::width(NIGHT_TITLE));
    assert!(
        text.starts_with(&format!(
            "{NIGHT_TITLE}\n{underline}\n交班人：张小明\n交班签字：2026-03-03 07:50\n接班人：李静\n接班签字：2026-03-03 07:58\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("\n注意事项\n--------\n3床家属情绪激动，<勿>单独接触 & 报医务科\n"),
        "{text}"
    );
    assert!(text.contains("  · ☑ 钥匙\n"), "{text}");
    assert!(text.contains("  · ☐ 区域整洁（保洁员8点后清理）\n"), "{text}");
    assert!(
        text.contains("  · 2026-000001  已受理  张小明  2026-03-02 23:59    药房窗口<3号>排队太久\n"),
        "{text}"
    );
    assert!(
        text.contains("\n接班人提出的问题\n----------------\n  · 回访约在几点？\n"),
        "{text}"
    );
    // The default format is text.
    assert_eq!(desk.ok(None, &format!("handover print {id}")), text);
    // And without an id, the newest handover.
    assert_eq!(desk.ok(None, "handover print"), text);

    // Markdown.
    let md = desk.print(id, "md");
    assert!(
        md.starts_with(&format!("# {NIGHT_TITLE}\n\n交班人：张小明  \n")),
        "{md}"
    );
    assert!(md.contains("接班人：李静  \n"), "{md}");
    assert!(
        md.contains("## 注意事项\n\n3床家属情绪激动，<勿>单独接触 & 报医务科  \n"),
        "{md}"
    );
    assert!(md.contains("- ☐ 区域整洁（保洁员8点后清理）\n"), "{md}");
    assert_eq!(section(&md, "接班人提出的问题").1, ["回访约在几点？"]);

    // HTML: a whole page, UTF-8, user text escaped.
    let html = desk.print(id, "html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), "{html}");
    assert!(html.contains("<meta charset=\"utf-8\">"), "{html}");
    assert!(html.trim_end().ends_with("</body></html>"), "{html}");
    assert!(html.contains(&format!("<h1>{NIGHT_TITLE}</h1>")), "{html}");
    assert!(
        html.contains("<p>3床家属情绪激动，&lt;勿&gt;单独接触 &amp; 报医务科</p>"),
        "{html}"
    );
    assert!(html.contains("<li>☐ 区域整洁（保洁员8点后清理）</li>"), "{html}");
    assert!(html.contains("药房窗口&lt;3号&gt;排队太久"), "{html}");
    assert!(html.contains("<li>回访约在几点？</li>"), "{html}");
    assert!(!html.contains("<勿>") && !html.contains("<3号>"), "{html}");
    assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count(), "{html}");

    // --out writes the file (UTF-8, the same document) and nothing to standard output.
    for (format, printed) in [("html", &html), ("md", &md), ("text", &text)] {
        let file = desk.path(&format!("交接班.{format}"));
        let out = desk.ok(
            None,
            &[
                "handover",
                "print",
                &id.to_string(),
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out, "");
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(written.trim_end(), printed.trim_end(), "{format}");
    }
}

#[test]
fn handover_list_shows_the_state() {
    let desk = Desk::new();
    assert_eq!(desk.ok(None, "handover list"), "");
    let err = desk.fails(None, "handover print", 2);
    assert_eq!(err, "还没有交接班记录。\n");

    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let id = desk.prepare();
    assert_eq!(id, 1);
    assert_eq!(
        desk.ok(None, "handover list"),
        "#1  夜班 2026-03-02 17:30  张小明 → —  [准备中]\n"
    );
    desk.tick_all(id);
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    assert_eq!(
        desk.ok(None, "handover list"),
        "#1  夜班 2026-03-02 17:30  张小明 → —  [待接班签收]\n"
    );
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(
        desk.ok(None, "handover list"),
        "#1  夜班 2026-03-02 17:30  张小明 → 李静  [已签收]\n"
    );

    // The next day's handover comes first.
    desk.at("2026-03-03T16:00:00+08:00");
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    let out = desk.ok(Some(INC_PIN), &format!("handover prepare --as {INC}"));
    assert_eq!(out, "2\n");
    desk.cmd(None, "handover list").assert().success().stdout(
        predicate::str::starts_with("#2  白班 2026-03-03 08:00  李静 → —  [准备中]\n").and(predicate::str::ends_with(
            "#1  夜班 2026-03-02 17:30  张小明 → 李静  [已签收]\n",
        )),
    );
}

#[test]
fn printing_an_unknown_handover_names_the_handover() {
    let desk = Desk::new();
    let err = desk.fails(None, "handover print 42", 2);
    assert_eq!(err, "没有交接班记录 #42。\n");
}

// ---------------------------------------------------------------- transfers

#[test]
fn cases_transferred_at_handover_change_owner_only_when_the_incoming_clerk_accepts() {
    let desk = Desk::new();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let n = desk.intake("--summary 停车收费不合理 --name 孙八 --promise +3d");
    let out = desk.ok(
        Some(OUT_PIN),
        &format!("case transfer {n} --as {OUT} --to {INC} --reason 交接班移交"),
    );
    assert!(out.starts_with(&format!("{n}：移交完成")), "{out}");
    let c = desk.show(&n);
    assert_eq!(c["owner"], OUT, "offered, not yet taken");
    assert_eq!(c["pending_transfer"], INC);

    let id = desk.prepare();
    assert_eq!(
        section(&desk.print(id, "md"), "待接收的移交").1,
        [format!("{n}  已受理  张小明  2026-03-05 20:00    停车收费不合理")]
    );

    // Only the clerk it was offered to accepts it.
    desk.fails(Some(OUT_PIN), &format!("case accept {n} --as {OUT}"), 3);
    desk.fails(Some(ADMIN_PIN), &format!("case accept {n} --as {ADMIN}"), 3);
    assert_eq!(desk.show(&n)["owner"], OUT);

    desk.at("2026-03-03T07:55:00+08:00");
    let out = desk.ok(Some(INC_PIN), &format!("case accept {n} --as {INC}"));
    assert!(out.starts_with(&format!("{n}：接收移交完成")), "{out}");
    let c = desk.show(&n);
    assert_eq!(c["owner"], INC);
    assert_eq!(c["first_receiver"], OUT, "the first receiver is still on record");
    assert!(c["pending_transfer"].is_null(), "{}", c["pending_transfer"]);
    let events = c["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["received", "transfer_requested", "transfer_accepted"]);
    assert_eq!(events[1]["actor"], OUT);
    assert_eq!(events[1]["reason"], "交接班移交");
    assert_eq!(events[2]["actor"], INC);
    assert_eq!(events[2]["at"], "2026-03-03T07:55:00+08:00");
    let page = desk.ok(None, &format!("case show {n}"));
    assert!(page.contains("申请移交 → 李静 (交接班移交)"), "{page}");
    assert!(
        page.contains("2026-03-03 07:55  李静     接收移交 张小明 → 李静"),
        "{page}"
    );

    // The handover, still being prepared, no longer lists it as waiting.
    let md = desk.print(id, "md");
    assert_eq!(section(&md, "待接收的移交").0, "待接收的移交（0）");
    // A case not transferred keeps its owner through the handover.
    let kept = desk.intake("--summary 病房空调太冷 --name 周九");
    desk.tick_all(id);
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(desk.show(&kept)["owner"], OUT);
}

// ---------------------------------------------------------------- the library

#[test]
fn shifts_follow_the_policy_at_the_boundaries() {
    let p = Policy::builtin().unwrap();
    let day = shift_at(&p, at("2026-03-02T08:00:00+08:00"));
    assert_eq!(day.kind, ShiftKind::Day);
    assert_eq!(day.start, at("2026-03-02T08:00:00+08:00"));
    assert_eq!(day.end, at("2026-03-02T17:30:00+08:00"));
    assert_eq!(shift_at(&p, at("2026-03-02T17:29:59+08:00")), day);

    let night = shift_at(&p, at("2026-03-02T17:30:00+08:00"));
    assert_eq!(night.kind, ShiftKind::Night);
    assert_eq!(night.start, at("2026-03-02T17:30:00+08:00"));
    assert_eq!(night.end, at("2026-03-03T08:00:00+08:00"));
    for t in [
        "2026-03-02T20:00:00+08:00",
        "2026-03-02T23:59:59+08:00",
        "2026-03-03T00:00:00+08:00",
        "2026-03-03T07:59:59+08:00",
    ] {
        assert_eq!(shift_at(&p, at(t)), night, "{t}");
    }
    assert_eq!(next_shift(&p, &day), night);
    let morning = next_shift(&p, &night);
    assert_eq!(morning.kind, ShiftKind::Day);
    assert_eq!(morning.start, at("2026-03-03T08:00:00+08:00"));
    // Across a month end.
    let last = shift_at(&p, at("2026-02-28T23:00:00+08:00"));
    assert_eq!(last.end, at("2026-03-01T08:00:00+08:00"));

    // Other shift times from the policy.
    let mut q = p.clone();
    q.shifts.day_start = NaiveTime::from_hms_opt(7, 30, 0).unwrap();
    q.shifts.night_start = NaiveTime::from_hms_opt(19, 30, 0).unwrap();
    let s = shift_at(&q, at("2026-03-02T19:00:00+08:00"));
    assert_eq!(s.kind, ShiftKind::Day);
    assert_eq!(s.start, at("2026-03-02T07:30:00+08:00"));
    assert_eq!(s.end, at("2026-03-02T19:30:00+08:00"));
    assert_eq!(shift_at(&q, at("2026-03-03T07:45:00+08:00")).kind, ShiftKind::Day);
}

#[test]
fn the_store_refuses_a_handover_step_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut store = Store::open(&path).unwrap();
    let mut policy = Policy::builtin().unwrap();
    policy.handover.checklist = vec!["钥匙".into(), "病历柜".into()];
    let t0 = at(NIGHT);
    let admin = store.init_desk(ADMIN, ADMIN_PIN, t0).unwrap();
    let out: Actor = store.add_staff(&admin, OUT, Role::Clerk, None, OUT_PIN, t0).unwrap();
    let inc: Actor = store.add_staff(&admin, INC, Role::Clerk, None, INC_PIN, t0).unwrap();
    let events = || -> i64 {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    };

    let shift = store.join_shift(&out, &policy, t0).unwrap();
    assert_eq!(shift, shift_at(&policy, t0));
    let entry = store
        .log_add(&out, Channel::Phone, "王先生", "询问门诊时间", "", t0)
        .unwrap();
    let rec = store.handover_prepare(&out, &policy, t0).unwrap();
    let id = rec.handover.id;
    assert_eq!(rec.handover.shift, shift);
    assert_eq!(rec.handover.checklist.len(), 2);
    assert_eq!(rec.sections.open_log, vec![entry.clone()]);

    let late = at("2026-03-03T07:50:00+08:00");
    let before = events();
    let sign = |store: &mut Store, who: &Actor| {
        store.handover_update(id, &policy, late, "handover_signed_out", who, |h, open| {
            h.sign_outgoing(who, open, late)
        })
    };
    assert!(matches!(
        sign(&mut store, &out),
        Err(DutyError::Rule(HandoverError::OpenLog(1)))
    ));
    assert!(matches!(
        sign(&mut store, &out),
        Err(DutyError::Rule(HandoverError::OpenLog(1)))
    ));
    assert_eq!(events(), before, "refusals leave no trace");

    store
        .log_resolve(
            &out,
            entry.id,
            &LogEnding::CarriedOver {
                reason: "明早回电".into(),
            },
            late,
        )
        .unwrap();
    assert!(
        store
            .log_resolve(&out, entry.id, &LogEnding::Answered { text: "改".into() }, late)
            .is_err()
    );
    match sign(&mut store, &out) {
        Err(DutyError::Rule(HandoverError::Unchecked(items))) => assert_eq!(items, ["钥匙", "病历柜"]),
        other => panic!("{other:?}"),
    }
    for item in ["钥匙", "病历柜"] {
        store
            .handover_update(id, &policy, late, "handover_checked", &out, |h, _| {
                h.check(&out, item, true, None)
            })
            .unwrap();
    }
    assert!(matches!(
        sign(&mut store, &inc),
        Err(DutyError::Rule(HandoverError::NotOutgoing))
    ));
    let before = events();
    sign(&mut store, &out).unwrap();
    assert_eq!(events(), before + 1);
    assert_eq!(store.handovers_waiting().unwrap(), [id]);

    // After the shift: still on duty, marked as overstaying.
    let after = at("2026-03-03T08:10:00+08:00");
    let on: Vec<(String, bool)> = store
        .on_duty(after)
        .unwrap()
        .into_iter()
        .map(|(a, over)| (a.name, over))
        .collect();
    assert_eq!(on, [(OUT.to_string(), true)]);

    store
        .handover_update(id, &policy, after, "handover_signed_in", &inc, |h, _| {
            h.sign_incoming(&inc, after)
        })
        .unwrap();
    // The outgoing clerk is relieved; the incoming clerk is now the one on duty.
    let on: Vec<String> = store.on_duty(after).unwrap().into_iter().map(|(a, _)| a.name).collect();
    assert_eq!(on, std::slice::from_ref(&inc.name));
    assert!(store.handovers_waiting().unwrap().is_empty());
    let rec = store.handover(id, &policy, after).unwrap();
    assert_eq!(rec.handover.incoming, Some(inc.id));
    assert_eq!(rec.handover.outgoing_signed_at, Some(late));
    assert_eq!(rec.handover.incoming_signed_at, Some(after));
    assert!(matches!(
        store.handover_update(id, &policy, after, "handover_question", &inc, |h, _| h
            .ask(&inc, "再问")),
        Err(DutyError::Rule(HandoverError::Signed))
    ));
}
