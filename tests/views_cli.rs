//! Saved views (保存的视图) from the command line: `view save`, `view list`,
//! `view remove` and `case list --view`, each kept per clerk and audited, and
//! the refusals a clerk can act on, in Chinese and English.

#![allow(clippy::unwrap_used)]

mod support;

use support::desk::Desk;
use support::{CLERK, CLERK_PIN, OTHER, OTHER_PIN, SUPERVISOR, SUPERVISOR_PIN};

/// A desk with 张小明's, 李静's and the supervisor's cases, received a
/// minute apart from 09:00 on 30 September (a Wednesday).
fn desk() -> Desk {
    let desk = Desk::new_at("2026-09-30T09:00:00+08:00");
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    for (i, (who, pin)) in [(CLERK, CLERK_PIN), (OTHER, OTHER_PIN), (CLERK, CLERK_PIN)]
        .into_iter()
        .enumerate()
    {
        desk.at(&format!("2026-09-30T09:0{i}:00+08:00"));
        desk.intake_as(who, pin, &format!("--summary 护士态度生硬{i} --name 王芳"));
    }
    desk.at("2026-09-30T10:00:00+08:00");
    desk
}

fn numbers(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| l.split_whitespace().next().unwrap().trim_start_matches('⚠').to_string())
        .collect()
}

#[test]
fn a_clerk_saves_lists_uses_and_removes_a_view_each_an_audit_event() {
    let desk = desk();
    let pin = Some(CLERK_PIN);
    let out = desk.ok(pin, "view save 全部最新 --as 张小明 --all --sort newest");
    assert_eq!(
        out.trim(),
        "已保存视图“全部最新”（全部未结 · 最新在前），编号 1：在工作台按 Alt-1 调出。"
    );
    let out = desk.ok(pin, "view save 我的最早 --as 张小明 --sort oldest --slot 3");
    assert!(out.contains("编号 3"), "{out}");
    let list = desk.ok(pin, "view list --as 张小明");
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "张小明 保存的视图：",
            "Alt-1  全部最新  全部未结 · 最新在前",
            "Alt-3  我的最早  我的 · 最早在前",
        ]
    );
    // The cases each view shows now, in its order.
    let newest = numbers(&desk.ok(pin, "case list --view 全部最新 --as 张小明"));
    assert_eq!(newest, ["2026-000003", "2026-000002", "2026-000001"]);
    let oldest_mine = numbers(&desk.ok(pin, "case list --view 我的最早 --as 张小明"));
    assert_eq!(oldest_mine, ["2026-000001", "2026-000003"]);
    let json = desk.json_at(&desk.now(), pin, "case list --view 我的最早 --as 张小明 --json");
    assert_eq!(json.as_array().unwrap().len(), 2);
    // Views are each clerk's own.
    let theirs = desk.run(Some(OTHER_PIN), "view list --as 李静");
    assert!(String::from_utf8(theirs.stderr).unwrap().contains("还没有保存的视图"));
    let err = desk.fails(Some(OTHER_PIN), "case list --view 全部最新 --as 李静", 2);
    assert!(err.contains("没有视图“全部最新”"), "{err}");
    // Removed, and audited: saved twice, removed once.
    assert_eq!(
        desk.ok(pin, "view remove 全部最新 --as 张小明").trim(),
        "已删除视图“全部最新”。"
    );
    let err = desk.fails(pin, "case list --view 全部最新 --as 张小明", 2);
    assert!(err.contains("已有：我的最早"), "{err}");
    let kinds: Vec<String> = desk
        .sql()
        .prepare("SELECT kind FROM events WHERE case_id IS NULL AND kind LIKE 'view_%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kinds, ["view_saved", "view_saved", "view_removed"]);
    desk.ok(None, "check");
}

