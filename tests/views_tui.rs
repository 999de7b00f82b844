//! Saved views (保存的视图) on the queue: the view keys change one part at a
//! time and the title says what is shown; Ctrl-S saves the view under a name,
//! v lists the saved views, Alt-N recalls one; a view in a non-default order
//! pages through every case once across the queue's keyset pages; and the
//! queue under a saved view and the picker, at three sizes.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::view::{DueBy, Sort, View, Whose};
use casedesk::domain::{IntakeForm, Severity};
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::{Action, Scope, ViewKey};
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyModifiers};
use support::screen::Screens;
use support::{CLERK_PIN, T0, at};

const SIZES: [(u16, u16); 3] = [(120, 35), (80, 24), (60, 20)];

/// The clerk signed in on a desk of `n` cases: the clerk's own and the
/// supervisor's in turn, received over the five hours before [`T0`] (many in
/// the same second), every third one major (it escalates).
fn desk(lang: Lang, n: usize) -> Screens {
    let mut s = Screens::staffed(lang);
    s.sign_in("zxm", CLERK_PIN);
    let me = s.user();
    let sup = s.app.desk.store().staff_by_name(support::SUPERVISOR).unwrap();
    let subjects = ["护士态度生硬", "收费处多收了挂号费", "病房空调不制冷", "候诊时间太长"];
    for i in 0..n {
        let received = at(T0) - chrono::Duration::minutes(i64::try_from(i % 5).unwrap() * 60);
        let form = IntakeForm {
            received_at: Some(received),
            severity: if i % 3 == 0 { Severity::Major } else { Severity::Minor },
            ..support::plain_form(&format!("{}（{i}）", subjects[i % subjects.len()]))
        };
        let by = if i % 2 == 0 { &me } else { &sup };
        s.app.desk.intake(by, form).unwrap();
    }
    s.app.reload_queue(s.now());
    s
}

fn title(s: &Screens) -> String {
    s.text(120, 35)
        .into_iter()
        .find(|l| l.contains("工作台") || l.contains("Queue"))
        .unwrap()
}

fn saves(s: &mut Screens, name: &str) {
    s.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(s.app.scope(), Scope::Form, "the name prompt is open");
    s.typed(name);
    s.key(KeyCode::Enter);
    assert!(s.app.queue.prompt.is_none(), "saved: {:?}", s.app.message);
}

#[test]
fn the_view_keys_change_one_part_each_and_the_title_says_what_is_shown() {
    let mut s = desk(Lang::Zh, 12);
    assert!(title(&s).contains("工作台 · 我的（6）"), "{}", title(&s));
    s.key(KeyCode::Char('e'));
    assert!(title(&s).contains("我的 · 已升级（2）"), "{}", title(&s));
    s.key(KeyCode::Char('w'));
    assert!(title(&s).contains("工作台 · 已升级（4）"), "{}", title(&s));
    s.key(KeyCode::Char('s'));
    assert!(title(&s).contains("已升级 · 最新在前（4）"), "{}", title(&s));
    s.key(KeyCode::Char('d'));
    assert_eq!(s.app.queue.view.due, DueBy::Today);
    s.key(KeyCode::Char('d'));
    assert_eq!(s.app.queue.view.due, DueBy::Shift);
    s.key(KeyCode::Char('d'));
    s.key(KeyCode::Char('t'));
    assert!(title(&s).contains("已受理"), "{}", title(&s));
    s.key(KeyCode::Char('o'));
    assert!(s.app.queue.view.overdue);
    // A quick filter sets the whole view again.
    s.key(KeyCode::Char('1'));
    assert_eq!(s.app.queue.view, View::default());
    assert!(title(&s).contains("工作台 · 我的（6）"), "{}", title(&s));
}

#[test]
fn a_view_saved_on_the_queue_is_recalled_by_its_number_and_from_the_picker() {
    let mut s = desk(Lang::Zh, 12);
    s.key(KeyCode::Char('w'));
    s.key(KeyCode::Char('s'));
    saves(&mut s, "全部最新");
    assert!(
        title(&s).contains("全部最新：全部未结 · 最新在前（12）"),
        "{}",
        title(&s)
    );
    let message = format!("{:?}", s.app.message);
    assert!(message.contains("Alt-1"), "{message}");
    // Back to my cases, then Alt-1.
    s.key(KeyCode::Char('1'));
    assert!(title(&s).contains("我的（6）"));
    s.key_with(KeyCode::Char('1'), KeyModifiers::ALT);
    assert_eq!(s.app.queue.saved.as_deref(), Some("全部最新"));
    assert_eq!(s.app.queue.view.sort, Sort::Newest);
    // A number without a view says so.
    s.key_with(KeyCode::Char('7'), KeyModifiers::ALT);
    assert!(format!("{:?}", s.app.message).contains("7 号还没有保存的视图"));
    // A second view, then the picker: ↓ Enter recalls it; changing a part forgets the name.
    s.key(KeyCode::Char('1'));
    s.key(KeyCode::Char('e'));
    saves(&mut s, "我的升级");
    s.key(KeyCode::Char('2'));
    s.key(KeyCode::Char('v'));
    assert_eq!(s.app.scope(), Scope::Views);
    s.key(KeyCode::Down);
    s.key(KeyCode::Enter);
    assert_eq!(s.app.scope(), Scope::Queue);
    assert_eq!(s.app.queue.saved.as_deref(), Some("我的升级"));
    assert_eq!(s.app.queue.view.whose, Whose::Mine);
    assert!(s.app.queue.view.escalated);
    s.key(KeyCode::Char('o'));
    assert_eq!(s.app.queue.saved, None);
    // Removed from the picker with x: an audit event; the list shrinks.
    s.key(KeyCode::Char('v'));
    s.key(KeyCode::Char('x'));
    let picker = s.app.queue.picker.as_ref().unwrap();
    assert_eq!(picker.views.len(), 1);
    assert_eq!(picker.views[0].name, "我的升级");
    s.key(KeyCode::Esc);
    assert_eq!(s.app.scope(), Scope::Queue);
    let me = s.user().id;
    let kept = s.app.desk.store().saved_views(me).unwrap();
    assert_eq!(kept.len(), 1);
    // Views are each clerk's own, kept in the desk: a new sign-in starts from
    // my cases, and Alt-2 finds the view again.
    s.app.queue.clear_view();
    assert_eq!(s.app.queue.view, View::default());
    s.key_with(KeyCode::Char('2'), KeyModifiers::ALT);
    assert_eq!(s.app.queue.saved.as_deref(), Some("我的升级"));
}

