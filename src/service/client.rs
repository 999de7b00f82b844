//! The clerk's end of a connection to the desk service: runs a command line
//! or the screens through the service, and does for it what only the clerk's
//! own process may do: print on the clerk's terminal, ask for the PIN, read
//! and write the clerk's files.

use std::io::{BufReader, Write as _};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use super::wire::{Down, PROTOCOL, Up, recv, recv_raw, send, send_raw};
use crate::commands::console::Stream;
use crate::words::{Lang, tf};

/// A connection to the desk service that could not be made or was refused.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No service answers at the socket.
    #[error("{0}")]
    Unreachable(String),
    /// The service refused this client (another protocol version).
    #[error("{message}")]
    Refused {
        /// What it said.
        message: String,
        /// The exit code to end with.
        code: i32,
    },
    /// The connection broke.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What the clerk's end does for a command: print, give a PIN, read and
/// write the clerk's files.
pub trait Near {
    /// A line of output or error.
    fn line(&mut self, stream: Stream, text: &str) -> std::io::Result<()>;
    /// The PIN from `var`, or asked for; `None` when there is no way to ask.
    fn pin(&mut self, var: &str, prompt: &str) -> Option<String>;
    /// The clerk's file; `None` when there is none.
    fn read(&mut self, path: &Path) -> std::io::Result<Option<Vec<u8>>>;
    /// Writes the clerk's file (0600).
    fn write(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
}

/// The clerk's own terminal and files.
pub struct Terminal;

impl Near for Terminal {
    fn line(&mut self, stream: Stream, text: &str) -> std::io::Result<()> {
        match stream {
            // A closed pipe (`| head`) ends the clerk's end quietly, as it
            // would the command run here; the service finishes the command.
            Stream::Out => {
                crate::commands::console::emit(text);
                Ok(())
            }
            Stream::Err => writeln!(std::io::stderr().lock(), "{text}"),
        }
    }

    fn pin(&mut self, var: &str, prompt: &str) -> Option<String> {
        // This process's own terminal: the variable, else a prompt that does not echo.
        crate::commands::console::pin(var, prompt).ok().flatten()
    }

