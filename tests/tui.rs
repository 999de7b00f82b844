//! The terminal screens without a terminal: keys in, state out; every screen
//! rendered at 80×24 in Chinese and English; no panic at any size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::domain::{State, Time};
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::{Action, StepKind};
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::at;

const NOW: &str = "2026-09-30T10:00:00+08:00";

struct Fixture {
    dir: tempfile::TempDir,
    app: App,
}

/// A desk with an admin, a clerk 张小明 (PIN 2222), a supervisor, 护理部 and 收费处, at a fixed time.
fn fixture(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, lang, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let admin = desk.init_desk("管理员", "111111").unwrap();
    desk.add_department(&admin, "护理部", None).unwrap();
    desk.add_department(&admin, "收费处", None).unwrap();
    desk.add_staff(&admin, "张小明", casedesk::domain::Role::Clerk, None, "2222")
        .unwrap();
    desk.add_staff(&admin, "陈主任", casedesk::domain::Role::Supervisor, None, "333333")
        .unwrap();
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    Fixture { dir, app }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

impl Fixture {
    /// The desk's clock, fixed at `NOW`.
    fn now(&self) -> Time {
        self.app.desk.now()
    }
    fn keys(&mut self, codes: &[KeyCode]) {
        for c in codes {
            self.app.handle_key(key(*c), self.now());
        }
    }
    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.app.handle_key(key(KeyCode::Char(c)), self.now());
        }
    }
    fn act(&mut self, a: Action) {
        self.app.apply(a, self.now());
    }
    fn sign_in(&mut self) {
        self.typed("zxm");
        self.keys(&[KeyCode::Enter]);
        self.typed("2222");
        self.keys(&[KeyCode::Enter]);
        assert!(matches!(self.app.screen, Screen::Queue), "signed in");
    }
    /// Records a complaint about 护理部 through the intake form.
    fn intake(&mut self, summary: &str) -> String {
        self.typed("n");
        assert!(matches!(self.app.screen, Screen::Intake(_)));
        self.keys(&[KeyCode::Tab, KeyCode::Tab]);
        self.typed("13800138000");
        self.keys(&[KeyCode::Tab]);
        self.typed("王芳");
        for _ in 0..5 {
            self.keys(&[KeyCode::Tab]);
        }
        self.typed("hl");
        self.keys(&[KeyCode::Tab, KeyCode::Tab]);
        self.typed("fwtd");
        self.keys(&[KeyCode::Tab, KeyCode::Tab]);
        self.typed(summary);
        self.act(Action::Save);
        match &self.app.screen {
            Screen::Case(page) => page.record.case.number().to_string(),
            _ => panic!("intake did not save: {:?}", self.app.message),
        }
    }
    fn state(&self) -> State {
        match &self.app.screen {
            Screen::Case(page) => page.record.case.state,
            _ => panic!("not on a case page"),
        }
    }
    fn render(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, at(NOW))).unwrap();
        t
    }
}

#[test]
fn sign_in_by_pinyin_initials_and_a_wrong_pin_is_refused_in_words() {
    let mut f = fixture(Lang::Zh);
    f.typed("zxm");
    f.keys(&[KeyCode::Enter]);
    f.typed("9999");
    f.keys(&[KeyCode::Enter]);
    match &f.app.screen {
        Screen::SignIn(s) => assert!(s.error.as_deref().unwrap_or("").contains("PIN 错误"), "{:?}", s.error),
        _ => panic!("a wrong PIN must not sign in"),
    }
    f.typed("2222");
    f.keys(&[KeyCode::Enter]);
    assert_eq!(f.app.user.as_ref().map(|u| u.name.as_str()), Some("张小明"));
}

