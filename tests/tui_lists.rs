//! The lists a clerk works from, on a demo desk at a fixed time: the return
//! visits (V), a search with more than a page of results, the queue, a
//! filtered report and help, at 120×35, 80×24 and 60×20 in Chinese and
//! English; and what they count agrees with the top bar.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::at;

const NOW: &str = "2026-09-30T10:00:00+08:00";
const SIZES: [(u16, u16); 3] = [(120, 35), (80, 24), (60, 20)];

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
}

/// A demo desk of 400 cases made at `NOW`, 张小明 signed in.
fn demo(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, lang, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    casedesk::demo::generate(&mut desk, 400, 7, &|_| {}).unwrap();
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    let mut f = Fixture { _dir: dir, app };
    f.typed("zxm");
    f.key(KeyCode::Enter);
    f.typed(casedesk::demo::DEMO_PIN);
    f.key(KeyCode::Enter);
    assert!(matches!(f.app.screen, Screen::Queue), "signed in: {:?}", f.app.message);
    f
}

impl Fixture {
    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), at(NOW));
    }
    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn act(&mut self, a: Action) {
        self.app.apply(a, at(NOW));
    }
    fn render(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, at(NOW))).unwrap();
        t
    }
    fn text(&self, w: u16, h: u16) -> String {
        screen_text(&self.render(w, h))
    }
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            s.push_str(symbol);
            x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
        }
        s.push('\n');
    }
    s
}

/// Each screen at each size: nothing of the title, the top bar's counts or
/// the footer's first key is lost, and insta keeps the whole picture.
#[test]
fn lists_at_three_sizes_in_chinese_and_english() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        let mut f = demo(lang);
        let visits = f.app.queue.counts.visits_due;
        let escalated = f.app.queue.counts.escalated.to_string();
        for (w, h) in SIZES {
            let size = format!("{w}x{h}");
            // The top bar keeps its last count at every size.
            let top = f.text(w, h).lines().next().unwrap().to_string();
            assert!(top.trim_end().ends_with(&escalated), "{size}: {top}");

            f.act(Action::FilterAll);
            insta::assert_snapshot!(format!("lists_queue_{tag}_{size}"), f.render(w, h).backend());

            f.typed("V");
            insta::assert_snapshot!(format!("lists_visits_{tag}_{size}"), f.render(w, h).backend());
            let screen = f.text(w, h);
            assert!(
                screen.contains(&visits.to_string()),
                "{size}: the V list counts {visits}"
            );
            f.act(Action::Back);

            f.typed("/");
            f.typed("医");
            insta::assert_snapshot!(format!("lists_search_{tag}_{size}"), f.render(w, h).backend());
            f.act(Action::Back);

            f.typed("S");
            f.typed("d");
            insta::assert_snapshot!(format!("lists_report_{tag}_{size}"), f.render(w, h).backend());
            let named = if lang == Lang::Zh { "部门：" } else { "department: " };
            assert!(f.text(w, h).contains(named), "{size}: the report names its department");
            f.act(Action::Back);

            f.typed("?");
            insta::assert_snapshot!(format!("lists_help_{tag}_{size}"), f.render(w, h).backend());
            f.key(KeyCode::Esc);
        }
    }
}

