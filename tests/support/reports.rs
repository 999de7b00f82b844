//! The hand-counted desk of the `report*` tests: its staff, the script that
//! builds it through the command line (every figure of the reports counted by
//! hand in the comments), and helpers to read reports.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::{Desk, expect_code};

pub use super::Who;

pub const ADMIN: Who = Who::ADMIN;
pub const CLERK: Who = Who::CLERK;
pub const CLERK2: Who = Who::OTHER;
pub const SUPERVISOR: Who = Who::SUPERVISOR;

pub fn who(name: &str) -> &'static Who {
    [&ADMIN, &CLERK, &CLERK2, &SUPERVISOR]
        .into_iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("no staff member {name}"))
}

/// A desk with admin 管理员, the departments given, clerks 张小明 and 李静 and
/// supervisor 陈主管, all made at desk-local time `local`.
pub fn new_desk(local: &str, depts: &[&str]) -> Desk {
    let desk = Desk::empty_at(local);
    desk.init();
    for d in depts {
        desk.act(local, &ADMIN, &format!("dept add --name {d}"));
    }
    for (w, role) in [(&CLERK, "clerk"), (&CLERK2, "clerk"), (&SUPERVISOR, "supervisor")] {
        desk.add_staff(w.name, role, w.pin);
    }
    desk
}

/// Reports and steps at a desk-local time.
pub trait ReportDesk {
    /// `line --as WHO` with WHO's PIN at desk-local time `local`; expects exit 0.
    fn act(&self, local: &str, w: &Who, line: &str) -> String;
    /// `report --format json extra` at desk-local time `local`, parsed.
    fn report(&self, local: &str, extra: &str) -> Value;
}

impl ReportDesk for Desk {
    #[track_caller]
    fn act(&self, local: &str, w: &Who, line: &str) -> String {
        self.ok_at(local, Some(w.pin), &format!("{line} --as {}", w.name))
    }

    #[track_caller]
    fn report(&self, local: &str, extra: &str) -> Value {
        self.json_at(local, None, &format!("report --format json {extra}"))
    }
}

/// A command line split on whitespace.
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// `[["label", n], …]` as the report serialises its counts.
pub fn counts(list: &[(&str, u64)]) -> Value {
    Value::Array(list.iter().map(|(k, n)| json!([k, n])).collect())
}

pub fn ratio(num: u64, den: u64) -> Value {
    json!({"num": num, "den": den})
}

/// The end of a desk-local day as `visits`/`urges` JSON writes it (UTC):
/// 23:59:59 at +08:00 is 15:59:59Z the same day.
pub fn end_of(day: &str) -> String {
    format!("{day}T15:59:59Z")
}

// ---------------------------------------------------------------- the known desk

/// Desk time of the reports on the known desk: Friday 29 May 2026, 17:00,
/// after the last step of the script.
pub const NOW: &str = "2026-05-29T17:00";

/// The May report's arguments.
pub const MAY: &str = "--from 2026-05-01 --to 2026-05-31";

/// The known desk, step by step in time order: `TIME command…`. `new L …`
/// records a case (`case new`) and calls its number L; `log L …` adds a
/// duty-log entry and calls its id L; later, a word L stands for the number or
/// id. `!3 …` must be refused with exit 3. Without `--as`, 张小明 acts.
///
/// Calendar (domain.md, 2026): Qingming holidays Sat 4 – Mon 6 April; Labour
/// Day holidays Fri 1 – Tue 5 May; Sat 9 May is a make-up working day. So the
/// May working days run 6 7 8 9 11 12 13 14 15 18 … "wd" below = working days
/// d with received day < d <= closing day on that calendar.
pub const SCRIPT: &[&str] = &[
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
pub struct Known {
    pub desk: Desk,
    pub labels: BTreeMap<String, String>,
}

impl Known {
    pub fn n(&self, label: &str) -> &str {
        &self.labels[label]
    }
}

/// Built once for every test of this file (they only read it).
pub fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let desk = new_desk("2026-04-01T08:00", &["护理部", "收费处"]);
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
            let actor = if let Some(i) = w.iter().position(|x| *x == "--as") {
                who(w[i + 1])
            } else {
                w.extend(["--as", CLERK.name]);
                &CLERK
            };
            let args: Vec<&str> = w.iter().map(|x| labels.get(*x).map_or(*x, String::as_str)).collect();
            let out = desk.cmd_at(time, Some(actor.pin), &args).output().unwrap();
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
pub fn may(extra: &str) -> Value {
    known().desk.report(NOW, &format!("{MAY} {extra}"))
}

// ---------------------------------------------------------------- the May report

/// The CSV parsed back: (section, item, value, numerator, denominator,
/// rate %) rows after the header.
pub fn parse_csv(raw: &str) -> Vec<[String; 6]> {
    let body = raw.strip_prefix('\u{feff}').expect("CSV starts with a UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["栏目", "项目", "数值", "分子", "分母", "比率（%）"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), 6, "{r:?}");
            std::array::from_fn(|i| r[i].to_string())
        })
        .collect()
}
