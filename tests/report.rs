//! Reports and statistics (domain.md "Reports and statistics", "Closing rules"):
//! a small known desk built through the command line, one process per step at
//! fixed desk times, every figure counted by hand in the comments next to the
//! assertions, then `casedesk report` (JSON, CSV, HTML, text), `casedesk visits`
//! and `casedesk urges` compared with those counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

// ---------------------------------------------------------------- helpers

/// A staff member and their PIN.
struct Who {
    name: &'static str,
    pin: &'static str,
}

const ADMIN: Who = Who {
    name: "管理员",
    pin: "1111",
};
const CLERK: Who = Who {
    name: "张小明",
    pin: "2222",
};
const CLERK2: Who = Who {
    name: "李静",
    pin: "3333",
};
const SUPERVISOR: Who = Who {
    name: "陈主管",
    pin: "4444",
};

fn who(name: &str) -> &'static Who {
    [&ADMIN, &CLERK, &CLERK2, &SUPERVISOR]
        .into_iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("no staff member {name}"))
}

/// A desk-local time ("2026-05-02T10:00", Asia/Shanghai) as RFC 3339.
fn at(local: &str) -> String {
    format!("{local}:00+08:00")
}

/// One desk in its own temp dir; every command gets its own clock.
struct Desk {
    dir: TempDir,
}