#[test]
fn the_whole_loop_by_keys() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    let number = f.intake("护士态度差");
    assert_eq!(number, "2026-000001");
    assert_eq!(f.state(), State::Received);
    // Assign in writing.
    f.act(Action::Step(StepKind::Assign));
    f.keys(&[KeyCode::Tab, KeyCode::Down]);
    f.act(Action::Save);
    assert_eq!(f.state(), State::Assigned);
    // A justified reply without measures is refused, and the text stays.
    f.act(Action::Step(StepKind::Reply));
    f.keys(&[KeyCode::Tab]);
    f.typed("夜间呼叫器故障");
    f.act(Action::Save);
    match &f.app.screen {
        Screen::Case(page) => {
            let step = page.step.as_ref().expect("form stays open");
            assert!(
                step.form.error.as_deref().unwrap_or("").contains("改进措施"),
                "{:?}",
                step.form.error
            );
            assert_eq!(step.form.text("facts"), "夜间呼叫器故障");
        }
        _ => panic!(),
    }
    f.keys(&[KeyCode::Tab]);
    f.typed("当班护士");
    f.keys(&[KeyCode::Tab]);
    f.typed("每班检查呼叫器");
    f.act(Action::Save);
    assert_eq!(f.state(), State::Replied);
    f.act(Action::Step(StepKind::Feedback));
    f.keys(&[KeyCode::Tab]);
    f.typed("已电话告知调查结果");
    f.act(Action::Save);
    assert_eq!(f.state(), State::FeedbackGiven);
    // Closing before the return visit says why.
    f.act(Action::Step(StepKind::Close));
    f.act(Action::Save);
    match &f.app.screen {
        Screen::Case(page) => {
            let err = page
                .step
                .as_ref()
                .and_then(|s| s.form.error.clone())
                .unwrap_or_default();
            assert!(err.contains("尚未回访") && err.contains("0/3"), "{err}");
        }
        _ => panic!(),
    }
    f.act(Action::Back);
    f.act(Action::Step(StepKind::Visit));
    f.act(Action::Save);
    assert_eq!(f.state(), State::Visited);
    f.act(Action::Step(StepKind::Close));
    f.keys(&[KeyCode::Enter]);
    assert_eq!(f.state(), State::Closed);
    // Find it again by a 2-character term.
    f.act(Action::Back);
    f.typed("/");
    f.typed("态度");
    match &f.app.screen {
        Screen::Search(s) => assert_eq!(s.results.first().map(|r| r.number.as_str()), Some("2026-000001")),
        _ => panic!("search did not open"),
    }
    f.keys(&[KeyCode::Enter]);
    assert_eq!(f.state(), State::Closed);
}

#[test]
fn leaving_intake_with_text_asks_first_and_the_draft_survives_a_restart() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    f.typed("n");
    for _ in 0..12 {
        f.keys(&[KeyCode::Tab]);
    }
    f.typed("收费多收了十元");
    f.app.drafts.flush();
    let draft = std::fs::read_to_string(f.dir.path().join("desk.db.drafts").join("intake-2.json")).unwrap();
    assert!(draft.contains("收费多收了十元"), "{draft}");
    // Esc asks; anything but y stays.
    f.keys(&[KeyCode::Esc]);
    assert!(matches!(
        f.app.overlay,
        Some(casedesk::ui::overlay::Overlay::ConfirmLeave)
    ));
    f.typed("n");
    assert!(matches!(f.app.screen, Screen::Intake(_)));
    // A new session of the same clerk finds the draft again.
    let paths = Paths {
        db: f.dir.path().join("desk.db"),
        policy: f.dir.path().join("none.toml"),
        calendar: f.dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, Lang::Zh, false).unwrap();
    desk.fixed_now = Some(at(NOW));
    let mut again = Fixture {
        dir: tempfile::tempdir().unwrap(),
        app: App::new(desk),
    };
    again.typed("zxm");
    again.keys(&[KeyCode::Enter]);
    again.typed("2222");
    again.keys(&[KeyCode::Enter]);
    match &again.app.screen {
        Screen::Intake(i) => assert_eq!(i.form.text("summary"), "收费多收了十元"),
        _ => panic!("the draft did not come back"),
    }
    // That session ends; in this one, leaving on purpose discards the draft.
    again.app.drafts.flush();
    drop(again);
    f.keys(&[KeyCode::Esc]);
    f.typed("y");
    f.app.drafts.flush();
    assert!(!f.dir.path().join("desk.db.drafts").join("intake-2.json").exists());
}

