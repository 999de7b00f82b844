//! The real `casedesk` binary in a real pseudo-terminal: keys go in as the bytes a
//! terminal sends, the screen is read back through a terminal parser (`vt100`),
//! because the raw output interleaves cursor moves between wide characters.
//!
//! Every test makes its own desk in a temp dir with an explicit environment and a
//! fixed clock; every child is killed and reaped when its harness is dropped, also
//! when a test fails half-way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");
/// How long a screen may take to appear (generous: CI machines are slow).
const WAIT: Duration = Duration::from_secs(10);
/// How long the program may take to leave after it was told to.
const EXIT_WAIT: Duration = Duration::from_secs(2);
/// A Wednesday, a working day on the built-in calendar.
const NOW: &str = "2026-09-30T10:00:00+08:00";
const ADMIN: &str = "管理员";
const ADMIN_PIN: &str = "1111";
const CLERK: &str = "张小明";
const CLERK_PIN: &str = "2222";

// ---------------------------------------------------------------- the desk

/// A desk in a temp dir, with its policy and calendar pointing at missing files.
struct Desk {
    dir: TempDir,
}

impl Desk {
    /// A desk made the way an administrator does: `init`, `dept add`, `staff add`.
    fn with_clerk() -> Self {
        let desk = Desk {
            dir: tempfile::tempdir().unwrap(),
        };
        desk.cli(&["init", "--admin", ADMIN], &[("CASEDESK_NEW_PIN", ADMIN_PIN)]);
        desk.cli(
            &["dept", "add", "--as", ADMIN, "--name", "护理部"],
            &[("CASEDESK_PIN", ADMIN_PIN)],
        );
        desk.cli(
            &["staff", "add", "--as", ADMIN, "--name", CLERK, "--role", "clerk"],
            &[("CASEDESK_PIN", ADMIN_PIN), ("CASEDESK_NEW_PIN", CLERK_PIN)],
        );
        desk
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("desk.db")
    }

    /// Everything the program reads from the environment, explicitly.
    fn env(&self) -> Vec<(&'static str, String)> {
        let p = |name: &str| self.dir.path().join(name).display().to_string();
        vec![
            ("CASEDESK_DB", self.db().display().to_string()),
            ("CASEDESK_POLICY", p("no-policy.toml")),
            ("CASEDESK_CALENDAR", p("no-calendar.toml")),
            ("CASEDESK_NOW", NOW.to_string()),
            ("TERM", "xterm-256color".to_string()),
            ("CASEDESK_FAULT_INJECTION", "1".to_string()),
            ("HOME", p("home")),
            ("XDG_CONFIG_HOME", p("config")),
            ("XDG_DATA_HOME", p("data")),
        ]
    }

    /// Runs a command-line command; it must succeed.
    fn cli(&self, args: &[&str], extra: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(self.dir.path());
        for var in UNSET {
            cmd.env_remove(var);
        }
        cmd.envs(self.env());
        cmd.envs(extra.iter().copied());
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "casedesk {args:?} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `case show NUM --json`.
    fn show(&self, number: &str) -> Value {
        let out = self.cli(&["case", "show", number, "--json"], &[]);
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A staff member's id, from `staff list --json`.
    fn staff_id(&self, name: &str) -> i64 {
        let out = self.cli(&["staff", "list", "--json"], &[]);
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["id"].as_i64())
            .unwrap_or_else(|| panic!("{name} not in staff list: {list}"))
    }

    /// Where the intake draft of a staff member is kept.
    fn draft_file(&self, staff: i64) -> PathBuf {
        self.dir
            .path()
            .join("desk.db.drafts")
            .join(format!("intake-{staff}.json"))
    }
}

/// Variables a developer's shell may have set that must not leak into a test.
const UNSET: &[&str] = &[
    "CASEDESK_LANG",
    "CASEDESK_PIN",
    "CASEDESK_NEW_PIN",
    "CASEDESK_NOW",
    "CASEDESK_DB",
    "CASEDESK_POLICY",
    "CASEDESK_CALENDAR",
    "NO_COLOR",
];

// ---------------------------------------------------------------- the terminal

/// Keys, as the bytes a terminal sends for them.
#[derive(Clone, Copy, Debug)]
enum Key {
    Enter,
    Tab,
    /// A lone ESC: wait for the screen to change before sending more, or the
    /// next bytes may be read together with it as an Alt- or escape sequence.
    Esc,
    CtrlS,
    CtrlC,
}

impl Key {
    fn bytes(self) -> &'static [u8] {
        match self {
            Key::Enter => b"\r",
            Key::Tab => b"\t",
            Key::Esc => b"\x1b",
            Key::CtrlS => b"\x13",
            Key::CtrlC => b"\x03",
        }
    }
}

