//! Duty shifts, the duty log and the signed shift handover (see
//! `handover.rs`): the sections a handover generates, its printed pages, the
//! cases transferred at handover, and the library
//! (`casedesk::store::Store`, `casedesk::domain::handover`) for what the
//! command line cannot show.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::handover::{HandoverError, LogEnding, ShiftKind, next_shift, shift_at};
use casedesk::domain::{Actor, Channel, Policy, Role};
use casedesk::store::Store;
use casedesk::store::duty::DutyError;
use chrono::NaiveTime;
use predicates::prelude::*;
use support::duty::*;
use support::*;

// ---------------------------------------------------------------- generated sections

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
            "本班备注与更正（0）",
            "接班人提出的问题",
            "签字",
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
    let desk = night_desk();
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
    let desk = night_desk();
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
        // Markdown's and HTML's marks in typed text print as themselves.
        md.contains("## 注意事项\n\n3床家属情绪激动，\\<勿\\>单独接触 \\& 报医务科  \n"),
        "{md}"
    );
    assert!(md.contains("- ☐ 区域整洁（保洁员8点后清理）\n"), "{md}");
    assert_eq!(section(&md, "接班人提出的问题").1, ["回访约在几点？"]);

    // HTML: a whole page, UTF-8, user text escaped.
    let html = desk.print(id, "html");
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"), "{html}");
    assert!(html.contains("<meta charset=\"utf-8\">"), "{html}");
    assert!(html.trim_end().ends_with("</body></html>"), "{html}");
    assert!(html.contains(&format!("<h1>{NIGHT_TITLE}</h1>")), "{html}");
    assert!(
        html.contains("<p>3床家属情绪激动，&lt;勿&gt;单独接触 &amp; 报医务科</p>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>区域整洁</td><td>☐</td><td>保洁员8点后清理</td></tr>"),
        "{html}"
    );
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
    let desk = night_desk();
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
        predicate::str::starts_with("#2  白班 2026-03-03 08:00  李静 → —       [准备中]\n").and(
            predicate::str::ends_with("#1  夜班 2026-03-02 17:30  张小明 → 李静  [已签收]\n"),
        ),
    );
}

#[test]
fn printing_an_unknown_handover_names_the_handover() {
    let desk = night_desk();
    let err = desk.fails(None, "handover print 42", 2);
    assert_eq!(err, "没有交接班记录 #42。\n");
}

// ---------------------------------------------------------------- transfers

#[test]
fn cases_transferred_at_handover_change_owner_only_when_the_incoming_clerk_accepts() {
    let desk = night_desk();
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
