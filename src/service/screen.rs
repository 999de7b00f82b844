//! The screens for a clerk at the far end of a connection: the same app and
//! loop as on a local terminal, drawn into frames sent to the clerk's
//! terminal, with the clerk's keys coming back.

use std::cell::Cell;
use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::Event;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell as BufferCell;
use ratatui::layout::{Position, Size};

use super::Shared;
use super::wire::{Down, Up, recv, send};
use crate::desk::Desk;
use crate::ui::{App, Keys, Wake};
use crate::words::t;

/// Terminal output gathered until the frame is complete, then sent.
pub struct FrameOut {
    stream: UnixStream,
    buffer: Vec<u8>,
}

impl FrameOut {
    /// Frames for the clerk at the far end of `stream`.
    pub fn new(stream: UnixStream) -> Self {
        Self {
            stream,
            buffer: Vec::with_capacity(16 * 1024),
        }
    }
}

impl Write for FrameOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.buffer).into_owned();
        self.buffer.clear();
        send(&mut self.stream, &Down::Frame(text))
    }
}

/// A terminal at the far end: drawn like a local one, its size the one the
/// clerk's terminal last reported.
pub struct FarBackend {
    inner: CrosstermBackend<FrameOut>,
    size: Rc<Cell<Size>>,
    cursor: Position,
}

impl FarBackend {
    /// A backend drawing into `out`, `size` kept by the keys.
    pub fn new(out: FrameOut, size: Rc<Cell<Size>>) -> Self {
        Self {
            inner: CrosstermBackend::new(out),
            size,
            cursor: Position::ORIGIN,
        }
    }
}

impl Backend for FarBackend {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a BufferCell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size.get())
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size.get(),
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// What reaches a screen session: the clerk's input, a word that the desk
/// changed, or the end.
#[derive(Debug)]
pub enum Nudge {
    /// The clerk's key, paste or resize.
    Input(Event),
    /// Another terminal changed the desk: look again now.
    Changed,
    /// The clerk must be told something (a page could not be saved).
    Said(String),
    /// The clerk has gone, or the service is stopping.
    Gone,
}

/// Keys from the far end, with the service's nudges between them.
pub struct FarKeys {
    nudges: Receiver<Nudge>,
    size: Rc<Cell<Size>>,
}

impl FarKeys {
    /// Keys arriving on `nudges`; resizes update `size`.
    pub fn new(nudges: Receiver<Nudge>, size: Rc<Cell<Size>>) -> Self {
        Self { nudges, size }
    }
}

impl Keys for FarKeys {
    fn wait(&mut self, timeout: Duration) -> std::io::Result<Wake> {
        Ok(match self.nudges.recv_timeout(timeout) {
            Ok(Nudge::Input(event)) => {
                if let Event::Resize(cols, rows) = event {
                    self.size.set(Size::new(cols, rows));
                }
                Wake::Input(event)
            }
            Ok(Nudge::Changed) | Err(RecvTimeoutError::Timeout) => Wake::Tick,
            Ok(Nudge::Said(text)) => Wake::Said(text),
            Ok(Nudge::Gone) | Err(RecvTimeoutError::Disconnected) => Wake::Gone,
        })
    }
}

/// Runs the screens for the clerk at the far end until they quit or leave,
/// or the service stops. Their draft is kept as on a local terminal.
pub fn run(
    reader: BufReader<UnixStream>,
    mut writer: UnixStream,
    desk: Desk,
    (cols, rows): (u16, u16),
    color: bool,
    (folder, station): (std::path::PathBuf, Option<String>),
    shared: &Shared,
) -> std::io::Result<()> {
    let lang = desk.lang;
    let (id, nudges) = shared.hub.join();
    let keys_in = shared.hub.sender(id);
    std::thread::spawn(move || read_keys(reader, keys_in));
    let size = Rc::new(Cell::new(Size::new(cols, rows)));
    let backend = FarBackend::new(FrameOut::new(writer.try_clone()?), Rc::clone(&size));
    let mut terminal = ratatui::Terminal::new(backend)?;
    let mut app = App::new(desk);
    app.theme = crate::ui::theme::Theme { color };
    app.station = station;
    app.files = Box::new(FarFiles {
        stream: writer.try_clone()?,
        folder,
    });
    let mut keys = FarKeys::new(nudges, size);
    let result = crate::ui::drive(&mut app, &mut terminal, &mut keys, &shared.stop, &|| {
        shared.hub.changed(Some(id));
    });
    app.drafts.flush();
    shared.hub.leave(id);
    let stopping = shared.stop.load(std::sync::atomic::Ordering::Relaxed);
    if let Err(e) = &result {
        super::log(&format!("screens: {e:#}"));
    }
    if stopping {
        send(
            &mut writer,
            &Down::Line {
                stream: crate::commands::console::Stream::Err,
                text: t(lang, "service.stopping"),
            },
        )?;
    }
    send(
        &mut writer,
        &Down::Done {
            code: i32::from(result.is_err()),
        },
    )
}

/// Passes the clerk's keys to the screens until the connection closes.
fn read_keys(mut reader: BufReader<UnixStream>, keys: Option<std::sync::mpsc::Sender<Nudge>>) {
    let Some(keys) = keys else { return };
    loop {
        match recv::<Up>(&mut reader) {
            Ok(Some(Up::Key(event))) => {
                if keys.send(Nudge::Input(event)).is_err() {
                    return;
                }
            }
            Ok(Some(Up::Written(Some(error)))) => {
                if keys.send(Nudge::Said(error)).is_err() {
                    return;
                }
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => {
                drop(keys.send(Nudge::Gone));
                return;
            }
        }
    }
}

/// Pages saved from the screens go to the clerk's working folder, written by
/// the clerk's own process.
#[derive(Debug)]
struct FarFiles {
    stream: UnixStream,
    folder: std::path::PathBuf,
}

impl crate::ui::app::Files for FarFiles {
    fn save(&mut self, name: &str, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
        let path = self.folder.join(name);
        send(&mut self.stream, &Down::WriteFile { path: path.clone() })?;
        super::wire::send_raw(&mut self.stream, bytes)?;
        Ok(path)
    }
}