impl Desk {
    /// A desk with admin 管理员, the departments given, clerks 张小明 and 李静 and
    /// supervisor 陈主管, all made at `local`.
    fn new(local: &str, depts: &[&str]) -> Desk {
        let desk = Desk {
            dir: tempfile::tempdir().unwrap(),
        };
        let init = desk
            .cmd(local, None, &["init", "--admin", ADMIN.name])
            .env("CASEDESK_NEW_PIN", ADMIN.pin)
            .output()
            .unwrap();
        expect_code(&init, 0);
        for d in depts {
            desk.act(local, &ADMIN, &format!("dept add --name {d}"));
        }
        for (w, role) in [(&CLERK, "clerk"), (&CLERK2, "clerk"), (&SUPERVISOR, "supervisor")] {
            let line = format!("staff add --as {} --name {} --role {role}", ADMIN.name, w.name);
            let out = desk
                .cmd(local, Some(ADMIN.pin), &words(&line))
                .env("CASEDESK_NEW_PIN", w.pin)
                .output()
                .unwrap();
            expect_code(&out, 0);
        }
        desk
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The command at desk time `local`, with a clean, explicit environment.
    fn cmd(&self, local: &str, pin: Option<&str>, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("casedesk").unwrap();
        cmd.args(args)
            .env("CASEDESK_DB", self.path("desk.db"))
            .env("CASEDESK_NOW", at(local))
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

    /// A command line (split on whitespace) at desk time `local`.
    fn run(&self, local: &str, pin: Option<&str>, line: &str) -> Output {
        self.cmd(local, pin, &words(line)).output().unwrap()
    }

    /// Runs, expects exit 0, returns standard output.
    fn ok(&self, local: &str, pin: Option<&str>, line: &str) -> String {
        let out = self.run(local, pin, line);
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    }

    /// `line --as WHO` with WHO's PIN; expects exit 0.
    fn act(&self, local: &str, w: &Who, line: &str) -> String {
        self.ok(local, Some(w.pin), &format!("{line} --as {}", w.name))
    }

    /// `report --format json extra`, parsed.
    fn report(&self, local: &str, extra: &str) -> Value {
        serde_json::from_str(&self.ok(local, None, &format!("report --format json {extra}"))).unwrap()
    }

    /// Standard output as JSON.
    fn json(&self, local: &str, pin: Option<&str>, line: &str) -> Value {
        serde_json::from_str(&self.ok(local, pin, line)).unwrap()
    }
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
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

/// `[["label", n], …]` as the report serialises its counts.
fn counts(list: &[(&str, u64)]) -> Value {
    Value::Array(list.iter().map(|(k, n)| json!([k, n])).collect())
}

fn ratio(num: u64, den: u64) -> Value {
    json!({"num": num, "den": den})
}

/// The end of a desk-local day as `visits`/`urges` JSON writes it (UTC):
/// 23:59:59 at +08:00 is 15:59:59Z the same day.
fn end_of(day: &str) -> String {
    format!("{day}T15:59:59Z")
}

// ---------------------------------------------------------------- the known desk

/// Desk time of the reports on the known desk: Friday 29 May 2026, 17:00,
/// after the last step of the script.
const NOW: &str = "2026-05-29T17:00";

/// The May report's arguments.
const MAY: &str = "--from 2026-05-01 --to 2026-05-31";

/// The known desk, step by step in time order: `TIME command…`. `new L …`
/// records a case (`case new`) and calls its number L; `log L …` adds a
/// duty-log entry and calls its id L; later, a word L stands for the number or
/// id. `!3 …` must be refused with exit 3. Without `--as`, 张小明 acts.
///
/// Calendar (domain.md, 2026): Qingming holidays Sat 4 – Mon 6 April; Labour
/// Day holidays Fri 1 – Tue 5 May; Sat 9 May is a make-up working day. So the
/// May working days run 6 7 8 9 11 12 13 14 15 18 … "wd" below = working days
/// d with received day < d <= closing day on that calendar.
const SCRIPT: &[&str] = &[
    // ---- April: the previous period of the May report.
    // P1 Thu 2 Apr, 服务态度/护理部; written assignment due 3 wd later: 3, 7, 8 Apr (4–6 Apr holidays)
    // → 8 Apr; replied 7 Apr on time; satisfied; closed Thu 9 Apr. wd: 3, 7, 8, 9 = 4 (plain weekdays: 5).
    "2026-04-02T09:00 new P1 --channel phone --kind complaint --summary 护士态度生硬 --name 赵六 \
     --phone 13911112222 --dept 护理部 --category attitude --promise 2026-04-10",
    "2026-04-02T09:30 case assign P1 --dept 护理部 --mode written",
    "2026-04-07T10:00 case reply P1 --verdict justified --facts 经调查属实 --responsible 当班护士 \
     --measures 服务礼仪培训",
    "2026-04-07T15:00 case feedback P1 --method phone --text 已告知处理结果",
    "2026-04-09T10:00 case visit P1 --method phone --satisfaction satisfied",
    "2026-04-09T10:05 case close P1",
    // P2 Mon 20 Apr, 收费物价/收费处: phone assignment, replied 21 Apr; basic; closed 22 Apr (wd 2).
    "2026-04-20T10:00 new P2 --channel letter --kind complaint --summary 重复收费 --name 孙七 \
     --phone 13700001111 --dept 收费处 --category billing --promise 2026-04-27",
    "2026-04-20T10:30 case assign P2 --dept 收费处 --mode phone",
    "2026-04-21T09:00 case reply P2 --verdict unjustified --facts 经核查收费无误",
    "2026-04-21T14:00 case feedback P2 --method phone --text 已告知核查结果",
    "2026-04-22T10:00 case visit P2 --method phone --satisfaction basic",
    "2026-04-22T10:05 case close P2",
    // P3 Tue 28 Apr, 收费物价/收费处 inquiry answered on the spot and closed (wd 0).
    "2026-04-28T11:00 new P3 --channel online --kind inquiry --summary 询问医保报销比例 --name 周八 \
     --phone 13600002222 --dept 收费处 --category billing",
    "2026-04-28T11:05 case answer P3 --text 已告知报销比例",
    "2026-04-28T11:06 case close P3",
    // ---- May: the report period.
    // M1 Sat 2 May (a holiday), 王芳's 1st case: written assignment due 6, 7, 8 May → 8 May.
    "2026-05-02T10:00 new M1 --channel phone --kind complaint --summary 夜班护士态度生硬 --name 王芳 \
     --phone 13800138000 --dept 护理部 --category attitude --promise 2026-05-08",
    "2026-05-02T10:30 case assign M1 --dept 护理部 --mode written",
    // M2 Wed 6 May, 王芳's 2nd case (same phone, written differently): phone assignment due 7 May.
    "2026-05-06T09:00 new M2 --channel phone --kind complaint --summary 挂号费被多收 --name 王芳 \
     --phone 138-0013-8000 --dept 收费处 --category billing --promise 2026-05-12",
    "2026-05-06T09:30 case assign M2 --dept 收费处 --mode phone",
    // M1 replied on time, partly justified.
    "2026-05-06T10:00 case reply M1 --verdict partly --facts 部分属实 --responsible 当班护士 \
     --measures 加强服务礼仪培训",
    // M4 Wed 6 May: a letter of praise (address only, no category), answered on the spot, closed
    // without a return visit (wd 0).
    "2026-05-06T14:00 new M4 --channel letter --kind praise --summary 感谢护理部细心照顾 --name 钱九 \
     --address 幸福路1号 --dept 护理部",
    "2026-05-06T14:10 case answer M4 --text 已转达护理部",
    "2026-05-06T14:15 case close M4",
    "2026-05-06T15:00 case feedback M1 --method phone --text 已告知处理结果",
    // M6 Thu 7 May: anonymous, online; phone assignment due 8 May; replied 8 May (on time), justified;
    // closed 8 May exempt (no contact). wd: 8 May = 1.
    "2026-05-07T11:00 new M6 --channel online --kind complaint --summary 病房夜间噪音大 --anonymous \
     --dept 护理部 --category environment --promise 2026-05-14",
    "2026-05-07T11:30 case assign M6 --dept 护理部 --mode phone",
    // M2 replied on time (due 7 May), unjustified; fed back.
    "2026-05-07T16:00 case reply M2 --verdict unjustified --facts 经核查收费无误",
    "2026-05-07T16:30 case feedback M2 --method phone --text 已告知核查结果",
    "2026-05-08T09:00 case reply M6 --verdict justified --facts 夜间推车噪音 --responsible 病区护士长 \
     --measures 夜间巡视降低噪音",
    // M7 Fri 8 May: phone assignment due 1 wd later = Sat 9 May, a make-up working day.
    "2026-05-08T09:10 new M7 --channel phone --kind complaint --summary 缴费窗口排队太久 --name 郑十一 \
     --phone 13300004444 --dept 收费处 --category efficiency --promise 2026-05-13",
    "2026-05-08T09:30 case assign M7 --dept 收费处 --mode phone",
    "2026-05-08T10:00 case feedback M6 --method letter --text 已在网站留言处回复",
    "2026-05-08T10:05 case close M6",
    // M1 satisfied, closed Fri 8 May. wd: 6, 7, 8 = 3 (3–5 May holidays; plain weekdays: 5).
    "2026-05-08T11:00 case visit M1 --method phone --satisfaction satisfied",
    "2026-05-08T11:05 case close M1",
    // P1's first monthly follow-up (due 9 May); the second is due 9 Jun.
    "2026-05-09T10:00 case follow-up P1 --method phone --satisfaction satisfied",
    // M7 replied Mon 11 May: LATE (due Sat 9 May); partly justified.
    "2026-05-11T09:00 case reply M7 --verdict partly --facts 高峰期窗口不足 --responsible 收费窗口 \
     --measures 高峰期增开窗口",
    // M2 unsatisfied → reopened (round 2, repeat, level +1): open, no result or feedback this round.
    "2026-05-11T10:00 case visit M2 --method phone --satisfaction unsatisfied --comment 仍认为多收费",
    "2026-05-11T14:00 case feedback M7 --method phone --text 已告知处理结果",
    // Duty log: one entry answered.
    "2026-05-12T09:00 log L1 --who 来电者 --what 询问门诊时间 --action 告知",
    "2026-05-12T09:05 duty resolve L1 --answered 已告知门诊时间",
    // M7: failed return visits 12 May (twice), 13 May, 14 May = 3 distinct days.
    "2026-05-12T10:00 case visit-failed M7 --note 无人接听",
    "2026-05-12T16:00 case visit-failed M7 --note 无人接听",
    // M3 Wed 13 May, 王芳's 3rd case in 90 days → repeat; an inquiry with no department, answered on the
    // spot and closed (wd 0).
    "2026-05-13T10:00 new M3 --channel visit --kind inquiry --summary 询问复印病历流程 --name 王芳 \
     --phone 13800138000 --category other",
    "2026-05-13T10:05 case answer M3 --text 已告知复印病历流程",
    "2026-05-13T10:06 case close M3",
    "2026-05-13T11:00 case visit-failed M7 --note 关机",
    // Two distinct days of three: the gate still refuses.
    "2026-05-13T11:05 !3 case close M7",
    "2026-05-14T10:00 case visit-failed M7 --note 无人接听",
    // M7 closed exempt (unreachable). wd: 9, 11, 12, 13, 14 = 5 (plain weekdays: 4).
    "2026-05-14T10:30 case close M7",
    // M10 Thu 14 May 16:00, a survey suggestion with no reply time promised that day; promised Fri 15
    // May (late); answered; satisfied; closed 19 May. wd: 15, 18, 19 = 3.
    "2026-05-14T16:00 new M10 --channel survey --kind suggestion --summary 候诊区座椅不足 --name 褚十四 \
     --phone 13000007777 --dept 收费处 --category environment",
    "2026-05-15T09:00 case promise M10 --at 2026-05-22",
    "2026-05-15T09:05 case answer M10 --text 已采纳，将增加座椅",
    // M5 Mon 18 May, important: written assignment due 19, 20, 21 → 21 May; never replied (压单).
    "2026-05-18T09:00 new M5 --channel phone --kind complaint --summary 输液时多次穿刺失败 --name 吴十 \
     --phone 13500003333 --dept 护理部 --category quality --severity important --promise 2026-05-25",
    "2026-05-18T09:30 case assign M5 --dept 护理部 --mode written",
    "2026-05-19T10:00 case visit M10 --method phone --satisfaction satisfied",
    "2026-05-19T10:10 case close M10",
    // M8 Wed 20 May, a repair: phone assignment due 21 May; replied 21 May on time ("justified" — a
    // repair, not a justified complaint); basic; closed 22 May. wd: 21, 22 = 2.
    "2026-05-20T08:30 new M8 --channel email --kind repair --summary 自助缴费机故障 --name 冯十二 \
     --phone 13200005555 --dept 收费处 --category facilities --promise 2026-05-22",
    "2026-05-20T09:00 case assign M8 --dept 收费处 --mode phone",
    "2026-05-21T10:00 case reply M8 --verdict justified --facts 读卡器损坏 --responsible 设备科 \
     --measures 更换读卡器",
    "2026-05-21T15:00 case feedback M8 --method phone --text 已告知修复",
    // M5 urged (1).
    "2026-05-22T10:00 case urge M5 --note 请尽快答复 --deadline department_reply",
    "2026-05-22T11:00 case visit M8 --method phone --satisfaction basic --attitude 4 --speed 3 --result 4",
    "2026-05-22T11:10 case close M8",
    // M9 Mon 25 May, MAJOR, confidential, taken in by 李静: reported to leadership (level 3); written
    // assignment due 26, 27, 28 → 28 May; replied 27 May on time, justified; fed back 27 May → return
    // visit due 28, 29 May, 1 Jun → 1 Jun: still waiting at the report.
    "2026-05-25T09:00 new M9 --channel visit --kind complaint --summary 护士暗示收红包 --name 陈十三 \
     --phone 13100006666 --confidential --dept 护理部 --category conduct --severity major \
     --promise 2026-05-28 --as 李静",
    "2026-05-25T09:10 case escalate M9 --reason 已报告分管领导 --as 李静",
    "2026-05-25T09:30 case assign M9 --dept 护理部 --mode written --as 李静",
    // M5 urged (2).
    "2026-05-25T10:00 case urge M5 --note 再次催办 --deadline department_reply",
    // M11 Tue 26 May by 李静: the 3rd complaint about 护理部 + 服务态度 in 90 days (P1, M1, M11) →
    // repeat; answered on the spot; satisfied; closed Fri 29 May. wd: 27, 28, 29 = 3.
    "2026-05-26T10:00 new M11 --channel phone --kind complaint --summary 导诊台工作人员不耐烦 --name 蒋十五 \
     --phone 13900008888 --dept 护理部 --category attitude --promise 2026-05-27 --as 李静",
    "2026-05-26T10:10 case answer M11 --text 已当面致歉并说明 --as 李静",
    "2026-05-27T10:00 case reply M9 --verdict justified --facts 经调查属实 --responsible 当事护士 \
     --measures 全科行风教育 --as 李静",
    "2026-05-27T15:00 case feedback M9 --method phone --text 已告知处理结果 --as 李静",
    // Duty log: one entry left open.
    "2026-05-27T21:00 log L2 --who 家属 --what 夜间来电询问探视时间 --as 李静",
    "2026-05-28T10:00 case visit M11 --method phone --satisfaction satisfied --as 李静",
    "2026-05-29T10:00 case close M11 --as 李静",
];

/// The known desk and its case numbers and log ids by label.
struct Known {
    desk: Desk,
    labels: BTreeMap<String, String>,
}

impl Known {
    fn n(&self, label: &str) -> &str {
        &self.labels[label]
    }
}

/// Built once for every test of this file (they only read it).
fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let desk = Desk::new("2026-04-01T08:00", &["护理部", "收费处"]);
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        for step in SCRIPT {
            let mut w = words(step);
            let time = w.remove(0);
            let refused = w.first() == Some(&"!3");
            if refused {
                w.remove(0);
            }
            let label = match w[0] {
                "new" => Some(("case", w.remove(1))),
                "log" => Some(("duty", w.remove(1))),
                _ => None,
            };
            if let Some((group, _)) = label {
                w.insert(0, group);
            }
            let actor = match w.iter().position(|x| *x == "--as") {
                Some(i) => who(w[i + 1]),
                None => {
                    w.extend(["--as", CLERK.name]);
                    &CLERK
                }
            };
            let args: Vec<&str> = w.iter().map(|x| labels.get(*x).map_or(*x, String::as_str)).collect();
            let out = desk.cmd(time, Some(actor.pin), &args).output().unwrap();
            if refused {
                expect_code(&out, 3);
                continue;
            }
            expect_code(&out, 0);
            if let Some((_, label)) = label {
                let printed = String::from_utf8(out.stdout).unwrap().trim().to_string();
                assert_eq!(printed.lines().count(), 1, "{step}: {printed}");
                labels.insert(label.to_string(), printed);
            }
        }
        Known { desk, labels }
    })
}

