//! Confidentiality, end to end. One confidential complaint carries sentinel
//! values that appear nowhere else (name 甄密者, phone 13012345678, address
//! 秘密路77号). Everything anyone who may not see them gets — every command's
//! output and error, every export, report, worklist, handover page, every
//! screen rendered with ratatui's `TestBackend`, every draft — must hold none of
//! them (nor a recognisable fragment). The owner sees them, a supervisor only
//! after giving a reason, and each viewing is an event with its reason. An
//! anonymous complainant is never stored at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use casedesk::desk::Desk;
use casedesk::domain::Time;
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::overlay::Overlay;
use casedesk::words::Lang;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");

const NAME: &str = "甄密者";
const PHONE: &str = "13012345678";
const ADDRESS: &str = "秘密路77号";
/// The sentinels and fragments of them: a truncated or half-masked value leaks too.
const MARKS: &[&str] = &[
    NAME,
    PHONE,
    ADDRESS,
    "甄密",
    "密者",
    "3012345",
    "2345678",
    "秘密路",
    "路77号",
];

/// Wednesday 30 September 2026, 10:00: the cases come in.
const T0: &str = "2026-09-30T10:00:00+08:00";
/// Three weeks later: the return visit is overdue, the handover lists the case.
const T1: &str = "2026-10-20T10:00:00+08:00";

const REASON: &str = "复核回访投诉升级";

#[derive(Clone, Copy, Debug)]
struct Who {
    name: &'static str,
    pin: &'static str,
}

const ADMIN: Who = Who {
    name: "管理员",
    pin: "1111",
};
const OWNER: Who = Who {
    name: "张小明",
    pin: "2222",
};
const CLERK: Who = Who {
    name: "李静",
    pin: "3333",
};
const SUP: Who = Who {
    name: "陈主任",
    pin: "4444",
};

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

// ------------------------------------------------------------------ leaks

/// The lines of `text` holding a sentinel or a fragment of one.
fn leaks(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| MARKS.iter().any(|m| l.contains(m)))
        .map(|l| l.chars().take(300).collect())
        .collect()
}

/// Records a failure when `text` holds any sentinel.
fn check(failures: &mut Vec<String>, label: &str, text: &str) {
    let found = leaks(text);
    if !found.is_empty() {
        failures.push(format!("{label}:\n    {}", found.join("\n    ")));
    }
}

/// Like `check`, after removing one echo of each thing the user typed there.
fn check_typed(failures: &mut Vec<String>, label: &str, text: &str, typed: &[&str]) {
    let mut rest = text.to_string();
    for t in typed {
        assert!(rest.contains(t), "{label}: the typed {t:?} is not on screen:\n{text}");
        rest = rest.replacen(t, "", 1);
    }
    check(failures, label, &rest);
}

fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: confidential complainant leaked in {} place(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------------------------ the desk

/// A desk: admin 管理员, clerks 张小明 and 李静, supervisor 陈主任; a confidential
/// complaint of 甄密者 owned by 张小明 (assigned, replied, fed back, escalated),
/// a second one of the same caller, an anonymous complaint and two ordinary ones.
struct Site {
    dir: TempDir,
    /// The confidential case waiting for its return visit.
    conf: String,
    /// The same caller's second confidential case.
    conf2: String,
    /// The anonymous case.
    anon: String,
    /// Ordinary cases.
    plain: Vec<String>,
    /// A handover prepared by 李静 at T1.
    handover: String,
}

impl Site {
    fn db(&self) -> PathBuf {
        self.dir.path().join("desk.db")
    }

    fn paths(&self) -> Paths {
        Paths {
            db: self.db(),
            policy: self.dir.path().join("no-policy.toml"),
            calendar: self.dir.path().join("no-calendar.toml"),
        }
    }

    fn all_cases(&self) -> Vec<String> {
        let mut v = vec![self.conf.clone(), self.conf2.clone(), self.anon.clone()];
        v.extend(self.plain.iter().cloned());
        v
    }

    fn cmd(&self, now: &str, pin: Option<&str>, args: &[&str]) -> Command {
        let p = self.paths();
        let mut c = Command::new(BIN);
        c.args(args)
            .env("CASEDESK_DB", &p.db)
            .env("CASEDESK_POLICY", &p.policy)
            .env("CASEDESK_CALENDAR", &p.calendar)
            .env("CASEDESK_NOW", now)
            .env_remove("CASEDESK_LANG")
            .env_remove("CASEDESK_NEW_PIN")
            .stdin(std::process::Stdio::null());
        match pin {
            Some(pin) => c.env("CASEDESK_PIN", pin),
            None => c.env_remove("CASEDESK_PIN"),
        };
        c
    }

    fn run(&self, now: &str, who: Option<Who>, args: &[&str]) -> Output {
        self.cmd(now, who.map(|w| w.pin), args).output().unwrap()
    }

    /// Runs, expects success, returns standard output.
    fn ok(&self, now: &str, who: Option<Who>, args: &[&str]) -> String {
        let out = self.run(now, who, args);
        assert!(
            out.status.success(),
            "{args:?} failed ({:?}): {}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn add_staff(&self, who: Who, role: &str) {
        let out = self
            .cmd(
                T0,
                Some(ADMIN.pin),
                &["staff", "add", "--as", ADMIN.name, "--name", who.name, "--role", role],
            )
            .env("CASEDESK_NEW_PIN", who.pin)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    fn staff_id(&self, name: &str) -> i64 {
        self.sql()
            .query_row("SELECT id FROM staff WHERE name = ?", [name], |r| r.get(0))
            .unwrap()
    }

    /// `confidential_viewed` events: (actor name, case, reason).
    fn views(&self) -> Vec<(String, String, String)> {
        let db = self.sql();
        let mut stmt = db
            .prepare(
                "SELECT s.name, e.body FROM events e JOIN staff s ON s.id = e.actor_id
                 WHERE e.kind = 'confidential_viewed' ORDER BY e.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| {
                let (name, body) = r.unwrap();
                let body: Value = serde_json::from_str(&body).unwrap();
                (
                    name,
                    body["case"].as_str().unwrap_or_default().to_string(),
                    body["reason"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }
}

fn new_case(site: &Site, who: Who, args: &[&str]) -> String {
    let mut all = vec!["case", "new", "--as", who.name];
    all.extend_from_slice(args);
    let out = site.ok(T0, Some(who), &all);
    let number = out.trim().to_string();
    assert!(number.starts_with("2026-"), "{out:?}");
    number
}

fn seed() -> Site {
    let mut site = Site {
        dir: tempfile::tempdir().unwrap(),
        conf: String::new(),
        conf2: String::new(),
        anon: String::new(),
        plain: Vec::new(),
        handover: String::new(),
    };
    let out = site
        .cmd(T0, None, &["init", "--admin", ADMIN.name])
        .env("CASEDESK_NEW_PIN", ADMIN.pin)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for dept in ["护理部", "收费处"] {
        site.ok(T0, Some(ADMIN), &["dept", "add", "--as", ADMIN.name, "--name", dept]);
    }
    site.add_staff(OWNER, "clerk");
    site.add_staff(CLERK, "clerk");
    site.add_staff(SUP, "supervisor");

    let conf = new_case(
        &site,
        OWNER,
        &[
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "夜班护士态度生硬",
            "--details",
            "夜间呼叫护士无人应答，要求道歉",
            "--name",
            NAME,
            "--phone",
            PHONE,
            "--address",
            ADDRESS,
            "--relation",
            "患者",
            "--confidential",
            "--dept",
            "护理部",
            "--category",
            "attitude",
            "--promise",
            "2026-10-09",
        ],
    );
    let step = |args: &[&str]| {
        let mut all = vec!["case"];
        all.extend_from_slice(args);
        site.ok(T0, Some(OWNER), &all);
    };
    step(&[
        "assign",
        &conf,
        "--as",
        OWNER.name,
        "--dept",
        "护理部",
        "--mode",
        "written",
    ]);
    step(&[
        "reply",
        &conf,
        "--as",
        OWNER.name,
        "--verdict",
        "justified",
        "--facts",
        "当晚呼叫器故障",
        "--responsible",
        "当班护士",
        "--measures",
        "每班检查呼叫器",
    ]);
    step(&[
        "feedback",
        &conf,
        "--as",
        OWNER.name,
        "--method",
        "phone",
        "--text",
        "已电话告知调查结果",
    ]);
    step(&["escalate", &conf, "--as", OWNER.name, "--reason", "患者情绪激动"]);
    let conf2 = new_case(
        &site,
        OWNER,
        &[
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "病房空调不制冷",
            "--name",
            NAME,
            "--phone",
            PHONE,
            "--address",
            ADDRESS,
            "--confidential",
            "--dept",
            "护理部",
            "--category",
            "environment",
        ],
    );
    let anon = new_case(
        &site,
        OWNER,
        &[
            "--channel",
            "visit",
            "--kind",
            "complaint",
            "--summary",
            "收费窗口排队太久",
            "--anonymous",
            "--dept",
            "收费处",
            "--category",
            "efficiency",
        ],
    );
    let p1 = new_case(
        &site,
        CLERK,
        &[
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "门诊挂号系统卡顿",
            "--name",
            "王大妈",
            "--phone",
            "13900001111",
            "--dept",
            "收费处",
            "--category",
            "efficiency",
        ],
    );
    site.ok(
        T0,
        Some(CLERK),
        &[
            "case",
            "assign",
            &p1,
            "--as",
            CLERK.name,
            "--dept",
            "收费处",
            "--mode",
            "phone",
        ],
    );
    let p2 = new_case(
        &site,
        OWNER,
        &[
            "--channel",
            "letter",
            "--kind",
            "suggestion",
            "--summary",
            "建议增加夜间药房窗口",
            "--name",
            "赵先生",
            "--phone",
            "13700002222",
            "--address",
            "人民路1号",
            "--dept",
            "护理部",
        ],
    );
    // Three weeks on: the automatic escalations, then 李静's handover of her shift.
    let sweep = site.ok(T1, Some(CLERK), &["sweep", "--as", CLERK.name]);
    assert!(leaks(&sweep).is_empty(), "sweep: {sweep}");
    let handover = site
        .ok(T1, Some(CLERK), &["handover", "prepare", "--as", CLERK.name])
        .trim()
        .to_string();
    site.conf = conf;
    site.conf2 = conf2;
    site.anon = anon;
    site.plain = vec![p1, p2];
    site.handover = handover;
    // The seed itself recorded no viewing.
    assert!(site.views().is_empty(), "{:?}", site.views());
    site
}

// ------------------------------------------------------------------ CLI

/// Runs `args` and files its standard output and error under a label; checks the exit code.
fn collect(site: &Site, who: Option<Who>, args: &[&str], code: i32, out: &mut Vec<(String, String)>) {
    let o = site.run(T1, who, args);
    let label = format!("[{}] casedesk {}", who.map_or("nobody", |w| w.name), args.join(" "));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(code), "{label}: {text}");
    out.push((label, text));
}

/// `--as NAME` when there is a viewer.
fn with_as<'a>(who: Option<Who>, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    if let Some(w) = who {
        v.push("--as");
        v.push(w.name);
    }
    v
}

const LIST_FILTERS: &[&[&str]] = &[
    &[],
    &["--state", "feedback_given"],
    &["--state", "received"],
    &["--owner", "张小明"],
    &["--overdue"],
    &["--due-before", "2026-12-31"],
    &["--limit", "0"],
];

/// Searches that may only match where the viewer may see the complainant.
const SEARCHES: &[&str] = &[
    NAME,
    PHONE,
    "甄",
    "甄密",
    "12345678",
    "130-1234-5678",
    "秘密路",
    ADDRESS,
];

/// Every read-only output a viewer (or nobody) can get about the desk, except
/// lists and searches (`list_outputs`). `with_export`: include the exports
/// (a supervisor's export is allowed to hold the complainant).
fn read_outputs(site: &Site, who: Option<Who>, with_export: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in site.all_cases() {
        collect(site, who, &with_as(who, &["case", "show", &n]), 0, &mut out);
        collect(site, who, &with_as(who, &["case", "show", &n, "--json"]), 0, &mut out);
    }
    collect(
        site,
        who,
        &with_as(who, &["--lang", "en", "case", "show", &site.conf, "--json"]),
        0,
        &mut out,
    );
    collect(site, who, &with_as(who, &["visits"]), 0, &mut out);
    collect(site, who, &with_as(who, &["visits", "--json"]), 0, &mut out);
    if with_export {
        for format in ["json", "csv"] {
            collect(site, who, &with_as(who, &["export", "--format", format]), 0, &mut out);
        }
    }
    out
}

fn list_outputs(site: &Site, who: Option<Who>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for filter in LIST_FILTERS {
        for json in [false, true] {
            let mut args = vec!["case", "list"];
            args.extend_from_slice(filter);
            if json {
                args.push("--json");
            }
            collect(site, who, &with_as(who, &args), 0, &mut out);
        }
    }
    out
}

/// Searches for the sentinels: the JSON list must be empty, and no text either.
fn search_outputs(site: &Site, who: Option<Who>, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for term in SEARCHES {
        for json in [false, true] {
            let mut args = vec!["case", "list", "--search", term];
            if json {
                args.push("--json");
            }
            let args = with_as(who, &args);
            let o = site.run(T1, who, &args);
            let label = format!("[{}] casedesk {}", who.map_or("nobody", |w| w.name), args.join(" "));
            assert!(o.status.success(), "{label}: {}", String::from_utf8_lossy(&o.stderr));
            let stdout = String::from_utf8_lossy(&o.stdout).to_string();
            if json {
                let rows: Vec<Value> = serde_json::from_str(&stdout).unwrap();
                if !rows.is_empty() {
                    let numbers: Vec<&str> = rows.iter().filter_map(|r| r["number"].as_str()).collect();
                    failures.push(format!("{label}: found {numbers:?} (must find nothing)"));
                }
            } else if !stdout.trim().is_empty() {
                failures.push(format!("{label}: found\n    {}", stdout.trim()));
            }
            out.push((label, format!("{stdout}\n{}", String::from_utf8_lossy(&o.stderr))));
        }
    }
    out
}

/// Outputs that do not depend on who asks: handovers, urges, the duty log.
fn shared_outputs(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for format in ["text", "md", "html"] {
        collect(
            site,
            None,
            &["handover", "print", &site.handover, "--format", format],
            0,
            &mut out,
        );
    }
    collect(site, None, &["handover", "print", "--format", "text"], 0, &mut out);
    let file = site.dir.path().join("handover.html");
    let file_s = file.to_str().unwrap().to_string();
    collect(
        site,
        None,
        &[
            "handover",
            "print",
            &site.handover,
            "--format",
            "html",
            "--out",
            &file_s,
        ],
        0,
        &mut out,
    );
    out.push(("handover print --out".into(), std::fs::read_to_string(&file).unwrap()));
    collect(site, None, &["handover", "list", "--json"], 0, &mut out);
    collect(site, None, &["handover", "list"], 0, &mut out);
    collect(site, None, &["urges"], 0, &mut out);
    collect(site, None, &["urges", "--json"], 0, &mut out);
    collect(site, None, &["duty", "list", "--json"], 0, &mut out);
    collect(site, None, &["duty", "who"], 0, &mut out);
    out
}

/// Reports: every format, periods holding the cases, a few filters; with and
/// without a (non-`--names`) viewer; `--out` files too.
fn report_outputs(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let periods: &[&[&str]] = &[
        &["--period", "year"],
        &["--period", "last-quarter"],
        &["--quarterly"],
        &["--from", "2026-09-01", "--to", "2026-10-31"],
        &["--period", "year", "--dept", "护理部"],
        &["--period", "year", "--category", "attitude"],
        &["--period", "year", "--kind", "complaint", "--channel", "phone"],
    ];
    for p in periods {
        for format in ["text", "json", "csv", "html"] {
            let mut args = vec!["report", "--format", format];
            args.extend_from_slice(p);
            collect(site, None, &args, 0, &mut out);
        }
    }
    for who in [CLERK, ADMIN, SUP] {
        let args = ["report", "--period", "year", "--format", "json", "--as", who.name];
        collect(site, Some(who), &args, 0, &mut out);
    }
    for format in ["csv", "html"] {
        let file = site.dir.path().join(format!("report.{format}"));
        let f = file.to_str().unwrap().to_string();
        collect(
            site,
            None,
            &["report", "--period", "year", "--format", format, "--out", &f],
            0,
            &mut out,
        );
        out.push((
            format!("report --out {format}"),
            std::fs::read_to_string(&file).unwrap(),
        ));
    }
    out
}

/// Steps on the confidential case that `who` may not take: refused (exit 3),
/// and the refusal names nobody.
fn refusals(site: &Site, who: Who) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let n = site.conf.as_str();
    let steps: Vec<Vec<&str>> = vec![
        vec!["case", "close", n, "--as", who.name],
        vec![
            "case",
            "visit",
            n,
            "--as",
            who.name,
            "--method",
            "phone",
            "--satisfaction",
            "satisfied",
        ],
        vec!["case", "visit-failed", n, "--as", who.name, "--note", "无人接听"],
        vec!["case", "urge", n, "--as", who.name, "--note", "请尽快回复"],
        vec![
            "case",
            "feedback",
            n,
            "--as",
            who.name,
            "--method",
            "phone",
            "--text",
            "再次告知",
        ],
        vec![
            "case", "transfer", n, "--as", who.name, "--to", "李静", "--reason", "交接",
        ],
        vec!["case", "escalate", n, "--as", who.name, "--reason", "再升级"],
        vec!["case", "reopen", n, "--as", who.name, "--reason", "不满意"],
        vec!["case", "withdraw", n, "--as", who.name, "--reason", "撤诉"],
        vec!["case", "accept", n, "--as", who.name],
    ];
    for s in &steps {
        collect(site, Some(who), s, 3, &mut out);
    }
    // A report with names is for supervisors only.
    collect(
        site,
        Some(who),
        &["report", "--period", "year", "--as", who.name, "--names"],
        3,
        &mut out,
    );
    out
}

fn check_all(failures: &mut Vec<String>, outputs: &[(String, String)]) {
    for (label, text) in outputs {
        check(failures, label, text);
    }
}

/// Nobody, another clerk and the admin: nothing of the complainant, anywhere
/// on the command line; refusals name nobody; asking with a reason changes nothing.
#[test]
fn cli_never_shows_it_to_nobody_another_clerk_or_the_admin() {
    let site = seed();
    let failures = std::thread::scope(|s| {
        let jobs: Vec<_> = [None, Some(CLERK), Some(ADMIN)]
            .into_iter()
            .map(|who| {
                let site = &site;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    let mut outs = read_outputs(site, who, true);
                    outs.extend(list_outputs(site, who));
                    outs.extend(search_outputs(site, who, &mut failures));
                    if let Some(w) = who {
                        outs.extend(refusals(site, w));
                        // A reason does not open it to someone who may not see it.
                        collect(
                            site,
                            Some(w),
                            &["case", "show", &site.conf, "--as", w.name, "--reason", REASON],
                            0,
                            &mut outs,
                        );
                        collect(
                            site,
                            Some(w),
                            &["case", "show", &site.conf, "--json", "--as", w.name, "--reason", REASON],
                            0,
                            &mut outs,
                        );
                    }
                    check_all(&mut failures, &outs);
                    (outs.len(), failures)
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut n = 0;
        for j in jobs {
            let (count, f) = j.join().unwrap();
            n += count;
            all.extend(f);
        }
        let mut outs = shared_outputs(&site);
        outs.extend(report_outputs(&site));
        check_all(&mut all, &outs);
        assert!(n + outs.len() > 150, "only {} outputs were checked", n + outs.len());
        all
    });
    assert_no_failures("command line", &failures);
    // The masked forms are what they show.
    let shown: Value = serde_json::from_str(&site.ok(T1, None, &["case", "show", &site.conf, "--json"])).unwrap();
    assert_eq!(shown["complainant"], serde_json::json!({"confidential": true}));
    assert_eq!(shown["confidential"], true);
    let report = site.ok(T1, None, &["report", "--period", "year", "--format", "json"]);
    assert!(
        report.contains("130****5678"),
        "the repeat caller is listed, masked:\n{report}"
    );
    // Nobody who may not see it was recorded as having seen it.
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// A supervisor who gives no reason sees the case as everyone else does, and
/// nothing is recorded; reports without `--names` name nobody.
#[test]
fn cli_a_supervisor_without_a_reason_gets_the_masked_case() {
    let site = seed();
    let mut failures = Vec::new();
    let mut outs = Vec::new();
    for n in site.all_cases() {
        collect(&site, Some(SUP), &["case", "show", &n, "--as", SUP.name], 0, &mut outs);
        collect(
            &site,
            Some(SUP),
            &["case", "show", &n, "--json", "--as", SUP.name],
            0,
            &mut outs,
        );
    }
    for format in ["text", "json", "csv", "html"] {
        collect(
            &site,
            Some(SUP),
            &["report", "--period", "year", "--format", format, "--as", SUP.name],
            0,
            &mut outs,
        );
    }
    // Steps a supervisor may take say what was done, not who complained.
    collect(
        &site,
        Some(SUP),
        &["case", "urge", &site.conf, "--as", SUP.name, "--note", "请护理部说明"],
        0,
        &mut outs,
    );
    collect(
        &site,
        Some(SUP),
        &["case", "close", &site.conf, "--as", SUP.name],
        3,
        &mut outs,
    );
    check_all(&mut failures, &outs);
    assert_no_failures("supervisor without a reason", &failures);
    let stderr = &outs[0].1;
    assert!(
        stderr.contains("--reason"),
        "the supervisor is told a reason is needed: {stderr}"
    );
    assert!(site.views().is_empty(), "no reason, no viewing: {:?}", site.views());
}

/// The supervisor's lists, searches and return-visit worklist, without a reason.
#[test]
fn cli_a_supervisor_without_a_reason_lists_and_searches_masked() {
    let site = seed();
    let mut failures = Vec::new();
    let mut outs = list_outputs(&site, Some(SUP));
    outs.extend(search_outputs(&site, Some(SUP), &mut failures));
    collect(&site, Some(SUP), &["visits", "--as", SUP.name], 0, &mut outs);
    collect(&site, Some(SUP), &["visits", "--json", "--as", SUP.name], 0, &mut outs);
    check_all(&mut failures, &outs);
    assert_no_failures("supervisor lists without a reason", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// The owner sees the complainant (each viewing recorded as handling the case);
/// a supervisor sees it with a reason (recorded with the reason); a supervisor's
/// export and `--names` report carry it.
#[test]
fn cli_the_owner_and_a_supervisor_with_a_reason_see_it_and_are_recorded() {
    let site = seed();
    let text = site.ok(T1, Some(OWNER), &["case", "show", &site.conf, "--as", OWNER.name]);
    for s in [NAME, PHONE, ADDRESS] {
        assert!(text.contains(s), "the owner sees {s}:\n{text}");
    }
    let json: Value = serde_json::from_str(&site.ok(
        T1,
        Some(OWNER),
        &["case", "show", &site.conf, "--json", "--as", OWNER.name],
    ))
    .unwrap();
    assert_eq!(json["complainant"]["name"], NAME);
    assert_eq!(json["complainant"]["phone"], PHONE);
    assert_eq!(json["complainant"]["address"], ADDRESS);
    let views = site.views();
    assert_eq!(views.len(), 2, "{views:?}");
    assert!(
        views
            .iter()
            .all(|(w, c, r)| w == OWNER.name && *c == site.conf && !r.is_empty()),
        "{views:?}"
    );
    // The owner finds the caller by name and phone.
    for term in [NAME, PHONE] {
        let rows: Vec<Value> = serde_json::from_str(&site.ok(
            T1,
            Some(OWNER),
            &["case", "list", "--json", "--search", term, "--as", OWNER.name],
        ))
        .unwrap();
        let numbers: Vec<&str> = rows.iter().filter_map(|r| r["number"].as_str()).collect();
        assert!(numbers.contains(&site.conf.as_str()), "{term}: {numbers:?}");
    }

    // A supervisor with a reason.
    let text = site.ok(
        T1,
        Some(SUP),
        &["case", "show", &site.conf, "--as", SUP.name, "--reason", REASON],
    );
    assert!(text.contains(NAME) && text.contains(PHONE), "{text}");
    let json: Value = serde_json::from_str(&site.ok(
        T1,
        Some(SUP),
        &[
            "case", "show", &site.conf, "--json", "--as", SUP.name, "--reason", REASON,
        ],
    ))
    .unwrap();
    assert_eq!(json["complainant"]["name"], NAME);
    let views = site.views();
    let sup: Vec<_> = views.iter().filter(|(w, _, _)| w == SUP.name).collect();
    assert_eq!(sup.len(), 2, "{views:?}");
    assert!(sup.iter().all(|(_, c, r)| *c == site.conf && r == REASON), "{views:?}");
    // The events table holds them with the supervisor as actor and the reason in the body.
    let n: i64 = site
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'confidential_viewed' AND actor_id = ?1
               AND case_id IS NULL AND body LIKE '%' || ?2 || '%'",
            rusqlite::params![site.staff_id(SUP.name), REASON],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
    // An empty reason is no reason.
    let masked = site.ok(
        T1,
        Some(SUP),
        &["case", "show", &site.conf, "--as", SUP.name, "--reason", "  "],
    );
    assert!(leaks(&masked).is_empty(), "{masked}");
    assert_eq!(site.views().len(), 4);

    // A supervisor's export and a supervisor's report with names carry it.
    let export = site.ok(T1, Some(SUP), &["export", "--format", "csv", "--as", SUP.name]);
    assert!(export.contains(NAME) && export.contains(PHONE), "{export}");
    let report = site.ok(
        T1,
        Some(SUP),
        &[
            "report", "--period", "year", "--format", "json", "--as", SUP.name, "--names",
        ],
    );
    assert!(report.contains(NAME), "{report}");
}

/// An anonymous complainant is not stored, and shows as anonymous everywhere.
#[test]
fn an_anonymous_complainant_is_never_stored_and_shows_as_anonymous() {
    let site = seed();
    let db = site.sql();
    let id: Option<i64> = db
        .query_row("SELECT complainant_id FROM cases WHERE number = ?", [&site.anon], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(id, None, "the anonymous case has no complainant row");
    // Every complainant row belongs to a named case: none was made for it.
    let orphans: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM complainants p WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.complainant_id = p.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let names: Vec<String> = db
        .prepare("SELECT name FROM complainants")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        names.iter().all(|n| n == NAME || n == "王大妈" || n == "赵先生"),
        "{names:?}"
    );
    let body: String = db
        .query_row(
            "SELECT e.body FROM events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.kind = 'received'",
            [&site.anon],
            |r| r.get(0),
        )
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["complainant"], serde_json::json!({"type": "anonymous"}), "{body}");

    for who in [None, Some(OWNER), Some(CLERK), Some(ADMIN)] {
        let json: Value =
            serde_json::from_str(&site.ok(T1, who, &with_as(who, &["case", "show", &site.anon, "--json"]))).unwrap();
        assert_eq!(json["complainant"], serde_json::json!({"anonymous": true}), "{who:?}");
        let text = site.ok(T1, who, &with_as(who, &["case", "show", &site.anon]));
        let line = text.lines().find(|l| l.starts_with("投诉人")).unwrap_or_default();
        assert!(line.contains("匿名"), "{who:?}: {text}");
        let rows: Vec<Value> =
            serde_json::from_str(&site.ok(T1, who, &with_as(who, &["case", "list", "--json"]))).unwrap();
        let row = rows.iter().find(|r| r["number"] == site.anon.as_str()).unwrap();
        assert_eq!(row["complainant"], Value::Null, "{who:?}");
    }
    let export: Value = serde_json::from_str(&site.ok(T1, None, &["export", "--format", "json"])).unwrap();
    let case = export["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == site.anon.as_str())
        .unwrap();
    assert_eq!(
        case["events"][0]["complainant"],
        serde_json::json!({"type": "anonymous"})
    );
    let csv = site.ok(T1, Some(SUP), &["export", "--format", "csv", "--as", SUP.name]);
    let line = csv.lines().find(|l| l.starts_with(&site.anon)).unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    assert_eq!((fields[9], fields[10]), ("", ""), "{line}");
    let visits = site.ok(T1, Some(OWNER), &["visits", "--json", "--as", OWNER.name]);
    assert!(!visits.contains(&site.anon), "nobody to visit: {visits}");
}

// ------------------------------------------------------------------ screens

struct Tui {
    app: App,
    now: Time,
}

fn tui(site: &Site) -> Tui {
    tui_in(site, Lang::Zh)
}

fn tui_in(site: &Site, lang: Lang) -> Tui {
    let mut desk = Desk::open(&site.paths(), lang, false).unwrap();
    desk.fixed_now = Some(at(T1));
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    Tui { app, now: at(T1) }
}

impl Tui {
    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), self.now);
    }
    fn ch(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }
    fn ctrl(&mut self, c: char) {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), self.now);
    }
    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.ch(c);
        }
    }
    fn sign_in(&mut self, who: Who) {
        self.typed(who.name);
        self.key(KeyCode::Enter);
        self.typed(who.pin);
        self.key(KeyCode::Enter);
        assert_eq!(
            self.app.user.as_ref().map(|u| u.name.as_str()),
            Some(who.name),
            "{:?}",
            self.app.message
        );
        assert!(matches!(self.app.screen, Screen::Queue));
    }
    /// The screen's text at 120×40: every cell's symbol, row by row, without the
    /// blank cells hidden behind a wide (CJK) character.
    fn text(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, self.now)).unwrap();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for row in buf.content().chunks(usize::from(buf.area.width)) {
            let mut hidden = 0usize;
            for cell in row {
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                out.push_str(cell.symbol());
                hidden = cell.symbol().width().saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }
    /// Opens a case from the all-open queue, by keys.
    fn open_from_queue(&mut self, number: &str) {
        self.ch('2');
        let i = self
            .app
            .queue
            .rows
            .iter()
            .position(|r| r.number == number)
            .unwrap_or_else(|| panic!("{number} is not in the queue"));
        self.key(KeyCode::Home);
        for _ in 0..i {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
        match &self.app.screen {
            Screen::Case(p) => assert_eq!(p.record.case.number(), number),
            _ => panic!("the case did not open: {:?}", self.app.message),
        }
    }
    fn revealed(&self) -> bool {
        matches!(&self.app.screen, Screen::Case(p) if p.revealed)
    }
    fn search_results(&self) -> Vec<String> {
        match &self.app.screen {
            Screen::Search(s) => s.results.iter().map(|r| r.number.clone()).collect(),
            _ => panic!("not on the search screen"),
        }
    }
    /// Back to the queue from wherever (answering "leave?" with yes).
    fn home(&mut self) {
        for _ in 0..10 {
            if matches!(self.app.screen, Screen::Queue)
                && !matches!(self.app.overlay, Some(Overlay::Help { .. }))
                && !matches!(self.app.overlay, Some(Overlay::ConfirmLeave))
            {
                return;
            }
            self.key(KeyCode::Esc);
            if matches!(self.app.overlay, Some(Overlay::ConfirmLeave)) {
                self.ch('y');
            }
        }
        panic!("could not get back to the queue");
    }
}

/// How a walk through the screens goes.
struct Walk {
    who: Who,
    lang: Lang,
    /// Steps to submit on the confidential case (refused for someone who may not act).
    steps: &'static [char],
    /// Also try `i` (refused for someone who may not see).
    reveal_attempt: bool,
}

/// Every screen the walker can reach, each rendered at 120×40 and checked;
/// also checks that the confidential case is really on the screens that list it.
fn walk_screens(site: &Site, w: &Walk) -> Vec<String> {
    let mut f = Vec::new();
    let mut t = tui_in(site, w.lang);
    let who = w.who;
    let label = |what: &str| format!("[{}] screen: {what}", who.name);
    t.sign_in(who);
    check(&mut f, &label("queue, mine"), &t.text());
    for (k, what) in [('2', "all open"), ('3', "overdue"), ('4', "escalated")] {
        t.ch(k);
        let screen = t.text();
        check(&mut f, &label(&format!("queue, {what}")), &screen);
        assert!(screen.contains(&site.conf), "{what}: the case is listed\n{screen}");
    }
    for i in 0..9 {
        t.ch('5');
        check(&mut f, &label(&format!("queue, by state #{i}")), &t.text());
    }
    t.ch('2');
    assert!(
        t.app.queue.rows.iter().any(|r| r.number == site.conf),
        "the case is in the queue"
    );
    t.ch('?');
    assert!(matches!(t.app.overlay, Some(Overlay::Help { .. })));
    check(&mut f, &label("help over the queue"), &t.text());
    t.key(KeyCode::Esc);

    // Search as you type: the sentinels find nothing.
    t.ch('/');
    for term in [NAME, PHONE, "甄", "12345678", ADDRESS] {
        t.typed(term);
        let found = t.search_results();
        if !found.is_empty() {
            f.push(format!("{}: found {found:?}", label(&format!("search {term}"))));
        }
        check_typed(&mut f, &label(&format!("search {term}")), &t.text(), &[term]);
        for _ in term.chars() {
            t.key(KeyCode::Backspace);
        }
    }
    // The case is there to be found by what anyone may see.
    t.typed("夜班护士");
    assert!(t.search_results().contains(&site.conf), "{:?}", t.search_results());
    check_typed(&mut f, &label("search by summary"), &t.text(), &["夜班护士"]);
    t.key(KeyCode::Enter);
    check(&mut f, &label("case opened from the search"), &t.text());
    t.home();

    // The case page, its timeline, its help, steps submitted.
    t.open_from_queue(&site.conf);
    check(&mut f, &label("case page"), &t.text());
    for _ in 0..8 {
        t.key(KeyCode::Down);
    }
    check(&mut f, &label("case page, timeline scrolled"), &t.text());
    t.ch('?');
    check(&mut f, &label("help over the case"), &t.text());
    t.key(KeyCode::Esc);
    for &step in w.steps {
        t.ch(step);
        check(&mut f, &label(&format!("step {step} form")), &t.text());
        t.ctrl('s');
        check(&mut f, &label(&format!("step {step} submitted")), &t.text());
        if let Screen::Case(p) = &t.app.screen
            && p.step.is_some()
        {
            t.key(KeyCode::Esc);
            if matches!(t.app.overlay, Some(Overlay::ConfirmLeave)) {
                t.ch('y');
            }
        }
        assert!(matches!(t.app.screen, Screen::Case(_)));
        check(&mut f, &label(&format!("case page after step {step}")), &t.text());
    }
    if w.reveal_attempt {
        let before = site.views().len();
        t.ch('i');
        check(&mut f, &label("reveal form"), &t.text());
        t.typed(REASON);
        t.ctrl('s');
        assert!(!t.revealed(), "{} may not see the complainant", who.name);
        check_typed(&mut f, &label("reveal refused"), &t.text(), &[REASON]);
        assert_eq!(site.views().len(), before, "a refused reveal records nothing");
        t.key(KeyCode::Esc);
        if matches!(t.app.overlay, Some(Overlay::ConfirmLeave)) {
            t.ch('y');
        }
        check(&mut f, &label("case page after the refused reveal"), &t.text());
    }
    t.home();

    // The return-visit worklist, and the case opened from it.
    t.ch('V');
    assert!(matches!(t.app.screen, Screen::List(_)));
    let screen = t.text();
    check(&mut f, &label("visits worklist"), &screen);
    assert!(screen.contains(&site.conf), "the case waits for its visit\n{screen}");
    t.key(KeyCode::Enter);
    check(&mut f, &label("case opened from the visits worklist"), &t.text());
    t.home();
    t.ch('U');
    check(&mut f, &label("urges worklist"), &t.text());
    t.home();

    // Reports, every period, every page of each, and the exported pages.
    t.ch('S');
    assert!(matches!(t.app.screen, Screen::Report(_)), "{:?}", t.app.message);
    check(&mut f, &label("reports"), &t.text());
    let mut caller_listed = false;
    for i in 0..6 {
        t.ch('p');
        for _ in 0..100 {
            t.key(KeyCode::Up);
        }
        for page in 0..8 {
            let screen = t.text();
            caller_listed |= screen.contains("130****5678");
            check(&mut f, &label(&format!("reports, period #{i}, page {page}")), &screen);
            for _ in 0..10 {
                t.key(KeyCode::Down);
            }
        }
        t.ch('e');
    }
    assert!(caller_listed, "the repeat caller is on a report page, masked");
    t.home();

    // The duty log and the handover, and its exported page.
    t.ch('L');
    check(&mut f, &label("duty log"), &t.text());
    t.home();
    t.ch('H');
    assert!(matches!(t.app.screen, Screen::Handover(_)), "{:?}", t.app.message);
    let screen = t.text();
    check(&mut f, &label("handover"), &screen);
    assert!(screen.contains(&site.conf), "the handover lists the case\n{screen}");
    for _ in 0..30 {
        t.key(KeyCode::Down);
    }
    check(&mut f, &label("handover, scrolled"), &t.text());
    t.ch('e');
    t.home();

    // Files the screens exported.
    let mut exported = 0;
    for entry in std::fs::read_dir(site.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            check(&mut f, &label(&format!("exported {}", path.display())), &text);
            exported += 1;
        }
    }
    assert!(exported >= 2, "the report and handover pages were exported");
    f
}

/// Another clerk and the admin (in English): no screen shows the complainant;
/// steps and `i` are refused without naming anyone.
#[test]
fn screens_never_show_it_to_another_clerk_or_the_admin() {
    let site = seed();
    let mut failures = Vec::new();
    for (who, lang) in [(CLERK, Lang::Zh), (ADMIN, Lang::En)] {
        failures.extend(walk_screens(
            &site,
            &Walk {
                who,
                lang,
                steps: &['v', 'x', 'c', 'f', 'u'],
                reveal_attempt: true,
            },
        ));
    }
    assert_no_failures("screens", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// A supervisor before pressing `i`: nothing; after `i` and a reason: the
/// complainant, and the viewing is recorded with the reason.
#[test]
fn screens_show_it_to_a_supervisor_only_after_a_reason() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(SUP);
    t.open_from_queue(&site.conf);
    let mut failures = Vec::new();
    check(&mut failures, "[陈主任] case page before i", &t.text());
    t.ch('?');
    check(&mut failures, "[陈主任] help over the case", &t.text());
    t.key(KeyCode::Esc);
    assert_no_failures("supervisor before i", &failures);
    assert!(site.views().is_empty());
    // An empty reason is refused.
    t.ch('i');
    t.ctrl('s');
    assert!(!t.revealed());
    let screen = t.text();
    assert!(leaks(&screen).is_empty(), "{screen}");
    assert!(site.views().is_empty());
    t.typed(REASON);
    t.ctrl('s');
    assert!(t.revealed(), "{:?}", t.app.message);
    let screen = t.text();
    assert!(screen.contains(NAME) && screen.contains(PHONE), "{screen}");
    assert_eq!(
        site.views(),
        vec![(SUP.name.to_string(), site.conf.clone(), REASON.to_string())]
    );
    // Leaving the page hides it again: the next visit needs a new reason.
    t.home();
    t.open_from_queue(&site.conf);
    let screen = t.text();
    assert!(leaks(&screen).is_empty(), "{screen}");
    assert_eq!(site.views().len(), 1);
}

/// The supervisor's queue, search and worklist, before any reason.
#[test]
fn screens_never_show_it_to_a_supervisor_before_a_reason() {
    let site = seed();
    // Only a step the supervisor cannot take yet: closing before the visit.
    let failures = walk_screens(
        &site,
        &Walk {
            who: SUP,
            lang: Lang::Zh,
            steps: &['c'],
            reveal_attempt: false,
        },
    );
    assert_no_failures("supervisor screens before i", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// The owner's case page shows the complainant; opening it is recorded.
#[test]
fn screens_show_it_to_the_owner_and_record_the_viewing() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(OWNER);
    assert!(site.views().is_empty());
    t.open_from_queue(&site.conf);
    assert!(t.revealed());
    let screen = t.text();
    assert!(screen.contains(NAME) && screen.contains(PHONE), "{screen}");
    let views = site.views();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(
        (views[0].0.as_str(), views[0].1.as_str()),
        (OWNER.name, site.conf.as_str())
    );
    assert!(!views[0].2.is_empty());
    // The owner finds the caller by name.
    t.home();
    t.ch('/');
    t.typed(NAME);
    assert!(t.search_results().contains(&site.conf), "{:?}", t.search_results());
    // The anonymous case reads as anonymous on the owner's queue.
    t.home();
    t.ch('2');
    let screen = t.text();
    let line = screen.lines().find(|l| l.contains(&site.anon)).unwrap();
    assert!(line.contains("匿名"), "{line}");
}

/// 李静 takes a call from the same phone: the draft holds only what she typed,
/// and the intake screen shows no name or address.
#[test]
fn drafts_hold_only_what_the_clerk_typed() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(CLERK);
    t.ch('n');
    assert!(matches!(t.app.screen, Screen::Intake(_)));
    t.key(KeyCode::Tab);
    t.key(KeyCode::Tab);
    t.typed(PHONE);
    t.key(KeyCode::Tab);
    t.typed("王女士");
    for _ in 0..8 {
        t.key(KeyCode::Tab);
    }
    t.typed("再次来电询问处理进度");
    let mut failures = Vec::new();
    check_typed(&mut failures, "[李静] intake", &t.text(), &[PHONE]);
    assert_no_failures("intake", &failures);
    t.app.drafts.flush();
    let folder = site.dir.path().join("desk.db.drafts");
    let files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    let mine = folder.join(format!("intake-{}.json", site.staff_id(CLERK.name)));
    assert_eq!(files, vec![mine.clone()]);
    let text = std::fs::read_to_string(&mine).unwrap();
    assert!(leaks(&text.replacen(PHONE, "", 1)).is_empty(), "{text}");
    let draft: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let field = |k: &str| draft.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    assert_eq!(field("phone"), PHONE);
    assert_eq!(field("name"), "王女士");
    assert_eq!(field("summary"), "再次来电询问处理进度");
    for k in ["relation", "details", "promise", "received"] {
        assert_eq!(field(k), "", "{k} was not typed: {text}");
    }
    assert_eq!(field("confidential"), "false");
    assert_eq!(field("anonymous"), "false");
    // Leaving on purpose leaves nothing behind.
    t.home();
    t.app.drafts.flush();
    assert!(!mine.exists());
}

/// The caller lookup at intake is a search by phone too.
#[test]
fn the_intake_caller_lookup_does_not_match_a_confidential_complainant() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(CLERK);
    t.ch('n');
    t.key(KeyCode::Tab);
    t.key(KeyCode::Tab);
    t.typed(PHONE);
    let history: Vec<String> = match &t.app.screen {
        Screen::Intake(i) => i.history.iter().map(|r| r.number.clone()).collect(),
        _ => panic!("not on intake"),
    };
    assert!(
        !history.contains(&site.conf) && !history.contains(&site.conf2),
        "the phone of a confidential complainant matched {history:?}"
    );
    let screen = t.text();
    assert!(
        !screen.contains(&site.conf) && !screen.contains("夜班护士态度生硬"),
        "{screen}"
    );
}