#[test]
fn saving_again_replaces_and_a_number_moves_to_the_newest_view_that_asks_for_it() {
    let desk = desk();
    let pin = Some(CLERK_PIN);
    desk.ok(pin, "view save 超时 --as 张小明 --overdue");
    let out = desk.ok(pin, "view save 超时 --as 张小明 --overdue --escalated");
    assert!(
        out.starts_with("已替换视图“超时”（我的 · 已超时 · 已升级），编号 1"),
        "{out}"
    );
    let out = desk.ok(pin, "view save 本班 --as 张小明 --all --due shift --slot 1");
    assert!(
        out.contains("“超时”原来的编号 1 已让给“本班”，它现在没有编号。"),
        "{out}"
    );
    let list = desk.ok(pin, "view list --as 张小明");
    assert!(list.contains("Alt-1  本班  本班到期"), "{list}");
    assert!(list.contains("—      超时  我的 · 已超时 · 已升级"), "{list}");
    let kinds: i64 = desk
        .sql()
        .query_row("SELECT COUNT(*) FROM events WHERE kind = 'view_replaced'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kinds, 1);
}

#[test]
fn due_by_this_shift_follows_the_desk_clock_across_the_shift_change() {
    let desk = desk();
    let pin = Some(CLERK_PIN);
    desk.ok(pin, "view save 本班到期 --as 张小明 --all --due shift");
    // Received at 09:00 a case's first step is due by the end of the day
    // (23:59:59): outside the day shift (to 17:30), inside the night shift.
    assert!(
        desk.ok_at("2026-09-30T17:29", pin, "case list --view 本班到期 --as 张小明")
            .is_empty()
    );
    let night = numbers(&desk.ok_at("2026-09-30T17:30", pin, "case list --view 本班到期 --as 张小明"));
    assert_eq!(night.len(), 3, "{night:?}");
}

#[test]
fn bad_input_is_refused_before_the_pin_in_the_clerks_language() {
    let desk = desk();
    // No PIN given: each is refused on its value alone.
    let cases = [
        ("view save '  ' --as 张小明", "视图需要一个名称。"),
        (
            "view save 回访回访回访回访回访回访回访回访回访回访回 --as 张小明",
            "视图名称最多 20 个字。",
        ),
        ("view save 回访 --as 张小明 --slot 0", "视图编号是 1 到 9，不是“0”。"),
        ("view save 回访 --as 张小明 --slot 10", "视图编号是 1 到 9，不是“10”。"),
        ("view save 回访 --as 张小明 --state 已完成", "已完成"),
        ("view save 回访 --as 张小明 --state closed", "工作台只有未结案件"),
        (
            "view save 回访 --as 张小明 --due week",
            "到期“week”无效。可选：any, today, shift",
        ),
        ("view save 回访 --as 张小明 --sort fast", "排序“fast”无效"),
        (
            "view save 回访 --as 张小明 --mine --all",
            "--mine 和 --all 只能选一个。",
        ),
    ];
    for (args, says) in cases {
        let out = desk.run(None, &shell_words(args));
        support::expect_code(&out, 2);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(says), "{args}: {err}");
    }
    let err = desk.fails(None, &shell_words("--lang en view save x --as 张小明 --slot 12"), 2);
    assert!(err.contains("A view's number is 1 to 9, not \"12\"."), "{err}");
    // An unknown view is named with the clerk's own.
    let err = desk.fails(Some(CLERK_PIN), "view remove 不存在 --as 张小明", 2);
    assert!(err.contains("没有视图“不存在”"), "{err}");
    // --view stands in place of the other filters, and needs whose view it is.
    desk.fails(None, "case list --view 回访", 2);
    desk.fails(Some(CLERK_PIN), "case list --view 回访 --as 张小明 --overdue", 2);
    assert_eq!(desk.count("saved_views"), 0);
}

/// Splits on spaces, keeping a quoted part whole ('  ' is two spaces).
fn shell_words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').unwrap();
            out.push(quoted[..end].to_string());
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}
