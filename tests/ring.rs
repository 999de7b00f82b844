//! The ringing phone: `casedesk ring PHONE` tells the screens of a station, a
//! clerk or the clerks on duty that a call is coming in; they show the
//! caller's earlier cases, open ones first, with the repeat warning, and `n`
//! records a new case with the phone filled in.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use casedesk::desk::{Desk as OpenDesk, Reached, RingFor};
use casedesk::ui::app::Screen;
use casedesk::words::Lang;
use crossterm::event::KeyCode;
use support::screen::Screens;
use support::{CLERK_PIN, Desk};

/// A desk with two open cases from 138-0013-8000 and one from another caller.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.intake("--summary 输液时护士态度生硬 --name 王芳 --phone 138-0013-8000");
    desk.intake("--summary 催问上次投诉的处理结果 --name 王芳 --phone 13800138000");
    desk.intake("--summary 停车场收费不合理 --name 李四 --phone 13911112222");
    desk
}

/// The clerk's screens at station 前台1, signed in.
fn screens(desk: &Desk) -> Screens {
    let mut s = Screens::over_file(&desk.paths(), Lang::Zh);
    s.app.station = Some("前台1".into());
    s.sign_in("zxm", CLERK_PIN);
    s
}

/// Rings from another connection (as the phone system's hook would), then
/// lets the screens notice.
fn ring(desk: &Desk, s: &mut Screens, phone: &str, to: RingFor) -> Reached {
    let mut other = OpenDesk::open(&desk.paths(), Lang::Zh, false).unwrap();
    other.fixed_now = Some(s.now());
    let reached = other.ring(phone, &to).unwrap();
    drop(other);
    s.app.tick(Duration::ZERO, s.now());
    reached
}

fn station(name: &str) -> RingFor {
    RingFor {
        station: Some(name.into()),
        clerk: None,
    }
}

#[test]
fn a_call_to_the_station_shows_the_callers_cases_and_n_records_a_new_one() {
    let desk = desk();
    let mut s = screens(&desk);
    let reached = ring(&desk, &mut s, "+86 138 0013 8000", station("前台1"));
    assert_eq!(reached, Reached::Station("前台1".into()));
    let Screen::Call(call) = &s.app.screen else {
        panic!("no call screen: {:?}", s.app.message)
    };
    assert_eq!(call.cases.len(), 2);
    let text = s.text(80, 24).join("\n");
    for part in [
        "来电 +86 138 0013 8000",
        "重复来电：90 天内已有 2 件",
        "以往案件 2 件，其中未结 2 件",
        "催问上次投诉的处理结果",
        "输液时护士态度生硬",
    ] {
        assert!(text.contains(part), "{part}:\n{text}");
    }
    assert!(!text.contains("停车场"), "{text}");
    insta::assert_snapshot!("ring_call_zh_80x24", s.text(80, 24).join("\n"));
    let narrow = s.text(60, 20).join("\n");
    assert!(
        narrow.contains("重复来电") && narrow.contains("2026-000002"),
        "{narrow}"
    );
    // n: a new case, the caller's phone in it and their cases beside it.
    s.key(KeyCode::Char('n'));
    let Screen::Intake(intake) = &s.app.screen else {
        panic!("no intake: {:?}", s.app.screen)
    };
    assert_eq!(intake.form.text("phone"), "+86 138 0013 8000");
    assert_eq!(intake.history.len(), 2);
    assert_eq!(intake.form.text("name"), "王芳");
    // Esc asks before the filled-in form is dropped; then back to the call, then the queue.
    s.key(KeyCode::Esc);
    s.key(KeyCode::Char('y'));
    assert!(matches!(s.app.screen, Screen::Call(_)), "{:?}", s.app.screen);
    s.key(KeyCode::Esc);
    assert!(matches!(s.app.screen, Screen::Queue), "{:?}", s.app.screen);
}

#[test]
fn a_call_for_another_station_or_clerk_leaves_the_screen_alone() {
    let desk = desk();
    desk.add_staff("李静", "clerk", "3333");
    let mut s = screens(&desk);
    ring(&desk, &mut s, "13800138000", station("前台2"));
    assert!(matches!(s.app.screen, Screen::Queue), "{:?}", s.app.screen);
    let reached = ring(
        &desk,
        &mut s,
        "13800138000",
        RingFor {
            station: None,
            clerk: Some("李静".into()),
        },
    );
    assert_eq!(reached, Reached::Clerk("李静".into()));
    assert!(matches!(s.app.screen, Screen::Queue), "{:?}", s.app.screen);
    // For no one in particular: the clerks on duty, and signing in put this one on duty.
    let reached = ring(&desk, &mut s, "13911112222", RingFor::default());
    assert!(
        matches!(&reached, Reached::OnDuty(names) if names.contains(&"张小明".to_string())),
        "{reached:?}"
    );
    let Screen::Call(call) = &s.app.screen else {
        panic!("no call screen: {:?}", s.app.message)
    };
    assert_eq!(call.cases.len(), 1);
    let text = s.text(120, 35).join("\n");
    assert!(!text.contains("重复来电"), "{text}");
}

#[test]
fn a_call_from_an_unknown_number_says_there_is_no_earlier_case_and_bad_numbers_are_refused() {
    let desk = desk();
    let mut s = screens(&desk);
    ring(&desk, &mut s, "0755-8888 6666", station("前台1"));
    let text = s.text(80, 24).join("\n");
    assert!(text.contains("以往没有此号码的案件"), "{text}");
    let mut other = OpenDesk::open(&desk.paths(), Lang::Zh, false).unwrap();
    let err = other.ring("张三", &station("前台1")).unwrap_err();
    assert!(other.words().store(&err).contains("张三"), "{err}");
    let err = other
        .ring(
            "13800138000",
            &RingFor {
                station: None,
                clerk: Some("没有这个人".into()),
            },
        )
        .unwrap_err();
    assert!(other.words().store(&err).contains("没有这个人"), "{err}");
}

#[test]
fn the_command_line_rings_and_says_whom_it_told() {
    let desk = desk();
    let said = desk.ok(None, &["ring", "13800138000", "--station", "前台1"]);
    assert!(said.contains("来电 13800138000 已通知工作站 前台1"), "{said}");
    let said = desk.ok(None, &["ring", "13800138000", "--to", "张小明"]);
    assert!(said.contains("已通知 张小明"), "{said}");
    // Nobody signed in on the screens, so nobody is on duty: recorded, and said so.
    let out = desk.run(None, &["ring", "13800138000"]);
    support::expect_code(&out, 0);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("现在没有人在值班"),
        "{out:?}"
    );
    let err = desk.fails(None, &["ring", "张三"], 3);
    assert!(err.contains("张三"), "{err}");
    // Each ring is in the audit log.
    let rings: i64 = desk
        .sql()
        .query_row("SELECT COUNT(*) FROM events WHERE kind = 'ring'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rings, 3);
}
