//! Where a command meets the clerk: their terminal (what is printed, the PIN
//! prompt) and their own files (`--out`, a file to import or apply).
//!
//! Run by the clerk's own process, these are the process's standard streams
//! and files. Run by the desk service for a connected clerk, the same calls
//! go to the clerk's end of the connection: the service never prints on its
//! own terminal, and never reads or writes a file in the clerk's name.

use std::cell::RefCell;
use std::io::IsTerminal as _;
use std::path::Path;

use crate::domain::Actor;

/// Which of the clerk's streams a line goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Stream {
    /// Standard output: the command's result.
    Out,
    /// Standard error: warnings and errors.
    Err,
}

/// The clerk's end of a connection to the desk service.
pub trait Far {
    /// Prints a line on the clerk's terminal; false when the clerk has gone.
    fn line(&mut self, stream: Stream, text: &str) -> bool;
    /// A PIN: from the clerk's `var` if set, else asked for with `prompt`;
    /// `None` when there is no way to ask.
    fn pin(&mut self, var: &str, prompt: &str) -> std::io::Result<Option<String>>;
    /// The clerk's file at `path`; `None` when there is no such file.
    fn read(&mut self, path: &Path) -> std::io::Result<Option<Vec<u8>>>;
    /// Writes the clerk's file at `path` (theirs, 0600).
    fn write(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
    /// Who this connection has signed in, if anyone.
    fn session(&self) -> Option<Actor>;
    /// Remembers who signed in on this connection.
    fn signed_in(&mut self, actor: Actor);
}

thread_local! {
    static FAR: RefCell<Option<Box<dyn Far>>> = RefCell::new(None);
}

/// Runs `work` with this thread's commands talking to `far` instead of the
/// process's own terminal and files; gives `far` back.
pub fn with_far<T>(far: Box<dyn Far>, work: impl FnOnce() -> T) -> (T, Option<Box<dyn Far>>) {
    FAR.with(|slot| *slot.borrow_mut() = Some(far));
    let result = work();
    (result, FAR.with(|slot| slot.borrow_mut().take()))
}

/// Whether this thread serves a clerk at the far end of a connection.
#[must_use]
pub fn is_far() -> bool {
    FAR.with(|slot| slot.borrow().is_some())
}

fn far<T>(use_it: impl FnOnce(&mut dyn Far) -> T) -> Option<T> {
    FAR.with(|slot| slot.borrow_mut().as_mut().map(|f| use_it(f.as_mut())))
}

/// Writes one line to standard output; a closed pipe ends the program quietly.
pub fn emit(text: &str) {
    use std::io::Write as _;
    if far(|f| f.line(Stream::Out, text)).is_some() {
        return;
    }
    if let Err(e) = writeln!(std::io::stdout().lock(), "{text}")
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// Writes one line to standard error, its control characters shown (an
/// error message may echo what was typed or stored).
pub fn warn(text: &str) {
    let text = crate::words::visible(text);
    if far(|f| f.line(Stream::Err, &text)).is_some() {
        return;
    }
    eprintln!("{text}");
}

/// The clerk's PIN from `var`, else a prompt that does not echo; `None` when
/// neither is possible (no variable, no terminal).
pub fn pin(var: &str, prompt: &str) -> std::io::Result<Option<String>> {
    if let Some(answer) = far(|f| f.pin(var, prompt)) {
        return answer.map(|p| p.map(|p| p.trim().to_string()));
    }
    if let Ok(pin) = std::env::var(var) {
        return Ok(Some(pin.trim().to_string()));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    rpassword::prompt_password(prompt).map(|p| Some(p.trim().to_string()))
}

/// `-` in place of a file: standard input, or standard output.
#[must_use]
pub fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A `--out` that names a file: `-` is standard output, as no `--out` at all.
#[must_use]
pub fn named(out: Option<&Path>) -> Option<&Path> {
    out.filter(|p| !is_std(p))
}

/// All of standard input.
pub fn stdin_bytes() -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The clerk's text file at `path` (`-`: standard input); `None` when there is no such file.
pub fn read_text(path: &Path) -> std::io::Result<Option<String>> {
    let bytes = match far(|f| f.read(path)) {
        Some(answer) => answer?,
        None if is_std(path) => Some(stdin_bytes()?),
        None => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        },
    };
    bytes
        .map(|b| String::from_utf8(b).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
        .transpose()
}

/// The clerk's file at `path`, whole, when it is not read here by its
/// path: standard input for `-`, or a file read at the far end of a
/// connection (`None` when the command's own process reads the file itself).
#[must_use]
pub fn sent_file(path: &Path) -> Option<std::io::Result<Vec<u8>>> {
    far(|f| match f.read(path) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        Err(e) => Err(e),
    })
    .or_else(|| is_std(path).then(stdin_bytes))
}

/// Writes a file that leaves the desk: the clerk's own, 0600.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match far(|f| f.write(path, bytes)) {
        Some(done) => done,
        None => crate::paths::write_private(path, bytes),
    }
}

/// Where a long output goes: the clerk's file (0600) or standard output.
/// [`OutFile::finish`] must be called: a far file is sent then.
pub struct OutFile {
    path: Option<std::path::PathBuf>,
    far: Option<Vec<u8>>,
    near: Option<Box<dyn std::io::Write>>,
    /// Standard output's reader has gone (`export | head`): the rest is
    /// dropped, and the command still ends as it should (its audit record
    /// written), quietly.
    closed: bool,
}

impl OutFile {
    /// Opens `path`, or standard output when there is none or it is `-`.
    pub fn open(path: Option<&Path>) -> std::io::Result<OutFile> {
        let path = named(path);
        if is_far() {
            return Ok(OutFile {
                path: path.map(Path::to_path_buf),
                far: Some(Vec::new()),
                near: None,
                closed: false,
            });
        }
        let near: Box<dyn std::io::Write> = match path {
            Some(path) => Box::new(std::io::BufWriter::new(crate::paths::private_file(path)?)),
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        Ok(OutFile {
            path: path.map(Path::to_path_buf),
            far: None,
            near: Some(near),
            closed: false,
        })
    }

    /// Sends or flushes what was written.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(near) = self.near.as_mut() {
            return match near.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.path.is_none() => Ok(()),
                other => other,
            };
        }
        let bytes = self.far.take().unwrap_or_default();
        if let Some(path) = &self.path {
            return write_file(path, &bytes);
        }
        emit(String::from_utf8_lossy(&bytes).trim_end_matches('\n'));
        Ok(())
    }
}

impl std::io::Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match (&mut self.near, &mut self.far) {
            (Some(near), _) => match near.write(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.path.is_none() => {
                    self.closed = true;
                    Ok(buf.len())
                }
                other => other,
            },
            (None, Some(far)) => {
                far.extend_from_slice(buf);
                Ok(buf.len())
            }
            (None, None) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.near {
            Some(_) if self.closed => Ok(()),
            Some(near) => match near.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.path.is_none() => {
                    self.closed = true;
                    Ok(())
                }
                other => other,
            },
            None => Ok(()),
        }
    }
}

/// Who this connection has already signed in (the desk service keeps a
/// signed-in clerk for the connection's life).
#[must_use]
pub fn session() -> Option<Actor> {
    far(|f| f.session()).flatten()
}

/// Remembers a sign-in for the connection's later commands.
pub fn signed_in(actor: &Actor) {
    far(|f| f.signed_in(actor.clone()));
}

/// Whether progress may be drawn: on the clerk's own terminal only.
#[must_use]
pub fn shows_progress() -> bool {
    !is_far() && std::io::stderr().is_terminal()
}
