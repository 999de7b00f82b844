//! The handover review between two terminals, end to end in real ptys: the
//! day clerk prepares his handover with a case handed over and signs; the
//! night clerk, told at sign-in, reviews it and asks a question; the day clerk
//! answers it on his screen; the night clerk sees the answer and signs; the
//! day clerk's open screen shows it signed, and the case is the night clerk's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::duty::{Duty, INC, INC_PIN, OUT, OUT_PIN};
use support::pty::{Key, Tui};
use support::*;

const DOWN: &str = "\x1b[B";
const HOME: &str = "\x1b[H";
const END: &str = "\x1b[F";

/// Signs in by typing `initials` and `pin`; waits for `name` in the top bar.
fn sign_in(tui: &mut Tui, initials: &str, pin: &str, name: &str) {
    tui.wait_for("登录（输入姓名或拼音首字母");
    tui.send(initials);
    tui.wait_for(&format!("姓名： {initials}"));
    tui.key(Key::Enter);
    tui.send(pin);
    tui.wait_for("PIN： ••••");
    tui.key(Key::Enter);
    tui.wait_for("工作台 · 我的");
    let screen = tui.screen();
    let top = screen.lines().next().unwrap_or_default();
    assert!(top.contains(name), "{name} in the top bar: {top}");
}

/// Presses End until `text` shows: the screen reads other terminals' changes
/// at its next tick (a quarter of a second), and End goes to the last row then.
fn to_end_until(tui: &mut Tui, text: &str) {
    for _ in 0..40 {
        tui.send(END);
        std::thread::sleep(std::time::Duration::from_millis(250));
        if tui.screen().contains(text) {
            return;
        }
    }
    tui.wait_for(text);
}

#[test]
fn prepare_hand_over_ask_answer_sign_between_two_terminals() {
    let desk = Desk::new_at("2026-03-02T08:30:00+08:00");
    desk.add_staff(INC, "clerk", INC_PIN);
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    desk.at("2026-03-02T16:00:00+08:00");
    assert_eq!(
        desk.intake("--summary 夜间病房太吵 --name 王芳 --promise +4h"),
        "2026-000001"
    );

    // The day clerk, at 17:15: H offers to prepare his handover; y does.
    desk.at("2026-03-02T17:15:00+08:00");
    let mut day = Tui::start(&desk, 80, 24);
    sign_in(&mut day, "zxm", OUT_PIN, OUT);
    day.send("H");
    day.wait_for("现在准备交班吗");
    day.send("y");
    day.wait_for("交接班记录 · 白班 2026-03-02 08:00 – 2026-03-02 17:30");
    // Down past the checklist to the first case, and hand it over.
    for _ in 0..5 {
        day.send(DOWN);
    }
    day.send("t");
    day.wait_for("2026-000001 将随交接班移交给接班人");
    day.wait_for("随交接班移交的案件（1）");
    day.send(HOME);
    for i in 0..5 {
        day.send(" ");
        day.wait_for(&format!("交接清单（{}/5）", i + 1));
        day.send(DOWN);
    }
    day.send("s");
    day.wait_for("PIN");
    day.send(OUT_PIN);
    day.key(Key::Enter);
    day.wait_for("[待接班签收]");

    // The night clerk arrives at 17:20 in another terminal and is told.
    desk.at("2026-03-02T17:20:00+08:00");
    let mut night = Tui::start(&desk, 80, 24);
    sign_in(&mut night, "lj", INC_PIN, INC);
    night.wait_for("张小明 的白班交接班 #1 等待你审阅签收：按 H 打开");
    night.wait_for("⚑ 交接班 #1 待你签收");
    night.send("H");
    night.wait_for("随交接班移交的案件（1）");
    night.send("k");
    night.wait_for("问题");
    night.send("王芳几点再来电？");
    night.key(Key::Enter);
    night.wait_for("交接班 #1：已记录问题");

    // The day clerk's open screen shows the question; he answers it.
    to_end_until(&mut day, "王芳几点再来电？");
    day.send("a");
    day.wait_for("答复");
    day.send("晚上七点");
    day.key(Key::CtrlS);
    day.wait_for("交接班 #1：已答复问题");

    // The night clerk sees the answer, and signs.
    to_end_until(&mut night, "答：晚上七点");
    night.send("s");
    night.wait_for("PIN");
    night.send(INC_PIN);
    night.key(Key::Enter);
    night.wait_for("接班人已签收");
    night.wait_gone("⚑");

    // The day clerk's screen updates by itself.
    day.wait_for("接班人：李静  [已签收]");

    let case: Value = serde_json::from_str(&desk.ok(None, "case show 2026-000001 --json")).unwrap();
    assert_eq!(case["owner"], INC);
    assert!(
        kinds(&case).ends_with(&["transfer_requested", "transfer_accepted"]),
        "{case}"
    );
    let md = desk.print(1, "md");
    assert!(md.contains("- ↳ 张小明 2026-03-02 17:15 答：晚上七点"), "{md}");
}