/// V: the return visits come first, its count is the top bar's 待回访, and
/// ↓, PageDown, End, Home and Tab move the selection through every row.
#[test]
fn the_visit_list_puts_return_visits_first_and_moves_by_page() {
    use casedesk::ui::worklist::Worklist;
    let mut f = demo(Lang::Zh);
    f.typed("V");
    let (rows, counts, selected) = match &f.app.screen {
        Screen::List(v) => match &v.list {
            Worklist::Visits(rows) => (rows.clone(), v.counts, v.selected),
            _ => panic!("not the visits"),
        },
        _ => panic!("V did not open the visits"),
    };
    assert_eq!(
        counts.return_visits, f.app.queue.counts.visits_due,
        "V and the top bar count the same"
    );
    let first_follow = rows.iter().position(|r| r.kind == "follow_up").unwrap();
    assert_eq!(first_follow as u64, counts.return_visits, "return visits first");
    assert!(rows[first_follow..].iter().all(|r| r.kind == "follow_up"));
    assert!(rows.len() > 30, "a demo desk has more than a page: {}", rows.len());
    assert_eq!(selected, 0);
    let sel = |f: &Fixture| match &f.app.screen {
        Screen::List(v) => v.selected,
        _ => panic!(),
    };
    f.key(KeyCode::Down);
    assert_eq!(sel(&f), 1);
    f.key(KeyCode::PageDown);
    assert_eq!(sel(&f), 11);
    f.key(KeyCode::End);
    assert_eq!(sel(&f), rows.len() - 1);
    f.key(KeyCode::PageUp);
    assert_eq!(sel(&f), rows.len() - 11);
    f.key(KeyCode::Home);
    assert_eq!(sel(&f), 0);
    f.key(KeyCode::Tab);
    assert_eq!(sel(&f), first_follow, "Tab jumps to the follow-ups");
    // The selected row is on the screen, marked.
    let screen = f.text(80, 24);
    let marked = screen.lines().find(|l| l.contains('▶')).unwrap();
    assert!(marked.contains(&rows[first_follow].number), "{marked}");
    f.key(KeyCode::Tab);
    assert_eq!(sel(&f), 0);
    // The footer shows the list's own keys, not the report's.
    let foot = screen.lines().last().unwrap().to_string();
    assert!(foot.contains("回访") && !foot.contains("换统计期"), "{foot}");
}

/// Search: the title counts every match, not the first page; ↓ and PageDown
/// read on past the first 100 results.
#[test]
fn search_counts_every_match_and_reads_on() {
    use casedesk::store::CaseFilter;
    let mut f = demo(Lang::Zh);
    let all = f
        .app
        .desk
        .store()
        .list(
            &CaseFilter {
                search: Some("医".into()),
                ..CaseFilter::default()
            },
            f.app.user.as_ref(),
        )
        .unwrap();
    assert!(all.len() > 100, "more than a page matches: {}", all.len());
    let counted = f
        .app
        .desk
        .store()
        .search_count("医", f.app.user.as_ref(), 100_000)
        .unwrap();
    assert_eq!(counted, all.len() as u64, "the count is the list's length");
    assert_eq!(
        f.app.desk.store().search_count("医", f.app.user.as_ref(), 10).unwrap(),
        10,
        "capped"
    );
    f.typed("/");
    f.typed("医");
    let title = f.text(80, 24).lines().nth(4).unwrap().to_string();
    assert!(title.contains(&format!("找到 {} 件", all.len())), "{title}");
    for _ in 0..15 {
        f.key(KeyCode::PageDown);
    }
    let Screen::Search(s) = &f.app.screen else { panic!() };
    assert_eq!(s.selected, 150);
    let numbers: Vec<&str> = s.results.iter().map(|r| r.number.as_str()).collect();
    let expected: Vec<&str> = all.iter().take(numbers.len()).map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, expected, "pages follow on in the same order, none twice");
    for _ in 0..all.len() {
        f.key(KeyCode::Down);
    }
    let Screen::Search(s) = &f.app.screen else { panic!() };
    assert_eq!(s.results.len(), all.len(), "↓ reaches the last match");
    assert!(s.at_end);
    let title = f.text(80, 24).lines().nth(4).unwrap().to_string();
    assert!(title.contains(&format!("找到 {} 件", all.len())), "{title}");
}

/// The lock and sign-in screens' footers show their own keys, and each works.
#[test]
fn lock_and_sign_in_footers_show_their_own_keys() {
    let mut f = demo(Lang::Zh);
    f.app
        .handle_key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL), at(NOW));
    let foot = f.text(80, 24).lines().last().unwrap().to_string();
    assert!(foot.contains("Enter 解锁") && foot.contains("Esc 换人登录"), "{foot}");
    assert!(!foot.contains("Tab"), "no form hints: {foot}");
    f.key(KeyCode::Esc);
    assert!(matches!(f.app.screen, Screen::SignIn(_)));
    let foot = f.text(80, 24).lines().last().unwrap().to_string();
    assert!(
        foot.contains("Enter 下一步/登录") && foot.contains("Tab 姓名/PIN"),
        "{foot}"
    );
    assert!(!foot.contains("保存"), "no form hints: {foot}");
}
