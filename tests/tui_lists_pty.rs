//! The return-visit list (V) in a real terminal on a demo desk: PageDown,
//! End and Home move the selection (it never moved before), and Tab jumps
//! from the return visits to the follow-ups.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use support::desk::Desk;
use support::pty::{Key, Tui, WAIT};

const PAGE_DOWN: &str = "\x1b[6~";
const END: &str = "\x1b[F";
const HOME: &str = "\x1b[H";

/// The case number on the selected (▶) row.
fn selected(tui: &Tui) -> Option<String> {
    let screen = tui.screen();
    let line = screen.lines().find(|l| l.contains('▶'))?;
    line.split_whitespace()
        .map(|w| w.trim_start_matches(['⚠', '•', '▶']))
        .find(|w| w.len() == 11 && w.starts_with("2026-"))
        .map(str::to_string)
}

/// Waits until the selected row is not `before`; returns it.
fn moved_from(tui: &Tui, before: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some(now) = selected(tui)
            && now != before
        {
            return now;
        }
        assert!(
            start.elapsed() < WAIT,
            "the selection stayed on {before}:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_visit_list_moves_by_page_end_and_home_in_a_terminal() {
    let desk = Desk::empty();
    desk.ok(None, &["demo", "--cases", "300", "--seed", "3"]);
    let numbers: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&desk.ok(None, &["visits", "--json"]))
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap().to_string())
        .collect();
    assert!(numbers.len() > 40, "a demo desk has pages of visits: {}", numbers.len());
    let mut tui = Tui::start(&desk, 100, 30);
    tui.wait_for("登录");
    tui.send("zxm");
    tui.wait_for("姓名： zxm");
    tui.key(Key::Enter);
    tui.send("1234");
    tui.wait_for("PIN： ••••");
    tui.key(Key::Enter);
    tui.wait_for("工作台 · 我的");
    tui.send("V");
    tui.wait_for("待回访清单");
    tui.wait_for("▶");
    let first = selected(&tui).unwrap();
    assert_eq!(first, numbers[0]);
    tui.send(PAGE_DOWN);
    let after_page = moved_from(&tui, &first);
    assert_eq!(after_page, numbers[10], "PageDown moves ten rows");
    tui.send(END);
    let last = moved_from(&tui, &after_page);
    assert_eq!(&last, numbers.last().unwrap(), "End goes to the last row");
    tui.send(HOME);
    let top = moved_from(&tui, &last);
    assert_eq!(top, numbers[0], "Home goes back to the first");
    tui.key(Key::Tab);
    let follow = moved_from(&tui, &top);
    let visits: Vec<serde_json::Value> = serde_json::from_str(&desk.ok(None, &["visits", "--json"])).unwrap();
    let first_follow = visits.iter().find(|v| v["kind"] == "follow_up").unwrap();
    assert_eq!(
        follow,
        first_follow["number"].as_str().unwrap(),
        "Tab: to the follow-ups"
    );
    tui.wait_for("随访：外部投诉结案后的每月随访");
}
