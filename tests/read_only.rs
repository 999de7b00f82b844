//! A read-only desk is readable (issue 17, part 8): when this user cannot
//! write the desk's file or its folder (their modes, a read-only file
//! system), the reading commands work, a writing one fails with the desk's
//! own words ("the desk is read-only: …", nothing recorded), and the screens
//! open on the queue with a notice. The desk finds out with access(2).
//!
//! The tests run as root, whom a file's mode does not stop: the command line
//! and the screens then run as `nobody` (through `setpriv`), for whom the
//! modes count; not as root, they run as the user. Where neither is possible
//! the test says so and stops. The store is also opened read-only directly.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use casedesk::store::{Store, StoreError};
use support::pty::{EXIT_WAIT, Key, Tui};
use support::{BIN, CLERK, CLERK_PIN, Desk, Words as _};

/// `nobody`, whom `setpriv` makes the user when the tests run as root.
const AS_NOBODY: [&str; 4] = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

fn has_setpriv() -> bool {
    std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The program prefix that runs as a user the file's mode stops, or `None`
/// (said) when there is no such user here.
fn reader() -> Option<Vec<&'static str>> {
    match (is_root(), has_setpriv()) {
        (false, _) => Some(Vec::new()),
        (true, true) => Some(AS_NOBODY.to_vec()),
        (true, false) => {
            println!("note: running as root without setpriv: a read-only file cannot be tried here");
            None
        }
    }
}

/// A desk with one case, then made read-only: the folder and the file may be
/// read and not written (by anyone the modes stop). Given back writable when dropped.
struct ReadOnly {
    desk: Desk,
    number: String,
}

impl ReadOnly {
    fn new() -> ReadOnly {
        let desk = Desk::new();
        let number = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --phone 13800138000");
        assert!(!desk.path("desk.db-wal").exists(), "the log is left after the command");
        set_mode(desk.dir(), 0o555);
        set_mode(&desk.db(), 0o444);
        ReadOnly { desk, number }
    }

    fn run(&self, wrapper: &[&str], pin: Option<&str>, args: &[&str]) -> Output {
        self.desk
            .wrapped_at(wrapper, &self.desk.now(), pin, args)
            .output()
            .unwrap()
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        set_mode(self.desk.dir(), 0o755);
        set_mode(&self.desk.db(), 0o644);
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn reading_commands_work_and_writing_ones_say_the_desk_is_read_only() {
    let Some(wrapper) = reader() else { return };
    let ro = ReadOnly::new();
    let n = ro.number.as_str();
    for read in [
        vec!["case", "list"],
        vec!["case", "show", n],
        vec!["case", "show", n, "--json"],
        vec!["report"],
        vec!["check"],
        vec!["export", "--format", "json"],
    ] {
        let out = ro.run(&wrapper, None, &read);
        assert_eq!(out.status.code(), Some(0), "{read:?}: {}", text(&out.stderr));
        assert!(!out.stdout.is_empty(), "{read:?} printed nothing");
        assert!(
            text(&out.stderr).contains("本台是只读的"),
            "{read:?}: no notice: {}",
            text(&out.stderr)
        );
    }
    let listed = text(&ro.run(&wrapper, None, &["case", "list"]).stdout);
    assert!(listed.contains(n) && listed.contains("夜班护士态度生硬"), "{listed}");
    // Signing in to look works: no attempt can be counted, the PIN is checked.
    let out = ro.run(&wrapper, Some(CLERK_PIN), &["case", "list", "--as", CLERK]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ro.run(&wrapper, Some("9999"), &["case", "list", "--as", CLERK]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("PIN 错误"), "{}", text(&out.stderr));

    for write in [
        vec![
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "新来电",
            "--name",
            "李四",
        ],
        vec!["case", "answer", n, "--as", CLERK, "--text", "已答复"],
        vec!["duty", "log", "--as", CLERK, "--what", "来电询问"],
    ] {
        let out = ro.run(&wrapper, Some(CLERK_PIN), &write);
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{write:?}: {said}");
        assert!(out.stdout.is_empty(), "{write:?}: {}", text(&out.stdout));
        assert!(
            said.contains("本台是只读的：") && said.contains("本次没有记录"),
            "{write:?}: {said}"
        );
        assert!(
            !said.to_lowercase().contains("readonly database"),
            "{write:?}: raw SQLite: {said}"
        );
    }
    let mut english = ["--lang", "en"].words();
    english.extend(["case", "answer", n, "--as", CLERK, "--text", "answered"].words());
    let english: Vec<&str> = english.iter().map(String::as_str).collect();
    let said = text(&ro.run(&wrapper, Some(CLERK_PIN), &english).stderr);
    assert!(said.contains("The desk is read-only: "), "{said}");

    drop(ro);
}

#[test]
fn nothing_is_written_to_a_read_only_desk() {
    let Some(wrapper) = reader() else { return };
    let ro = ReadOnly::new();
    let before = std::fs::read(ro.desk.db()).unwrap();
    ro.run(
        &wrapper,
        Some(CLERK_PIN),
        &["case", "answer", &ro.number, "--as", CLERK, "--text", "已答复"],
    );
    ro.run(&wrapper, None, &["report"]);
    assert_eq!(std::fs::read(ro.desk.db()).unwrap(), before, "the file changed");
    let beside: Vec<String> = std::fs::read_dir(ro.desk.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("desk.db"))
        .collect();
    assert_eq!(beside, ["desk.db"], "files made beside the desk");
}

#[test]
fn the_store_opened_read_only_reads_and_refuses_every_write() {
    let desk = Desk::new();
    let number = desk.intake("--summary 挂号排队太久 --name 李四");
    let events = desk.count("events");
    let mut store = Store::open_read_only(&desk.db()).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.case(&number).unwrap().case.intake.summary, "挂号排队太久");
    let policy = casedesk::domain::Policy::builtin().unwrap();
    let clerk = store
        .sign_in(CLERK, CLERK_PIN, support::at(support::T0), &policy.security)
        .unwrap();
    assert!(matches!(
        store.sign_in(CLERK, "9999", support::at(support::T0), &policy.security),
        Err(StoreError::BadPin { .. })
    ));
    let err = store
        .join_shift(&clerk, &policy, support::at(support::T0))
        .expect_err("a read-only desk recorded a shift");
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err:?}");
    let words = casedesk::words::Words::new(casedesk::words::Lang::Zh, policy.timezone);
    assert!(words.store(&err).starts_with("本台是只读的："), "{}", words.store(&err));
    drop(store);
    assert_eq!(desk.count("events"), events, "a read-only store wrote events");
}

#[test]
fn the_screens_open_on_the_queue_with_a_notice() {
    let Some(wrapper) = reader() else { return };
    let ro = ReadOnly::new();
    let mut argv = wrapper.clone();
    argv.push(BIN);
    let mut tui = Tui::spawn(&ro.desk, 100, 30, &argv);
    tui.wait_for("本台是只读的");
    tui.sign_in();
    tui.wait_for(&ro.number);
    tui.wait_for("本台是只读的");
    // A step is refused in words, and the program stays.
    tui.start_intake("13900139000", "李梅", "只读时的来电");
    tui.key(Key::CtrlS);
    tui.wait_for("本台是只读的：");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tui.wait_exit(Duration::ZERO).is_none(),
        "casedesk ended:\n{}",
        tui.screen()
    );
    let screen = tui.screen();
    assert!(!screen.to_lowercase().contains("readonly"), "{screen}");
    tui.key(Key::CtrlC);
    assert!(tui.wait_exit(EXIT_WAIT).is_some(), "still running after Ctrl-C");
}
