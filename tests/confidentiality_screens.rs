//! Confidentiality, end to end. One confidential complaint carries sentinel
//! values that appear nowhere else (name 甄密者, phone 13012345678, address
//! 秘密路77号). Everything anyone who may not see them gets — every command's
//! output and error, every export, report, worklist, handover page, every
//! screen rendered with ratatui's `TestBackend`, every draft — must hold none of
//! them (nor a recognisable fragment). The owner sees them, a supervisor only
//! after giving a reason, and each viewing is an event with its reason. An
//! anonymous complainant is never stored at all.
//!
//! Here the screens, rendered with ratatui's `TestBackend`, and the drafts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;

use casedesk::desk::Desk;
use casedesk::domain::Time;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use support::at;
use support::confidential::*;
use unicode_width::UnicodeWidthStr;

// ------------------------------------------------------------------ screens

struct Tui {
    app: App,
    now: Time,
}

fn tui(site: &Site) -> Tui {
    tui_in(site, Lang::Zh)
}

fn tui_in(site: &Site, lang: Lang) -> Tui {
    let mut desk = Desk::open(&site.paths(), lang, false).unwrap();
    desk.fixed_now = Some(at(T1));
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    Tui { app, now: at(T1) }
}

impl Tui {
    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), self.now);
    }
    fn ch(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }
    fn ctrl(&mut self, c: char) {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), self.now);
    }
    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.ch(c);
        }
    }
    fn sign_in(&mut self, who: Who) {
        self.typed(who.name);
        self.key(KeyCode::Enter);
        self.typed(who.pin);
        self.key(KeyCode::Enter);
        assert_eq!(
            self.app.user.as_ref().map(|u| u.name.as_str()),
            Some(who.name),
            "{:?}",
            self.app.message
        );
        assert!(matches!(self.app.screen, Screen::Queue));
    }
    /// The screen's text at 120×40: every cell's symbol, row by row, without the
    /// blank cells hidden behind a wide (CJK) character.
    fn text(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, self.now)).unwrap();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for row in buf.content().chunks(usize::from(buf.area.width)) {
            let mut hidden = 0usize;
            for cell in row {
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                out.push_str(cell.symbol());
                hidden = cell.symbol().width().saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }
    /// Opens a case from the all-open queue, by keys.
    fn open_from_queue(&mut self, number: &str) {
        self.ch('2');
        let i = self
            .app
            .queue
            .rows
            .iter()
            .position(|r| r.number == number)
            .unwrap_or_else(|| panic!("{number} is not in the queue"));
        self.key(KeyCode::Home);
        for _ in 0..i {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
        match &self.app.screen {
            Screen::Case(p) => assert_eq!(p.record.case.number(), number),
            _ => panic!("the case did not open: {:?}", self.app.message),
        }
    }
    fn revealed(&self) -> bool {
        matches!(&self.app.screen, Screen::Case(p) if p.revealed)
    }
    fn search_results(&self) -> Vec<String> {
        match &self.app.screen {
            Screen::Search(s) => s.results.iter().map(|r| r.number.clone()).collect(),
            _ => panic!("not on the search screen"),
        }
    }
    /// Back to the queue from wherever (answering "leave?" with yes).
    fn home(&mut self) {
        for _ in 0..10 {
            if matches!(self.app.screen, Screen::Queue)
                && !matches!(self.app.overlay, Some(casedesk::ui::overlay::Overlay::Help { .. }))
                && !matches!(self.app.overlay, Some(casedesk::ui::overlay::Overlay::ConfirmLeave))
            {
                return;
            }
            self.key(KeyCode::Esc);
            if matches!(self.app.overlay, Some(casedesk::ui::overlay::Overlay::ConfirmLeave)) {
                self.ch('y');
            }
        }
        panic!("could not get back to the queue");
    }
}

/// How a walk through the screens goes.
struct Walk {
    who: Who,
    lang: Lang,
    /// Steps to submit on the confidential case (refused for someone who may not act).
    steps: &'static [char],
    /// Also try `i` (refused for someone who may not see).
    reveal_attempt: bool,
}

/// Every screen the walker can reach, each rendered at 120×40 and checked;
/// also checks that the confidential case is really on the screens that list it.
fn walk_screens(site: &Site, w: &Walk) -> Vec<String> {
    let mut f = Vec::new();
    let mut t = tui_in(site, w.lang);
    let who = w.who;
    let label = |what: &str| format!("[{}] screen: {what}", who.name);
    t.sign_in(who);
    check(&mut f, &label("queue, mine"), &t.text());
    for (k, what) in [('2', "all open"), ('3', "overdue"), ('4', "escalated")] {
        t.ch(k);
        let screen = t.text();
        check(&mut f, &label(&format!("queue, {what}")), &screen);
        assert!(screen.contains(&site.conf), "{what}: the case is listed\n{screen}");
    }
    for i in 0..9 {
        t.ch('5');
        check(&mut f, &label(&format!("queue, by state #{i}")), &t.text());
    }
    t.ch('2');
    assert!(
        t.app.queue.rows.iter().any(|r| r.number == site.conf),
        "the case is in the queue"
    );
    t.ch('?');
    assert!(matches!(
        t.app.overlay,
        Some(casedesk::ui::overlay::Overlay::Help { .. })
    ));
    check(&mut f, &label("help over the queue"), &t.text());
    t.key(KeyCode::Esc);

    // Search as you type: the sentinels find nothing.
    t.ch('/');
    for term in [NAME, PHONE, "甄", "12345678", ADDRESS] {
        t.typed(term);
        let found = t.search_results();
        if !found.is_empty() {
            f.push(format!("{}: found {found:?}", label(&format!("search {term}"))));
        }
        check_typed(&mut f, &label(&format!("search {term}")), &t.text(), &[term]);
        for _ in term.chars() {
            t.key(KeyCode::Backspace);
        }
    }
    // The case is there to be found by what anyone may see.
    t.typed("夜班护士");
    assert!(t.search_results().contains(&site.conf), "{:?}", t.search_results());
    check_typed(&mut f, &label("search by summary"), &t.text(), &["夜班护士"]);
    t.key(KeyCode::Enter);
    check(&mut f, &label("case opened from the search"), &t.text());
    t.home();

    // The case page, its timeline, its help, steps submitted.
    t.open_from_queue(&site.conf);
    check(&mut f, &label("case page"), &t.text());
    for _ in 0..8 {
        t.key(KeyCode::Down);
    }
    check(&mut f, &label("case page, timeline scrolled"), &t.text());
    t.ch('?');
    check(&mut f, &label("help over the case"), &t.text());
    t.key(KeyCode::Esc);
    // The visitor's receipt, saved beside the desk: checked with the other files below.
    t.ch('h');
    check(&mut f, &label("receipt saved"), &t.text());
    for &step in w.steps {
        t.ch(step);
        check(&mut f, &label(&format!("step {step} form")), &t.text());
        t.ctrl('s');
        check(&mut f, &label(&format!("step {step} submitted")), &t.text());
        if let Screen::Case(p) = &t.app.screen
            && p.step.is_some()
        {
            t.key(KeyCode::Esc);
            if matches!(t.app.overlay, Some(casedesk::ui::overlay::Overlay::ConfirmLeave)) {
                t.ch('y');
            }
        }
        assert!(matches!(t.app.screen, Screen::Case(_)));
        check(&mut f, &label(&format!("case page after step {step}")), &t.text());
    }
    if w.reveal_attempt {
        let before = site.views().len();
        t.ch('i');
        check(&mut f, &label("reveal form"), &t.text());
        t.typed(REASON);
        t.ctrl('s');
        assert!(!t.revealed(), "{} may not see the complainant", who.name);
        check_typed(&mut f, &label("reveal refused"), &t.text(), &[REASON]);
        assert_eq!(site.views().len(), before, "a refused reveal records nothing");
        t.key(KeyCode::Esc);
        if matches!(t.app.overlay, Some(casedesk::ui::overlay::Overlay::ConfirmLeave)) {
            t.ch('y');
        }
        check(&mut f, &label("case page after the refused reveal"), &t.text());
    }
    t.home();

    // The return-visit worklist, and the case opened from it.
    t.ch('V');
    assert!(matches!(t.app.screen, Screen::List(_)));
    let screen = t.text();
    check(&mut f, &label("visits worklist"), &screen);
    assert!(screen.contains(&site.conf), "the case waits for its visit\n{screen}");
    t.key(KeyCode::Enter);
    check(&mut f, &label("case opened from the visits worklist"), &t.text());
    t.home();
    t.ch('U');
    check(&mut f, &label("urges worklist"), &t.text());
    t.home();

    // Reports, every period, every page of each, and the exported pages.
    t.ch('S');
    assert!(matches!(t.app.screen, Screen::Report(_)), "{:?}", t.app.message);
    check(&mut f, &label("reports"), &t.text());
    let mut caller_listed = false;
    for i in 0..6 {
        t.ch('p');
        for _ in 0..100 {
            t.key(KeyCode::Up);
        }
        for page in 0..8 {
            let screen = t.text();
            caller_listed |= screen.contains("130****5678");
            check(&mut f, &label(&format!("reports, period #{i}, page {page}")), &screen);
            for _ in 0..10 {
                t.key(KeyCode::Down);
            }
        }
        t.ch('e');
    }
    assert!(caller_listed, "the repeat caller is on a report page, masked");
    t.home();

    // The duty log and the handover, and its exported page.
    t.ch('L');
    check(&mut f, &label("duty log"), &t.text());
    t.home();
    t.ch('H');
    t.ch('y');
    assert!(matches!(t.app.screen, Screen::Handover(_)), "{:?}", t.app.message);
    let screen = t.text();
    check(&mut f, &label("handover"), &screen);
    assert!(screen.contains(&site.conf), "the handover lists the case\n{screen}");
    for _ in 0..30 {
        t.key(KeyCode::Down);
    }
    check(&mut f, &label("handover, scrolled"), &t.text());
    t.ch('e');
    t.home();

    // Files the screens exported.
    let mut exported = 0;
    for entry in std::fs::read_dir(site.desk.dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            check(&mut f, &label(&format!("exported {}", path.display())), &text);
            exported += 1;
        }
    }
    assert!(exported >= 3, "the report, handover and receipt pages were exported");
    f
}

