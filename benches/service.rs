//! The desk service (`casedesk serve`) on a copy of the demo desk of
//! `CASEDESK_BENCH_CASES` cases (default 100000), release build:
//!
//! - `case new` through the service, the whole command (a new process, its
//!   connection, the PIN checked, the case saved, the number printed);
//! - a step (`case note`) on a connection that has signed in;
//! - a sign-in (a new connection's first command with a PIN);
//! - keypress → frame for a clerk's screens through the service;
//! - the service's CPU while 50 signed-in screens sit idle.
//!
//! Run:
//!
//!     cargo bench --bench service
//!     CASEDESK_BENCH_CASES=1000000 cargo bench --bench service
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use casedesk::commands::console::Stream;
use casedesk::service::client::{Client, Near};
use casedesk::service::wire::{Down, Up, recv, send};
use casedesk::words::Lang;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use support::{cases, desk_paths};

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");
const CLERK: &str = "张小明";
const CLERK_PIN: &str = "1234";

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then one quick round.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = cases();
    let paths = desk_paths(n);
    let dir = tempfile::tempdir_in(paths.db.parent().unwrap()).unwrap();
    let db = dir.path().join("desk.db");
    std::fs::copy(&paths.db, &db).unwrap();
    let socket = dir.path().join("desk.sock");
    let mut service = Service::start(&db, &socket, dir.path());
    let rounds = if quick { 3 } else { 30 };
    println!("desk service at {n} cases (median / p95 / max)");

    let new_case = (0..rounds)
        .map(|i| {
            let started = Instant::now();
            let out = Command::new(BIN)
                .args([
                    "case",
                    "new",
                    "--as",
                    CLERK,
                    "--channel",
                    "phone",
                    "--kind",
                    "inquiry",
                    "--summary",
                ])
                .arg(format!("询问门诊时间 {i}"))
                .args(["--name", "赵敏"])
                .env_clear()
                .env("HOME", dir.path())
                .env("CASEDESK_SERVER", &socket)
                .env("CASEDESK_PIN", CLERK_PIN)
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            started.elapsed()
        })
        .collect::<Vec<_>>();
    println!("  case new, whole command (< 50 ms)        {}", spans(new_case));

    let mut client = Client::connect(&socket, Lang::Zh).unwrap();
    let mut near = Quiet::default();
    let number = {
        let new = words(&format!(
            "case new --as {CLERK} --channel phone --kind complaint --summary 病房夜间噪音 --name 钱进"
        ));
        assert_eq!(client.run(&new, Lang::Zh, None, &mut near).unwrap(), 0);
        near.last.clone()
    };
    let steps = (0..rounds * 10)
        .map(|i| {
            let note = words(&format!("case note {number} --as {CLERK} --text 已电话联系第{i}次"));
            let started = Instant::now();
            assert_eq!(client.run(&note, Lang::Zh, None, &mut near).unwrap(), 0, "{}", near.err);
            started.elapsed()
        })
        .collect::<Vec<_>>();
    println!("  a step on a signed-in connection (< 10 ms) {}", spans(steps));

    let sign_ins = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            let mut c = Client::connect(&socket, Lang::Zh).unwrap();
            let list = words(&format!("case show {number} --as {CLERK}"));
            assert_eq!(c.run(&list, Lang::Zh, None, &mut near).unwrap(), 0);
            started.elapsed()
        })
        .collect::<Vec<_>>();
    println!("  sign-in: connect, PIN, first command     {}", spans(sign_ins));

    let mut screen = Screen::open(&socket);
    let keys = (0..rounds * 10)
        .map(|i| {
            let code = if i % 2 == 0 { KeyCode::Down } else { KeyCode::Up };
            screen.key(code)
        })
        .collect::<Vec<_>>();
    println!("  keypress → frame through the service     {}", spans(keys));
    drop(screen);

    let idle = if quick { 5 } else { 50 };
    let screens: Vec<Screen> = (0..idle).map(|_| Screen::open(&socket)).collect();
    std::thread::sleep(Duration::from_secs(1));
    let window = Duration::from_secs(if quick { 2 } else { 10 });
    let before = cpu_ticks(service.child.id());
    std::thread::sleep(window);
    let used = cpu_ticks(service.child.id()) - before;
    #[allow(clippy::cast_precision_loss)]
    let share = used as f64 / 100.0 / window.as_secs_f64() * 100.0;
    println!("  {idle} signed-in screens idle: service CPU {share:.1}% of one core");
    drop(screens);
    service.stop();
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