    fn read(&mut self, path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        if crate::commands::console::is_std(path) {
            return crate::commands::console::stdin_bytes().map(Some);
        }
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        crate::paths::write_private(path, bytes)
    }
}

/// A connection to the desk service.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    /// Connects to the service at `socket` and agrees on the protocol.
    pub fn connect(socket: &Path, lang: Lang) -> Result<Client, ClientError> {
        let stream = UnixStream::connect(socket).map_err(|e| {
            ClientError::Unreachable(tf(
                lang,
                "service.unreachable",
                &[("socket", socket.display().to_string()), ("error", e.to_string())],
            ))
        })?;
        let mut client = Client {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        };
        send(
            &mut client.writer,
            &Up::Hello {
                protocol: PROTOCOL,
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
        )?;
        match recv(&mut client.reader)? {
            Some(Down::Welcome { .. }) => Ok(client),
            Some(Down::Refused { message, code }) => Err(ClientError::Refused { message, code }),
            _ => Err(std::io::Error::from(std::io::ErrorKind::ConnectionAborted).into()),
        }
    }

    /// Runs one command line (the arguments after the program's name) and
    /// returns its exit code. The connection stays open for the next one,
    /// the clerk who signed in still signed in.
    pub fn run(
        &mut self,
        argv: &[String],
        lang: Lang,
        now: Option<String>,
        near: &mut dyn Near,
    ) -> Result<i32, ClientError> {
        send(
            &mut self.writer,
            &Up::Run {
                argv: argv.to_vec(),
                lang: lang.code().to_string(),
                now,
            },
        )?;
        loop {
            let Some(msg) = recv::<Down>(&mut self.reader)? else {
                return Err(std::io::Error::from(std::io::ErrorKind::ConnectionAborted).into());
            };
            match msg {
                Down::Line { stream, text } => near.line(stream, &text)?,
                Down::AskPin { var, prompt } => send(&mut self.writer, &Up::Pin(near.pin(&var, &prompt)))?,
                Down::AskFile { path } => self.give_file(&path, near)?,
                Down::WriteFile { path } => {
                    let bytes = recv_raw(&mut self.reader)?.unwrap_or_default();
                    let written = near.write(&path, &bytes).err().map(|e| e.to_string());
                    send(&mut self.writer, &Up::Written(written))?;
                }
                Down::Done { code } => return Ok(code),
                Down::Refused { message, code } => return Err(ClientError::Refused { message, code }),
                Down::Welcome { .. } | Down::Frame(_) => {}
            }
        }
    }

    fn give_file(&mut self, path: &Path, near: &mut dyn Near) -> std::io::Result<()> {
        match near.read(path) {
            Ok(Some(bytes)) => {
                send(
                    &mut self.writer,
                    &Up::File {
                        found: Some(true),
                        error: None,
                    },
                )?;
                send_raw(&mut self.writer, &bytes)
            }
            Ok(None) => send(
                &mut self.writer,
                &Up::File {
                    found: Some(false),
                    error: None,
                },
            ),
            Err(e) => send(
                &mut self.writer,
                &Up::File {
                    found: None,
                    error: Some(e.to_string()),
                },
            ),
        }
    }
}

/// `CASEDESK_NOW`, passed on: the service honours it on a training desk only.
fn clerk_now() -> Option<String> {
    std::env::var("CASEDESK_NOW").ok().filter(|v| !v.trim().is_empty())
}

/// Runs the command line through the service at `socket`; the exit code.
#[must_use]
pub fn run_command(socket: &Path, lang: Lang, argv: &[String]) -> i32 {
    let result = Client::connect(socket, lang).and_then(|mut c| c.run(argv, lang, clerk_now(), &mut Terminal));
    match result {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn fail(e: &ClientError) -> i32 {
    match e {
        // The clerk closed the pipe (`… | head`): end quietly.
        ClientError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe => crate::commands::EXIT_OK,
        ClientError::Refused { message, code } => {
            crate::commands::warn(message);
            *code
        }
        other => {
            crate::commands::warn(&other.to_string());
            crate::commands::EXIT_FAILED
        }
    }
}

/// Opens the screens through the service at `socket` on this terminal.
#[must_use]
pub fn run_screens(socket: &Path, lang: Lang) -> i32 {
    match screens(socket, lang) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn screens(socket: &Path, lang: Lang) -> Result<i32, ClientError> {
    use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
    use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
    let mut client = Client::connect(socket, lang)?;
    let (cols, rows) = crossterm::terminal::size()?;
    send(
        &mut client.writer,
        &Up::Screen {
            lang: lang.code().to_string(),
            now: clerk_now(),
            cols,
            rows,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            folder: std::env::current_dir()?,
            station: crate::ui::station(),
        },
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let restore = || {
        drop(crossterm::execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        ));
        drop(disable_raw_mode());
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let ended = Arc::new(AtomicBool::new(false));
    let code = Arc::new(AtomicI32::new(crate::commands::EXIT_OK));
    let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let frames = {
        let (ended, code, said) = (Arc::clone(&ended), Arc::clone(&code), Arc::clone(&said));
        let mut reader = client.reader;
        let mut answers = client.writer.try_clone()?;
        std::thread::spawn(move || {
            let mut out = std::io::stdout();
            while let Ok(Some(msg)) = recv::<Down>(&mut reader) {
                match msg {
                    Down::Frame(text) if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() => break,
                    Down::Line { text, .. } => {
                        if let Ok(mut s) = said.lock() {
                            s.push(text);
                        }
                    }
                    Down::Done { code: c } => {
                        code.store(c, Ordering::Relaxed);
                        break;
                    }
                    // A page saved from the screens: written here, the clerk's own.
                    Down::WriteFile { path } => {
                        let Ok(Some(bytes)) = recv_raw(&mut reader) else { break };
                        if let Err(e) = crate::paths::write_private(&path, &bytes) {
                            let said = format!("{}: {e}", path.display());
                            drop(send(&mut answers, &Up::Written(Some(said))));
                        }
                    }
                    _ => {}
                }
            }
            ended.store(true, Ordering::Relaxed);
        })
    };
    let mut writer = client.writer;
    while !ended.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
        if event::poll(Duration::from_millis(50))? {
            let input = event::read()?;
            if send(&mut writer, &Up::Key(input)).is_err() {
                break;
            }
        }
    }
    // Leaving: the service keeps the draft when the connection closes.
    drop(writer.shutdown(std::net::Shutdown::Both));
    drop(frames.join());
    restore();
    drop(std::panic::take_hook());
    if let Ok(said) = said.lock() {
        for line in said.iter() {
            crate::commands::warn(line);
        }
    }
    Ok(code.load(Ordering::Relaxed))
}
