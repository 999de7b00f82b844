//! The desk of the `confidentiality_*` tests. One confidential complaint
//! carries sentinel values that appear nowhere else (name 甄密者, phone
//! 13012345678, address 秘密路77号); what anyone who may not see them gets
//! must hold none of them (nor a recognisable fragment).

use std::path::PathBuf;
use std::process::Output;

use casedesk::paths::Paths;
use serde_json::Value;

use super::Desk;

pub const NAME: &str = "甄密者";
pub const PHONE: &str = "13012345678";
pub const ADDRESS: &str = "秘密路77号";
/// The sentinels and fragments of them: a truncated or half-masked value leaks too.
pub const MARKS: &[&str] = &[
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
pub use super::T0;
/// Three weeks later: the return visit is overdue, the handover lists the case.
pub const T1: &str = "2026-10-20T10:00:00+08:00";

pub const REASON: &str = "复核回访投诉升级";

pub use super::Who;

pub const ADMIN: Who = Who::ADMIN;
pub const OWNER: Who = Who::CLERK;
pub const CLERK: Who = Who::OTHER;
pub const SUP: Who = Who {
    name: "陈主任",
    pin: "444444",
};

// ------------------------------------------------------------------ leaks

/// The lines of `text` holding a sentinel or a fragment of one.
pub fn leaks(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| MARKS.iter().any(|m| l.contains(m)))
        .map(|l| l.chars().take(300).collect())
        .collect()
}

/// Records a failure when `text` holds any sentinel.
pub fn check(failures: &mut Vec<String>, label: &str, text: &str) {
    let found = leaks(text);
    if !found.is_empty() {
        failures.push(format!("{label}:\n    {}", found.join("\n    ")));
    }
}

/// Like `check`, after removing one echo of each thing the user typed there.
pub fn check_typed(failures: &mut Vec<String>, label: &str, text: &str, typed: &[&str]) {
    let mut rest = text.to_string();
    for t in typed {
        assert!(rest.contains(t), "{label}: the typed {t:?} is not on screen:\n{text}");
        rest = rest.replacen(t, "", 1);
    }
    check(failures, label, &rest);
}

pub fn assert_no_failures(what: &str, failures: &[String]) {
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
pub struct Site {
    pub desk: Desk,
    /// The confidential case waiting for its return visit.
    pub conf: String,
    /// The same caller's second confidential case.
    pub conf2: String,
    /// The anonymous case.
    pub anon: String,
    /// Ordinary cases.
    pub plain: Vec<String>,
    /// A handover prepared by 李静 at T1.
    pub handover: String,
}

impl Site {
    pub fn db(&self) -> PathBuf {
        self.desk.db()
    }

    pub fn paths(&self) -> Paths {
        self.desk.paths()
    }

    pub fn all_cases(&self) -> Vec<String> {
        let mut v = vec![self.conf.clone(), self.conf2.clone(), self.anon.clone()];
        v.extend(self.plain.iter().cloned());
        v
    }

    pub fn run(&self, now: &str, who: Option<Who>, args: &[&str]) -> Output {
        self.desk.run_at(now, who.map(|w| w.pin), args)
    }

    /// Runs, expects success, returns standard output.
    #[track_caller]
    pub fn ok(&self, now: &str, who: Option<Who>, args: &[&str]) -> String {
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

    pub fn sql(&self) -> rusqlite::Connection {
        self.desk.sql()
    }

    pub fn staff_id(&self, name: &str) -> i64 {
        self.desk.staff_id(name)
    }

    /// `confidential_viewed` events: (actor name, case, reason).
    pub fn views(&self) -> Vec<(String, String, String)> {
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

pub fn new_case(site: &Site, who: Who, args: &[&str]) -> String {
    let mut all = vec!["case", "new", "--as", who.name];
    all.extend_from_slice(args);
    let out = site.ok(T0, Some(who), &all);
    let number = out.trim().to_string();
    assert!(number.starts_with("2026-"), "{out:?}");
    number
}

pub fn seed() -> Site {
    let mut site = Site {
        desk: Desk::empty(),
        conf: String::new(),
        conf2: String::new(),
        anon: String::new(),
        plain: Vec::new(),
        handover: String::new(),
    };
    site.desk.init();
    for dept in ["护理部", "收费处"] {
        site.ok(T0, Some(ADMIN), &["dept", "add", "--as", ADMIN.name, "--name", dept]);
    }
    for (who, role) in [(OWNER, "clerk"), (CLERK, "clerk"), (SUP, "supervisor")] {
        site.desk.add_staff(who.name, role, who.pin);
    }

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
