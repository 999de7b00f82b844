//! The case page of a case with links, a batch incident and attachments
//! (issue 20, points 3 and 4): under the header, each linked case (number,
//! how, its state and summary — a confidential one's summary hidden from who
//! may not see it), the batch and each file (number, name, size, type, who,
//! when), read at three sizes in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::domain::{LinkRelation, Role};
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use support::at;

const NOW: &str = "2026-03-02T09:00:00+08:00";

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
    let clerk = desk.add_staff(&admin, "张小明", Role::Clerk, None, "2222").unwrap();
    let other = desk.add_staff(&admin, "李静", Role::Clerk, None, "3333").unwrap();
    let new = |desk: &mut Desk, who, summary: &str, confidential: bool| {
        let form = casedesk::domain::IntakeForm {
            confidential,
            ..support::plain_form(summary)
        };
        desk.intake(who, form).unwrap().case.number().to_string()
    };
    let first = new(&mut desk, &clerk, "3号楼停水，老人无法做饭", false);
    let again = new(&mut desk, &clerk, "3号楼停水第二次来电", false);
    let secret = new(&mut desk, &other, "举报抄表员收取好处费", true);
    desk.link(&clerk, &again, &first, LinkRelation::FollowUp, "同一户再次来电")
        .unwrap();
    desk.link(&clerk, &again, &secret, LinkRelation::SameIncident, "同一楼栋")
        .unwrap();
    let batch = desk.open_batch(&clerk, "3月2日 3号楼停水").unwrap();
    desk.join_batch(&clerk, &batch.number, &again).unwrap();
    desk.attach(&clerk, &again, "停水通知.pdf", b"%PDF-1.4\n%%EOF\n")
        .unwrap();
    desk.attach(&clerk, &again, "来电记录.txt", "九点来电，停水已三天。\n".as_bytes())
        .unwrap();
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    app.signed_in(clerk, at(NOW));
    app.open_case(&again, None, at(NOW));
    (dir, app)
}

fn lines(app: &App, w: u16, h: u16) -> String {
    let lines = support::screen::app_lines(app, w, h, at(NOW));
    lines.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_case_page_lists_links_the_batch_and_attachments_at_three_sizes() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, mut app) = page(lang);
        let name = if lang == Lang::Zh { "zh" } else { "en" };
        for (w, h) in [(120, 35), (80, 24), (60, 20)] {
            app.apply(Action::Top, at(NOW));
            let shown = lines(&app, w, h);
            if w == 120 {
                // Who may not see the confidential case does not read its summary.
                assert!(!shown.contains("抄表员"), "{shown}");
                assert!(shown.contains("3号楼停水，老人无法做饭"), "{shown}");
                assert!(shown.contains("停水通知.pdf") && shown.contains("B2026-001"), "{shown}");
            }
            insta::assert_snapshot!(format!("links_{name}_{w}x{h}"), shown);
        }
    }
}

#[test]
fn j_opens_each_linked_case_in_turn_and_esc_comes_back() {
    let (_dir, mut app) = page(Lang::Zh);
    let head = |app: &App| lines(app, 120, 35).lines().nth(2).unwrap_or_default().to_string();
    assert!(head(&app).contains("2026-000002"), "{}", head(&app));
    app.apply(Action::OpenLinked, at(NOW));
    assert!(head(&app).contains("2026-000001"), "{}", head(&app));
    app.apply(Action::Back, at(NOW));
    assert!(head(&app).contains("2026-000002"), "{}", head(&app));
    app.apply(Action::OpenLinked, at(NOW));
    assert!(
        head(&app).contains("2026-000003"),
        "the second link next: {}",
        head(&app)
    );
    // The first case has one link, back to the second.
    app.apply(Action::Back, at(NOW));
    app.apply(Action::OpenLinked, at(NOW));
    assert!(head(&app).contains("2026-000001"), "round again: {}", head(&app));
    app.apply(Action::OpenLinked, at(NOW));
    assert!(head(&app).contains("2026-000002"), "{}", head(&app));
}

/// Types `text` into the form in front, one character at a time.
fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(
            crossterm::event::KeyEvent::new(crossterm::event::KeyCode::Char(c), crossterm::event::KeyModifiers::NONE),
            at(NOW),
        );
    }
}

#[test]
fn l_links_the_case_and_b_joins_a_batch_from_the_case_page() {
    let (_dir, mut app) = page(Lang::Zh);
    app.open_case("2026-000001", None, at(NOW));
    // l: the other case, the relation (first: a duplicate), why; Ctrl-S saves.
    app.apply(Action::Link, at(NOW));
    let form = lines(&app, 80, 24);
    assert!(form.contains("关联案件") && form.contains("关联到的案件编号"), "{form}");
    typed(&mut app, "2026-000003");
    app.apply(Action::NextField, at(NOW));
    app.apply(Action::NextField, at(NOW));
    typed(&mut app, "同一楼栋");
    app.apply(Action::Save, at(NOW));
    let shown = lines(&app, 120, 35);
    assert!(shown.contains("已记录"), "{shown}");
    let links = app.desk.store().case("2026-000003").unwrap().case.related.links.clone();
    assert!(links.iter().any(|l| l.other == "2026-000001"), "{links:?}");
    // A number that is no case is refused on the form, what was typed kept.
    app.apply(Action::Link, at(NOW));
    typed(&mut app, "2026-009999");
    app.apply(Action::NextField, at(NOW));
    app.apply(Action::NextField, at(NOW));
    typed(&mut app, "试试");
    app.apply(Action::Save, at(NOW));
    let refused = lines(&app, 120, 35);
    assert!(refused.contains("没有案件 2026-009999"), "{refused}");
    // Esc asks before what was typed is dropped.
    app.apply(Action::Back, at(NOW));
    typed(&mut app, "y");
    // B: join the batch by its number.
    app.apply(Action::JoinBatch, at(NOW));
    typed(&mut app, "B2026-001");
    app.apply(Action::Save, at(NOW));
    let case = app.desk.store().case("2026-000001").unwrap().case;
    assert!(
        case.related.batches.iter().any(|b| b.batch == "B2026-001"),
        "{:?}",
        case.related
    );
}
