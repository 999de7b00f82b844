//! The real `casedesk` binary in a real pseudo-terminal: keys go in as the
//! bytes a terminal sends, the screen is read back through a terminal parser
//! (`vt100`), because the raw output interleaves cursor moves between wide
//! characters. Every child is killed and reaped when its harness is dropped,
//! also when a test fails half-way.

use std::io::{Read, Write};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

use super::{BIN, CLERK, CLERK_PIN, Desk};

/// How long a screen may take to appear (generous: CI machines are slow).
pub const WAIT: Duration = Duration::from_secs(10);
/// How long the program may take to leave after it was told to.
pub const EXIT_WAIT: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------- the terminal

/// Keys, as the bytes a terminal sends for them.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    Enter,
    Tab,
    /// A lone ESC: wait for the screen to change before sending more, or the
    /// next bytes may be read together with it as an Alt- or escape sequence.
    Esc,
    CtrlS,
    CtrlC,
    CtrlL,
    F2,
    /// Shift-Tab, as a terminal sends it.
    BackTab,
}

impl Key {
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Key::Enter => b"\r",
            Key::Tab => b"\t",
            Key::Esc => b"\x1b",
            Key::CtrlS => b"\x13",
            Key::CtrlC => b"\x03",
            Key::CtrlL => b"\x0c",
            Key::F2 => b"\x1bOQ",
            Key::BackTab => b"\x1b[Z",
        }
    }
}

/// What the reader thread keeps.
pub struct Seen {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
    /// The pty returned end-of-file or an error: the program's side is closed.
    pub closed: bool,
}

/// The program running in a pty of a given size.
pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    seen: Arc<Mutex<Seen>>,
    stop_reading: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
    /// When the child is a shell running casedesk: casedesk's pid.
    pub inner: Option<u32>,
}

pub fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

pub fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

impl Tui {
    /// Starts `casedesk` (no arguments: the desk's screens) on `desk` in a `cols`×`rows` pty.
    pub fn start(desk: &Desk, cols: u16, rows: u16) -> Tui {
        Tui::spawn(desk, cols, rows, &[BIN])
    }

    /// Starts `argv` in a new session whose controlling terminal is a new pty.
    pub fn spawn(desk: &Desk, cols: u16, rows: u16, argv: &[&str]) -> Tui {
        Tui::spawn_with(desk, cols, rows, argv, &[], desk.dir())
    }