fn spans(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: usize| ms(v[(v.len() * p / 100).min(v.len() - 1)]);
    format!("{:.2} / {:.2} / {:.2} ms", at(50), at(95), ms(v[v.len() - 1]))
}

/// The service's CPU time so far, in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

struct Service {
    child: Child,
}

impl Service {
    fn start(db: &Path, socket: &Path, home: &Path) -> Service {
        let none = home.join("none.toml");
        let child = Command::new(BIN)
            .args(["serve", "--socket"])
            .arg(socket)
            .env_clear()
            .env("HOME", home)
            .env("CASEDESK_DB", db)
            .env("CASEDESK_POLICY", &none)
            .env("CASEDESK_CALENDAR", &none)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !socket.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the service did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Service { child }
    }

    fn stop(&mut self) {
        drop(Command::new("kill").arg(self.child.id().to_string()).status());
        drop(self.child.wait());
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

/// The clerk's end, printing nothing.
#[derive(Default)]
struct Quiet {
    last: String,
    err: String,
}

impl Near for Quiet {
    fn line(&mut self, stream: Stream, text: &str) -> std::io::Result<()> {
        if stream == Stream::Out {
            text.trim().clone_into(&mut self.last);
        } else {
            self.err.push_str(text);
        }
        Ok(())
    }

    fn pin(&mut self, _var: &str, _prompt: &str) -> Option<String> {
        Some(CLERK_PIN.into())
    }

    fn read(&mut self, _path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        Ok(None)
    }

    fn write(&mut self, _path: &Path, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// A clerk's screens through the service, signed in, on the queue.
struct Screen {
    stream: UnixStream,
    frames: std::sync::mpsc::Receiver<Instant>,
}

impl Screen {
    fn open(socket: &PathBuf) -> Screen {
        let mut stream = UnixStream::connect(socket).unwrap();
        send(
            &mut stream,
            &Up::Hello {
                protocol: casedesk::service::wire::PROTOCOL,
                version: String::new(),
            },
        )
        .unwrap();
        assert!(matches!(recv::<Down>(&mut stream).unwrap(), Some(Down::Welcome { .. })));
        send(
            &mut stream,
            &Up::Screen {
                lang: "zh".into(),
                now: None,
                cols: 120,
                rows: 35,
                color: true,
                folder: std::env::temp_dir(),
                station: None,
            },
        )
        .unwrap();
        let (tx, frames) = std::sync::mpsc::channel();
        let mut reader = stream.try_clone().unwrap();
        std::thread::spawn(move || {
            while let Ok(Some(msg)) = recv::<Down>(&mut reader) {
                if matches!(msg, Down::Frame(_)) && tx.send(Instant::now()).is_err() {
                    return;
                }
            }
        });
        let mut screen = Screen { stream, frames };
        screen.wait_quiet();
        for c in "zxm".chars() {
            screen.press(KeyCode::Char(c));
        }
        screen.press(KeyCode::Enter);
        for c in CLERK_PIN.chars() {
            screen.press(KeyCode::Char(c));
        }
        screen.press(KeyCode::Enter);
        screen.wait_quiet();
        screen
    }

    fn press(&mut self, code: KeyCode) {
        send(
            &mut self.stream,
            &Up::Key(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))),
        )
        .unwrap();
    }

    /// Waits until no frame has come for a while.
    fn wait_quiet(&mut self) {
        while self.frames.recv_timeout(Duration::from_millis(400)).is_ok() {}
    }

    /// A key, and the time until its frame arrived.
    fn key(&mut self, code: KeyCode) -> Duration {
        while self.frames.try_recv().is_ok() {}
        let sent = Instant::now();
        self.press(code);
        let at = self.frames.recv_timeout(Duration::from_secs(5)).unwrap();
        at - sent
    }
}
