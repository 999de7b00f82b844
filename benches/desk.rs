//! The interactive paths on a large demo desk: keypress to finished frame
//! (moving and paging in the queue, typing in intake, a caller's phone typed
//! in intake and their history looked up, typing a search of 1, 2 and 4
//! characters), the queue read again after another terminal's write, a search
//! on a cold cache, saving a case and a step with their audit events (fsync
//! included), and a year's report.
//!
//! Keypress → frame is one turn of the desk's event loop from the `KeyEvent`
//! crossterm delivers: the key looked up in the keymap and carried out
//! (`App::handle_key`), the loop's tick, and the frame drawn and encoded to
//! escape sequences by ratatui's crossterm backend (see [`press`]). One key
//! is timed per sample; whatever brings the app back to the state that key
//! is timed from (a Backspace, Home) runs before it, untimed (see
//! [`time_keys`]), so these benchmarks need a sample size of 1.
//!
//! `CASEDESK_BENCH_CASES` sets the desk size (default 100000). The desk is made
//! once by the demo generator and kept in `target/bench-desks/`; the
//! benchmarks' own intakes stay in it. `scripts/bench.sh` runs this at 10,000,
//! 100,000 and 1,000,000 cases.
//!
//!     cargo bench --bench desk
//!     CASEDESK_BENCH_CASES=1000000 cargo bench --bench desk
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use casedesk::desk::Desk;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::{Action, lookup};
use casedesk::ui::queue::{PAGE, WINDOW};
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

mod support;

use support::{cases, desk_paths, evict};

fn main() {
    divan::main();
}

/// The terminal the frames go to: ratatui's crossterm backend, as in the
/// desk, encoding each frame to escape sequences (only the cells that changed
/// since the last frame), written to [`Tty`].
type Term = Terminal<CrosstermBackend<Tty>>;

/// Bytes written to [`Tty`], for the check that every timed frame wrote some.
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// Stands in for the desk's stdout: collects the escape sequences, and on each
/// flush (a few per frame) lets them go, keeping the buffer's memory. The
/// desk's stdout would then write(2) them to the terminal; that system call,
/// and the terminal's work, are not timed.
struct Tty(Vec<u8>);

impl std::io::Write for Tty {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        WRITTEN.fetch_add(divan::black_box(&self.0).len() as u64, Ordering::Relaxed);
        self.0.clear();
        Ok(())
    }
}

struct Bench {
    app: App,
    term: Term,
}

static APP: LazyLock<Mutex<Bench>> = LazyLock::new(|| {
    let paths = desk_paths(cases());
    let desk = Desk::open(&paths, Lang::Zh, false).unwrap();
    let mut app = App::new(desk);
    let now = app.desk.now();
    let me = app.desk.sign_in("张小明", casedesk::demo::DEMO_PIN).unwrap();
    app.signed_in(me, now);
    // The demo desk keeps no drafts; a restored one would change the screen.
    if !matches!(app.screen, Screen::Queue) {
        app.screen = Screen::Queue;
    }
    app.apply(Action::FilterAll, now);
    enough_open_cases(&mut app);
    Mutex::new(Bench { app, term: terminal() })
});

/// The queue benchmarks move through the open cases, 100 rows read at a time
/// and at most 300 held; a 10,000-case demo has about 100 open, which fit in
/// one read. Cases are added (as `save_case` adds them, but anonymous, so no
/// caller's history grows) until the view of all open cases has five pages,
/// so that ↓ past the loaded rows reads a full page at every size. Not timed;
/// kept in the desk.
fn enough_open_cases(app: &mut App) {
    let want = 5 * PAGE as u64;
    if app.queue.total < want {
        let actor = app.user.clone().unwrap();
        for _ in app.queue.total..want {
            let form = casedesk::domain::IntakeForm {
                complainant: casedesk::domain::Complainant::Anonymous,
                ..bench_form()
            };
            app.desk.intake(&actor, form).unwrap();
        }
        let now = app.desk.now();
        app.apply(Action::FilterAll, now);
    }
    assert!(app.queue.total >= want, "{} open cases", app.queue.total);
}

/// A fixed 100×30 screen. The desk's own full-screen terminal also asks the
/// terminal's size before each frame (an ioctl); that is not timed here.
fn terminal() -> Term {
    Terminal::with_options(
        CrosstermBackend::new(Tty(Vec::with_capacity(1 << 16))),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
        },
    )
    .unwrap()
}

