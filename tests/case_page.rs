//! The case page as a night clerk reads it: every text wrapped and reachable
//! by scrolling at any size, and each step's recorded content on the timeline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::domain::{AssignMode, Command, IntakeForm, Role};
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::at;

const NOW: &str = "2026-03-02T09:00:00+08:00";
const DETAILS: &str = "患者家属来电反映：十二月二日晚二十二时许，其母亲在住院部七楼心内科病房输液，液体快滴完时按呼叫铃三次，约二十分钟无人应答；家属到护士站询问，值班护士称正忙，语气生硬。家属要求医院调查处理并给予答复。";

/// A desk with one case: long details, assigned to 护理部, urged with its whom,
/// how, the department's answer and a new promised date; its page open.
fn page(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, lang, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let admin = desk.init_desk("管理员", "111111").unwrap();
    let dept = desk.add_department(&admin, "护理部", None).unwrap();
    let clerk = desk.add_staff(&admin, "张小明", Role::Clerk, None, "2222").unwrap();
    let form = IntakeForm {
        details: DETAILS.into(),
        ..support::plain_form("夜间输液呼叫不应")
    };
    let number = desk.intake(&clerk, form).unwrap().case.number().to_string();
    let assign = Command::Assign {
        dept: dept.id,
        mode: AssignMode::Phone,
    };
    desk.execute(&clerk, &number, None, &assign).unwrap();
    let urge = Command::Urge {
        deadline: None,
        whom: Some("护士长李红".into()),
        method: Some("电话".into()),
        note: "电话催办".into(),
        answer: Some("今天下午调查".into()),
        promised_at: Some(at("2026-03-04T17:00:00+08:00")),
        dept: None,
    };
    desk.execute(&clerk, &number, None, &urge).unwrap();
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    app.signed_in(clerk, at(NOW));
    app.open_case(&number, None, at(NOW));
    (dir, app)
}

/// The screen's text, borders and spaces left out, so a wrapped text reads whole.
fn text(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| casedesk::ui::render::draw(app, f, at(NOW))).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
    }
    out.chars()
        .filter(|c| !c.is_whitespace() && !"│─┌┐└┘".contains(*c))
        .collect()
}

#[test]
fn long_details_and_every_steps_content_are_on_the_page_at_every_size() {
    let (_dir, mut app) = page(Lang::Zh);
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        app.apply(Action::Top, at(NOW));
        let top = text(&app, w, h);
        assert!(top.contains(&format!("详情{DETAILS}")), "{w}x{h}: {top}");
        // The end of the page: the urge with what it recorded.
        app.apply(Action::Bottom, at(NOW));
        let end = text(&app, w, h);
        for part in [
            "电话催办",
            "对象：护士长李红",
            "方式：电话",
            "部门答复：今天下午调查",
            "新承诺：2026-03-0417:00",
        ] {
            assert!(end.contains(part), "{w}x{h}: {part} not in {end}");
        }
        assert!(end.contains("交办护理部"), "{w}x{h}: {end}");
    }
}

#[test]
fn the_page_scrolls_no_further_than_its_end_and_says_when_there_is_more() {
    let (_dir, mut app) = page(Lang::Zh);
    let first = text(&app, 60, 20);
    assert!(first.contains("还有更多"), "{first}");
    for _ in 0..200 {
        app.apply(Action::Down, at(NOW));
    }
    let end = text(&app, 60, 20);
    assert!(!end.contains("还有更多"), "{end}");
    // One ↑ from the end shows more again: the scroll stopped at the end.
    app.apply(Action::Up, at(NOW));
    assert!(text(&app, 60, 20).contains("还有更多"));
}

#[test]
fn in_english_the_urge_reads_in_english() {
    let (_dir, mut app) = page(Lang::En);
    // A frame is drawn before any key, as in the terminal.
    text(&app, 80, 24);
    app.apply(Action::Bottom, at(NOW));
    let end = text(&app, 80, 24);
    assert!(end.contains("whom:护士长李红"), "{end}");
    assert!(end.contains("department'sanswer:今天下午调查"), "{end}");
}