/// What the reader thread keeps.
struct Seen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// The pty returned end-of-file or an error: the program's side is closed.
    closed: bool,
}

/// The program running in a pty of a given size.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    seen: Arc<Mutex<Seen>>,
    stop_reading: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
    /// When the child is a shell running casedesk: casedesk's pid.
    inner: Option<u32>,
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

impl Tui {
    /// Starts `casedesk` (no arguments: the desk's screens) on `desk` in a `cols`×`rows` pty.
    fn start(desk: &Desk, cols: u16, rows: u16) -> Tui {
        Tui::spawn(desk, cols, rows, &[BIN])
    }

    /// Starts `argv` in a new session whose controlling terminal is a new pty.
    fn spawn(desk: &Desk, cols: u16, rows: u16, argv: &[&str]) -> Tui {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
        cmd.cwd(desk.dir.path());
        for var in UNSET {
            cmd.env_remove(var);
        }
        for (k, v) in desk.env() {
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
    fn signed_in(desk: &Desk) -> Tui {
        let mut tui = Tui::start(desk, 100, 30);
        tui.sign_in();
        tui
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        self.seen().parser.screen().contents()
    }

    /// Everything the program wrote, as it wrote it.
    fn raw(&self) -> Vec<u8> {
        self.seen().raw.clone()
    }

    fn send(&mut self, text: &str) {
        let w = self.writer.as_mut().expect("the terminal was hung up");
        w.write_all(text.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    fn key(&mut self, key: Key) {
        let w = self.writer.as_mut().expect("the terminal was hung up");
        w.write_all(key.bytes()).unwrap();
        w.flush().unwrap();
    }

    fn keys(&mut self, key: Key, times: usize) {
        for _ in 0..times {
            self.key(key);
        }
    }

    /// Waits until `text` is on the screen; fails with the whole screen printed.
    fn wait_for(&self, text: &str) {
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
    fn wait_gone(&self, text: &str) {
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

    /// Types `zxm`, Enter, the PIN, Enter; waits for the name in the top bar.
    fn sign_in(&mut self) {
        self.wait_for("登录（输入姓名或拼音首字母");
        self.send("zxm");
        self.wait_for("姓名： zxm");
        self.key(Key::Enter);
        self.send(CLERK_PIN);
        self.wait_for("PIN： ••••");
        self.key(Key::Enter);
        self.wait_for(&format!("casedesk  {CLERK}（值班员）"));
    }

    /// Waits up to `limit` for the program to end; `None` if it is still running.
    fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
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
    fn wait_output_closed(&self) {
        let start = Instant::now();
        while !self.seen().closed {
            assert!(start.elapsed() < WAIT, "the pty stayed open after the program ended");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Resizes the terminal (the parser first, so the redraw lands on the new size).
    fn resize(&mut self, cols: u16, rows: u16) {
        self.seen().parser.set_size(nz(rows), nz(cols));
        self.master.as_ref().unwrap().resize(size(cols, rows)).unwrap();
    }

    /// Closes every handle on the terminal's master side, as a terminal emulator
    /// or an SSH server does when its window goes away.
    fn hang_up(&mut self) {
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
    fn wait_settled(&self, len: usize) {
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
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 of `rest`.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The case number in the "已登记案件 2026-000001" note.
fn created_number(screen: &str) -> String {
    let at = screen.find("已登记案件 ").expect("no case-created note");
    screen[at + "已登记案件 ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect()
}

// ---------------------------------------------------------------- tests

#[test]
fn whole_case_loop_in_the_terminal() {
    let desk = Desk::with_clerk();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for(&format!("{CLERK}，您好"));
    tui.wait_for("工作台 · 我的（0）");

    // Intake, typed in Chinese; choices by pinyin initials.
    tui.send("n");
    tui.wait_for("登记新案件");
    tui.keys(Key::Tab, 2);
    tui.send("13800138000");
    tui.wait_for("电话      13800138000");
    tui.key(Key::Tab);
    tui.send("王芳");
    tui.wait_for("投诉人    王芳");
    tui.keys(Key::Tab, 4); // relation, anonymous, confidential, department
    tui.send("hl");
    tui.wait_for("部门      ‹ 护理部 ›  [hl]");
    tui.keys(Key::Tab, 2); // subject staff, category
    tui.send("fwtd");
    tui.wait_for("分类      ‹ 服务态度 ›  [fwtd]");
    tui.keys(Key::Tab, 2); // severity, summary
    tui.send("护士态度差");
    tui.wait_for("摘要      护士态度差");
    tui.key(Key::CtrlS);
    tui.wait_for("已登记案件 ");
    let number = created_number(&tui.screen());
    assert_eq!(number.len(), "2026-000001".len(), "case number {number:?}");
    tui.wait_for(&format!("{number}  [已受理]"));
    tui.wait_for("投诉人 王芳  13800138000");
    tui.wait_for("被投诉 护理部   负责人 张小明");

    // Assign to the department, in writing.
    tui.send("a");
    tui.wait_for("交办方式");
    tui.key(Key::Tab);
    tui.send("sm");
    tui.wait_for("‹ 书面交办 ›  [sm]");
    tui.key(Key::Enter); // Enter on the last field submits
    tui.wait_for("交办完成，当前状态：已交办");
    tui.wait_for(&format!("{number}  [已交办]"));

    // The department's reply: justified, so it needs the responsible party and measures.
    tui.send("r");
    tui.wait_for("调查情况");
    tui.wait_for("‹ 属实 ›");
    tui.key(Key::Tab);
    tui.send("当班护士语气生硬");
    tui.wait_for("当班护士语气生硬");
    tui.key(Key::CtrlS);
    tui.wait_for("投诉属实（或部分属实）时须填写");
    tui.key(Key::Tab);
    tui.send("当班护士");
    tui.key(Key::Tab);
    tui.send("加强服务培训");
    tui.wait_for("加强服务培训");
    tui.key(Key::Enter);
    tui.wait_for("登记部门答复完成，当前状态：已处理");

    // Feedback to the complainant (a multi-line field: Ctrl-S submits).
    tui.send("f");
    tui.wait_for("反馈方式");
    tui.key(Key::Tab);
    tui.send("已电话告知调查结果");
    tui.wait_for("已电话告知调查结果");
    tui.key(Key::CtrlS);
    tui.wait_for("反馈完成，当前状态：已反馈");

    // Return visit: satisfied.
    tui.send("v");
    tui.wait_for("满意度");
    tui.key(Key::Tab);
    tui.send("my");
    tui.wait_for("‹ 满意 ›  [my]");
    tui.key(Key::CtrlS);
    tui.wait_for("回访完成，当前状态：已回访");

    // Close.
    tui.send("c");
    tui.wait_for("按 Enter 或 Ctrl-S 确认");
    tui.key(Key::Enter);
    tui.wait_for("结案完成，当前状态：已结案");
    tui.wait_for(&format!("{number}  [已结案]"));

    // Back to the queue, then find the case again by two characters of its summary.
    tui.key(Key::Esc);
    tui.wait_for("工作台 · 我的");
    tui.send("/");
    tui.wait_for("输入编号、摘要");
    tui.send("态度");
    tui.wait_for("找到 1 件");
    tui.wait_for(&format!("{number}  已结案  王芳  护士态度差"));
    tui.key(Key::Enter);
    tui.wait_for(&format!("{number}  [已结案]"));
    tui.wait_for("摘要 护士态度差");

    tui.key(Key::CtrlC);
    let status = tui.wait_exit(EXIT_WAIT).expect("still running 2 s after Ctrl-C");
    assert!(status.success(), "exit status {status:?}");

    // The command line sees what the screens did.
    let case = desk.show(&number);
    assert_eq!(case["state"], "closed", "{case:#}");
    assert_eq!(case["summary"], "护士态度差");
    assert_eq!(case["complainant"]["name"], "王芳");
    assert_eq!(case["complainant"]["phone"], "13800138000");
    assert_eq!(case["assigned_dept"], "护理部");
    assert_eq!(case["category"], "attitude");
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "assigned",
            "replied",
            "feedback_given",
            "return_visited",
            "closed"
        ]
    );
    let events = case["events"].as_array().unwrap();
    assert_eq!(events[1]["mode"], "written");
    assert_eq!(events[2]["verdict"], "justified");
    assert_eq!(events[2]["responsible"], "当班护士");
    assert_eq!(events[2]["measures"], "加强服务培训");
    assert_eq!(events[4]["satisfaction"], "satisfied");
}

#[test]
fn sighup_mid_intake_keeps_the_draft() {
    let desk = Desk::with_clerk();
    let staff = desk.staff_id(CLERK);
    let draft = desk.draft_file(staff);
    let summary = "夜班呼叫无人应答";
    let details = "家属反映护士站长时间无人";
    {
        let mut tui = Tui::signed_in(&desk);
        tui.send("n");
        tui.wait_for("登记新案件");
        tui.keys(Key::Tab, 2);
        tui.send("13900139000");
        tui.key(Key::Tab);
        tui.send("李梅");
        tui.keys(Key::Tab, 8); // … to the summary
        tui.send(summary);
        tui.wait_for(&format!("摘要      {summary}"));
        tui.key(Key::Tab);
        tui.send(details);
        tui.wait_for(&format!("详情      {details}"));

        let pid = tui.pid().to_string();
        let kill = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
        assert!(kill.success(), "kill -HUP {pid}: {kill}");
        let status = tui
            .wait_exit(EXIT_WAIT)
            .unwrap_or_else(|| panic!("still running 2 s after SIGHUP; screen:\n{}", tui.screen()));
        // Ended by its own hand (the handler ran, the draft was flushed), not by the signal.
        assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    }

    let text =
        std::fs::read_to_string(&draft).unwrap_or_else(|e| panic!("no draft at {} after SIGHUP: {e}", draft.display()));
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["summary"], summary, "{text}");
    assert_eq!(data["details"], details, "{text}");
    assert_eq!(data["phone"], "13900139000", "{text}");
    assert_eq!(data["name"], "李梅", "{text}");

    // Next sign-in: the form comes back as it was left.
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("已恢复上次未保存的登记草稿");
    tui.wait_for("登记新案件");
    tui.wait_for(&format!("摘要      {summary}"));
    tui.wait_for(&format!("详情      {details}"));
    // The focused channel's list of choices covers the fields below it: move on to the phone.
    tui.keys(Key::Tab, 2);
    tui.wait_for("电话      13900139000");
    tui.wait_for("投诉人    李梅");

    // Saving it records the case and removes the draft.
    tui.key(Key::CtrlS);
    tui.wait_for("已登记案件 ");
    let number = created_number(&tui.screen());
    let start = Instant::now();
    while draft.exists() {
        assert!(start.elapsed() < WAIT, "draft still on disk after saving the case");
        std::thread::sleep(Duration::from_millis(20));
    }
    tui.key(Key::CtrlC);
    assert!(tui.wait_exit(EXIT_WAIT).is_some(), "still running after Ctrl-C");
    let case = desk.show(&number);
    assert_eq!(case["summary"], summary);
    assert_eq!(case["details"], details);
}

#[test]
fn quit_restores_the_terminal() {
    let desk = Desk::with_clerk();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("q 退出");
    assert!(
        tui.seen().parser.screen().alternate_screen(),
        "the desk is not on the alternate screen"
    );
    tui.send("q");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after q; screen:\n{}", tui.screen()));
    assert!(status.success(), "exit status {status:?}");
    tui.wait_output_closed();
    let raw = tui.raw();
    let leave = b"\x1b[?1049l";
    assert!(
        raw.windows(leave.len()).any(|w| w == leave),
        "the output never leaves the alternate screen; its last bytes: {:?}",
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..])
    );
    let seen = tui.seen();
    let screen = seen.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is left hidden");
    assert!(!screen.bracketed_paste(), "bracketed paste is left on");
}

/// Hangs up the terminal of a signed-in desk; the program must leave within 2 s.
fn hang_up_and_expect_exit(mut tui: Tui, pid: u32) {
    tui.wait_for("工作台 · 我的");
    let idle_start = cpu_ticks(pid);
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(pid);
    let idle = idle_start.zip(before).map(|(a, b)| b.saturating_sub(a));
    tui.hang_up();
    if tui.wait_exit(EXIT_WAIT).is_none() {
        let used = before.zip(cpu_ticks(pid)).map(|(a, b)| b.saturating_sub(a));
        panic!(
            "casedesk (pid {pid}) still running 2 s after its terminal closed; CPU clock ticks \
             it used meanwhile: {used:?}, and in 0.5 s idle before: {idle:?} (100 a second is \
             a busy loop)"
        );
    }
}

#[test]
fn closed_pty_does_not_spin() {
    let desk = Desk::with_clerk();
    // casedesk leads the terminal's session, so the kernel also sends it SIGHUP.
    let tui = Tui::signed_in(&desk);
    let pid = tui.pid();
    hang_up_and_expect_exit(tui, pid);
}

#[test]
fn closed_pty_does_not_spin_when_started_from_a_shell() {
    let desk = Desk::with_clerk();
    // The shell leads the session (and survives the hang-up to wait for casedesk);
    // casedesk runs as its child on the same terminal, like `sh -c 'cd desk && casedesk'`.
    let script = r#"exec 3<&0; trap "" HUP; "$0" <&3 3<&- & echo "casedesk-pid:$!"; wait $!"#;
    let mut tui = Tui::spawn(&desk, 100, 30, &["sh", "-c", script, BIN]);
    tui.sign_in();
    let raw = String::from_utf8_lossy(&tui.raw()).into_owned();
    let pid: u32 = raw
        .split("casedesk-pid:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("the shell printed casedesk's pid");
    tui.inner = Some(pid);
    // The shell exits when casedesk does.
    hang_up_and_expect_exit(tui, pid);
}

#[test]
fn small_terminal_says_so() {
    let desk = Desk::with_clerk();
    let mut tui = Tui::start(&desk, 40, 10);
    tui.wait_for("终端窗口太小");
    // Let the program reach its event loop: a resize in the moment after the first
    // frame is lost (see `resize_right_after_the_first_frame_is_not_lost`).
    std::thread::sleep(Duration::from_millis(300));
    tui.resize(100, 30);
    tui.wait_for("登录（输入姓名或拼音首字母");
    tui.wait_gone("终端窗口太小");
    // And the screen works at its new size.
    tui.sign_in();
}

#[test]
fn resize_right_after_the_first_frame_is_not_lost() {
    let desk = Desk::with_clerk();
    for attempt in 1..=20 {
        let mut tui = Tui::start(&desk, 40, 10);
        let start = Instant::now();
        while !tui.screen().contains("终端窗口太小") {
            assert!(start.elapsed() < WAIT, "no first frame:\n{}", tui.screen());
            std::thread::sleep(Duration::from_micros(200));
        }
        tui.resize(100, 30);
        let start = Instant::now();
        while !tui.screen().contains("登录（输入姓名或拼音首字母") {
            assert!(
                start.elapsed() < EXIT_WAIT,
                "attempt {attempt}: resized to 100×30 right after the first frame, still drawn \
                 for 40×10 two seconds later:\n{}",
                tui.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_panic_restores_the_terminal_and_keeps_the_draft() {
    let desk = Desk::with_clerk();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("q 退出");
    tui.send("n");
    tui.wait_for("登记新案件");
    for _ in 0..11 {
        tui.key(Key::Tab);
    }
    tui.send("崩溃前输入的摘要");
    tui.wait_for("崩溃前输入的摘要");
    // F12 panics when fault injection is on.
    tui.send("\x1b[24~");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after the panic; screen:\n{}", tui.screen()));
    assert!(!status.success(), "a panic must not exit 0: {status:?}");
    tui.wait_output_closed();
    let raw = tui.raw();
    let leave = b"\x1b[?1049l";
    assert!(
        raw.windows(leave.len()).any(|w| w == leave),
        "the terminal was not restored"
    );
    assert!(
        !tui.seen().parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    let drafts = desk.dir.path().join("desk.db.drafts");
    let text: String = std::fs::read_dir(&drafts)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(text.contains("崩溃前输入的摘要"), "{text}");
}

#[test]
fn sigterm_mid_intake_restores_the_terminal_and_keeps_the_draft() {
    let desk = Desk::with_clerk();
    let draft = desk.draft_file(desk.staff_id(CLERK));
    let mut tui = Tui::signed_in(&desk);
    tui.send("n");
    tui.wait_for("登记新案件");
    tui.keys(Key::Tab, 11);
    tui.send("终止前的摘要");
    tui.wait_for("摘要      终止前的摘要");
    let pid = tui.pid().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(kill.success(), "kill -TERM {pid}: {kill}");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after SIGTERM; screen:\n{}", tui.screen()));
    assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    tui.wait_output_closed();
    assert!(
        !tui.seen().parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    let text = std::fs::read_to_string(&draft).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["summary"], "终止前的摘要", "{text}");
}
