//! Forms as a clerk types into them: long texts wrap and show whole with the
//! cursor on them, the form scrolls to the field being typed at every size,
//! Enter makes a new line in a several-line field, Shift-Tab goes back, the
//! caller is recognised by phone, the labels follow the case's kind; the first
//! run and the admin's people-and-departments screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::Role;
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyModifiers};
use support::screen::Screens;
use support::{CLERK, CLERK_PIN};

const DETAILS: &str = "患者家属反映夜间输液时呼叫护士无人应答，等了二十多分钟才有人来，家属情绪激动，要求科室给出说法并改进夜班人员安排，同时希望医院公开处理结果。";

/// Signed in as the clerk, on a new intake with the summary and the long details typed.
fn intake_with_details(lang: Lang) -> Screens {
    let mut s = Screens::staffed(lang);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("n");
    assert!(matches!(s.app.screen, Screen::Intake(_)));
    s.keys(KeyCode::Tab, 12); // … to the summary
    s.typed("夜间呼叫无人应答");
    s.key(KeyCode::Tab);
    s.typed(DETAILS);
    s
}

fn on_screen(s: &Screens, w: u16, h: u16, text: &str) -> bool {
    s.text(w, h).iter().any(|l| l.contains(text))
}

/// Every character of `text` is on the screen, in order, across wrapped rows.
fn shown_whole(s: &Screens, w: u16, h: u16, text: &str) -> bool {
    let all: String = s
        .text(w, h)
        .iter()
        .map(|l| l.chars().filter(|c| !"│ ".contains(*c)).collect::<String>())
        .collect();
    all.contains(&text.replace(' ', ""))
}

#[test]
fn long_details_wrap_and_show_whole_while_typed_at_every_size() {
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        let s = intake_with_details(Lang::Zh);
        assert!(
            shown_whole(&s, w, h, DETAILS),
            "at {w}×{h}:\n{}",
            s.text(w, h).join("\n")
        );
        let (_, y) = s.cursor(w, h);
        let row = &s.text(w, h)[usize::from(y)];
        assert!(
            row.contains("。"),
            "the cursor is on the details' last row at {w}×{h}: {row}"
        );
    }
}

#[test]
fn the_form_scrolls_to_the_field_being_typed() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = intake_with_details(Lang::Zh);
        // The caller's history takes rows at the narrow sizes; the phone has one.
        s.key(KeyCode::Tab);
        s.typed("明天");
        assert!(on_screen(&s, w, h, "承诺答复"), "{w}×{h}:\n{}", s.text(w, h).join("\n"));
        assert!(on_screen(&s, w, h, "明天"));
        s.key(KeyCode::Tab);
        s.typed("09:30");
        let (_, y) = s.cursor(w, h);
        let row = &s.text(w, h)[usize::from(y)];
        assert!(row.contains("受理时间") && row.contains("09:30"), "{w}×{h}: {row}");
        if h == 20 {
            assert!(on_screen(&s, w, h, "▲"), "rows above are marked");
        }
        // Back to the top: the channel shows again.
        for _ in 0..15 {
            s.key_with(KeyCode::BackTab, KeyModifiers::SHIFT);
        }
        assert!(on_screen(&s, w, h, "渠道"), "{w}×{h}:\n{}", s.text(w, h).join("\n"));
    }
}

#[test]
fn enter_in_a_multi_line_field_starts_a_new_line_and_shift_tab_goes_back() {
    let mut s = intake_with_details(Lang::Zh);
    s.key(KeyCode::Enter);
    s.typed("第二段");
    let Screen::Intake(i) = &s.app.screen else { panic!() };
    assert_eq!(i.form.text("details"), format!("{DETAILS}\n第二段"));
    assert_eq!(i.form.fields[i.form.focus].name, "details", "Enter stays in the field");
    s.key_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    let Screen::Intake(i) = &s.app.screen else { panic!() };
    assert_eq!(i.form.fields[i.form.focus].name, "summary");
}

#[test]
fn a_known_callers_name_is_offered_and_the_history_has_dates() {
    let mut s = Screens::staffed(Lang::Zh);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("n");
    s.keys(KeyCode::Tab, 2);
    s.typed("13800138000");
    s.key(KeyCode::Tab);
    s.typed("王芳");
    s.keys(KeyCode::Tab, 9); // … to the summary
    s.typed("收费多收");
    s.act(Action::Save);
    assert!(matches!(s.app.screen, Screen::Case(_)), "{:?}", s.app.message);
    s.act(Action::Back);
    // The same phone, typed another way: the name fills itself in.
    s.typed("n");
    s.keys(KeyCode::Tab, 2);
    s.typed("138-0013-8000");
    let Screen::Intake(i) = &s.app.screen else { panic!() };
    assert_eq!(i.form.text("name"), "王芳", "the caller's name is offered");
    assert!(
        on_screen(&s, 120, 35, "来电人历史：1 件 · 王芳"),
        "{}",
        s.text(120, 35).join("\n")
    );
    assert!(
        on_screen(&s, 120, 35, "2026-09-30 2026-000001"),
        "the history shows dates"
    );
    // A name already typed is not replaced.
    s.act(Action::Back);
    s.key(KeyCode::Char('y'));
    s.typed("n");
    s.keys(KeyCode::Tab, 3);
    s.typed("王先生");
    s.key_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    s.typed("13800138000");
    let Screen::Intake(i) = &s.app.screen else { panic!() };
    assert_eq!(i.form.text("name"), "王先生");
}

