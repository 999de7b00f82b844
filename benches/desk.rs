//! The interactive paths on a large demo desk: keypress to finished frame
//! (moving and paging in the queue, typing in intake, a caller's phone typed
//! in intake and their history looked up, typing a search of 1, 2
//! and 3+ Chinese characters), a search on a cold cache, saving a case and a
//! step with their audit events (fsync included), and a year's report.
//!
//! `CASEDESK_BENCH_CASES` sets the desk size (default 100000). The desk is made
//! once by the demo generator and kept in `target/bench-desks/`.
//! `scripts/bench.sh` runs this at 10,000, 100,000 and 1,000,000 cases.
//!
//!     cargo bench --bench desk
//!     CASEDESK_BENCH_CASES=1000000 cargo bench --bench desk
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{LazyLock, Mutex};

use casedesk::desk::Desk;
use casedesk::ui::App;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod support;

use support::{cases, desk_paths, evict};

fn main() {
    divan::main();
}

struct Bench {
    app: App,
    term: Terminal<TestBackend>,
}

static APP: LazyLock<Mutex<Bench>> = LazyLock::new(|| {
    let paths = desk_paths(cases());
    let desk = Desk::open(&paths, Lang::Zh, false).unwrap();
    let mut app = App::new(desk);
    let now = app.desk.now();
    let me = app.desk.sign_in("张小明", casedesk::demo::DEMO_PIN).unwrap();
    app.signed_in(me, now);
    // The demo desk keeps no drafts; a restored one would change the screen.
    if !matches!(app.screen, casedesk::ui::app::Screen::Queue) {
        app.screen = casedesk::ui::app::Screen::Queue;
    }
    app.apply(Action::FilterAll, now);
    Mutex::new(Bench {
        app,
        term: Terminal::new(TestBackend::new(100, 30)).unwrap(),
    })
});

fn frame(b: &mut Bench) {
    let now = b.app.desk.now();
    let app = &b.app;
    b.term.draw(|f| casedesk::ui::render::draw(app, f, now)).unwrap();
}

/// Divan makes all of a sample's inputs before it times them. Where a setup
/// prepares shared state (the one app, the page cache) for the one run after
/// it, a sample must be one run (`sample_size = 1`); this catches a larger
/// `--sample-size` given on the command line.
#[derive(Default)]
struct OneAtATime(std::cell::Cell<bool>);

impl OneAtATime {
    fn setup(&self) {
        assert!(
            !self.0.replace(true),
            "this benchmark needs --sample-size 1: each setup prepares the one timed run after it"
        );
    }

    fn timed(&self) {
        self.0.set(false);
    }
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// ↓ in the queue, then the frame.
#[divan::bench]
fn queue_move(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    let mut down = true;
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        let n = b.app.queue.rows.len();
        if b.app.queue.selected + 1 >= n {
            down = false;
        } else if b.app.queue.selected == 0 {
            down = true;
        }
        b.app.apply(if down { Action::Down } else { Action::Up }, now);
        frame(&mut b);
    });
}

/// Types all of `text` but its last character, then times one key per
/// iteration: the last character, then Backspace, and again; each with its frame.
fn type_last_and_back(bencher: divan::Bencher<'_, '_>, b: &mut Bench, text: &str) {
    let now = b.app.desk.now();
    let chars: Vec<char> = text.chars().collect();
    let (head, last) = chars.split_at(chars.len() - 1);
    for c in head {
        b.app.handle_key(key(KeyCode::Char(*c)), now);
    }
    let mut typed = false;
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        let k = if typed {
            KeyCode::Backspace
        } else {
            KeyCode::Char(last[0])
        };
        typed = !typed;
        b.app.handle_key(key(k), now);
        frame(b);
    });
}

/// A character typed into the intake summary (draft saved in the background), then the frame.
#[divan::bench]
fn intake_typing(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let now = b.app.desk.now();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    b.app.handle_key(key(KeyCode::Char('n')), now);
    for _ in 0..11 {
        b.app.handle_key(key(KeyCode::Tab), now);
    }
    let text: Vec<char> = "门诊挂号窗口排队时间太长工作人员态度生硬".chars().collect();
    // One key per iteration: type the sentence, then delete it, and again.
    let mut i = 0usize;
    let n = text.len();
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        let k = if i % (2 * n) < n {
            KeyCode::Char(text[i % n])
        } else {
            KeyCode::Backspace
        };
        b.app.handle_key(key(k), now);
        i += 1;
        frame(&mut b);
    });
    let now = b.app.desk.now();
    b.app.handle_key(key(KeyCode::Esc), now);
    b.app.handle_key(key(KeyCode::Char('y')), now);
    b.app.drafts.flush();
}