#[test]
fn the_screen_locks_after_idle_time_and_on_a_key() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    f.app.tick(std::time::Duration::from_secs(9 * 60), f.now());
    assert!(!f.app.locked());
    f.app.tick(std::time::Duration::from_secs(61), f.now());
    assert!(f.app.locked(), "locked after 10 idle minutes");
    f.typed("0000");
    f.keys(&[KeyCode::Enter]);
    assert!(f.app.locked());
    f.typed("2222");
    f.keys(&[KeyCode::Enter]);
    assert!(!f.app.locked());
    f.app
        .handle_key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL), f.now());
    assert!(f.app.locked(), "Ctrl-L locks");
}

#[test]
fn another_terminal_s_change_shows_up_without_losing_the_place() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    let a = f.intake("第一件");
    f.act(Action::Back);
    let b = f.intake("第二件");
    f.act(Action::Back);
    f.act(Action::FilterAll);
    let selected = |f: &Fixture| f.app.queue.rows.get(f.app.queue.selected).map(|r| r.number.clone());
    f.act(Action::Down);
    let before = selected(&f);
    // Another clerk's terminal escalates case a.
    let paths_db = f.dir.path().join("desk.db");
    let mut other = casedesk::store::Store::open(&paths_db).unwrap();
    let sup = other.staff_by_name("陈主任").unwrap();
    let policy = casedesk::domain::Policy::builtin().unwrap();
    let cal = casedesk::domain::Calendar::builtin();
    let ctx = casedesk::domain::Context {
        now: at(NOW),
        actor: &sup,
        policy: &policy,
        calendar: &cal,
    };
    other
        .execute(
            &ctx,
            &a,
            None,
            &casedesk::domain::Command::Escalate {
                reason: "媒体关注".into(),
            },
        )
        .unwrap();
    f.app.tick(std::time::Duration::from_millis(300), f.now());
    assert_eq!(selected(&f), before, "the selection stays on the same case");
    let row = f.app.queue.rows.iter().find(|r| r.number == a).unwrap();
    assert_eq!(row.level, 1, "the queue followed the other terminal");
    assert!(f.app.queue.rows.iter().any(|r| r.number == b));
}