#[test]
fn the_complainants_label_follows_the_kind() {
    let mut s = Screens::staffed(Lang::Zh);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("n");
    assert!(on_screen(&s, 80, 24, "投诉人"));
    s.key(KeyCode::Tab);
    s.typed("zx"); // 咨询
    assert!(on_screen(&s, 80, 24, "咨询人"), "{}", s.text(80, 24).join("\n"));
    assert!(!on_screen(&s, 80, 24, "投诉人"));
    assert!(on_screen(&s, 80, 24, "涉及人员"));
}

#[test]
fn the_address_is_recorded_with_the_case() {
    let mut s = Screens::staffed(Lang::Zh);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("n");
    s.keys(KeyCode::Tab, 3);
    s.typed("李梅");
    s.keys(KeyCode::Tab, 2);
    s.typed("城南区幸福路8号");
    s.keys(KeyCode::Tab, 7);
    s.typed("来信反映停车收费");
    s.act(Action::Save);
    let Screen::Case(page) = &s.app.screen else {
        panic!("{:?}", s.app.message)
    };
    let text = format!("{:?}", page.record.case.intake.complainant);
    assert!(text.contains("城南区幸福路8号"), "{text}");
    assert!(on_screen(&s, 80, 24, "城南区幸福路8号"));
}

#[test]
fn snapshots_of_a_long_intake_at_three_sizes_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(120, 35), (80, 24), (60, 20)] {
            let s = intake_with_details(lang);
            let name = format!("intake_long_{}_{w}x{h}", if lang == Lang::Zh { "zh" } else { "en" });
            insta::assert_snapshot!(name, s.text(w, h).join("\n"));
        }
    }
}

#[test]
fn first_run_says_a_pin_is_too_short_goes_back_with_up_and_asks_before_leaving() {
    let mut s = Screens::fresh(Lang::Zh);
    s.typed("王主任");
    s.key(KeyCode::Tab);
    s.typed("12");
    s.key(KeyCode::Tab);
    s.typed("12");
    s.act(Action::Save);
    assert!(
        on_screen(&s, 60, 20, "PIN 须为 6 到 12 位数字"),
        "{}",
        s.text(60, 20).join("\n")
    );
    assert!(
        on_screen(&s, 60, 20, "PIN（6–12位数字）"),
        "the label is whole at 60 columns"
    );
    s.key(KeyCode::Up);
    s.key(KeyCode::Up);
    let Screen::FirstRun(f) = &s.app.screen else { panic!() };
    assert_eq!(f.form.focus, 0);
    s.key(KeyCode::Esc);
    assert!(!s.app.quit, "Esc asks first");
    insta::assert_snapshot!("first_run_confirm_leave_60x20", s.text(60, 20).join("\n"));
}

#[test]
fn the_admin_adds_departments_and_clerks_from_the_screen() {
    let mut s = Screens::bare(Lang::Zh);
    s.sign_in("gly", support::ADMIN_PIN);
    assert!(
        on_screen(&s, 80, 24, "按 D 添加部门和人员"),
        "{}",
        s.text(80, 24).join("\n")
    );
    s.typed("D");
    assert!(matches!(s.app.screen, Screen::Setup(_)));
    s.typed("d");
    s.typed("护理部");
    s.key(KeyCode::Tab);
    s.typed("0755-1001");
    s.act(Action::Save);
    assert!(
        s.app
            .message
            .as_ref()
            .is_some_and(|m| m.0.contains("已添加部门：护理部"))
    );
    s.typed("s");
    s.typed(CLERK);
    s.keys(KeyCode::Tab, 2);
    s.typed("hl");
    s.key(KeyCode::Tab);
    s.typed("22");
    s.key(KeyCode::Tab);
    s.typed("22");
    s.act(Action::Save);
    assert!(
        on_screen(&s, 80, 24, "PIN 须为 4 到 12 位数字"),
        "a short PIN is refused on the form"
    );
    s.key_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    s.typed("22");
    s.key(KeyCode::Tab);
    s.typed("22");
    s.act(Action::Save);
    insta::assert_snapshot!("setup_80x24", s.text(80, 24).join("\n"));
    let staff = s.app.desk.store().staff().unwrap();
    let clerk = staff
        .iter()
        .find(|m| m.actor.name == CLERK)
        .expect("the clerk was added");
    assert_eq!(clerk.actor.role, Role::Clerk);
    assert!(clerk.has_pin);
    let depts = s.app.desk.store().departments().unwrap();
    assert_eq!(clerk.dept, Some(depts[0].id));
}

#[test]
fn only_the_admin_opens_people_and_departments() {
    let mut s = Screens::staffed(Lang::Zh);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("D");
    assert!(matches!(s.app.screen, Screen::Queue));
    assert!(
        s.app.message.as_ref().is_some_and(|m| m.1 && m.0.contains("管理员")),
        "{:?}",
        s.app.message
    );
}