/// The last digit of the busiest caller's phone typed into intake: the
/// caller's history (their 20 newest cases, and how many fall in the repeat
/// window) read and drawn; then Backspace, a number no one has. The demo's
/// busiest callers have about 1,500 cases at a million.
#[divan::bench]
fn intake_caller(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let phone: String = b
        .app
        .desk
        .store()
        .conn()
        .query_row(
            "SELECT caller_key FROM cases WHERE caller_key GLOB '1[0-9]*'
             GROUP BY caller_key ORDER BY COUNT(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let now = b.app.desk.now();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    b.app.handle_key(key(KeyCode::Char('n')), now);
    for _ in 0..2 {
        b.app.handle_key(key(KeyCode::Tab), now);
    }
    type_last_and_back(bencher, &mut b, &phone);
    let now = b.app.desk.now();
    b.app.handle_key(key(KeyCode::Esc), now);
    b.app.handle_key(key(KeyCode::Char('y')), now);
    b.app.drafts.flush();
}

/// Typing a search: the term's last character (or deleting it), results drawn;
/// terms of 1, 2 and 4 characters, common and rare.
#[divan::bench(args = ["护", "态度", "挂失", "护士态度", "医保", "zz"])]
fn search_typing(bencher: divan::Bencher<'_, '_>, term: &str) {
    let mut b = APP.lock().unwrap();
    let now = b.app.desk.now();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    b.app.handle_key(key(KeyCode::Char('/')), now);
    type_last_and_back(bencher, &mut b, term);
    b.app.handle_key(key(KeyCode::Esc), now);
}

/// PageDown in the queue (ten rows; past the loaded rows, a keyset page of
/// the next cases is read), then the frame; at the queue's end, Home.
#[divan::bench]
fn queue_page(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        let q = &b.app.queue;
        let at_bottom = q.at_end && q.selected + 1 >= q.rows.len();
        b.app.apply(if at_bottom { Action::Top } else { Action::PageDown }, now);
        frame(&mut b);
    });
}

/// ↓ on the last loaded row: the next page read off the desk by key, then the frame.
#[divan::bench]
fn queue_next_page(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        if b.app.queue.at_end {
            b.app.apply(Action::Top, now);
        }
        b.app.queue.selected = b.app.queue.rows.len().saturating_sub(1);
        b.app.apply(Action::Down, now);
        frame(&mut b);
    });
}

/// The queue's list and counts read again (what another terminal's write causes), then the frame.
#[divan::bench]
fn queue_refresh(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    bencher.bench_local(|| {
        let now = b.app.desk.now();
        b.app.reload_queue(now);
        frame(&mut b);
    });
}

/// A search on a cold cache: a fresh connection (as the search screen's: the
/// signed-in clerk's, its own SQLite cache holding only what opening read), then
/// the desk's file, its write-ahead log and the log's index dropped from the
/// operating system's cache (as after a reboot); timed: the first page of
/// results read. Opening and evicting are not timed.
#[divan::bench(args = ["护", "态度", "护士态度", "zz"], sample_count = 20, sample_size = 1)]
fn search_cold(bencher: divan::Bencher<'_, '_>, term: &str) {
    let paths = desk_paths(cases());
    // APP's connection stays open, so the desk is in WAL mode with its log beside it.
    let viewer = APP.lock().unwrap().app.user.clone();
    let filter = casedesk::store::list::CaseFilter {
        search: Some(term.to_string()),
        limit: 50,
        ..Default::default()
    };
    let pending = OneAtATime::default();
    bencher
        .with_inputs(|| {
            pending.setup();
            let store = casedesk::store::Store::open_existing(&paths.db).unwrap();
            evict(&paths.db);
            store
        })
        .bench_local_values(|store| {
            pending.timed();
            let rows = store.list(&filter, viewer.as_ref()).unwrap();
            // Both dropped after the timing.
            (store, rows)
        });
}

/// A new case saved as intake saves it: number, repeat checks, row, search
/// entry (with its part's few pages of merging) and audit events in one
/// transaction, fsync included; 500 of them, so the slowest is seen.
#[divan::bench(sample_count = 500, sample_size = 1)]
fn save_case(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let actor = b.app.user.clone().unwrap();
    bencher.bench_local(|| {
        divan::black_box(b.app.desk.intake(&actor, bench_form()).unwrap());
    });
}

/// A step saved on a case (a promised reply time): the case read, the rules
/// applied, its row and audit event written in one transaction, fsync included.
#[divan::bench(sample_count = 100, sample_size = 1)]
fn save_step(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let actor = b.app.user.clone().unwrap();
    // The setup makes the case; only the step is timed.
    let desk = std::cell::RefCell::new(&mut b.app.desk);
    bencher
        .with_inputs(|| {
            let mut desk = desk.borrow_mut();
            desk.intake(&actor, bench_form()).unwrap().case.number().to_string()
        })
        .bench_local_values(|number| {
            let mut desk = desk.borrow_mut();
            let promise = casedesk::domain::Command::Promise {
                at: desk.now() + chrono::Duration::days(2),
            };
            divan::black_box(desk.execute(&actor, &number, None, &promise).unwrap());
        });
}

fn bench_form() -> casedesk::domain::IntakeForm {
    use casedesk::domain::{CategoryId, Channel, Complainant, DeptId, Kind, Origin, Severity};
    casedesk::domain::IntakeForm {
        number: String::new(),
        received_at: None,
        channel: Channel::Phone,
        kind: Kind::Complaint,
        origin: Origin::External,
        complainant: Complainant::Named {
            name: "周测试".into(),
            phone: Some("13800001111".into()),
            address: None,
            relation: None,
        },
        confidential: false,
        dept: Some(DeptId(1)),
        subject_staff: None,
        category: Some(CategoryId(1)),
        severity: Severity::Minor,
        summary: "门诊挂号排队时间太长".into(),
        details: "上午挂号窗口只开两个，排队一个多小时。".into(),
        promised_reply_at: None,
        flags: Vec::new(),
    }
}

/// A year's report: every count, rate and chart of the report screen.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn year_report(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let args = casedesk::cli::ReportArgs {
        period: Some(casedesk::report::PeriodName::Year),
        quarterly: false,
        from: None,
        to: None,
        dept: None,
        category: None,
        kind: None,
        channel: None,
        format: casedesk::report::ReportFormat::Text,
        out: None,
        actor: None,
        names: false,
    };
    bencher.bench_local(|| {
        divan::black_box(casedesk::commands::make_report(&mut b.app.desk, &args).ok().unwrap());
    });
}
