//! One clock and one policy, the desk's own (issue 17, parts 2 and 3): a real
//! desk refuses a clock set by the clerk and ignores the clerk's policy files;
//! its policy and calendar are kept in it and changed by an admin, each change
//! audited; a training desk (init --training, demo) takes both and says so;
//! every event records when it was really written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Output;

use support::{ADMIN, ADMIN_PIN, BIN};

/// `casedesk ARGS` on the desk in `dir` with exactly `env` besides its paths.
fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = std::process::Command::new(BIN);
    c.env_clear()
        .env("HOME", dir)
        .env("CASEDESK_DB", dir.join("desk.db"))
        .env("CASEDESK_POLICY", dir.join("policy.toml"))
        .env("CASEDESK_CALENDAR", dir.join("calendar.toml"))
        .env("CASEDESK_PIN", ADMIN_PIN)
        .env("CASEDESK_NEW_PIN", ADMIN_PIN)
        .args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = run(dir, env, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const NOW: (&str, &str) = ("CASEDESK_NOW", "2026-09-30T10:00:00+08:00");

#[test]
fn a_real_desk_refuses_a_clock_set_by_the_clerk() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &[], &["init", "--admin", ADMIN]);
    ok(dir.path(), &[], &["dept", "add", "--as", ADMIN, "--name", "护理部"]);
    let out = run(dir.path(), &[NOW], &["sweep", "--as", ADMIN]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不接受 CASEDESK_NOW"), "{err}");
    let out = run(
        dir.path(),
        &[("CASEDESK_NOW", "9999-01-01T00:00:00Z")],
        &["case", "list"],
    );
    assert_eq!(out.status.code(), Some(2), "not even to read");
    // Without it, the real clock.
    ok(dir.path(), &[], &["sweep", "--as", ADMIN]);
}

#[test]
fn a_training_desk_takes_the_clock_and_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &[NOW], &["init", "--admin", ADMIN, "--training"]);
    assert!(out.contains("培训台"), "{out}");
    ok(dir.path(), &[NOW], &["dept", "add", "--as", ADMIN, "--name", "护理部"]);
    let demo = tempfile::tempdir().unwrap();
    ok(demo.path(), &[], &["demo", "--cases", "5"]);
    ok(
        demo.path(),
        &[("CASEDESK_NOW", "2026-12-01T09:00:00+08:00")],
        &["case", "list"],
    );
}

