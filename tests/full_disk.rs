//! A full disk, for real: `casedesk` runs under a file-size limit
//! (RLIMIT_FSIZE: a shell sets `ulimit -f` and `exec`s it), so its writes
//! past the limit fail as on a full file system — the kernel refuses them
//! (EFBIG) and sends SIGXFSZ. (`store.rs` makes the same promise through
//! SQLite's own page limit, `max_page_count`.) Whatever the limit, casedesk
//! must end on its own with a message, acknowledge nothing it did not save,
//! leave a desk that passes `check`, and keep what a clerk typed.
//!
//! Limits are in the 512-byte blocks of POSIX `ulimit -f`; `/bin/sh` must
//! exist (Unix only).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::pty::{EXIT_WAIT, Key, Tui, WAIT};
use support::{BIN, CLERK, CLERK_PIN, Desk, Words};

/// Sets the limit (`$1`, in blocks), then becomes the rest of the command line.
const LIMITED: &str = r#"ulimit -f "$1" && shift && exec "$@""#;

/// `casedesk ARGS` on `desk` under a file-size limit of `blocks`.
fn limited(desk: &Desk, blocks: u64, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
    let blocks = blocks.to_string();
    let shell = ["/bin/sh", "-c", LIMITED, "sh", &blocks];
    desk.wrapped_at(&shell, &desk.now(), pin, args).output().unwrap()
}

#[track_caller]
fn assert_check_passes(desk: &Desk, when: &str) {
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过"), "casedesk check {when}:\n{out}");
}

/// A complaint whose details (9,000 bytes) need pages of their own.
fn big_intake() -> Vec<String> {
    let details = "长".repeat(3000);
    let mut args = [
        "case",
        "new",
        "--as",
        CLERK,
        "--channel",
        "phone",
        "--kind",
        "complaint",
        "--summary",
        "磁盘将满时的登记",
        "--name",
        "王芳",
    ]
    .words();
    args.extend(["--details".to_string(), details]);
    args
}

/// The limit really applies: under a generous one `case new` saves as
/// always; under 64 blocks (32 KiB) it cannot save, and saves nothing.
#[test]
fn a_file_size_limit_applies_to_casedesk_started_through_the_shell() {
    let desk = Desk::new();
    let out = limited(&desk, 1_000_000, Some(CLERK_PIN), &big_intake());
    assert!(out.status.success(), "{out:?}");
    assert_eq!(desk.count("cases"), 1);
    let out = limited(&desk, 64, Some(CLERK_PIN), &big_intake());
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(desk.count("cases"), 1);
    assert_check_passes(&desk, "after case new under a limit of 64 blocks");
}

/// `case new` under limits from "nothing fits" to "the commit fits but the
/// checkpoint at exit does not".
#[test]
fn case_new_under_a_file_size_limit_says_so_and_acknowledges_only_what_it_saved() {
    let desk = Desk::new();
    let mut findings = Vec::new();
    for blocks in [64, 128, 200, 400] {
        let before = desk.count("cases");
        let out = limited(&desk, blocks, Some(CLERK_PIN), &big_intake());
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let saved = desk.count("cases") - before;
        findings.push(format!(
            "limit {blocks} blocks: {:?}, printed {stdout:?}, said {stderr:?}, saved {saved}",
            out.status
        ));
        let all = findings.join("\n");
        assert_eq!(out.status.signal(), None, "killed by a signal:\n{all}");
        if out.status.success() {
            assert_eq!(stdout.lines().count(), 1, "{all}");
            assert_eq!(saved, 1, "acknowledged but not saved:\n{all}");
        } else {
            assert!(stdout.is_empty(), "a failure printed a result:\n{all}");
            assert_eq!(saved, 0, "saved but not acknowledged:\n{all}");
            assert!(!stderr.trim().is_empty(), "a failure without a message:\n{all}");
        }
        assert_check_passes(&desk, &format!("after case new under a limit of {blocks} blocks"));
    }
    // Room again: the same intake is saved.
    let before = desk.count("cases");
    desk.ok(Some(CLERK_PIN), &big_intake());
    assert_eq!(desk.count("cases"), before + 1);
}