/// The May report at NOW, as JSON.
fn may(extra: &str) -> Value {
    known().desk.report(NOW, &format!("{MAY} {extra}"))
}

// ---------------------------------------------------------------- the May report

#[test]
fn the_known_desk_is_where_the_hand_counts_say() {
    let k = known();
    let show = |label: &str| k.desk.json(NOW, None, &format!("case show {} --json", k.n(label)));
    for label in ["P1", "P2", "P3", "M1", "M3", "M4", "M6", "M7", "M8", "M10", "M11"] {
        assert_eq!(show(label)["state"], "closed", "{label}");
    }
    assert_eq!(show("M2")["state"], "reopened");
    assert_eq!(show("M5")["state"], "assigned");
    assert_eq!(show("M9")["state"], "feedback_given");
    // Repeat flags: the 3rd case of one phone, the 3rd complaint about one
    // department and category, and the reopened case.
    for label in ["M2", "M3", "M11"] {
        let flags = show(label)["flags"].clone();
        assert!(flags.as_array().unwrap().contains(&json!("repeat")), "{label}: {flags}");
    }
    // M7's phone assignment on Fri 8 May was due on the make-up Saturday.
    let m7 = show("M7");
    let reply = m7["deadline_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "department_reply")
        .unwrap()
        .clone();
    assert_eq!(reply["due"], "2026-05-09T23:59:59+08:00");
    assert_eq!(reply["status"], "met_late");
}

#[test]
fn may_report_counts_by_channel_kind_category_department_and_severity() {
    let r = may("");
    assert_eq!(r["period"], json!({"from": "2026-05-01", "until": "2026-06-01"}));
    // M1–M11: eleven cases received in May (P1–P3 are April's).
    assert_eq!(r["total"], 11);
    // Lists: most first, then by label.
    // 电话 M1 M2 M5 M7 M11; 来访 M3 M9; 信函 M4; 电子邮件 M8; 网络 M6; 调查表 M10.
    assert_eq!(
        r["by_channel"],
        counts(&[
            ("电话", 5),
            ("来访", 2),
            ("信函", 1),
            ("电子邮件", 1),
            ("网络", 1),
            ("调查表", 1)
        ])
    );
    // 投诉 M1 M2 M5 M6 M7 M9 M11; 咨询 M3; 建议 M10; 报修 M8; 表扬 M4.
    assert_eq!(
        r["by_kind"],
        counts(&[("投诉", 7), ("咨询", 1), ("建议", 1), ("报修", 1), ("表扬", 1)])
    );
    // 服务态度 M1 M11; 环境 M6 M10; 其他 M3; 医疗护理/服务质量 M5; 收费物价 M2;
    // 效率/等候 M7; 行风 M9; 设施维修 M8; the praise M4 has no category.
    assert_eq!(
        r["by_category"],
        counts(&[
            ("服务态度", 2),
            ("环境", 2),
            ("其他", 1),
            ("医疗护理/服务质量", 1),
            ("收费物价", 1),
            ("效率/等候", 1),
            ("行风", 1),
            ("设施维修", 1),
            ("（未填）", 1),
        ])
    );
    // 护理部 M1 M4 M5 M6 M9 M11; 收费处 M2 M7 M8 M10; the inquiry M3 has none.
    assert_eq!(r["by_dept"], counts(&[("护理部", 6), ("收费处", 4), ("（未填）", 1)]));
    // 重要 M5; 重大 M9; the other nine are minor.
    assert_eq!(r["by_severity"], counts(&[("一般", 9), ("重大", 1), ("重要", 1)]));
}

#[test]
fn may_report_four_100_percent_rates_and_return_visits() {
    let r = may("");
    // Recorded: 11 cases + 2 duty-log entries in May, of which L1 ended
    // (answered) and L2 is still open: (11 + 1) / (11 + 2).
    assert_eq!(r["recorded"], ratio(12, 13));
    // Acknowledged the same day: a reply time promised at intake (M1 M2 M5 M6
    // M7 M8 M9 M11) or answered on the spot the same day (M3, M4) = 10.
    // M10 came in Thu 14 May 16:00 with no promise and was promised Fri 15 May.
    assert_eq!(r["answered_in_time"], ratio(10, 11));
    // A result: everything but M5 (never replied) and M2 (reopened: round 2 has
    // no result yet) = 9.
    assert_eq!(r["handled"], ratio(9, 11));
    // Fed back: the same nine (M9 was told on 27 May; M2's feedback belonged
    // to the round that was reopened).
    assert_eq!(r["fed_back"], ratio(9, 11));
    // Of those nine: reached by a return visit M1 M8 M10 M11 = 4; exempt by
    // rule M3 (inquiry on the spot), M4 (praise on the spot), M6 (anonymous),
    // M7 (3 failed attempts on distinct days) = 4; M9 still waiting.
    assert_eq!(r["visit_rate"], ratio(4, 9));
    assert_eq!(r["visit_coverage"], ratio(8, 9));
    // Visit answers: M1 satisfied, M8 basic, M10 satisfied, M11 satisfied,
    // M2 unsatisfied → 4 of 5.
    assert_eq!(r["satisfaction"], ratio(4, 5));
}

#[test]
fn may_report_deadlines_urges_and_departments() {
    let r = may("");
    // Department replies: on time M1 (due 8 May, replied 6 May), M2 (due 7 May,
    // replied 7 May), M6 (due 8, replied 8), M8 (due 21, replied 21), M9 (due 28,
    // replied 27) = 5; late M7 (due Sat 9 May, a make-up working day; replied
    // Mon 11 May); past due and still missing M5 (due 21 May) → 5 of 7.
    assert_eq!(r["on_time"], ratio(5, 7));
    // Open cases past a due time now: M5 (its reply, urgent answer and promise).
    // M2's running clock is its new resolution limit (1 Jun) and M9's is its
    // return visit (1 Jun): not yet due.
    assert_eq!(r["overdue_now"], 1);
    // M5 urged on 22 and 25 May.
    assert_eq!(r["urges"], 2);
    // Per department, most overdue first:
    //   护理部: cases M1 M4 M5 M6 M9 M11 = 6; on time M1 M6 M9 of M1 M5 M6 M9 = 3/4;
    //           overdue now M5; urges 2; justified complaints M1 (partly) M6 M9 = 3.
    //   收费处: cases M2 M7 M8 M10 = 4; on time M2 M8 of M2 M7 M8 = 2/3; nothing
    //           overdue, no urges; justified complaints M7 (partly) = 1 — M8 is a
    //           repair and M2's verdict was unjustified (and is void since reopened).
    //   （未填）: M3 only.
    assert_eq!(
        r["depts"],
        json!([
            {"dept": "护理部", "cases": 6, "on_time": ratio(3, 4), "overdue_now": 1, "urges": 2, "justified": 3},
            {"dept": "收费处", "cases": 4, "on_time": ratio(2, 3), "overdue_now": 0, "urges": 0, "justified": 1},
            {"dept": "（未填）", "cases": 1, "on_time": ratio(0, 0), "overdue_now": 0, "urges": 0, "justified": 0},
        ])
    );
    // Justified or partly justified complaints by category: M7 效率/等候, M1
    // 服务态度, M6 环境, M9 行风 (label order for ties).
    assert_eq!(
        r["justified_by_category"],
        counts(&[("效率/等候", 1), ("服务态度", 1), ("环境", 1), ("行风", 1)])
    );
}

#[test]
fn may_report_repeats_hot_spots_closing_and_daily_intake() {
    let r = may("");
    // Repeat: M3 (3rd case of 13800138000 in 90 days), M11 (3rd complaint
    // about 护理部 + 服务态度: P1, M1, M11), M2 (reopened after an unsatisfied
    // visit) = 3 of 11.
    assert_eq!(r["repeat"], ratio(3, 11));
    // Callers with more than one case in May: 王芳 (M1, M2 written
    // 138-0013-8000, M3) — masked without --names. 钱九 (M4, no phone) has one.
    assert_eq!(r["top_callers"], counts(&[("138****8000", 3)]));
    // Previous period: the 31 days before 1 May = 31 Mar – 30 Apr: P1 服务态度,
    // P2 and P3 收费物价. Rising: 环境 0 → 2 (+2); then +1 each, by label:
    // 其他 0 → 1, 医疗护理/服务质量 0 → 1, 效率/等候 0 → 1, 服务态度 1 → 2,
    // (行风, 设施维修, （未填）cut by the top 5). 收费物价 fell 2 → 1.
    assert_eq!(
        r["hot_spots"],
        json!([
            {"category": "环境", "now": 2, "before": 0},
            {"category": "其他", "now": 1, "before": 0},
            {"category": "医疗护理/服务质量", "now": 1, "before": 0},
            {"category": "效率/等候", "now": 1, "before": 0},
            {"category": "服务态度", "now": 2, "before": 1},
        ])
    );
    // Closed: M1 M3 M4 M6 M7 M8 M10 M11 = 8.
    assert_eq!(r["closed"], 8);
    // Working days to close (holiday calendar): M1 3 (Sat 2 May → Fri 8 May:
    // 6, 7, 8; 3–5 May are holidays), M3 0, M4 0, M6 1, M7 5 (Fri 8 → Thu 14
    // May: Sat 9 is a make-up working day, then 11–14), M8 2, M10 3, M11 3
    // → 17 / 8 = 2.125 → 2.1. (Plain weekdays would give 18 / 8 → 2.3; holidays
    // without the make-up day 16 / 8 = 2.0; calendar days 23 / 8 → 2.9.)
    assert_eq!(r["avg_wd_to_close"], json!(2.1));
    // One entry per day of May, in order, counts on the days of intake.
    let daily = r["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 31);
    let expected: BTreeMap<&str, u64> = [
        ("2026-05-02", 1), // M1
        ("2026-05-06", 2), // M2 M4
        ("2026-05-07", 1), // M6
        ("2026-05-08", 1), // M7
        ("2026-05-13", 1), // M3
        ("2026-05-14", 1), // M10
        ("2026-05-18", 1), // M5
        ("2026-05-20", 1), // M8
        ("2026-05-25", 1), // M9
        ("2026-05-26", 1), // M11
    ]
    .into_iter()
    .collect();
    for (i, entry) in daily.iter().enumerate() {
        let day = format!("2026-05-{:02}", i + 1);
        assert_eq!(entry[0], json!(day));
        assert_eq!(
            entry[1],
            json!(expected.get(day.as_str()).copied().unwrap_or(0)),
            "{day}"
        );
    }
    // No names unless a supervisor asks.
    assert_eq!(r["by_owner"], Value::Null);
    let text = r.to_string();
    for secret in ["王芳", "13800138000", "张小明", "李静", "陈十三", "13100006666"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn april_report_counts_working_days_across_qingming() {
    let r = known().desk.report(NOW, "--from 2026-04-01 --to 2026-04-30");
    assert_eq!(r["period"], json!({"from": "2026-04-01", "until": "2026-05-01"}));
    assert_eq!((r["total"].clone(), r["closed"].clone()), (json!(3), json!(3)));
    // P1 Thu 2 Apr → Thu 9 Apr: 3, 7, 8, 9 = 4 (Sat 4 – Mon 6 Apr Qingming);
    // P2 20 → 22 Apr: 2; P3 0 → 6 / 3 = 2.0 (plain weekdays: 7 / 3 → 2.3).
    assert_eq!(r["avg_wd_to_close"], json!(2.0));
    // No duty-log entries in April.
    assert_eq!(r["recorded"], ratio(3, 3));
    // P1 and P2 replied on time.
    assert_eq!(r["on_time"], ratio(2, 2));
    // P1 satisfied, P2 basic; P3 exempt (inquiry on the spot).
    assert_eq!(r["visit_rate"], ratio(2, 3));
    assert_eq!(r["visit_coverage"], ratio(3, 3));
    assert_eq!(r["satisfaction"], ratio(2, 2));
    assert_eq!(r["daily"].as_array().unwrap().len(), 30);
}

#[test]
fn names_only_for_a_supervisor() {
    let k = known();
    let line = format!("report {MAY} --format json --names --as");
    let r = k
        .desk
        .json(NOW, Some(SUPERVISOR.pin), &format!("{line} {}", SUPERVISOR.name));
    // 王芳's three cases, under the name she gave.
    assert_eq!(r["top_callers"], counts(&[("王芳 13800138000", 3)]));
    // Owners: 张小明 took in M1–M8 and M10 (9), 李静 M9 and M11 (2).
    assert_eq!(r["by_owner"], counts(&[("张小明", 9), ("李静", 2)]));
    // Everything else is the same report.
    let mut plain = may("");
    let mut named = r.clone();
    for v in [&mut plain, &mut named] {
        let o = v.as_object_mut().unwrap();
        o.remove("top_callers");
        o.remove("by_owner");
    }
    assert_eq!(plain, named);

    // A clerk asking for names is refused by a rule (exit 3), and nothing is printed.
    let out = k.desk.run(NOW, Some(CLERK.pin), &format!("{line} {}", CLERK.name));
    expect_code(&out, 3);
    assert!(out.stdout.is_empty());
    // --names needs someone asking (usage, exit 2).
    expect_code(&k.desk.run(NOW, None, &format!("report {MAY} --names")), 2);
}

// ---------------------------------------------------------------- filters

#[test]
fn filters_narrow_every_count() {
    // 收费处: M2 M7 M8 M10.
    let r = may("--dept 收费处");
    assert_eq!(r["total"], 4);
    assert_eq!(r["by_kind"], counts(&[("投诉", 2), ("建议", 1), ("报修", 1)]));
    assert_eq!(r["by_dept"], counts(&[("收费处", 4)]));
    // Closed M7 M8 M10; replies on time M2 M8 of M2 M7 M8.
    assert_eq!(r["closed"], 3);
    assert_eq!(r["on_time"], ratio(2, 3));
    assert_eq!((r["overdue_now"].clone(), r["urges"].clone()), (json!(0), json!(0)));
    assert_eq!(r["repeat"], ratio(1, 4)); // M2
    assert_eq!(r["top_callers"], json!([])); // 王芳 has only M2 here
    assert_eq!(r["justified_by_category"], counts(&[("效率/等候", 1)])); // M7
    // Previous period filtered alike: P2, P3 收费物价. Rising, by label:
    // 效率/等候 0 → 1, 环境 0 → 1, 设施维修 0 → 1.
    assert_eq!(
        r["hot_spots"],
        json!([
            {"category": "效率/等候", "now": 1, "before": 0},
            {"category": "环境", "now": 1, "before": 0},
            {"category": "设施维修", "now": 1, "before": 0},
        ])
    );
    // wd: M7 5, M8 2, M10 3 → 10 / 3 = 3.33 → 3.3.
    assert_eq!(r["avg_wd_to_close"], json!(3.3));

    // Complaints: M1 M2 M5 M6 M7 M9 M11.
    let r = may("--kind complaint");
    assert_eq!(r["total"], 7);
    assert_eq!(r["by_channel"], counts(&[("电话", 5), ("来访", 1), ("网络", 1)]));
    assert_eq!(r["by_kind"], counts(&[("投诉", 7)]));
    // Replies on time M1 M2 M6 M9 of M1 M2 M5 M6 M7 M9 (M8 was a repair).
    assert_eq!(r["on_time"], ratio(4, 6));
    assert_eq!(r["closed"], 4); // M1 M6 M7 M11
    assert_eq!(r["top_callers"], counts(&[("138****8000", 2)])); // M1 M2
    assert_eq!(r["repeat"], ratio(2, 7)); // M2 M11
    let depts: Vec<(&str, u64)> = r["depts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["dept"].as_str().unwrap(), d["cases"].as_u64().unwrap()))
        .collect();
    assert_eq!(depts, [("护理部", 5), ("收费处", 2)]);

    // 服务态度: M1 M11 — P1 before.
    let r = may("--category attitude");
    assert_eq!(r["total"], 2);
    assert_eq!(r["by_category"], counts(&[("服务态度", 2)]));
    assert_eq!(r["closed"], 2);
    assert_eq!(r["repeat"], ratio(1, 2)); // M11
    assert_eq!(r["avg_wd_to_close"], json!(3.0)); // M1 3, M11 3
    assert_eq!(r["justified_by_category"], counts(&[("服务态度", 1)])); // M1
    assert_eq!(r["hot_spots"], json!([{"category": "服务态度", "now": 2, "before": 1}]));

    // Filters combine: 护理部 complaints M1 M5 M6 M9 M11; of those by phone M1 M5 M11.
    assert_eq!(may("--dept 护理部 --kind complaint")["total"], 5);
    assert_eq!(may("--dept 护理部 --kind complaint --channel phone")["total"], 3);

    // An unknown department or kind is a usage error naming the known ones.
    let out = known().desk.run(NOW, None, "report --dept 药剂科");
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("收费处"));
    expect_code(&known().desk.run(NOW, None, "report --kind rumour"), 2);
}

// ---------------------------------------------------------------- periods

#[test]
fn named_periods_follow_the_desk_clock() {
    let desk = Desk::new("2026-01-05T08:00", &["护理部"]);
    let period = |now: &str, extra: &str| -> (Value, usize) {
        let r = desk.report(now, extra);
        (r["period"].clone(), r["daily"].as_array().unwrap().len())
    };
    let p = |from: &str, until: &str| json!({"from": from, "until": until});
    let now = "2026-05-15T12:00";
    // Default and --period month: this calendar month.
    assert_eq!(period(now, ""), (p("2026-05-01", "2026-06-01"), 31));
    assert_eq!(period(now, "--period month"), (p("2026-05-01", "2026-06-01"), 31));
    assert_eq!(period(now, "--period today"), (p("2026-05-15", "2026-05-16"), 1));
    // Friday 15 May: the week from Monday 11 May.
    assert_eq!(period(now, "--period week"), (p("2026-05-11", "2026-05-18"), 7));
    assert_eq!(period(now, "--period quarter"), (p("2026-04-01", "2026-07-01"), 91));
    // The quarterly summary is the last complete quarter.
    assert_eq!(period(now, "--quarterly"), (p("2026-01-01", "2026-04-01"), 90));
    assert_eq!(
        period(now, "--period last-quarter"),
        (p("2026-01-01", "2026-04-01"), 90)
    );
    assert_eq!(period(now, "--period year"), (p("2026-01-01", "2027-01-01"), 365));
    // In January the last complete quarter is last year's fourth.
    assert_eq!(
        period("2026-01-10T09:00", "--quarterly"),
        (p("2025-10-01", "2026-01-01"), 92)
    );
    // A custom period includes its last day.
    assert_eq!(
        period(now, "--from 2026-02-14 --to 2026-02-28"),
        (p("2026-02-14", "2026-03-01"), 15)
    );
    // The month is the desk's (Asia/Shanghai): 00:30 on 1 June there is still
    // 31 May in UTC, but already June at the desk.
    assert_eq!(
        period("2026-06-01T00:30", "--period month"),
        (p("2026-06-01", "2026-07-01"), 30)
    );
    // --period and --from do not mix; a bad date is a usage error.
    let both = "report --period month --from 2026-05-01 --to 2026-05-02";
    expect_code(&desk.run(now, None, both), 2);
    expect_code(&desk.run(now, None, "report --from 2026-05-xx --to 2026-05-31"), 2);
}

#[test]
fn period_month_on_the_known_desk_is_the_may_report() {
    assert_eq!(known().desk.report(NOW, "--period month"), may(""));
}

// ---------------------------------------------------------------- formats

/// The CSV parsed back: (section, item, value) rows after the header.
fn parse_csv(raw: &str) -> Vec<(String, String, String)> {
    let body = raw.strip_prefix('\u{feff}').expect("CSV starts with a UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), ["栏目", "项目", "数值"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), 3, "{r:?}");
            (r[0].to_string(), r[1].to_string(), r[2].to_string())
        })
        .collect()
}

#[test]
fn csv_report_has_a_bom_and_intact_chinese_rows() {
    let raw = known().desk.ok(NOW, None, &format!("report {MAY} --format csv"));
    assert!(raw.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let rows = parse_csv(&raw);
    let has = |sec: &str, item: &str, val: &str| {
        assert!(
            rows.iter().any(|(s, i, v)| s == sec && i == item && v == val),
            "no row ({sec}, {item}, {val}) in {rows:#?}"
        );
    };
    has("概况", "受理总数", "11");
    has("概况", "已结案", "8");
    has("概况", "当前超时（压单）", "1");
    has("概况", "催办次数", "2");
    has("概况", "平均结案工作日", "2.1");
    let rates = "“四个100%”与回访";
    has(rates, "登记率（100%有记录）", "92.3% (12/13)");
    has(rates, "及时答复率（当日告知）", "90.9% (10/11)");
    has(rates, "回访率（已回访）", "44.4% (4/9)");
    has(rates, "回访覆盖率（已回访或按规定免回访）", "88.9% (8/9)");
    has(rates, "满意率（满意+基本满意）", "80.0% (4/5)");
    has(rates, "部门按时答复率", "71.4% (5/7)");
    has(rates, "重复投诉率", "27.3% (3/11)");
    has("按渠道", "电话", "5");
    has("按分类", "（未填）", "1");
    has("按严重程度", "重大", "1");
    has("属实投诉（按分类）", "行风", "1");
    has("重复来电（前10）", "138****8000", "3");
    has("部门考核", "护理部", "受理 6，按时 75.0% (3/4)，压单 1，催办 2，属实 3");
    has("部门考核", "（未填）", "受理 1，按时 —，压单 0，催办 0，属实 0");
    has("上升最快的分类（上期 → 本期）", "环境", "0 → 2");
    assert!(!rows.iter().any(|(s, _, _)| s == "按负责人"));
}

#[test]
fn csv_quotes_commas_and_quotes_and_html_escapes_markup() {
    // A department whose name needs quoting in CSV and escaping in HTML.
    let odd = "便民,\"服务\"<中心>&";
    let desk = Desk::new("2026-05-15T08:00", &[odd]);
    desk.act(
        "2026-05-15T09:00",
        &CLERK,
        &format!(
            "case new --channel phone --kind complaint --summary 窗口无人 --name 王五 --phone 13600001234 \
             --dept {odd} --category attitude --promise 2026-05-20"
        ),
    );
    let raw = desk.ok("2026-05-15T12:00", None, "report --period month --format csv");
    // RFC 4180: the field is quoted and its quotes doubled.
    assert!(raw.contains("按部门,\"便民,\"\"服务\"\"<中心>&\",1"), "{raw}");
    let rows = parse_csv(&raw);
    assert!(rows.contains(&("按部门".into(), odd.into(), "1".into())), "{rows:#?}");

    let html = desk.ok("2026-05-15T12:00", None, "report --period month --format html");
    assert!(html.contains("<th>便民,\"服务\"&lt;中心&gt;&amp;</th>"), "{html}");
    assert!(!html.contains("<中心>"), "{html}");
}

#[test]
fn html_report_is_a_whole_printable_page() {
    let k = known();
    let line = format!("report {MAY} --format html");
    let html = k.desk.ok(NOW, None, &line);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        html.contains("<h1>投诉与反馈统计 2026-05-01 至 2026-05-31</h1>"),
        "{html}"
    );
    assert!(html.contains("<h2>部门考核</h2>"));
    assert!(html.contains("<tr><th>受理总数</th><td>11</td></tr>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<table>").count(), html.matches("</table>").count());
    // --out writes the same page to a file and nothing to standard output.
    let file = k.desk.path("may.html");
    let mut args = words(&line);
    args.extend(["--out", file.to_str().unwrap()]);
    let out = k.desk.cmd(NOW, None, &args).output().unwrap();
    expect_code(&out, 0);
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim_end(), html.trim_end());
}

#[test]
fn text_report_has_the_chinese_sections_and_a_daily_line() {
    let text = known().desk.ok(NOW, None, &format!("report {MAY}"));
    assert!(text.starts_with("投诉与反馈统计 2026-05-01 至 2026-05-31\n"), "{text}");
    for title in [
        "概况",
        "“四个100%”与回访",
        "按渠道",
        "按类型",
        "按分类",
        "按部门",
        "按严重程度",
        "属实投诉（按分类）",
        "重复来电（前10）",
        "部门考核",
        "上升最快的分类（上期 → 本期）",
        "每日受理",
    ] {
        assert!(text.lines().any(|l| l == title), "no section {title} in\n{text}");
    }
    assert!(!text.contains("按负责人"), "{text}");
    let total = text.lines().find(|l| l.contains("受理总数")).unwrap();
    assert!(total.trim_end().ends_with(" 11"), "{total}");
    // The daily sparkline: one bar per day of May, the highest (2 cases, 6 May)
    // full, a single case half-way, no case the lowest bar.
    let spark = text.lines().last().unwrap().trim();
    let bars: Vec<char> = spark.chars().collect();
    assert_eq!(bars.len(), 31, "{spark}");
    assert_eq!(bars[5], '█'); // 6 May
    assert_eq!(bars[1], '▄'); // 2 May
    assert_eq!(bars[0], '▁'); // 1 May
    assert_eq!(bars.iter().filter(|c| **c != '▁').count(), 10, "{spark}");
}

// ---------------------------------------------------------------- worklists

#[test]
fn visits_lists_return_visits_and_follow_ups_by_due_date() {
    let k = known();
    let list = |viewer: Option<&Who>| -> Vec<Value> {
        let out = match viewer {
            Some(w) => k.desk.act(NOW, w, "visits --json"),
            None => k.desk.ok(NOW, None, "visits --json"),
        };
        serde_json::from_str(&out).unwrap()
    };
    let plain = list(None);
    // Waiting at 29 May:
    //   P2 follow-up 1: closed 22 Apr → due 22 May (not made: overdue);
    //   M9 return visit: fed back Wed 27 May → 28, 29 May, 1 Jun → 1 Jun;
    //   M1 follow-up 1: closed 8 May → 8 Jun;
    //   P1 follow-up 2: follow-up 1 made 9 May; closed 9 Apr → 9 Jun;
    //   M7 follow-up 1: closed 14 May → 14 Jun (unreachable, still scheduled);
    //   M11 follow-up 1: closed 29 May → 29 Jun.
    // Not listed: M6 (anonymous), praise/inquiry/repair/suggestion cases, M2
    // (reopened: no feedback yet), M5 (no reply yet).
    let got: Vec<(String, String, String)> = plain
        .iter()
        .map(|v| {
            (
                v["number"].as_str().unwrap().to_string(),
                v["kind"].as_str().unwrap().to_string(),
                v["due"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("P2", "follow_up", "2026-05-22"),
        ("M9", "return_visit", "2026-06-01"),
        ("M1", "follow_up", "2026-06-08"),
        ("P1", "follow_up", "2026-06-09"),
        // M7 was closed unreachable after three attempts: no follow-ups are scheduled.
        ("M11", "follow_up", "2026-06-29"),
    ]
    .iter()
    .map(|(l, kind, day)| (k.n(l).to_string(), (*kind).to_string(), end_of(day)))
    .collect();
    assert_eq!(got, want);
    // Ordinary complainants are shown to whoever calls back.
    let p2 = &plain[0];
    assert_eq!(
        (p2["complainant"].as_str(), p2["phone"].as_str()),
        (Some("孙七"), Some("13700001111"))
    );
    // M9 is confidential: masked for everyone in the worklist, its owner and a
    // supervisor included — the case page shows it, and records the viewing.
    let m9 = |l: &[Value]| l.iter().find(|v| v["number"] == k.n("M9")).unwrap().clone();
    for masked in [
        m9(&plain),
        m9(&list(Some(&CLERK))),
        m9(&list(Some(&CLERK2))),
        m9(&list(Some(&SUPERVISOR))),
    ] {
        assert_eq!(
            (masked["complainant"].as_str(), masked["phone"].as_str()),
            (Some("***"), Some("***"))
        );
    }
}

#[test]
fn urges_lists_the_overdue_reply_and_counts_per_department() {
    let k = known();
    let v = k.desk.json(NOW, None, "urges --json");
    // Only M5's reply is past due (written assignment Mon 18 May, due Thu 21
    // May); urged twice. M2 and M9 are open but their replies came in.
    assert_eq!(
        v["overdue"],
        json!([{
            "number": k.n("M5"),
            "dept": "护理部",
            "due": end_of("2026-05-21"),
            "urges": 2,
            "summary": "输液时多次穿刺失败",
        }])
    );
    assert_eq!(v["departments"], json!([{"dept": "护理部", "overdue": 1, "urges": 2}]));
    // At the last minute of its due day it is not yet overdue.
    let before = k.desk.json("2026-05-21T23:59", None, "urges --json");
    assert_eq!(before["overdue"], json!([]), "{before}");
}

// ---------------------------------------------------------------- doubts

/// domain.md: every contact is recorded; a duty-log entry "either becomes a
/// case, is answered …, or is carried over". An entry that became a case is
/// the same contact as that case, so it must not be counted twice.
#[test]
fn a_logged_call_that_became_a_case_is_one_contact() {
    let desk = Desk::new("2026-05-15T08:00", &["护理部"]);
    let entry = desk.act("2026-05-15T09:00", &CLERK, "duty log --who 王五 --what 投诉护士态度");
    let n = desk.act(
        "2026-05-15T09:05",
        &CLERK,
        "case new --channel phone --kind complaint --summary 护士态度差 --name 王五 --phone 13600001234 \
         --dept 护理部 --promise 2026-05-20",
    );
    desk.act(
        "2026-05-15T09:06",
        &CLERK,
        &format!("duty resolve {} --case {}", entry.trim(), n.trim()),
    );
    desk.act(
        "2026-05-15T10:00",
        &CLERK,
        "duty log --who 李四 --what 询问挂号 --action 稍后回电",
    );
    let r = desk.report("2026-05-15T12:00", "--period today");
    // Two contacts: 王五's call (the entry and its case) and 李四's open entry;
    // one of them recorded → 1 of 2. (The product counts 2 of 3.)
    assert_eq!(r["recorded"], ratio(1, 2));
}