#[test]
fn a_step_that_is_not_yours_says_so_before_its_form_opens() {
    let (_dir, mut app) = page(Lang::Zh);
    // 李静, another clerk, opens 张小明's case and presses v (return visit).
    let other = {
        let admin = app.desk.resolve_staff("管理员").unwrap();
        app.desk.add_staff(&admin, "李静", Role::Clerk, None, "3333").unwrap()
    };
    app.signed_in(other, at(NOW));
    app.open_case("2026-000001", None, at(NOW));
    app.apply(Action::Step(casedesk::domain::StepKind::Visit), at(NOW));
    let casedesk::ui::app::Screen::Case(page) = &app.screen else {
        panic!("not on the case page")
    };
    assert!(page.step.is_none(), "the form must not open");
    let (text, error) = app.message.clone().unwrap();
    assert!(error, "{text}");
    assert!(
        text.contains("首问负责制") && text.contains("本案负责人：张小明"),
        "{text}"
    );
}

/// The frame as lines (wide characters once), for a snapshot a reader can read.
fn lines(app: &App, w: u16, h: u16) -> String {
    let lines = support::screen::app_lines(app, w, h, at(NOW));
    lines.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

fn lang_name(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "zh" } else { "en" }
}

#[test]
fn snapshots_of_the_case_page_top_and_end_at_three_sizes_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, mut app) = page(lang);
        for (w, h) in [(120, 35), (80, 24), (60, 20)] {
            app.apply(Action::Top, at(NOW));
            insta::assert_snapshot!(format!("case_top_{}_{w}x{h}", lang_name(lang)), lines(&app, w, h));
            app.apply(Action::Bottom, at(NOW));
            insta::assert_snapshot!(format!("case_end_{}_{w}x{h}", lang_name(lang)), lines(&app, w, h));
        }
    }
}

#[test]
fn snapshots_of_a_reply_typed_at_length_at_three_sizes_in_both_languages() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, mut app) = page(lang);
        app.apply(Action::Step(casedesk::domain::StepKind::Reply), at(NOW));
        let typed = |app: &mut App, text: &str| {
            for c in text.chars() {
                app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), at(NOW));
            }
        };
        app.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), at(NOW));
        typed(
            &mut app,
            "经调查，当晚值班护士两名，一名在抢救室协助抢救，另一名在配药，呼叫器响应延迟约二十分钟，情况属实。",
        );
        app.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), at(NOW));
        typed(&mut app, "当班护士王某");
        app.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), at(NOW));
        typed(
            &mut app,
            "增设夜班机动护士一名；呼叫超过五分钟未应答自动提醒护士长；对当班护士进行服务规范培训。",
        );
        for (w, h) in [(120, 35), (80, 24), (60, 20)] {
            insta::assert_snapshot!(format!("reply_long_{}_{w}x{h}", lang_name(lang)), lines(&app, w, h));
        }
    }
}

/// The page of a case assigned to two departments: each reply clock named,
/// where each department's reply stands, and the reply form asking which.
#[test]
fn snapshots_of_a_case_with_two_departments_and_its_reply_form() {
    let (dir, mut app) = page(Lang::Zh);
    drop(app);
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, Lang::Zh, false).unwrap();
    desk.fixed_now = Some(at("2026-03-02T10:00:00+08:00"));
    let admin = desk.resolve_staff("管理员").unwrap();
    let clerk = desk.resolve_staff("张小明").unwrap();
    let pharmacy = desk.add_department(&admin, "药剂科", None).unwrap();
    let assign = Command::Assign {
        dept: pharmacy.id,
        mode: AssignMode::Written,
    };
    let number = "2026-000001";
    desk.execute(&clerk, number, None, &assign).unwrap();
    app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    app.signed_in(clerk, at(NOW));
    app.open_case(number, None, at(NOW));
    for (w, h) in [(120, 35), (60, 20)] {
        let shown = lines(&app, w, h);
        if w == 120 {
            assert!(
                shown.contains("部门答复（护理部）") && shown.contains("部门答复（药剂科）"),
                "{shown}"
            );
            assert!(shown.contains("护理部（待答复）"), "{shown}");
        }
        insta::assert_snapshot!(format!("two_departments_zh_{w}x{h}"), shown);
    }
    app.apply(Action::Step(casedesk::domain::StepKind::Reply), at(NOW));
    let form = lines(&app, 80, 24);
    assert!(form.contains("哪个部门"), "{form}");
    insta::assert_snapshot!("two_departments_reply_form_zh_80x24", form);
}