/// Every screen at 80×24, in both languages.
#[test]
fn screens_at_80x24_in_chinese_and_english() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        let mut f = fixture(lang);
        insta::assert_snapshot!(format!("sign_in_{tag}"), f.render(80, 24).backend());
        f.sign_in();
        insta::assert_snapshot!(format!("queue_empty_{tag}"), f.render(80, 24).backend());
        f.typed("n");
        f.keys(&[KeyCode::Tab, KeyCode::Tab]);
        f.typed("13800138000");
        insta::assert_snapshot!(format!("intake_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.typed("y");
        let number = f.intake("护士态度差");
        insta::assert_snapshot!(format!("case_{tag}"), f.render(80, 24).backend());
        f.act(Action::Step(StepKind::Reply));
        insta::assert_snapshot!(format!("step_reply_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.act(Action::Back);
        insta::assert_snapshot!(format!("queue_{tag}"), f.render(80, 24).backend());
        f.typed("/");
        f.typed("态度");
        insta::assert_snapshot!(format!("search_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.typed("?");
        insta::assert_snapshot!(format!("help_{tag}"), f.render(80, 24).backend());
        f.keys(&[KeyCode::Esc]);
        f.app
            .handle_key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL), f.now());
        insta::assert_snapshot!(format!("lock_{tag}"), f.render(80, 24).backend());
        insta::assert_snapshot!(format!("too_small_{tag}"), f.render(40, 10).backend());
        assert_eq!(number, "2026-000001");
    }
}

#[test]
fn first_run_creates_the_desk_and_its_admin() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, Lang::Zh, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let mut f = Fixture {
        dir,
        app: App::new(desk),
    };
    f.app.theme = casedesk::ui::theme::Theme { color: false };
    assert!(matches!(f.app.screen, Screen::FirstRun(_)));
    insta::assert_snapshot!("first_run_zh", f.render(80, 24).backend());
    f.typed("李管理");
    f.keys(&[KeyCode::Tab]);
    f.typed("123456");
    f.keys(&[KeyCode::Tab]);
    f.typed("123456");
    f.keys(&[KeyCode::Enter]);
    assert!(matches!(f.app.screen, Screen::Queue));
    assert_eq!(f.app.user.as_ref().map(|u| u.name.as_str()), Some("李管理"));
}

/// No panic at any size, on any screen, through resize storms.
#[test]
fn no_panic_at_any_size() {
    let mut f = fixture(Lang::Zh);
    // Every size from 1×1 to 300×100 when CASEDESK_ALL_SIZES is set (the long
    // checks); a sample across that range otherwise.
    let sizes: Vec<(u16, u16)> = if std::env::var_os("CASEDESK_ALL_SIZES").is_some() {
        (1..=300u16).flat_map(|w| (1..=100u16).map(move |h| (w, h))).collect()
    } else {
        (1..=120u16)
            .flat_map(|w| [1u16, 2, 3, 7, 15, 16, 24, 40].into_iter().map(move |h| (w, h)))
            .chain([(300, 100), (200, 60), (80, 100), (1, 100), (300, 1)])
            .collect()
    };
    let check = |f: &Fixture| {
        for (w, h) in &sizes {
            f.render(*w, *h);
        }
    };
    check(&f);
    f.sign_in();
    check(&f);
    f.intake("护士态度差");
    check(&f);
    f.act(Action::Step(StepKind::Visit));
    check(&f);
    f.act(Action::Back);
    f.act(Action::Back);
    f.typed("/");
    f.typed("护");
    check(&f);
    f.act(Action::Back);
    f.typed("?");
    check(&f);
}

#[test]
fn pasted_megabyte_is_cut_at_the_field_limit_with_a_message() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    f.typed("n");
    for _ in 0..12 {
        f.keys(&[KeyCode::Tab]);
    }
    let big = "字".repeat(1024 * 1024 / 3 + 10);
    f.app.paste(&big, f.now());
    match &f.app.screen {
        Screen::Intake(i) => assert_eq!(
            i.form.text("summary").chars().count(),
            casedesk::ui::widgets::input::FIELD_MAX
        ),
        _ => panic!(),
    }
    assert!(
        f.app
            .message
            .as_ref()
            .is_some_and(|(m, err)| *err && m.contains("上限"))
    );
    // Control characters never reach the stored text.
    f.app.paste("\u{1b}[31m红\u{7}", f.now());
    f.render(80, 24);
}

#[test]
fn a_conflicting_save_names_the_other_change_and_keeps_the_text() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    let n = f.intake("护士态度差");
    f.act(Action::Step(StepKind::Escalate));
    f.typed("家属情绪激动");
    // Meanwhile a supervisor at another terminal escalates the same case.
    let mut other = casedesk::store::Store::open(&f.dir.path().join("desk.db")).unwrap();
    let sup = other.staff_by_name("陈主任").unwrap();
    let policy = casedesk::domain::Policy::builtin().unwrap();
    let cal = casedesk::domain::Calendar::builtin();
    let ctx = casedesk::domain::Context {
        now: at(NOW),
        actor: &sup,
        policy: &policy,
        calendar: &cal,
    };
    other
        .execute(
            &ctx,
            &n,
            None,
            &casedesk::domain::Command::Escalate {
                reason: "媒体关注".into(),
            },
        )
        .unwrap();
    f.act(Action::Save);
    match &f.app.screen {
        Screen::Case(page) => {
            let step = page.step.as_ref().expect("the form stays open");
            let err = step.form.error.clone().unwrap_or_default();
            assert!(err.contains("已被他人修改") && err.contains("陈主任"), "{err}");
            assert_eq!(step.form.text("reason"), "家属情绪激动");
            assert_eq!(page.record.case.level, 1, "the page shows the other change");
        }
        _ => panic!(),
    }
    // Saving again applies the clerk's step on top.
    f.act(Action::Save);
    match &f.app.screen {
        Screen::Case(page) => assert_eq!(page.record.case.level, 2),
        _ => panic!(),
    }
}

