//! Keys a clerk types into forms: Shift-Tab goes back a field wherever the
//! terminal reports it, Enter in a several-line box starts a new line and only
//! Ctrl-S saves it, and a screen's status message goes when the screen does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::domain::Role;
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::at;

const NOW: &str = "2026-03-02T09:00:00+08:00";

fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, Lang::Zh, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let admin = desk.init_desk("管理员", "111111").unwrap();
    let clerk = desk.add_staff(&admin, "张小明", Role::Clerk, None, "2222").unwrap();
    let mut app = App::new(desk);
    app.signed_in(clerk, at(NOW));
    (dir, app)
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, mods), at(NOW));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

#[test]
fn shift_tab_moves_back_one_field_in_intake() {
    let (_dir, mut app) = app();
    app.apply(Action::NewCase, at(NOW));
    let focus = |app: &App| match &app.screen {
        Screen::Intake(i) => i.form.focus,
        _ => panic!("not on intake"),
    };
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(focus(&app), 2);
    // As crossterm reports it: BackTab with SHIFT.
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(focus(&app), 1);
}

#[test]
fn enter_in_the_cautions_box_starts_a_new_line_and_ctrl_s_saves_it() {
    let (_dir, mut app) = app();
    app.apply(Action::OpenHandover, at(NOW));
    // No handover of the shift yet: H offers to prepare one, y does.
    typed(&mut app, "y");
    assert!(matches!(app.screen, Screen::Handover(_)), "{:?}", app.message);
    typed(&mut app, "w");
    typed(&mut app, "钥匙在前台");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    // What follows Enter is text, not the handover's keys (a space would tick an item).
    typed(&mut app, "对讲机 待充电");
    let Screen::Handover(view) = &app.screen else { panic!() };
    assert!(view.prompt.is_some(), "Enter must not save the cautions");
    assert!(view.record.handover.checklist.iter().all(|c| !c.ticked));
    key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let Screen::Handover(view) = &app.screen else { panic!() };
    assert!(view.prompt.is_none(), "{:?}", app.message);
    assert_eq!(view.record.handover.cautions, "钥匙在前台\n对讲机 待充电");
}

#[test]
fn a_status_message_goes_when_the_screen_changes() {
    let (_dir, mut app) = app();
    assert!(app.message.is_some(), "the welcome");
    app.apply(Action::Search, at(NOW));
    assert_eq!(app.message, None);
}

#[test]
fn every_section_of_a_long_handover_is_reachable_by_the_keys() {
    use casedesk::domain::Channel;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let (_dir, mut app) = app();
    let me = app.user.clone().unwrap();
    // Forty cases received this shift, and a duty-log entry still open.
    for i in 0..40 {
        app.desk.intake(&me, support::plain_form(&format!("第{i}件"))).unwrap();
    }
    app.desk
        .log_add(&me, Channel::Phone, "钱先生", "询问探视时间", "已告知明天再来电")
        .unwrap();
    app.apply(Action::OpenHandover, at(NOW));
    // No handover of the shift yet: H offers to prepare one, y does.
    typed(&mut app, "y");
    let screen = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(120, 35)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(app, f, at(NOW))).unwrap();
        let buf = t.backend().buffer().clone();
        // Wide characters leave a blank cell behind them: the text without blanks.
        (0..35)
            .flat_map(|y| (0..120).map(move |x| (x, y)))
            .map(|p| buf[p].symbol().to_string())
            .collect::<String>()
            .replace(' ', "")
    };
    let first = screen(&app);
    assert!(!first.contains("询问探视时间"), "{first}");
    key(&mut app, KeyCode::End, KeyModifiers::NONE);
    let end = screen(&app);
    assert!(end.contains("询问探视时间") && end.contains("注意事项"), "{end}");
    // Home comes back to the checklist.
    key(&mut app, KeyCode::Home, KeyModifiers::NONE);
    assert!(screen(&app).contains("交接清单"));
}

#[test]
fn a_report_saved_from_the_screen_is_named_by_its_first_and_last_day_and_a_new_period_starts_at_the_top() {
    let (dir, mut app) = app();
    app.apply(Action::OpenReport, at(NOW));
    let Screen::Report(view) = &app.screen else {
        panic!("{:?}", app.message)
    };
    assert_eq!(view.report.period.from.to_string(), "2026-03-01");
    app.apply(Action::Down, at(NOW));
    app.apply(Action::Down, at(NOW));
    app.apply(Action::Export, at(NOW));
    assert!(
        dir.path().join("report-2026-03-01-2026-03-31.html").exists(),
        "{:?}",
        app.message
    );
    app.apply(Action::NextPeriod, at(NOW));
    let Screen::Report(view) = &app.screen else { panic!() };
    assert_eq!(view.scroll, 0, "a new period starts at the top");
}
