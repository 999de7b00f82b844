//! The handover review from the command line: cases handed over with a
//! handover move to the incoming clerk when they sign, the outgoing clerk
//! answers questions and the thread is printed, a colleague of the same shift
//! is refused, and the shifts clerks join by the clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::duty::*;
use support::*;

/// 4 PM on Monday 2 March: 张小明 on the day shift since 08:30 with two cases.
fn day_desk() -> Desk {
    let desk = Desk::new_at("2026-03-02T08:30:00+08:00");
    desk.add_staff(INC, "clerk", INC_PIN);
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-02T16:00:00+08:00");
    assert_eq!(
        desk.intake("--summary 夜间病房太吵 --name 王芳 --promise +4h"),
        "2026-000001"
    );
    assert_eq!(desk.intake("--summary 停车收费不合理 --name 孙八"), "2026-000002");
    desk
}

fn show(desk: &Desk, number: &str) -> Value {
    serde_json::from_str(&desk.ok(None, &format!("case show {number} --json"))).unwrap()
}

#[test]
fn a_case_handed_over_with_the_handover_is_the_incoming_clerks_once_they_sign() {
    let desk = day_desk();
    desk.at("2026-03-02T17:15:00+08:00");
    let id: i64 = desk
        .ok(
            Some(OUT_PIN),
            &format!("handover prepare --as {OUT} --hand-over 2026-000001 --cautions 王芳晚上会再来电"),
        )
        .trim()
        .parse()
        .unwrap();
    desk.tick_all(id);
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    let md = desk.print(id, "md");
    assert_eq!(
        numbers(&section(&md, "随交接班移交的案件（1）").1),
        ["2026-000001"],
        "{md}"
    );
    // Until the incoming clerk signs, the case stays where it was.
    assert_eq!(show(&desk, "2026-000001")["owner"], OUT);

    desk.at("2026-03-02T17:20:00+08:00");
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    let out = desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    assert_eq!(
        out,
        format!("交接班 #{id}：接班人已签收，交班人下班\n1 件案件已移交给接班人：2026-000001\n")
    );
    let case = show(&desk, "2026-000001");
    assert_eq!(case["owner"], INC, "the night clerk owns it now");
    assert_eq!(show(&desk, "2026-000002")["owner"], OUT, "only the marked case moved");
    let kinds = kinds(&case);
    assert!(
        kinds.ends_with(&["transfer_requested", "transfer_accepted"]),
        "{kinds:?}"
    );
    let text = desk.ok(None, "case show 2026-000001");
    assert!(text.contains(&format!("随交接班 #{id} 移交")), "{text}");
    // The night clerk may now work it (first-receiver responsibility moved).
    // (A new reply time: the case has one promised already, so it says why.)
    desk.ok(
        Some(INC_PIN),
        "case promise 2026-000001 --as 李静 --at 2026-03-03 --reason 接班后与投诉人重新约定",
    );
}

#[test]
fn only_your_own_open_cases_are_handed_over() {
    let desk = day_desk();
    desk.intake_as(INC, INC_PIN, "--summary 李静的案件 --name 赵六");
    let err = desk.fails(
        Some(OUT_PIN),
        &format!("handover prepare --as {OUT} --hand-over 2026-000003"),
        3,
    );
    assert_eq!(err, "2026-000003 不是你名下未结的案件，不能随交接班移交。\n");
}

