//! The desk in the terminal: ratatui screens over the same engine as the command line.

pub mod app;
pub mod case_page;
pub mod case_view;
pub mod component;
pub mod draft;
pub mod form;
pub mod form_view;
pub mod handover;
pub mod help;
pub mod intake;
pub mod keymap;
pub mod log;
pub mod log_entry;
pub mod overlay;
pub mod prompt;
pub mod queue;
pub mod render;
pub mod report;
pub mod search;
pub mod setup;
pub mod sign_in;
pub mod steps;
pub mod theme;
pub mod widgets;
pub mod worklist;
pub mod write;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use crossterm::execute;

pub use app::App;

use crate::desk::Desk;

/// How often the loop wakes without input: idle lock, other terminals' changes, signals.
const TICK: Duration = Duration::from_millis(250);

/// Runs the desk until the clerk quits, a signal arrives or the terminal goes away.
/// The terminal is always given back; the draft is on disk first.
pub fn run(desk: Desk) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::try_init()?;
    drop(execute!(std::io::stdout(), EnableBracketedPaste));
    let mut app = App::new(desk);
    let result = event_loop(&mut app, &mut terminal, &stop);
    // Order matters: drafts to disk, then the terminal back.
    app.drafts.flush();
    drop(execute!(std::io::stdout(), DisableBracketedPaste));
    drop(ratatui::try_restore());
    drop(std::io::stdout().flush());
    result
}

fn event_loop(app: &mut App, terminal: &mut ratatui::DefaultTerminal, stop: &AtomicBool) -> anyhow::Result<()> {
    let mut last = Instant::now();
    let mut dirty = true;
    let mut early_wakes = 0u32;
    // Polling once installs crossterm's resize handler before the first frame,
    // so a resize right after start is not lost.
    let _ = event::poll(Duration::ZERO)?;
    let mut size = terminal.size()?;
    // For tests only: with CASEDESK_FAULT_INJECTION set, F12 panics, so the
    // panic path (terminal restored, draft on disk) can be checked end to end.
    let fault_injection = std::env::var_os("CASEDESK_FAULT_INJECTION").is_some();
    while !app.quit && !stop.load(Ordering::Relaxed) {
        let now = app.desk.now();
        if dirty {
            terminal.draw(|f| render::draw(app, f, now))?;
            dirty = false;
        }
        let waited = Instant::now();
        // A closed terminal makes polling or reading fail: leave cleanly.
        if event::poll(TICK)? {
            early_wakes = 0;
            match event::read()? {
                Event::Key(k) if fault_injection && k.code == crossterm::event::KeyCode::F(12) => {
                    app.drafts.flush();
                    panic!("fault injection: F12 with CASEDESK_FAULT_INJECTION set");
                }
                Event::Key(k) if k.kind != KeyEventKind::Release => app.handle_key(k, app.desk.now()),
                Event::Paste(text) => app.paste(&text, app.desk.now()),
                _ => {}
            }
            dirty = true;
        } else if waited.elapsed() < TICK / 4 {
            // No event, yet the wait ended early: the terminal is gone (a hung-up
            // pty reads as ready with nothing in it). Do not spin: leave.
            early_wakes += 1;
            if early_wakes > 20 {
                break;
            }
        } else {
            early_wakes = 0;
        }
        let elapsed = last.elapsed();
        last = Instant::now();
        let before = app.data_version;
        let locked = app.locked();
        app.tick(elapsed, app.desk.now());
        let now_size = terminal.size()?;
        dirty |= before != app.data_version || locked != app.locked() || now_size != size;
        size = now_size;
    }
    Ok(())
}
