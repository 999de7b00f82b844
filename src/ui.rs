//! The desk in the terminal: ratatui screens over the same engine as the command line.

pub mod app;
pub mod call;
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
pub mod phrases;
pub mod prompt;
pub mod queue;
pub mod render;
pub mod report;
pub mod search;
pub mod setup;
pub mod sign_in;
pub mod steps;
pub mod theme;
pub mod views;
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
pub const TICK: Duration = Duration::from_millis(250);

/// What woke the loop.
#[derive(Debug)]
pub enum Wake {
    /// A key, a paste or a resize.
    Input(Event),
    /// Time passed, or another terminal changed the desk: look again.
    Tick,
    /// Something the clerk must be told (a page could not be saved).
    Said(String),
    /// The terminal has gone.
    Gone,
}

/// Where the screens' input comes from: this process's terminal, or a clerk's
/// terminal at the far end of a connection to the desk service.
pub trait Keys {
    /// Waits up to `timeout` for the next input.
    fn wait(&mut self, timeout: Duration) -> std::io::Result<Wake>;
}

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
    app.station = station();
    // Polling once installs crossterm's resize handler before the first frame,
    // so a resize right after start is not lost.
    let result = event::poll(Duration::ZERO)
        .map_err(anyhow::Error::from)
        .and_then(|_| drive(&mut app, &mut terminal, &mut LocalKeys::default(), &stop, &|| {}));
    // Order matters: drafts to disk, then the terminal back.
    app.drafts.flush();
    drop(execute!(std::io::stdout(), DisableBracketedPaste));
    drop(ratatui::try_restore());
    drop(std::io::stdout().flush());
    result
}

/// The station (terminal) these screens are, as `casedesk ring --station`
/// names it: `CASEDESK_STATION`, none when unset or blank.
#[must_use]
pub fn station() -> Option<String> {
    std::env::var("CASEDESK_STATION")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// This process's own terminal.
#[derive(Default)]
struct LocalKeys {
    early_wakes: u32,
}

impl Keys for LocalKeys {
    fn wait(&mut self, timeout: Duration) -> std::io::Result<Wake> {
        let waited = Instant::now();
        // A closed terminal makes polling or reading fail: leave cleanly.
        if event::poll(timeout)? {
            self.early_wakes = 0;
            return Ok(Wake::Input(event::read()?));
        }
        if waited.elapsed() < timeout / 4 {
            // No event, yet the wait ended early: the terminal is gone (a hung-up
            // pty reads as ready with nothing in it). Do not spin: leave.
            self.early_wakes += 1;
            if self.early_wakes > 20 {
                return Ok(Wake::Gone);
            }
        } else {
            self.early_wakes = 0;
        }
        Ok(Wake::Tick)
    }
}

/// The screens' loop: draw when something changed, hand input to the app,
/// tick. `handled` is told after every input (the desk service tells the
/// other terminals to look again).
pub fn drive<B>(
    app: &mut App,
    terminal: &mut ratatui::Terminal<B>,
    keys: &mut dyn Keys,
    stop: &AtomicBool,
    handled: &dyn Fn(),
) -> anyhow::Result<()>
where
    B: ratatui::backend::Backend<Error = std::io::Error>,
{
    let mut last = Instant::now();
    let mut dirty = true;
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
        match keys.wait(TICK)? {
            Wake::Input(input) => {
                match input {
                    Event::Key(k) if fault_injection && k.code == crossterm::event::KeyCode::F(12) => {
                        app.drafts.flush();
                        panic!("fault injection: F12 with CASEDESK_FAULT_INJECTION set");
                    }
                    Event::Key(k) if k.kind != KeyEventKind::Release => app.handle_key(k, app.desk.now()),
                    Event::Paste(text) => app.paste(&text, app.desk.now()),
                    _ => {}
                }
                handled();
                dirty = true;
            }
            Wake::Tick => {}
            Wake::Said(text) => {
                app.message = Some((text, true));
                dirty = true;
            }
            Wake::Gone => break,
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
