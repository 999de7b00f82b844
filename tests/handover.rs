//! Duty shifts, the duty log (值班记录) and the signed shift handover (交接班),
//! as a duty clerk drives them: one process per command, each test on its own
//! desk in a temp dir, with a fixed clock and an explicit environment. Here
//! who is on duty, the duty log, and the rules of signing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::duty::*;
use support::*;

// ---------------------------------------------------------------- shifts

#[test]
fn joining_at_20_00_is_the_night_shift_until_08_00_and_07_59_is_still_that_night() {
    let desk = night_desk();
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
    let desk = night_desk();
    assert_eq!(desk.who(), Vec::<String>::new(), "nobody on duty on a new desk");
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(desk.who(), ["张小明"]);

    // The night is over, nobody has signed: still on duty, and told so.
    desk.at("2026-03-03T08:30:00+08:00");
    assert_eq!(desk.who(), ["张小明  （班次已结束，交接未签收，仍在岗）"]);

    // The outgoing signature alone relieves nobody.
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    assert_eq!(desk.who(), ["张小明  （班次已结束，交接未签收，仍在岗）", "李静"]);

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
    let desk = night_desk();
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
    let desk = night_desk();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-03T08:05:00+08:00");
    let id = desk.signed_out();
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(desk.who(), ["李静"]);
}

// ---------------------------------------------------------------- duty log

#[test]
fn duty_log_entries_get_ids_and_each_ends_exactly_once() {
    let desk = night_desk();
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
        "#3  2026-03-02 20:00  张小明  赵先生  要求明早回电          [未处理]\n\
         #2  2026-03-02 20:00  张小明  李女士  投诉护士态度  已安抚  [未处理]\n\
         #1  2026-03-02 20:00  张小明  王先生  询问门诊时间          [未处理]\n"
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
        "#3  2026-03-02 20:00  张小明  赵先生  要求明早回电          [已移交下一班：明早8点回电]\n\
         #2  2026-03-02 20:00  张小明  李女士  投诉护士态度  已安抚  [已转案件 2026-000001]\n\
         #1  2026-03-02 20:00  张小明  王先生  询问门诊时间          [已答复]\n"
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
    let desk = night_desk();
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
    let desk = night_desk();
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
    let desk = night_desk();
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
    let desk = night_desk();
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
    let desk = night_desk();
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
    let desk = night_desk();
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
