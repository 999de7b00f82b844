//! The desk service (`casedesk serve`): on a desk shared by many clerks, the
//! one process that opens the desk file. It runs as its own OS account, the
//! only one that can read or write the file; every clerk's terminal and
//! script connects to its socket and runs the same commands and screens
//! through it. It alone keeps the clock and the policy, sweeps on a timer,
//! makes the daily backup and tells connected terminals when the desk changed.

pub mod client;
mod screen;
mod session;
pub mod wire;

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use std::io::IsTerminal as _;

use crate::cli::{Cli, Cmd, ServeArgs};
use crate::desk::{Desk, SetupError};
use crate::domain::{Actor, Role, StaffId, Time};
use crate::paths::Paths;
use crate::words::{Lang, t, tf};
use screen::Nudge;

/// The program: a command run through the desk service when one is
/// configured (this process then never opens the desk file), the service
/// itself, or a command run here on the desk file. Returns the exit code.
#[must_use]
pub fn main(cli: Cli) -> i32 {
    let (paths, lang) = match crate::commands::setup(&cli) {
        Ok(set) => set,
        Err(f) => {
            crate::commands::warn(&f.message);
            return f.code;
        }
    };
    if let Some(Cmd::Serve(args)) = &cli.command {
        return match serve(&paths, lang, args) {
            Ok(()) => crate::commands::EXIT_OK,
            Err(e) => {
                let f = crate::commands::Failure::from(e);
                crate::commands::warn(&f.message);
                f.code
            }
        };
    }
    let Some(socket) = crate::commands::server(&paths) else {
        return crate::commands::run(cli, &paths, lang);
    };
    match cli.command {
        // What concerns this process only.
        Some(Cmd::Paths { .. } | Cmd::Completions { .. } | Cmd::Man { .. }) => crate::commands::run(cli, &paths, lang),
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => client::run_screens(&socket, lang),
        None => {
            crate::commands::warn(&t(lang, "cli.needs_terminal"));
            crate::commands::EXIT_USAGE
        }
        Some(_) => {
            let argv: Vec<String> = std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            client::run_command(&socket, lang, &argv)
        }
    }
}

/// What every connection shares.
pub struct Shared {
    /// The desk's files (the service's own).
    paths: Paths,
    /// The service's clock: `CASEDESK_NOW` on a training desk, else the real one.
    fixed_now: Option<Time>,
    /// The screens to tell when the desk changes.
    hub: Hub,
    /// Set when the service is stopping.
    stop: Arc<AtomicBool>,
    /// Desks opened for connections that have ended, kept for the next ones
    /// (opening one reads the schema and the settings: some milliseconds).
    kept: Mutex<Vec<Desk>>,
}

/// How many open desks are kept for later connections.
const KEPT_DESKS: usize = 8;

impl Shared {
    /// An open desk for a connection: one kept, if its settings are still
    /// the desk's, else a newly opened one.
    fn desk(&self, lang: Lang) -> anyhow::Result<Desk> {
        while let Some(desk) = self.kept.lock().ok().and_then(|mut k| k.pop()) {
            if desk.is_current() {
                return Ok(desk);
            }
        }
        Desk::open(&self.paths, lang, false)
    }

    /// Keeps a connection's desk for a later one.
    fn keep(&self, desk: Desk) {
        if let Ok(mut kept) = self.kept.lock()
            && kept.len() < KEPT_DESKS
        {
            kept.push(desk);
        }
    }
}

/// The connected screens, told at once when another terminal changed the desk.
#[derive(Default)]
struct Hub {
    next: AtomicU64,
    screens: Mutex<Vec<(u64, Sender<Nudge>)>>,
}

impl Hub {
    /// A new screen: its id and where its nudges arrive.
    fn join(&self) -> (u64, Receiver<Nudge>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = channel();
        if let Ok(mut screens) = self.screens.lock() {
            screens.push((id, tx));
        }
        (id, rx)
    }

    /// Where screen `id`'s keys go.
    fn sender(&self, id: u64) -> Option<Sender<Nudge>> {
        let screens = self.screens.lock().ok()?;
        screens.iter().find(|(i, _)| *i == id).map(|(_, tx)| tx.clone())
    }

    /// Screen `id` has gone.
    fn leave(&self, id: u64) {
        if let Ok(mut screens) = self.screens.lock() {
            screens.retain(|(i, _)| *i != id);
        }
    }

    /// The desk changed (by `by`, if a screen): every other screen looks again.
    fn changed(&self, by: Option<u64>) {
        if let Ok(screens) = self.screens.lock() {
            for (id, tx) in screens.iter() {
                if Some(*id) != by {
                    drop(tx.send(Nudge::Changed));
                }
            }
        }
    }

