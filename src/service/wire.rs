//! The desk service's protocol: frames of a 4-byte big-endian length and a
//! body, over a Unix socket. A message is a JSON body; a file's bytes travel
//! as a raw frame right after the message that announces them.
//!
//! A connection starts with [`Up::Hello`] and [`Down::Welcome`] (or
//! [`Down::Refused`] for a client of another protocol version); then the
//! clerk runs commands ([`Up::Run`], any number, one after another) or opens
//! the screens ([`Up::Screen`]).

use std::io::{Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::commands::console::Stream;

/// The protocol's version: a client and a service of different versions
/// refuse each other with a clear message instead of misreading.
pub const PROTOCOL: u32 = 1;

/// The largest frame accepted (a file to import can be large; anything
/// beyond this is a broken or hostile peer).
const MAX_FRAME: usize = 1 << 30;

/// From the clerk's end to the service.
#[derive(Debug, Serialize, Deserialize)]
pub enum Up {
    /// The first message: who speaks which protocol.
    Hello {
        /// [`PROTOCOL`] of the client.
        protocol: u32,
        /// The client program's version, for the message when they differ.
        version: String,
    },
    /// Run one command line (the arguments after the program's name).
    Run {
        /// The arguments.
        argv: Vec<String>,
        /// The clerk's language (`zh`, `en`).
        lang: String,
        /// The clerk's `CASEDESK_NOW`, if set: honoured on a training desk only.
        now: Option<String>,
    },
    /// Open the screens; keys follow as [`Up::Key`].
    Screen {
        /// The clerk's language.
        lang: String,
        /// The clerk's `CASEDESK_NOW`, if set.
        now: Option<String>,
        /// The terminal's width.
        cols: u16,
        /// The terminal's height.
        rows: u16,
        /// Colours allowed (`NO_COLOR` unset).
        color: bool,
        /// The clerk's working folder: pages saved from the screens go there.
        folder: PathBuf,
        /// The station (terminal) the screens are, for calls rung to it
        /// (the clerk's `CASEDESK_STATION`).
        #[serde(default)]
        station: Option<String>,
    },
    /// A key, a paste or a resize on the clerk's terminal.
    Key(crossterm::event::Event),
    /// The answer to [`Down::AskPin`].
    Pin(Option<String>),
    /// The answer to [`Down::AskFile`]: with `Some(true)`, the file's bytes
    /// follow as a raw frame; `Some(false)`: no such file; `None`: see `error`.
    File {
        /// Whether the file is there.
        found: Option<bool>,
        /// Why it could not be read.
        error: Option<String>,
    },
    /// The answer to [`Down::WriteFile`]: `None` when written, else why not.
    Written(Option<String>),
}

/// From the service to the clerk's end.
#[derive(Debug, Serialize, Deserialize)]
pub enum Down {
    /// The service speaks the client's protocol.
    Welcome {
        /// [`PROTOCOL`] of the service.
        protocol: u32,
    },
    /// The service will not serve this connection: the message and exit code.
    Refused {
        /// What to tell the clerk.
        message: String,
        /// The exit code.
        code: i32,
    },
    /// A line for the clerk's terminal.
    Line {
        /// Output or error.
        stream: Stream,
        /// The line.
        text: String,
    },
    /// A PIN is needed: from the clerk's `var` if set, else asked for.
    AskPin {
        /// The environment variable (`CASEDESK_PIN`, `CASEDESK_NEW_PIN`).
        var: String,
        /// The prompt.
        prompt: String,
    },
    /// The clerk's file at `path` is needed (to import, to apply).
    AskFile {
        /// The path as the clerk gave it.
        path: PathBuf,
    },
    /// Write the clerk's file at `path` (0600); its bytes follow as a raw
    /// frame. The answer is [`Up::Written`] (from the screens: only when it failed).
    WriteFile {
        /// The path as the clerk gave it.
        path: PathBuf,
    },
    /// Terminal output for the screens.
    Frame(String),
    /// The command or the screens ended, with this exit code.
    Done {
        /// The exit code.
        code: i32,
    },
}

/// Writes a message.
pub fn send<T: Serialize>(w: &mut impl Write, msg: &T) -> std::io::Result<()> {
    let body = serde_json::to_vec(msg).map_err(std::io::Error::other)?;
    send_raw(w, &body)
}

/// Writes a raw frame.
pub fn send_raw(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "frame too large"))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(bytes)?;
    w.flush()
}

/// Reads a message; `None` when the peer has closed the connection.
pub fn recv<T: for<'de> Deserialize<'de>>(r: &mut impl Read) -> std::io::Result<Option<T>> {
    match recv_raw(r)? {
        None => Ok(None),
        Some(body) => serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
    }
}

/// Reads a raw frame; `None` when the peer has closed the connection.
pub fn recv_raw(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "frame too large"));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_and_a_raw_frame_travel_in_order() {
        let mut wire = Vec::new();
        send(
            &mut wire,
            &Down::WriteFile {
                path: "报表.csv".into(),
            },
        )
        .unwrap();
        send_raw(&mut wire, b"\xef\xbb\xbfa,b\n").unwrap();
        let mut r = wire.as_slice();
        let msg: Down = recv(&mut r).unwrap().unwrap();
        assert!(matches!(msg, Down::WriteFile { path } if path == std::path::Path::new("报表.csv")));
        assert_eq!(recv_raw(&mut r).unwrap().unwrap(), b"\xef\xbb\xbfa,b\n");
        assert!(
            recv_raw(&mut r).unwrap().is_none(),
            "a closed connection reads as the end"
        );
    }

    #[test]
    fn a_cut_frame_is_an_error_not_a_message() {
        let mut wire = Vec::new();
        send(&mut wire, &Up::Pin(Some("1234".into()))).unwrap();
        wire.truncate(wire.len() - 2);
        assert!(recv::<Up>(&mut wire.as_slice()).is_err());
    }
}