#[test]
fn every_event_records_when_it_was_really_written() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &[NOW], &["init", "--admin", ADMIN, "--training"]);
    let conn = rusqlite::Connection::open(dir.path().join("desk.db")).unwrap();
    let (at, recorded): (i64, i64) = conn
        .query_row("SELECT at, recorded_at FROM events ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let real = chrono::Utc::now().timestamp();
    assert_eq!(at, 1_790_733_600, "the step's time is the training clock's");
    assert!(
        (real - recorded).abs() < 60,
        "written at the real time: {recorded} vs {real}"
    );
    // The written time is part of the chain: changing it is found.
    conn.execute_batch("DROP TRIGGER events_no_update; UPDATE events SET recorded_at = recorded_at - 86400;")
        .unwrap();
    drop(conn);
    let out = run(dir.path(), &[NOW], &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_real_desks_policy_is_its_own_and_changed_only_by_an_admin_with_an_audit_event() {
    let dir = tempfile::tempdir().unwrap();
    let given = dir.path().join("given.toml");
    std::fs::write(&given, "[return_visit]\nattempts = 4\n").unwrap();
    // The policy given at creation becomes the desk's.
    ok(
        dir.path(),
        &[("CASEDESK_POLICY", given.to_str().unwrap())],
        &["init", "--admin", ADMIN],
    );
    assert!(ok(dir.path(), &[], &["policy"]).contains("attempts = 4"));
    // A clerk's own policy file does not bend a real desk: it is ignored, with a note.
    std::fs::write(
        dir.path().join("policy.toml"),
        "[return_visit]\nattempts = 1\n[security]\npin_attempts = 4000000000\n",
    )
    .unwrap();
    let out = run(dir.path(), &[], &["policy"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.contains("attempts = 4") && !stdout.contains("4000000000"),
        "{stdout}"
    );
    assert!(stderr.contains("未使用"), "{stderr}");
    // A clerk may not change it; the admin may, and the change is in the audit log.
    ok(
        dir.path(),
        &[],
        &["staff", "add", "--as", ADMIN, "--name", "张小明", "--role", "clerk"],
    );
    let newer = dir.path().join("newer.toml");
    std::fs::write(&newer, "[return_visit]\nattempts = 2\n").unwrap();
    let out = run(
        dir.path(),
        &[],
        &["policy", "apply", newer.to_str().unwrap(), "--as", "张小明"],
    );
    assert!(!out.status.success());
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[return_visit]\nattempts = \"many\"\n").unwrap();
    let out = run(
        dir.path(),
        &[],
        &["policy", "apply", bad.to_str().unwrap(), "--as", ADMIN],
    );
    assert_eq!(out.status.code(), Some(2), "a policy the desk cannot run on is refused");
    let out = ok(
        dir.path(),
        &[],
        &["policy", "apply", newer.to_str().unwrap(), "--as", ADMIN],
    );
    assert!(out.contains("2 处变化"), "{out}");
    assert!(ok(dir.path(), &[], &["policy"]).contains("attempts = 2"));
    let conn = rusqlite::Connection::open(dir.path().join("desk.db")).unwrap();
    let body: String = conn
        .query_row(
            "SELECT body FROM events WHERE kind = 'policy_applied' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        body.contains("- attempts = 4") && body.contains("+ attempts = 2"),
        "{body}"
    );
    drop(conn);
    assert!(ok(dir.path(), &[], &["check"]).contains("检查通过"));
}

#[test]
fn a_calendar_is_applied_by_the_admin_and_kept_in_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &[], &["init", "--admin", ADMIN]);
    let cal = dir.path().join("cal.toml");
    std::fs::write(&cal, "[years.2027]\nholidays = [\"2027-01-01\"]\nworkdays = []\n").unwrap();
    let out = run(
        dir.path(),
        &[],
        &["calendar", "apply", cal.to_str().unwrap(), "--as", ADMIN],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = ok(dir.path(), &[], &["policy"]);
    assert!(printed.contains("2027"), "the desk knows 2027 now: {printed}");
}

#[test]
fn a_training_desk_says_so_on_every_screen() {
    use casedesk::words::Lang;
    let mut s = support::screen::Screens::staffed(Lang::Zh);
    s.app.desk.training = true;
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        assert!(s.text(w, h)[0].contains("[培训]"), "signed out at {w}×{h}");
    }
    s.sign_in("zxm", support::CLERK_PIN);
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        assert!(s.text(w, h)[0].contains("[培训]"), "{w}×{h}: {}", s.text(w, h)[0]);
    }
    s.app.desk.training = false;
    assert!(!s.text(120, 35)[0].contains("培训"));
}

/// 补录: a step entered after it happened, with a reason, within the policy's
/// hours, never in the future nor before the case's last step; the timeline
/// and `case show --json` say so.
#[test]
fn a_step_entered_late_says_why_and_keeps_to_its_limits() {
    let desk = support::Desk::new();
    let number = desk.intake(&["--summary", "夜间输液呼叫无人应答", "--name", "王芳"]);
    // The desk's clock is 30 Sep 10:00 (the intake's time); two hours later the
    // clerk enters the promise made on the phone at 11:00.
    let later = "2026-09-30T12:00:00+08:00";
    let step = |happened: &str| {
        desk.run_at(
            later,
            Some(support::CLERK_PIN),
            &[
                "case",
                "promise",
                &number,
                "--as",
                support::CLERK,
                "--at",
                "2026-10-09 17:00",
                "--happened-at",
                happened,
                "--late-reason",
                "电话中已告知，当时未登记",
            ],
        )
    };
    let refused = |out: Output, says: &str| {
        assert_eq!(
            out.status.code(),
            Some(3),
            "a rule refuses: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    };
    refused(step("2026-09-30 13:00"), "不能晚于现在");
    refused(step("2026-09-30 09:00"), "不能早于本案上一步");
    let out = step("2026-09-30 11:00");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = desk.show(&number);
    let events = shown["events"].as_array().unwrap();
    let promise = events.iter().find(|e| e["kind"] == "promised").unwrap();
    assert_eq!(promise["at"], "2026-09-30T11:00:00+08:00", "{promise}");
    assert_eq!(promise["late"]["reason"], "电话中已告知，当时未登记");
    let text = desk.ok_at(later, None, &["case", "show", &number]);
    assert!(text.contains("【补录：电话中已告知，当时未登记"), "{text}");
    // Older than the policy's 72 hours: refused.
    let days_later = "2026-10-05T12:00:00+08:00";
    let out = desk.run_at(
        days_later,
        Some(support::CLERK_PIN),
        &[
            "case",
            "note",
            &number,
            "--as",
            support::CLERK,
            "--text",
            "补记",
            "--happened-at",
            "2026-10-01 09:00",
            "--late-reason",
            "忘记",
        ],
    );
    refused(out, "只能补录 72 小时内");
}