/// Another clerk and the admin (in English): no screen shows the complainant;
/// steps and `i` are refused without naming anyone.
#[test]
fn screens_never_show_it_to_another_clerk_or_the_admin() {
    let site = seed();
    let mut failures = Vec::new();
    for (who, lang) in [(CLERK, Lang::Zh), (ADMIN, Lang::En)] {
        failures.extend(walk_screens(
            &site,
            &Walk {
                who,
                lang,
                steps: &['v', 'x', 'c', 'f', 'u'],
                reveal_attempt: true,
            },
        ));
    }
    assert_no_failures("screens", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// A supervisor before pressing `i`: nothing; after `i` and a reason: the
/// complainant, and the viewing is recorded with the reason.
#[test]
fn screens_show_it_to_a_supervisor_only_after_a_reason() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(SUP);
    t.open_from_queue(&site.conf);
    let mut failures = Vec::new();
    check(&mut failures, "[陈主任] case page before i", &t.text());
    t.ch('?');
    check(&mut failures, "[陈主任] help over the case", &t.text());
    t.key(KeyCode::Esc);
    assert_no_failures("supervisor before i", &failures);
    assert!(site.views().is_empty());
    // An empty reason is refused.
    t.ch('i');
    t.ctrl('s');
    assert!(!t.revealed());
    let screen = t.text();
    assert!(leaks(&screen).is_empty(), "{screen}");
    assert!(site.views().is_empty());
    t.typed(REASON);
    t.ctrl('s');
    assert!(t.revealed(), "{:?}", t.app.message);
    let screen = t.text();
    assert!(screen.contains(NAME) && screen.contains(PHONE), "{screen}");
    assert_eq!(
        site.views(),
        vec![(SUP.name.to_string(), site.conf.clone(), REASON.to_string())]
    );
    // Leaving the page hides it again: the next visit needs a new reason.
    t.home();
    t.open_from_queue(&site.conf);
    let screen = t.text();
    assert!(leaks(&screen).is_empty(), "{screen}");
    assert_eq!(site.views().len(), 1);
}

/// The supervisor's queue, search and worklist, before any reason.
#[test]
fn screens_never_show_it_to_a_supervisor_before_a_reason() {
    let site = seed();
    // Only a step the supervisor cannot take yet: closing before the visit.
    let failures = walk_screens(
        &site,
        &Walk {
            who: SUP,
            lang: Lang::Zh,
            steps: &['c'],
            reveal_attempt: false,
        },
    );
    assert_no_failures("supervisor screens before i", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// The owner's case page shows the complainant; opening it is recorded.
#[test]
fn screens_show_it_to_the_owner_and_record_the_viewing() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(OWNER);
    assert!(site.views().is_empty());
    t.open_from_queue(&site.conf);
    assert!(t.revealed());
    let screen = t.text();
    assert!(screen.contains(NAME) && screen.contains(PHONE), "{screen}");
    let views = site.views();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(
        (views[0].0.as_str(), views[0].1.as_str()),
        (OWNER.name, site.conf.as_str())
    );
    assert!(!views[0].2.is_empty());
    // The owner finds the caller by name.
    t.home();
    t.ch('/');
    t.typed(NAME);
    assert!(t.search_results().contains(&site.conf), "{:?}", t.search_results());
    // The anonymous case reads as anonymous on the owner's queue.
    t.home();
    t.ch('2');
    let screen = t.text();
    let line = screen.lines().find(|l| l.contains(&site.anon)).unwrap();
    assert!(line.contains("匿名"), "{line}");
}

/// 李静 takes a call from the same phone: the draft holds only what she typed,
/// and the intake screen shows no name or address.
#[test]
fn drafts_hold_only_what_the_clerk_typed() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(CLERK);
    t.ch('n');
    assert!(matches!(t.app.screen, Screen::Intake(_)));
    t.key(KeyCode::Tab);
    t.key(KeyCode::Tab);
    t.typed(PHONE);
    t.key(KeyCode::Tab);
    t.typed("王女士");
    for _ in 0..9 {
        t.key(KeyCode::Tab);
    }
    t.typed("再次来电询问处理进度");
    let mut failures = Vec::new();
    check_typed(&mut failures, "[李静] intake", &t.text(), &[PHONE]);
    assert_no_failures("intake", &failures);
    t.app.drafts.flush();
    let folder = site.desk.dir().join("desk.db.drafts");
    let files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    let mine = folder.join(format!("intake-{}.json", site.staff_id(CLERK.name)));
    assert_eq!(files, vec![mine.clone()]);
    let text = std::fs::read_to_string(&mine).unwrap();
    assert!(leaks(&text.replacen(PHONE, "", 1)).is_empty(), "{text}");
    let draft: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let field = |k: &str| draft.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    assert_eq!(field("phone"), PHONE);
    assert_eq!(field("name"), "王女士");
    assert_eq!(field("summary"), "再次来电询问处理进度");
    for k in ["relation", "address", "details", "promise", "received"] {
        assert_eq!(field(k), "", "{k} was not typed: {text}");
    }
    assert_eq!(field("confidential"), "false");
    assert_eq!(field("anonymous"), "false");
    // Leaving on purpose leaves nothing behind.
    t.home();
    t.app.drafts.flush();
    assert!(!mine.exists());
}

/// The caller lookup at intake is a search by phone too.
#[test]
fn the_intake_caller_lookup_does_not_match_a_confidential_complainant() {
    let site = seed();
    let mut t = tui(&site);
    t.sign_in(CLERK);
    t.ch('n');
    t.key(KeyCode::Tab);
    t.key(KeyCode::Tab);
    t.typed(PHONE);
    let history: Vec<String> = match &t.app.screen {
        Screen::Intake(i) => i.history.iter().map(|r| r.number.clone()).collect(),
        _ => panic!("not on intake"),
    };
    assert!(
        !history.contains(&site.conf) && !history.contains(&site.conf2),
        "the phone of a confidential complainant matched {history:?}"
    );
    let screen = t.text();
    assert!(
        !screen.contains(&site.conf) && !screen.contains("夜班护士态度生硬"),
        "{screen}"
    );
}
