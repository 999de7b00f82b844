//! Keypress to finished frame on a large demo desk: moving in the queue, typing
//! in intake, typing a search (1, 2 and 3+ Chinese characters).
//!
//! `CASEDESK_BENCH_CASES` sets the desk size (default 100000). The desk is made
//! once by the demo generator and kept in `target/bench-desks/`.
//!
//!     cargo bench --bench desk
//!     CASEDESK_BENCH_CASES=1000000 cargo bench --bench desk
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use casedesk::desk::Desk;
use casedesk::i18n::Lang;
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::keymap::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn cases() -> u64 {
    std::env::var("CASEDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// A demo desk of the requested size, made once and reused.
pub fn desk_paths(n: u64) -> Paths {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-desks");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = Paths {
        db: dir.join(format!("demo-{n}.db")),
        policy: dir.join("none.toml"),
        calendar: dir.join("none-cal.toml"),
    };
    if !paths.db.exists() {
        let tmp = dir.join(format!("demo-{n}.tmp.db"));
        drop(std::fs::remove_file(&tmp));
        let tmp_paths = Paths {
            db: tmp.clone(),
            ..paths.clone()
        };
        let mut desk = Desk::open(&tmp_paths, Lang::Zh, true).unwrap();
        eprintln!("making a {n}-case demo desk (once)…");
        casedesk::demo::generate(&mut desk, n, 7, &|_| {}).unwrap();
        drop(desk);
        std::fs::rename(&tmp, &paths.db).unwrap();
    }
    paths
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
    let me = app
        .desk
        .store
        .sign_in("张小明", casedesk::demo::DEMO_PIN, now, &app.desk.policy.security)
        .unwrap();
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

/// Typing a search: the term's last character (or deleting it), results drawn;
/// terms of 1, 2 and 4 characters, common and rare.
#[divan::bench(args = ["护", "态度", "挂失", "护士态度", "医保", "zz"])]
fn search_typing(bencher: divan::Bencher<'_, '_>, term: &str) {
    let mut b = APP.lock().unwrap();
    let now = b.app.desk.now();
    b.app.screen = casedesk::ui::app::Screen::Queue;
    b.app.handle_key(key(KeyCode::Char('/')), now);
    let chars: Vec<char> = term.chars().collect();
    let (head, last) = chars.split_at(chars.len() - 1);
    for c in head {
        b.app.handle_key(key(KeyCode::Char(*c)), now);
    }
    // One key per iteration: the term's last character, then Backspace, and again.
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
        frame(&mut b);
    });
    b.app.handle_key(key(KeyCode::Esc), now);
}
