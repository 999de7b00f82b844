//! Quick phrases on the screens (issue 20 point 2): in a step's text field
//! Ctrl-P opens the phrases of its use, filtered as the clerk types (the
//! text, or pinyin initials); Enter inserts the chosen one at the cursor with
//! `{name}`, `{number}`, `{dept}` and `{due}` filled from the case; a
//! confidential complainant's name is not filled in for a clerk who has not
//! been shown it. The feedback form starts from the department's reply.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::phrase::PhraseUse;
use casedesk::domain::{AssignMode, Command, StepKind, Verdict};
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyModifiers};
use support::screen::Screens;
use support::{ADMIN, CLERK, SUPERVISOR};

/// A case of 王芳 about 护理部, assigned and replied to, its feedback form
/// open on the text for `viewer`; the desk keeps three feedback phrases and a note's.
fn feedback_form(confidential: bool, viewer: &str) -> (Screens, String) {
    let mut s = Screens::staffed(Lang::Zh);
    let admin = s.app.desk.resolve_staff(ADMIN).unwrap();
    s.app
        .desk
        .add_phrases(
            &admin,
            &[
                (
                    PhraseUse::Feedback,
                    "{name}您好，您反映的问题（{number}）已由{dept}核实处理，感谢监督。".into(),
                ),
                (PhraseUse::Feedback, "已电话告知处理结果，投诉人表示理解。".into()),
                (PhraseUse::Feedback, "{dept}将于{due}前再次回复您。".into()),
                (PhraseUse::Note, "家属情绪激动，注意沟通".into()),
            ],
            None,
        )
        .unwrap();
    let clerk = s.app.desk.resolve_staff(CLERK).unwrap();
    let mut f = support::plain_form("夜间呼叫无人应答");
    f.dept = Some(s.app.desk.resolve_dept("护理部").unwrap().id);
    f.confidential = confidential;
    let number = s.app.desk.intake(&clerk, f).unwrap().case.number().to_string();
    let dept = s.app.desk.resolve_dept("护理部").unwrap().id;
    for command in [
        Command::Assign {
            dept,
            mode: AssignMode::Written,
        },
        Command::Reply {
            verdict: Verdict::Justified,
            facts: "当晚呼叫器故障".into(),
            responsible: Some("当班护士".into()),
            measures: Some("每班检查呼叫器".into()),
            dept: None,
            tier: None,
        },
    ] {
        s.app.desk.execute(&clerk, &number, None, &command).unwrap();
    }
    let now = s.now();
    let viewer = s.app.desk.resolve_staff(viewer).unwrap();
    s.app.signed_in(viewer, now);
    s.app.open_case(&number, None, now);
    s.act(Action::Step(StepKind::Feedback));
    s.act(Action::NextField);
    (s, number)
}

fn form_text(s: &Screens) -> String {
    let Screen::Case(page) = &s.app.screen else {
        panic!("not on the case page")
    };
    page.step.as_ref().expect("the form is open").form.text("text")
}

fn picker_open(s: &Screens) -> bool {
    let Screen::Case(page) = &s.app.screen else {
        panic!("not on the case page")
    };
    page.step.as_ref().is_some_and(|st| st.phrases.is_some())
}

#[test]
fn the_feedback_form_starts_from_the_departments_reply() {
    let (s, _) = feedback_form(false, CLERK);
    assert_eq!(form_text(&s), "当晚呼叫器故障\n每班检查呼叫器");
}

#[test]
fn ctrl_p_filters_by_pinyin_initials_and_inserts_the_phrase_filled_from_the_case() {
    let (mut s, number) = feedback_form(false, CLERK);
    s.key_with(KeyCode::Char('p'), KeyModifiers::CONTROL);
    assert!(picker_open(&s));
    // 电话 → dh: only the second phrase.
    s.typed("dh");
    let shown = s.text(80, 24).join("\n");
    assert!(
        shown.contains("已电话告知处理结果") && !shown.contains("感谢监督"),
        "{shown}"
    );
    s.key(KeyCode::Backspace);
    s.key(KeyCode::Backspace);
    s.typed("感谢");
    s.key(KeyCode::Enter);
    assert!(!picker_open(&s), "Enter inserts and closes");
    assert_eq!(
        form_text(&s),
        format!("当晚呼叫器故障\n每班检查呼叫器王芳您好，您反映的问题（{number}）已由护理部核实处理，感谢监督。")
    );
    // Esc closes the picker, not the form.
    s.key_with(KeyCode::Char('p'), KeyModifiers::CONTROL);
    s.key(KeyCode::Esc);
    assert!(!picker_open(&s));
    assert!(form_text(&s).ends_with("感谢监督。"));
}

#[test]
fn a_field_without_phrases_says_so() {
    let (mut s, _) = feedback_form(false, CLERK);
    s.act(Action::PrevField);
    s.key_with(KeyCode::Char('p'), KeyModifiers::CONTROL);
    assert!(!picker_open(&s));
    let shown = s.text(120, 35).join("\n");
    assert!(shown.contains("此栏没有常用语"), "{shown}");
}

#[test]
fn a_confidential_complainants_name_is_not_filled_in_unless_shown() {
    // A supervisor stepping in, who has not asked to see the complainant.
    let (mut s, _) = feedback_form(true, SUPERVISOR);
    s.key_with(KeyCode::Char('p'), KeyModifiers::CONTROL);
    s.typed("感谢");
    s.key(KeyCode::Enter);
    let text = form_text(&s);
    assert!(text.contains("投诉人您好") && !text.contains("王芳"), "{text}");
}

#[test]
fn snapshots_of_the_picker_at_80x24_and_60x20() {
    let (mut s, _) = feedback_form(false, CLERK);
    s.key_with(KeyCode::Char('p'), KeyModifiers::CONTROL);
    s.typed("h");
    for (w, h) in [(80, 24), (60, 20)] {
        insta::assert_snapshot!(format!("phrases_picker_zh_{w}x{h}"), s.text(w, h).join("\n"));
    }
}
