//! One clerk's connection to the desk service: its commands run here, on the
//! service's own desk, and everything they print, ask or write goes back to
//! the clerk's end.

use std::cell::RefCell;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::rc::Rc;

use super::Shared;
use super::wire::{Down, PROTOCOL, Up, recv, recv_raw, send, send_raw};
use crate::commands::console::{Far, Stream, with_far};
use crate::commands::{EXIT_FAILED, EXIT_USAGE, on_desk};
use crate::desk::Desk;
use crate::domain::Actor;
use crate::words::{Lang, t, tf};

/// The connection, shared by the session and the far end a command talks to.
struct Conn {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    /// Who has signed in on this connection.
    session: Option<Actor>,
}

impl Conn {
    fn send(&mut self, msg: &Down) -> std::io::Result<()> {
        send(&mut self.writer, msg)
    }

    fn recv(&mut self) -> std::io::Result<Option<Up>> {
        recv(&mut self.reader)
    }

    fn line(&mut self, stream: Stream, text: &str) -> std::io::Result<()> {
        self.send(&Down::Line {
            stream,
            text: text.to_string(),
        })
    }

    /// Ends a request with `code`, `message` told first when there is one.
    fn done(&mut self, code: i32, message: Option<&str>) -> std::io::Result<()> {
        if let Some(m) = message {
            self.line(Stream::Err, &crate::words::visible(m))?;
        }
        self.send(&Down::Done { code })
    }
}

/// Serves one connection until the clerk leaves; errors are logged.
pub fn serve(stream: UnixStream, shared: &Shared) {
    if let Err(e) = connection(stream, shared)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        super::log(&format!("connection: {e}"));
    }
}

fn connection(stream: UnixStream, shared: &Shared) -> std::io::Result<()> {
    let mut conn = Conn {
        reader: BufReader::new(stream.try_clone()?),
        writer: stream,
        session: None,
    };
    match conn.recv()? {
        Some(Up::Hello { protocol, .. }) if protocol == PROTOCOL => conn.send(&Down::Welcome { protocol: PROTOCOL })?,
        Some(Up::Hello { protocol, version }) => {
            let args = [
                ("theirs", protocol.to_string()),
                ("their_version", version),
                ("ours", PROTOCOL.to_string()),
                ("our_version", env!("CARGO_PKG_VERSION").to_string()),
            ];
            let message = format!(
                "{}\n{}",
                tf(Lang::Zh, "service.other_version", &args),
                tf(Lang::En, "service.other_version", &args)
            );
            return conn.send(&Down::Refused {
                message,
                code: EXIT_USAGE,
            });
        }
        _ => return Ok(()),
    }
    let conn = Rc::new(RefCell::new(conn));
    let mut desk: Option<Desk> = None;
    let result = requests(&conn, &mut desk, shared);
    if let Some(d) = desk {
        shared.keep(d);
    }
    result
}

/// The connection's requests, one after another, until it ends.
fn requests(conn: &Rc<RefCell<Conn>>, desk: &mut Option<Desk>, shared: &Shared) -> std::io::Result<()> {
    loop {
        let msg = conn.borrow_mut().recv()?;
        match msg {
            None => return Ok(()),
            Some(Up::Run { argv, lang, now }) => {
                let lang = Lang::parse(&lang).unwrap_or_default();
                run(conn, desk, shared, &argv, lang, now.as_deref())?;
                shared.hub.changed(None);
            }
            Some(Up::Screen {
                lang,
                now,
                cols,
                rows,
                color,
                folder,
                station,
            }) => {
                let lang = Lang::parse(&lang).unwrap_or_default();
                let Some(mut open) = open_desk(conn, desk.take(), shared, lang, now.as_deref())? else {
                    continue;
                };
                open.lang = lang;
                let (reader, writer) = {
                    let mut c = conn.borrow_mut();
                    let spare = BufReader::new(c.writer.try_clone()?);
                    (std::mem::replace(&mut c.reader, spare), c.writer.try_clone()?)
                };
                return super::screen::run(reader, writer, open, (cols, rows), color, (folder, station), shared);
            }
            Some(_) => return Ok(()),
        }
    }
}