/// The duty-log, handover, return-visit and report screens at 80×24, in both languages.
#[test]
fn shift_and_report_screens_at_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        let mut f = fixture(lang);
        f.sign_in();
        f.intake("护士态度差");
        f.act(Action::Back);
        f.app.handle_key(key(KeyCode::F(2)), f.now());
        f.keys(&[KeyCode::Tab]);
        f.typed("李先生");
        f.keys(&[KeyCode::Tab]);
        f.typed("询问探视时间");
        insta::assert_snapshot!(format!("log_entry_{tag}"), f.render(80, 24).backend());
        f.act(Action::Save);
        f.typed("L");
        insta::assert_snapshot!(format!("log_list_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.typed("H");
        f.typed("y");
        insta::assert_snapshot!(format!("handover_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.typed("V");
        insta::assert_snapshot!(format!("visits_{tag}"), f.render(80, 24).backend());
        f.act(Action::Back);
        f.typed("S");
        insta::assert_snapshot!(format!("report_{tag}"), f.render(80, 24).backend());
    }
}

#[test]
fn past_handovers_are_listed_and_open() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    f.typed("H");
    f.typed("y");
    f.keys(&[KeyCode::Char('h')]);
    match &f.app.screen {
        Screen::List(_) => {}
        _ => panic!("history did not open"),
    }
    let text = format!("{}", f.render(100, 30).backend());
    assert!(text.contains("历次交接班记录") && text.contains("#1"), "{text}");
    f.keys(&[KeyCode::Enter]);
    match &f.app.screen {
        Screen::Handover(v) => assert_eq!(v.record.handover.id, 1),
        _ => panic!("the handover did not open"),
    }
}

#[test]
fn the_report_screen_takes_a_department_and_chosen_dates() {
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    f.intake("护士态度差");
    f.act(Action::Back);
    f.typed("S");
    f.typed("d");
    match &f.app.screen {
        Screen::Report(v) => {
            assert_eq!(v.dept.as_deref(), Some("护理部"));
            assert_eq!(v.report.total, 1);
        }
        _ => panic!("no report screen"),
    }
    f.typed("d");
    match &f.app.screen {
        Screen::Report(v) => {
            assert_eq!(v.dept.as_deref(), Some("收费处"));
            assert_eq!(v.report.total, 0);
        }
        _ => panic!(),
    }
    f.typed("c");
    // Replace both dates.
    for _ in 0..10 {
        f.keys(&[KeyCode::Backspace]);
    }
    f.typed("2026-09-01");
    f.keys(&[KeyCode::Tab]);
    for _ in 0..10 {
        f.keys(&[KeyCode::Backspace]);
    }
    f.typed("2026-09-30");
    f.act(Action::Save);
    match &f.app.screen {
        Screen::Report(v) => {
            assert!(v.prompt.is_none());
            assert_eq!(v.report.period.from.to_string(), "2026-09-01");
            assert_eq!(v.report.period.until.to_string(), "2026-10-01");
        }
        _ => panic!(),
    }
}

/// The queue holds a window of rows and reads the next or previous page off
/// the desk by key: walking it by ↓, ↑, PageDown, End and Home visits every
/// open case once, in the queue's order (nearest due first, nothing due last,
/// then newest first), across page boundaries and ties.
#[test]
fn the_queue_pages_through_every_open_case_in_order() {
    use casedesk::domain::{IntakeForm, Kind, Severity};
    use casedesk::ui::queue::{PAGE, WINDOW};
    let mut f = fixture(Lang::Zh);
    f.sign_in();
    let n = 2 * WINDOW + 37;
    {
        let desk = &mut f.app.desk;
        let me = f.app.user.clone().unwrap();
        for i in 0..n {
            // Few distinct received times and severities: many ties in the order.
            let received = at(NOW) - chrono::Duration::hours(i64::try_from(i % 5).unwrap());
            let severity = [Severity::Minor, Severity::Important, Severity::Major][i % 3];
            let form = IntakeForm {
                received_at: Some(received),
                kind: if i % 11 == 0 { Kind::Suggestion } else { Kind::Complaint },
                severity,
                ..support::plain_form(&format!("第{i}件"))
            };
            desk.intake(&me, form).unwrap();
        }
    }
    // The order the queue must show, worked out here from every open case.
    let mut all = f
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
    all.sort_by(|a, b| {
        let due = |r: &casedesk::store::CaseRow| r.next_due.map_or(i64::MAX, |d| d.timestamp());
        due(a)
            .cmp(&due(b))
            .then(b.received_at.cmp(&a.received_at))
            .then(b.number.cmp(&a.number))
    });
    let expected: Vec<String> = all.into_iter().map(|r| r.number).collect();
    assert_eq!(expected.len(), n);
    f.act(Action::FilterAll);
    assert!(f.app.queue.rows.len() <= PAGE, "only a page is read at first");
    assert_eq!(f.app.queue.total, n as u64);
    let screen = buffer_text(&f.render(100, 30));
    let title = screen.lines().find(|l| l.contains("工作台")).unwrap();
    assert!(
        title.contains(&n.to_string()),
        "the title counts every case of the view: {title}"
    );
    f.act(Action::FilterEscalated);
    let escalated = f.app.queue.total;
    assert_eq!(escalated, f.app.queue.counts.escalated);
    assert!(
        escalated > 0 && escalated < n as u64,
        "major complaints escalate: {escalated}"
    );
    f.act(Action::FilterAll);
    let selected = |f: &Fixture| f.app.queue.rows[f.app.queue.selected].number.clone();
    // ↓ to the end.
    let mut seen = vec![selected(&f)];
    for _ in 1..n + 5 {
        f.act(Action::Down);
        if selected(&f) != *seen.last().unwrap() {
            seen.push(selected(&f));
        }
        assert!(f.app.queue.rows.len() <= WINDOW, "the window stays bounded");
    }
    assert_eq!(seen, expected, "↓ visits every case once, in order");
    // ↑ back to the top.
    let mut back = vec![selected(&f)];
    for _ in 1..n + 5 {
        f.act(Action::Up);
        if selected(&f) != *back.last().unwrap() {
            back.push(selected(&f));
        }
    }
    back.reverse();
    assert_eq!(back, expected, "↑ visits every case once, in order");
    // PageDown moves ten rows at a time, also across pages.
    for step in 1..=(n - 1) / 10 {
        f.act(Action::PageDown);
        assert_eq!(selected(&f), expected[step * 10]);
    }
    f.act(Action::Bottom);
    assert_eq!(selected(&f), *expected.last().unwrap());
    f.act(Action::PageUp);
    assert_eq!(selected(&f), expected[n - 11]);
    for _ in 0..PAGE / 10 + 1 {
        f.act(Action::PageUp);
    }
    assert_eq!(
        selected(&f),
        expected[n - 11 - 10 * (PAGE / 10 + 1)],
        "PageUp reads the page before"
    );
    // A refresh (another terminal wrote) keeps the place.
    let place = selected(&f);
    f.app.refresh(f.now());
    assert_eq!(selected(&f), place);
    f.act(Action::Top);
    assert_eq!(selected(&f), expected[0]);
}

fn buffer_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            s.push_str(symbol);
            // A wide character covers the next cell too.
            x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
        }
        s.push('\n');
    }
    s
}