#[test]
fn a_name_the_desk_refuses_stays_in_the_prompt_with_the_reason() {
    let mut s = desk(Lang::Zh, 2);
    s.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    s.typed("   ");
    s.key(KeyCode::Enter);
    let prompt = s.app.queue.prompt.as_ref().expect("still open");
    assert_eq!(prompt.form.error.as_deref(), Some("视图需要一个名称。"));
    s.key(KeyCode::Esc);
    assert!(s.app.queue.prompt.is_none());
    assert_eq!(s.app.scope(), Scope::Queue);
}

/// ↓ from the top visits every case of a view in its own order once (newest
/// first, oldest first, most urgent first of mine due tonight), across
/// the queue's pages of 100 and its window of 300; ↑ comes back the same way;
/// End then ↑ reads pages before the window.
#[test]
fn a_view_in_its_own_order_pages_through_every_case_once() {
    use casedesk::ui::queue::{PAGE, WINDOW};
    let n = WINDOW + 137;
    let mut s = desk(Lang::Zh, n);
    let all = s
        .app
        .desk
        .store()
        .list(
            &casedesk::store::CaseFilter {
                open_only: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    // Newest first, oldest first, and most urgent first with a part the
    // queue's indexes do not serve (every case is due by tonight).
    for (sort, mine, due) in [
        (Sort::Newest, false, DueBy::Any),
        (Sort::Oldest, true, DueBy::Any),
        (Sort::Urgent, true, DueBy::Today),
    ] {
        let mut expected = all.clone();
        if mine {
            expected.retain(|r| r.owner == support::CLERK);
        }
        let due_at = |r: &casedesk::store::CaseRow| r.next_due.map_or(i64::MAX, |d| d.timestamp());
        expected.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(b.number.cmp(&a.number)));
        match sort {
            Sort::Oldest => expected.reverse(),
            Sort::Urgent => expected.sort_by_key(due_at),
            Sort::Newest => {}
        }
        let expected: Vec<String> = expected.into_iter().map(|r| r.number).collect();
        assert!(expected.len() > PAGE, "more than a page");
        s.app.queue.view = View {
            whose: if mine { Whose::Mine } else { Whose::All },
            sort,
            due,
            ..View::default()
        };
        s.act(Action::Top);
        assert!(s.app.queue.rows.len() <= PAGE, "a page at first");
        assert_eq!(s.app.queue.total, expected.len() as u64);
        let selected = |s: &Screens| s.app.queue.rows[s.app.queue.selected].number.clone();
        let mut seen = vec![selected(&s)];
        for _ in 0..expected.len() + 3 {
            s.act(Action::Down);
            if selected(&s) != *seen.last().unwrap() {
                seen.push(selected(&s));
            }
            assert!(s.app.queue.rows.len() <= WINDOW);
        }
        assert_eq!(seen, expected, "{sort:?}: ↓ visits every case once, in order");
        let mut back = vec![selected(&s)];
        for _ in 0..expected.len() + 3 {
            s.act(Action::Up);
            if selected(&s) != *back.last().unwrap() {
                back.push(selected(&s));
            }
        }
        back.reverse();
        assert_eq!(back, expected, "{sort:?}: ↑ comes back the same way");
        s.act(Action::Bottom);
        assert_eq!(selected(&s), *expected.last().unwrap());
        for _ in 0..4 {
            s.act(Action::PageUp);
        }
        assert_eq!(selected(&s), expected[expected.len() - 41]);
    }
}

#[test]
fn the_queue_under_a_saved_view_and_the_picker_at_three_sizes() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        let mut s = desk(lang, 14);
        for (keys, name) in [("wes", "全部升级·最新"), ("d", "今晚到期"), ("ddo", "我的超时回访件")] {
            s.key(KeyCode::Char('1'));
            for k in keys.chars() {
                s.key(KeyCode::Char(k));
            }
            saves(&mut s, name);
        }
        s.key_with(KeyCode::Char('1'), KeyModifiers::ALT);
        assert!(matches!(s.app.screen, Screen::Queue));
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("views_queue_{tag}_{w}x{h}"), s.frame(w, h).backend());
        }
        s.act(Action::View(ViewKey::Picker));
        s.key(KeyCode::Down);
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("views_picker_{tag}_{w}x{h}"), s.frame(w, h).backend());
        }
    }
}