#[test]
fn the_outgoing_clerk_answers_the_questions_and_the_thread_is_printed() {
    let desk = day_desk();
    desk.at("2026-03-02T17:15:00+08:00");
    let id = desk.signed_out();
    desk.at("2026-03-02T17:18:00+08:00");
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    desk.ok(
        Some(INC_PIN),
        &format!("handover ask {id} --as {INC} --question 王芳几点回电？"),
    );
    let err = desk.fails(
        Some(INC_PIN),
        &format!("handover answer {id} --as {INC} --question 1 --text 我自己答"),
        3,
    );
    assert_eq!(err, "只有交班人本人可以修改和签字。\n");
    desk.fails(
        Some(OUT_PIN),
        &format!("handover answer {id} --as {OUT} --question 2 --text 答"),
        3,
    );
    desk.at("2026-03-02T17:19:00+08:00");
    let out = desk.ok(
        Some(OUT_PIN),
        &format!("handover answer {id} --as {OUT} --question 1 --text 约了晚上七点"),
    );
    assert_eq!(out, format!("交接班 #{id}：已答复问题\n"));
    let md = desk.print(id, "md");
    assert_eq!(
        section(&md, "接班人提出的问题").1,
        ["王芳几点回电？", "↳ 张小明 2026-03-02 17:19 答：约了晚上七点"]
    );
    assert!(
        desk.print(id, "text")
            .contains("  · ↳ 张小明 2026-03-02 17:19 答：约了晚上七点\n")
    );
    assert!(
        desk.print(id, "html")
            .contains("<li>↳ 张小明 2026-03-02 17:19 答：约了晚上七点</li>")
    );
    let json: Value = serde_json::from_str(&desk.ok(None, "handover list --json")).unwrap();
    assert_eq!(json[0]["answers"][0]["text"], "约了晚上七点");
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    desk.fails(
        Some(OUT_PIN),
        &format!("handover answer {id} --as {OUT} --question 1 --text 再答"),
        3,
    );
}

#[test]
fn a_colleague_of_the_same_shift_does_not_take_it_over() {
    let desk = day_desk();
    desk.at("2026-03-02T10:00:00+08:00");
    desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    desk.at("2026-03-02T17:15:00+08:00");
    let id = desk.signed_out();
    let err = desk.fails(Some(INC_PIN), &format!("handover accept {id} --as {INC}"), 3);
    assert_eq!(err, "你与交班人同在这一班，不能接这一班的班：由下一班的值班员签收。\n");
}

#[test]
fn a_day_clerk_at_17_20_stays_on_the_day_shift_and_an_early_night_clerk_joins_the_night() {
    let desk = day_desk();
    desk.at("2026-03-02T17:20:00+08:00");
    let out = desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(out, "张小明 已加入白班（2026-03-02 08:00 – 2026-03-02 17:30）\n");
    let out = desk.ok(Some(INC_PIN), &format!("duty start --as {INC}"));
    assert_eq!(out, "李静 已加入夜班（2026-03-02 17:30 – 2026-03-03 08:00）\n");
}

#[test]
fn a_day_shift_taken_over_at_14_38_is_still_the_day_shift_at_14_45() {
    let desk = day_desk();
    desk.at("2026-03-02T14:30:00+08:00");
    let id = desk.signed_out();
    desk.at("2026-03-02T14:38:00+08:00");
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    desk.at("2026-03-02T14:45:00+08:00");
    let mine: i64 = desk
        .ok(Some(INC_PIN), &format!("handover prepare --as {INC}"))
        .trim()
        .parse()
        .unwrap();
    assert!(
        desk.print(mine, "text")
            .starts_with("交接班记录 · 白班 2026-03-02 08:00 – 2026-03-02 17:30\n"),
        "{}",
        desk.print(mine, "text")
    );
}

#[test]
fn the_demo_desk_has_a_week_of_shifts_and_a_handover_waiting() {
    let demo = Desk::empty_at("2026-03-04T10:00:00+08:00");
    demo.ok(None, "demo --cases 300 --seed 7");
    let list = demo.ok(None, "handover list");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 14, "{list}");
    assert!(lines[0].ends_with("[待接班签收]"), "{list}");
    assert!(lines[0].starts_with("#14  夜班 2026-03-03 17:30  李静 → —"), "{list}");
    assert!(lines[1..].iter().all(|l| l.ends_with("[已签收]")), "{list}");
    let json: Value = serde_json::from_str(&demo.ok(None, "handover list --json")).unwrap();
    let all = json.as_array().unwrap();
    assert!(
        all.iter().any(|h| !h["answers"].as_array().unwrap().is_empty()),
        "questions answered"
    );
    assert!(
        all.iter().all(|h| !h["cautions"].as_str().unwrap().is_empty()),
        "cautions"
    );
    let waiting = demo.ok(None, "handover print 14 --format md");
    assert_eq!(section(&waiting, "随交接班移交的案件（").1.len(), 2, "{waiting}");
    assert!(!demo.ok(None, "duty list --open").trim().is_empty(), "calls still open");
    demo.ok(None, "check");
}