/// Draws the frame as the desk's loop does, to bytes.
fn frame(b: &mut Bench) {
    let now = b.app.desk.now();
    let app = &b.app;
    b.term.draw(|f| casedesk::ui::render::draw(app, f, now)).unwrap();
}

/// One turn of the desk's event loop (`event_loop` in `src/ui.rs`) for one
/// key: the key looked up in the keymap and carried out (`App::handle_key`),
/// the loop's tick (the idle clock, and SQLite's data version read to see
/// other terminals' writes), the frame encoded.
///
/// It starts from the `KeyEvent` crossterm hands the loop. Decoding the key's
/// bytes is not timed: crossterm's parser is private to it, and
/// `event::read` reads only from a real terminal; a key is a few bytes.
fn press(b: &mut Bench, k: KeyEvent) {
    let now = b.app.desk.now();
    b.app.handle_key(k, now);
    let now = b.app.desk.now();
    b.app.tick(Duration::ZERO, now);
    frame(b);
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// What `k` does on the screen in front (`None`: a typed character).
fn expect(b: &Bench, k: KeyCode, action: Option<Action>) {
    assert_eq!(lookup(b.app.scope(), &key(k)), action, "{k:?}");
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

/// Times keypress → frame ([`press`]), one key per sample. Before each key,
/// untimed: `setup` brings the app to the state the key is timed from (for a
/// search or a phone, the same state every time; checked) and answers the key; that state's frame is drawn, so
/// the timed frame writes only what the key changed; and the background draft
/// writer has finished, as when keys come at typing speed.
fn time_keys(bencher: divan::Bencher<'_, '_>, b: &mut Bench, mut setup: impl FnMut(&mut Bench) -> KeyEvent) {
    let b = RefCell::new(b);
    let pending = OneAtATime::default();
    // The bytes written when the last setup ended: the timed frame wrote more.
    let mark = std::cell::Cell::new(None);
    let wrote = |mark: Option<u64>| {
        if let Some(m) = mark {
            assert!(WRITTEN.load(Ordering::Relaxed) > m, "a timed frame wrote nothing");
        }
    };
    bencher
        .with_inputs(|| {
            pending.setup();
            wrote(mark.get());
            let mut b = b.borrow_mut();
            let k = setup(&mut b);
            frame(&mut b);
            b.app.drafts.flush();
            mark.set(Some(WRITTEN.load(Ordering::Relaxed)));
            k
        })
        .bench_local_values(|k| {
            pending.timed();
            press(&mut b.borrow_mut(), k);
        });
    wrote(mark.get());
}

fn on_queue(b: &mut Bench) {
    b.app.screen = Screen::Queue;
    frame(b);
}

/// Leaves the intake form, its draft discarded.
fn leave_form(b: &mut Bench) {
    press(b, key(KeyCode::Esc));
    press(b, key(KeyCode::Char('y')));
    b.app.drafts.flush();
}

/// The text of the search box.
fn search_text(b: &Bench) -> String {
    match &b.app.screen {
        Screen::Search(s) => s.input.text().to_string(),
        _ => panic!("not on the search screen"),
    }
}

/// The intake screen in front.
fn intake(b: &Bench) -> &casedesk::ui::intake::Intake {
    match &b.app.screen {
        Screen::Intake(i) => i,
        _ => panic!("not on the intake screen"),
    }
}

/// ↓ in the queue, then the frame: the selection moves down one loaded row
/// (and the list scrolls once it is at the bottom of the screen). When the
/// next ↓ would read a page (that is `queue_next_page`), Home first, untimed.
#[divan::bench(sample_size = 1)]
fn queue_move(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    expect(&b, KeyCode::Down, Some(Action::Down));
    expect(&b, KeyCode::Home, Some(Action::Top));
    time_keys(bencher, &mut b, |b| {
        let q = &b.app.queue;
        if q.selected + 1 >= q.rows.len() {
            press(b, key(KeyCode::Home));
        }
        key(KeyCode::Down)
    });
}

/// A character typed into the intake summary, then the frame (the draft handed
/// to the background writer). The sentence is typed a character per sample;
/// once it is all there, it is deleted, untimed.
#[divan::bench(sample_size = 1)]
fn intake_typing(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    press(&mut b, key(KeyCode::Char('n')));
    // … to the summary (channel, kind, phone, name, relation, address, two
    // toggles, department, subject, category, severity).
    for _ in 0..12 {
        press(&mut b, key(KeyCode::Tab));
    }
    let text: Vec<char> = "门诊挂号窗口排队时间太长工作人员态度生硬".chars().collect();
    for c in &text {
        expect(&b, KeyCode::Char(*c), None);
    }
    let mut typed = 0;
    time_keys(bencher, &mut b, |b| {
        if typed == text.len() {
            for _ in 0..typed {
                press(b, key(KeyCode::Backspace));
            }
            typed = 0;
        }
        assert_eq!(intake(b).form.text("summary"), text[..typed].iter().collect::<String>());
        typed += 1;
        key(KeyCode::Char(text[typed - 1]))
    });
    leave_form(&mut b);
}

/// The last digit of the busiest caller's phone typed into intake: the
/// caller's history (their 20 newest cases, and how many fall in the repeat
/// window) read and drawn. Before each, untimed: Backspace (a number no one
/// has, looked up). The caller is the demo's busiest (the benchmarks' own
/// intakes, one phone with more cases after every run, left out): 20 cases
/// at 10,000, about 1,500 at a million.
#[divan::bench(sample_size = 1)]
fn intake_caller(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let phone: String = b
        .app
        .desk
        .store()
        .conn()
        .query_row(
            "SELECT caller_key FROM cases WHERE caller_key GLOB '1[0-9]*' AND caller_key <> ?1
             GROUP BY caller_key ORDER BY COUNT(*) DESC LIMIT 1",
            [BENCH_PHONE],
            |r| r.get(0),
        )
        .unwrap();
    on_queue(&mut b);
    press(&mut b, key(KeyCode::Char('n')));
    for _ in 0..2 {
        press(&mut b, key(KeyCode::Tab));
    }
    let (head, last) = phone.split_at(phone.len() - 1);
    let last = last.chars().next().unwrap();
    for c in head.chars() {
        press(&mut b, key(KeyCode::Char(c)));
    }
    expect(&b, KeyCode::Char(last), None);
    time_keys(bencher, &mut b, |b| {
        if intake(b).form.text("phone") == phone {
            press(b, key(KeyCode::Backspace));
        }
        assert_eq!(intake(b).form.text("phone"), head);
        key(KeyCode::Char(last))
    });
    assert!(!intake(&b).history.is_empty(), "the caller's history was not looked up");
    leave_form(&mut b);
}

/// Typing a search: the term's last character typed, its results read and
/// drawn; terms of 1, 2 and 4 characters, common and rare. Before each,
/// untimed: Backspace (the term without its last character, searched again).
#[divan::bench(args = ["护", "态度", "挂失", "护士态度", "医保", "zz"], sample_size = 1)]
fn search_typing(bencher: divan::Bencher<'_, '_>, term: &str) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    expect(&b, KeyCode::Char('/'), Some(Action::Search));
    press(&mut b, key(KeyCode::Char('/')));
    let (head, last) = term.split_at(term.len() - term.chars().last().unwrap().len_utf8());
    let last = last.chars().next().unwrap();
    for c in head.chars() {
        press(&mut b, key(KeyCode::Char(c)));
    }
    expect(&b, KeyCode::Char(last), None);
    time_keys(bencher, &mut b, |b| {
        if search_text(b) == term {
            press(b, key(KeyCode::Backspace));
        }
        assert_eq!(search_text(b), head);
        key(KeyCode::Char(last))
    });
    press(&mut b, key(KeyCode::Esc));
}

/// PageDown in the queue, then the frame: ten rows on; past the loaded rows (one
/// PageDown in ten), a keyset page of the next cases is read first. At the
/// view's end, Home first, untimed.
#[divan::bench(sample_size = 1)]
fn queue_page(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    expect(&b, KeyCode::PageDown, Some(Action::PageDown));
    time_keys(bencher, &mut b, |b| {
        let q = &b.app.queue;
        if q.at_end && q.selected + 1 >= q.rows.len() {
            press(b, key(KeyCode::Home));
        }
        key(KeyCode::PageDown)
    });
}

/// ↓ on the last loaded row: the next page read off the desk by key (the
/// window already holds its 300 rows, so the first 100 are dropped), then the
/// frame. Before each, untimed: Home, two pages read the same way, and the
/// selection put on the last loaded row and drawn (where the clerk's ↓s would
/// have brought it), so every sample starts from the same place.
#[divan::bench(sample_size = 1)]
fn queue_next_page(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    expect(&b, KeyCode::Down, Some(Action::Down));
    let mut after_timed = false;
    time_keys(bencher, &mut b, |b| {
        let full = |q: &casedesk::ui::queue::Queue| q.rows.len() == WINDOW && !q.at_end;
        // The timed ↓ read a full page.
        assert!(!after_timed || full(&b.app.queue));
        after_timed = true;
        press(b, key(KeyCode::Home));
        for _ in 0..2 {
            b.app.queue.selected = b.app.queue.rows.len() - 1;
            press(b, key(KeyCode::Down));
        }
        assert!(full(&b.app.queue));
        b.app.queue.selected = b.app.queue.rows.len() - 1;
        key(KeyCode::Down)
    });
}

/// Another terminal's write seen: the loop's tick finds SQLite's data version
/// changed and reads what the screen shows again (on the queue: its rows and
/// the top bar's counts), then the frame. Before each, untimed: the write, a
/// commit on a second connection that leaves every value as it was (so the
/// queue stays as it is); as after any other connection's commit, this connection's SQLite
/// cache is dropped, and the reads come from the operating system's cache.
#[divan::bench(sample_size = 1)]
fn queue_refresh(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    on_queue(&mut b);
    let other = casedesk::store::Store::open_existing(&desk_paths(cases()).db).unwrap();
    let b = RefCell::new(&mut *b);
    let pending = OneAtATime::default();
    bencher
        .with_inputs(|| {
            pending.setup();
            let mut b = b.borrow_mut();
            // A row put in and taken out again: a real commit that leaves every
            // value as it was (case numbers may only go up, so not the counters).
            other
                .conn()
                .execute_batch(
                    "BEGIN IMMEDIATE; INSERT INTO rate_bases (month, value) VALUES ('1999-01', 1);
                     DELETE FROM rate_bases WHERE month = '1999-01'; COMMIT",
                )
                .unwrap();
            assert_ne!(b.app.desk.store().data_version().unwrap(), b.app.data_version);
            frame(&mut b);
        })
        .bench_local_values(|()| {
            pending.timed();
            let mut b = b.borrow_mut();
            let now = b.app.desk.now();
            b.app.tick(Duration::ZERO, now);
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
/// transaction, fsync included; 500 of them, so the slowest is seen. The
/// form is made, and the saved case dropped, untimed.
#[divan::bench(sample_count = 500, sample_size = 1)]
fn save_case(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let actor = b.app.user.clone().unwrap();
    let desk = &mut b.app.desk;
    bencher
        .with_inputs(bench_form)
        .bench_local_values(|form| desk.intake(&actor, form).unwrap());
}

/// A step saved on a case (a promised reply time): the case read, the rules
/// applied, its row and audit event written in one transaction, fsync
/// included. The case is made before each, untimed.
#[divan::bench(sample_count = 100, sample_size = 1)]
fn save_step(bencher: divan::Bencher<'_, '_>) {
    let mut b = APP.lock().unwrap();
    let actor = b.app.user.clone().unwrap();
    let desk = RefCell::new(&mut b.app.desk);
    bencher
        .with_inputs(|| {
            let mut desk = desk.borrow_mut();
            let number = desk.intake(&actor, bench_form()).unwrap().case.number().to_string();
            let promise = casedesk::domain::Command::Promise {
                at: desk.now() + chrono::Duration::days(2),
                reason: None,
            };
            (number, promise)
        })
        .bench_local_values(|(number, promise)| desk.borrow_mut().execute(&actor, &number, None, &promise).unwrap());
}

/// The phone of the benchmarks' own intakes.
const BENCH_PHONE: &str = "13800001111";

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
            phone: Some(BENCH_PHONE.into()),
            address: None,
            relation: None,
        },
        confidential: false,
        dept: Some(DeptId(1)),
        subject_staff: None,
        subject_person: None,
        category: Some(CategoryId(1)),
        severity: Severity::Minor,
        summary: "门诊挂号排队时间太长".into(),
        details: "上午挂号窗口只开两个，排队一个多小时。".into(),
        promised_reply_at: None,
        flags: Vec::new(),
    }
}

/// A year's report built: every count, rate and series of the report screen
/// (and of `casedesk report`) read off the desk. Not drawn or rendered to
/// text; the report is dropped untimed.
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
        base: None,
    };
    bencher.bench_local(|| casedesk::commands::make_report(&mut b.app.desk, &args).ok().unwrap());
}