/// The intake screen under a limit the desk's shared-memory index (32 KiB)
/// and the draft fit in but the intake's write does not: saving fails, the
/// program stays, the form keeps what was typed, the draft holds it too.
#[test]
fn the_intake_screen_under_a_file_size_limit_keeps_what_was_typed() {
    let desk = Desk::new();
    let draft = desk.draft_file(desk.staff_id(CLERK));
    let summary = "磁盘将满时的登记";
    let details = "家属反映夜间呼叫无人应答。".repeat(40);
    let blocks = "80";
    let mut tui = Tui::spawn(&desk, 100, 30, &["/bin/sh", "-c", LIMITED, "sh", blocks, BIN]);
    tui.sign_in();
    tui.start_intake("13900139000", "李梅", summary);
    // Pasted, as a long text would be.
    tui.send(&format!("\x1b[200~{details}\x1b[201~"));
    // The details wrap over many rows; the paste arrives as one event.
    tui.wait_for("家属反映夜间呼叫无人应答。家属");
    tui.key(Key::CtrlS);
    // Give the save its time, then the program must still be there, on the form.
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        tui.wait_exit(Duration::ZERO).is_none(),
        "casedesk ended when saving failed; screen:\n{}",
        tui.screen()
    );
    let screen = tui.screen();
    assert!(!screen.contains("已登记案件"), "{screen}");
    tui.wait_for("登记新案件");
    tui.wait_for(&format!("摘要      {summary}"));
    // The draft on disk holds what was typed.
    let start = Instant::now();
    let data = loop {
        let text = std::fs::read_to_string(&draft).unwrap_or_default();
        if let Ok(data) = serde_json::from_str::<Value>(&text)
            && data["details"] == details.as_str()
        {
            break data;
        }
        assert!(start.elapsed() < WAIT, "the draft lacks what was typed: {text}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(data["summary"], summary);
    assert_eq!(data["phone"], "13900139000");
    tui.key(Key::CtrlC);
    assert!(tui.wait_exit(EXIT_WAIT).is_some(), "still running after Ctrl-C");
    assert_eq!(desk.count("cases"), 0, "nothing was saved");
    assert_check_passes(&desk, "after the failed save");
}

/// Whatever the limit stops (the log, the file, the commit), the clerk is
/// told the disk is full and that nothing was saved, in their language — not
/// SQLite's "disk I/O error" — and reading the desk goes on under the same limit.
#[test]
fn a_write_past_the_limit_says_the_disk_is_full_and_reads_go_on() {
    let desk = Desk::new();
    let number = desk.intake("--summary 已有的案件 --name 王芳");
    for blocks in [64, 128, 200] {
        let out = limited(&desk, blocks, Some(CLERK_PIN), &big_intake());
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "limit {blocks}: saved under the limit");
        assert!(
            said.contains("磁盘已满") && said.contains("本次未保存任何内容"),
            "limit {blocks}: {said}"
        );
        let mut english = ["--lang", "en"].words();
        english.extend(big_intake());
        let out = limited(&desk, blocks, Some(CLERK_PIN), &english);
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            said.contains("The disk is full") && said.contains("nothing was saved"),
            "limit {blocks}: {said}"
        );
        for read in [
            vec!["case", "list"],
            vec!["case", "show", number.as_str()],
            vec!["report"],
        ] {
            let out = limited(&desk, blocks, None, &read);
            assert!(out.status.success(), "limit {blocks}: {read:?} failed: {out:?}");
            assert!(!out.stdout.is_empty(), "limit {blocks}: {read:?} printed nothing");
        }
    }
    assert_eq!(desk.count("cases"), 1);
    assert_check_passes(&desk, "after the writes the limit stopped");
}