/// The connection's desk, opened on first use, its clock set for the
/// clerk; `None` (the clerk told why) when it cannot be used.
fn open_desk(
    conn: &Rc<RefCell<Conn>>,
    desk: Option<Desk>,
    shared: &Shared,
    lang: Lang,
    now: Option<&str>,
) -> std::io::Result<Option<Desk>> {
    let mut desk = match desk {
        Some(d) => d,
        None => match shared.desk(lang) {
            Ok(d) => d,
            Err(e) => {
                conn.borrow_mut().done(EXIT_FAILED, Some(&format!("{e:#}")))?;
                return Ok(None);
            }
        },
    };
    desk.lang = lang;
    // The clerk's clock is taken on a training desk only; a real desk's
    // clock is the service's.
    desk.fixed_now = shared.fixed_now;
    if let Some(text) = now.filter(|t| !t.trim().is_empty()) {
        if !desk.training {
            conn.borrow_mut().done(EXIT_USAGE, Some(&t(lang, "cli.now_refused")))?;
            return Ok(None);
        }
        match crate::desk::parse_now(text, lang) {
            Ok(at) => desk.fixed_now = Some(at),
            Err(e) => {
                conn.borrow_mut().done(EXIT_USAGE, Some(&e.0))?;
                return Ok(None);
            }
        }
    }
    Ok(Some(desk))
}

/// Runs one command line on the desk, for the clerk at the far end.
fn run(
    conn: &Rc<RefCell<Conn>>,
    desk: &mut Option<Desk>,
    shared: &Shared,
    argv: &[String],
    lang: Lang,
    now: Option<&str>,
) -> std::io::Result<()> {
    let cli = match crate::cli::try_parse_from(lang, argv) {
        Ok(cli) => cli,
        Err(e) => return conn.borrow_mut().done(EXIT_USAGE, Some(&e.to_string())),
    };
    let Some(command) = cli.command else {
        return conn.borrow_mut().done(EXIT_USAGE, Some(&t(lang, "cli.needs_terminal")));
    };
    let Some(mut open) = open_desk(conn, desk.take(), shared, lang, now)? else {
        return Ok(());
    };
    let far = Box::new(FarEnd {
        conn: Rc::clone(conn),
        gone: false,
    });
    let (outcome, _) = with_far(far, || on_desk(&mut open, command));
    *desk = Some(open);
    let mut conn = conn.borrow_mut();
    match outcome {
        Ok(()) => conn.done(0, None),
        Err(f) => conn.done(f.code, Some(&f.message)),
    }
}

/// The clerk's end, as a command sees it.
struct FarEnd {
    conn: Rc<RefCell<Conn>>,
    /// The clerk has gone: nothing more is sent.
    gone: bool,
}

impl FarEnd {
    fn ask(&mut self, msg: &Down) -> std::io::Result<Up> {
        let mut conn = self.conn.borrow_mut();
        conn.send(msg)?;
        conn.recv()?
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::ConnectionAborted))
    }
}

impl Far for FarEnd {
    fn line(&mut self, stream: Stream, text: &str) -> bool {
        if !self.gone && self.conn.borrow_mut().line(stream, text).is_err() {
            self.gone = true;
        }
        !self.gone
    }

    fn pin(&mut self, var: &str, prompt: &str) -> std::io::Result<Option<String>> {
        match self.ask(&Down::AskPin {
            var: var.to_string(),
            prompt: prompt.to_string(),
        })? {
            Up::Pin(pin) => Ok(pin),
            _ => Err(std::io::Error::from(std::io::ErrorKind::InvalidData)),
        }
    }

    fn read(&mut self, path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        match self.ask(&Down::AskFile {
            path: path.to_path_buf(),
        })? {
            Up::File { found: Some(true), .. } => recv_raw(&mut self.conn.borrow_mut().reader)?
                .map(Some)
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::ConnectionAborted)),
            Up::File { found: Some(false), .. } => Ok(None),
            Up::File { error, .. } => Err(std::io::Error::other(error.unwrap_or_default())),
            _ => Err(std::io::Error::from(std::io::ErrorKind::InvalidData)),
        }
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        {
            let mut conn = self.conn.borrow_mut();
            conn.send(&Down::WriteFile {
                path: path.to_path_buf(),
            })?;
            send_raw(&mut conn.writer, bytes)?;
        }
        match self.conn.borrow_mut().recv()? {
            Some(Up::Written(None)) => Ok(()),
            Some(Up::Written(Some(error))) => Err(std::io::Error::other(error)),
            _ => Err(std::io::Error::from(std::io::ErrorKind::InvalidData)),
        }
    }

    fn session(&self) -> Option<Actor> {
        self.conn.borrow().session.clone()
    }

    fn signed_in(&mut self, actor: Actor) {
        self.conn.borrow_mut().session = Some(actor);
    }
}