    /// The service stops: every screen ends (drafts kept).
    fn stop_all(&self) {
        if let Ok(screens) = self.screens.lock() {
            for (_, tx) in screens.iter() {
                drop(tx.send(Nudge::Gone));
            }
        }
    }

    fn count(&self) -> usize {
        self.screens.lock().map_or(0, |s| s.len())
    }
}

/// A line in the service's log (standard error: the journal under systemd).
fn log(text: &str) {
    eprintln!(
        "{} casedesk serve: {}",
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
        crate::words::visible(text)
    );
}

/// The socket: `--socket`, else `CASEDESK_SERVER` / `server` in config.toml,
/// else `casedesk.sock` beside the desk file.
#[must_use]
pub fn socket_path(args: &ServeArgs, paths: &Paths) -> PathBuf {
    args.socket
        .clone()
        .or_else(|| crate::commands::server(paths))
        .unwrap_or_else(|| paths.db.with_file_name("casedesk.sock"))
}

/// `casedesk serve`: serves the desk until SIGTERM or SIGINT.
pub fn serve(paths: &Paths, lang: Lang, args: &ServeArgs) -> anyhow::Result<()> {
    let socket = socket_path(args, paths);
    if !paths.db.exists() {
        return Err(SetupError(tf(lang, "service.no_desk", &[("path", paths.db.display().to_string())])).into());
    }
    let mut desk = Desk::open(paths, lang, false)?;
    if !desk.store().is_initialized().unwrap_or(false) {
        return Err(SetupError(tf(lang, "service.no_desk", &[("path", paths.db.display().to_string())])).into());
    }
    if let Some(w) = &desk.warning {
        log(w);
    }
    keep_private(&paths.db)?;
    let listener = bind(&socket, lang)?;
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let shared = Arc::new(Shared {
        paths: paths.clone(),
        fixed_now: desk.fixed_now,
        hub: Hub::default(),
        stop: Arc::clone(&stop),
        kept: Mutex::new(Vec::new()),
    });
    log(&tf(
        lang,
        "service.started",
        &[
            ("socket", socket.display().to_string()),
            ("db", paths.db.display().to_string()),
        ],
    ));
    let result = accept(&listener, &shared, &mut desk, args);
    stop.store(true, Ordering::Relaxed);
    shared.hub.stop_all();
    // The screens end within a tick, their drafts on disk.
    let deadline = Instant::now() + Duration::from_secs(2);
    while shared.hub.count() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(std::fs::remove_file(&socket));
    log(&t(lang, "service.stopped"));
    result
}

/// Accepts clerks until told to stop; sweeps and backs up between them.
fn accept(listener: &UnixListener, shared: &Arc<Shared>, desk: &mut Desk, args: &ServeArgs) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let every = Duration::from_secs(args.sweep_every.max(1) * 60);
    let mut next_sweep = Instant::now();
    while !shared.stop.load(Ordering::Relaxed) {
        if Instant::now() >= next_sweep {
            sweep(desk, shared);
            if let Some(file) = &args.anchor_file
                && let Err(e) = crate::store::anchor::append_to_file(desk.store(), file)
            {
                log(&desk.words().store(&e));
            }
            next_sweep = Instant::now() + every;
        }
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false)?;
                let shared = Arc::clone(shared);
                std::thread::Builder::new()
                    .name("clerk".into())
                    .spawn(move || session::serve(stream, &shared))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The automatic rules, as `system` on the service's clock, and today's backup.
fn sweep(desk: &mut Desk, shared: &Shared) {
    let system = Actor {
        id: StaffId::SYSTEM,
        name: "system".into(),
        role: Role::Admin,
        active: true,
    };
    match desk.sweep(&system) {
        Ok(0) => {}
        Ok(n) => {
            log(&tf(desk.lang, "cli.sweep_done", &[("count", n.to_string())]));
            shared.hub.changed(None);
        }
        Err(e) => log(&desk.words().store(&e)),
    }
    desk.daily_backup();
}

/// The desk file and its journal are the service account's alone.
fn keep_private(db: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", db.display()));
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .with_context(|| path.display().to_string())?;
        }
    }
    Ok(())
}

/// Listens on `socket` (0660: the service's group may connect). A socket
/// left by a service that died is replaced; one in use is not.
fn bind(socket: &Path, lang: Lang) -> anyhow::Result<UnixListener> {
    if socket.exists() {
        if UnixStream::connect(socket).is_ok() {
            return Err(SetupError(tf(lang, "service.running", &[("socket", socket.display().to_string())])).into());
        }
        std::fs::remove_file(socket).with_context(|| socket.display().to_string())?;
    }
    let listener = UnixListener::bind(socket).with_context(|| socket.display().to_string())?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660))
        .with_context(|| socket.display().to_string())?;
    Ok(listener)
}