    /// [`Tui::spawn`] with `env` set after the desk's own environment, in the folder `cwd`.
    pub fn spawn_with(
        desk: &Desk,
        cols: u16,
        rows: u16,
        argv: &[&str],
        env: &[(&str, &str)],
        cwd: &std::path::Path,
    ) -> Tui {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
        cmd.cwd(cwd);
        // Only what the program is meant to read (and a PATH for a shell).
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in desk.env_at(&desk.now()) {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("CASEDESK_FAULT_INJECTION", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child keeps the terminal's side open: when it ends, reads end.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            closed: false,
        }));
        let stop_reading = Arc::new(AtomicBool::new(false));
        let handle = {
            let seen = Arc::clone(&seen);
            let stop = Arc::clone(&stop_reading);
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    };
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let mut s = seen.lock().unwrap_or_else(PoisonError::into_inner);
                    s.raw.extend_from_slice(&buf[..n]);
                    s.parser.process(&buf[..n]);
                }
                seen.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
            })
        };
        Tui {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            seen,
            stop_reading,
            reader: Some(handle),
            status: None,
            inner: None,
        }
    }

    /// Starts on `desk` at 100×30 and signs in as 张小明 by typing his pinyin initials.
    pub fn signed_in(desk: &Desk) -> Tui {
        let mut tui = Tui::start(desk, 100, 30);
        tui.sign_in();
        tui
    }

    pub fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.seen().parser.screen().contents()
    }

    /// Everything the program wrote, as it wrote it.
    pub fn raw(&self) -> Vec<u8> {
        self.seen().raw.clone()
    }

    pub fn send(&mut self, text: &str) {
        let w = self.writer.as_mut().expect("the terminal was hung up");
        w.write_all(text.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn key(&mut self, key: Key) {
        let w = self.writer.as_mut().expect("the terminal was hung up");
        w.write_all(key.bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn keys(&mut self, key: Key, times: usize) {
        for _ in 0..times {
            self.key(key);
        }
    }

    /// Waits until `text` is on the screen; fails with the whole screen printed.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        loop {
            let (screen, closed) = {
                let s = self.seen();
                (s.parser.screen().contents(), s.closed)
            };
            if screen.contains(text) {
                return;
            }
            assert!(
                !closed && start.elapsed() < WAIT,
                "{} waiting for {text:?}; the screen:\n{}\n{}\n{}",
                if closed {
                    "the program's terminal closed"
                } else {
                    "timed out"
                },
                "-".repeat(40),
                screen,
                "-".repeat(40)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(
                start.elapsed() < WAIT,
                "{text:?} still on the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Opens intake (`n`) and types a phone, a name and a summary, leaving the
    /// focus on the details field.
    pub fn start_intake(&mut self, phone: &str, name: &str, summary: &str) {
        self.send("n");
        self.wait_for("登记新案件");
        self.keys(Key::Tab, 2);
        self.send(phone);
        self.key(Key::Tab);
        self.send(name);
        self.keys(Key::Tab, 9); // … to the summary
        self.send(summary);
        self.wait_for(&format!("摘要      {summary}"));
        self.key(Key::Tab);
    }

    /// Types `zxm`, Enter, the PIN, Enter; waits for the name in the top bar.
    pub fn sign_in(&mut self) {
        self.wait_for("登录（输入姓名或拼音首字母");
        self.send("zxm");
        self.wait_for("姓名： zxm");
        self.key(Key::Enter);
        self.send(CLERK_PIN);
        self.wait_for("PIN： ••••");
        self.key(Key::Enter);
        self.wait_for(&format!("{CLERK}（值班员）"));
    }

    /// Waits up to `limit` for the program to end; `None` if it is still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.status = Some(status.clone());
                return Some(status);
            }
            if start.elapsed() >= limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// After the program ended: waits until the reader has everything it wrote.
    pub fn wait_output_closed(&self) {
        let start = Instant::now();
        while !self.seen().closed {
            assert!(start.elapsed() < WAIT, "the pty stayed open after the program ended");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Resizes the terminal (the parser first, so the redraw lands on the new size).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.seen().parser.set_size(nz(rows), nz(cols));
        self.master.as_ref().unwrap().resize(size(cols, rows)).unwrap();
    }

    /// Closes every handle on the terminal's master side, as a terminal emulator
    /// or an SSH server does when its window goes away.
    pub fn hang_up(&mut self) {
        // portable-pty's writer sends a newline and an EOF character as it closes; the
        // program takes them as keys and redraws. Let that finish first, so the terminal
        // goes away while the program idles, as when a window is closed.
        let before = self.seen().raw.len();
        drop(self.writer.take());
        self.wait_settled(before);
        // The reader thread holds a handle too and blocks in read(): tell it to stop,
        // then wake it with a byte written on the program's side of the pty.
        self.stop_reading.store(true, Ordering::SeqCst);
        let tty = self.master.as_ref().unwrap().tty_name().expect("the pty has a name");
        {
            use std::os::unix::fs::OpenOptionsExt;
            /// Opening a terminal must not make it the test's controlling terminal.
            /// (Its value on Linux's common architectures; 0 elsewhere, which only
            /// matters if the test process leads a session without a terminal.)
            #[cfg(all(
                target_os = "linux",
                any(
                    target_arch = "x86_64",
                    target_arch = "x86",
                    target_arch = "aarch64",
                    target_arch = "arm"
                )
            ))]
            const O_NOCTTY: i32 = 0o400;
            #[cfg(not(all(
                target_os = "linux",
                any(
                    target_arch = "x86_64",
                    target_arch = "x86",
                    target_arch = "aarch64",
                    target_arch = "arm"
                )
            )))]
            const O_NOCTTY: i32 = 0;
            let mut slave = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(O_NOCTTY)
                .open(&tty)
                .unwrap();
            slave.write_all(b"\0").unwrap();
        }
        let reader = self.reader.take().unwrap();
        let start = Instant::now();
        while !reader.is_finished() {
            assert!(start.elapsed() < WAIT, "the reader thread did not stop");
            std::thread::sleep(Duration::from_millis(10));
        }
        reader.join().unwrap();
        drop(self.master.take());
    }

    /// Waits until output has grown past `len` (at most 2 s) and then stayed quiet for 200 ms.
    pub fn wait_settled(&self, len: usize) {
        let start = Instant::now();
        while self.seen().raw.len() <= len && start.elapsed() < EXIT_WAIT {
            std::thread::sleep(Duration::from_millis(10));
        }
        let mut last = self.seen().raw.len();
        let mut quiet = Instant::now();
        while quiet.elapsed() < Duration::from_millis(200) && start.elapsed() < WAIT {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.seen().raw.len();
            if now != last {
                last = now;
                quiet = Instant::now();
            }
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Never leave a process behind, also when a test failed half-way.
        if self.status.is_none() {
            if let (Some(pid), Ok(None)) = (self.inner, self.child.try_wait()) {
                // The shell waits for casedesk: end casedesk (our grandchild), by its pid.
                drop(
                    Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .stderr(std::process::Stdio::null())
                        .status(),
                );
            }
            if let Ok(None) = self.child.try_wait() {
                // SIGHUP, a short grace period, then SIGKILL.
                drop(self.child.kill());
            }
            drop(self.child.wait());
        }
        self.stop_reading.store(true, Ordering::SeqCst);
        drop(self.writer.take());
        drop(self.master.take());
        // The reader ends by itself once the child's side of the pty is closed.
    }
}

/// CPU time (user + system, in clock ticks) a process has used, where /proc has it.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 of `rest`.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The case number in the "已登记案件 2026-000001" note.
pub fn created_number(screen: &str) -> String {
    let at = screen.find("已登记案件 ").expect("no case-created note");
    screen[at + "已登记案件 ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect()
}

// ---------------------------------------------------------------- tests
