//! A desk in its own temp dir, driven through the real `casedesk` binary: one
//! process per command, a fixed desk clock (`CASEDESK_NOW`) and an explicit
//! environment, so nothing from the developer's shell or user config leaks in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use casedesk::paths::Paths;
use serde_json::Value;
use tempfile::TempDir;

use super::{ADMIN, ADMIN_PIN, BIN, CLERK, CLERK_PIN, T0, Words, expect_code};

/// What each migration from 13 on made, taken away again, newest last:
/// with `PRAGMA user_version` lower, a desk looks as it did before them (the
/// next open runs them again).
const UNDO: &[(i64, &str)] = &[
    (
        13,
        "DROP TABLE search_reindex;   DROP TABLE rate_bases;   DROP TABLE people;   DROP INDEX cases_subject_person;   ALTER TABLE cases DROP COLUMN subject_name;   ALTER TABLE cases DROP COLUMN subject_job;   ALTER TABLE cases DROP COLUMN subject_dept;   ALTER TABLE cases DROP COLUMN subject_listed;",
    ),
    (14, "DROP TABLE case_depts;"),
    (15, "DROP TABLE rings;"),
    (16, "DROP INDEX events_notes; DROP TABLE phrases;"),
    (
        17,
        "DROP TABLE attachments; DROP TABLE batch_members; DROP TABLE batches;",
    ),
    (18, "DROP TABLE saved_views; DROP INDEX cases_open_received;"),
];

/// Takes the desk back to schema `version` (13 or later undone, newest
/// first): what a desk of that version looks like to the next open.
pub fn undo_to(sql: &rusqlite::Connection, version: i64) {
    let now: i64 = sql.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(now, UNDO.last().unwrap().0, "a migration this helper cannot undo yet");
    for (v, undo) in UNDO.iter().rev().filter(|(v, _)| *v > version) {
        sql.execute_batch(undo)
            .unwrap_or_else(|e| panic!("undo migration {v}: {e}"));
    }
    sql.execute_batch(&format!("PRAGMA user_version = {version};")).unwrap();
}

/// How long one command may run before the test calls it hung.
const HANG: Duration = Duration::from_secs(60);

/// A desk clock as `CASEDESK_NOW` takes it: RFC 3339 as given, or a desk-local
/// `2026-05-02T10:00` at +08:00 (the built-in policy's Asia/Shanghai).
pub fn rfc3339(now: &str) -> String {
    if now.len() == "2026-05-02T10:00".len() {
        format!("{now}:00+08:00")
    } else {
        now.to_string()
    }
}

/// One desk in its own temp dir. The policy and calendar files it names do
/// not exist: the built-in ones apply.
pub struct Desk {
    dir: TempDir,
    /// The desk clock for commands that do not name their own time.
    now: Mutex<String>,
}

impl Desk {
    /// A temp dir with no database yet; the clock at [`T0`].
    pub fn empty() -> Desk {
        Desk::empty_at(T0)
    }

    /// A temp dir with no database yet; the clock at `now` (see [`rfc3339`]).
    pub fn empty_at(now: &str) -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
            now: Mutex::new(now.to_string()),
        }
    }

    /// A desk with admin 管理员, department 护理部 and clerk 张小明, at [`T0`].
    pub fn new() -> Desk {
        Desk::new_at(T0)
    }

    /// [`Desk::new`] with the clock at `now`.
    pub fn new_at(now: &str) -> Desk {
        let desk = Desk::empty_at(now);
        desk.init();
        desk.add_dept("护理部");
        desk.add_staff(CLERK, "clerk", CLERK_PIN);
        desk
    }

    /// `init`: the database and its administrator 管理员.
    pub fn init(&self) {
        let out = self
            .cmd(None, &["init", "--admin", ADMIN, "--training"])
            .env("CASEDESK_NEW_PIN", ADMIN_PIN)
            .output()
            .unwrap();
        expect_code(&out, 0);
    }

    /// `dept add` by the administrator.
    pub fn add_dept(&self, name: &str) {
        self.ok(Some(ADMIN_PIN), &["dept", "add", "--as", ADMIN, "--name", name]);
    }

    /// `staff add` by the administrator; `role` is clerk, supervisor or admin.
    pub fn add_staff(&self, name: &str, role: &str, pin: &str) {
        let out = self
            .cmd(
                Some(ADMIN_PIN),
                &["staff", "add", "--as", ADMIN, "--name", name, "--role", role],
            )
            .env("CASEDESK_NEW_PIN", pin)
            .output()
            .unwrap();
        expect_code(&out, 0);
    }

    /// The temp dir.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.path("desk.db")
    }

    /// A file in the temp dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The desk's files, as the library opens them.
    pub fn paths(&self) -> Paths {
        Paths {
            db: self.db(),
            policy: self.path("no-policy.toml"),
            calendar: self.path("no-calendar.toml"),
        }
    }

    /// Where the intake draft of a staff member is kept.
    pub fn draft_file(&self, staff: i64) -> PathBuf {
        self.path("desk.db.drafts").join(format!("intake-{staff}.json"))
    }

    /// Sets the desk clock for the commands that follow.
    pub fn at(&self, now: &str) -> &Desk {
        now.clone_into(&mut self.now.lock().unwrap_or_else(PoisonError::into_inner));
        self
    }

    /// The desk clock.
    pub fn now(&self) -> String {
        self.now.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// What the program reads from the environment, for a desk clock `now`:
    /// the desk's files, the clock, a home of its own.
    pub fn env_at(&self, now: &str) -> Vec<(&'static str, String)> {
        let p = self.paths();
        vec![
            ("HOME", self.dir().display().to_string()),
            ("CASEDESK_DB", p.db.display().to_string()),
            ("CASEDESK_POLICY", p.policy.display().to_string()),
            ("CASEDESK_CALENDAR", p.calendar.display().to_string()),
            ("CASEDESK_NOW", rfc3339(now)),
        ]
    }

    /// `casedesk ARGS` at desk time `now` in an environment of only
    /// [`Desk::env_at`]; `pin` becomes `CASEDESK_PIN`. Standard input is empty.
    pub fn command_at(&self, now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        self.wrapped_at(&[], now, pin, args)
    }

    /// [`Desk::command_at`], started through `wrapper` (a program and its
    /// arguments, e.g. a shell that sets a limit and then `exec`s the rest).
    pub fn wrapped_at(&self, wrapper: &[&str], now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        let (program, before) = match wrapper.split_first() {
            Some((program, rest)) => (*program, [rest, &[BIN]].concat()),
            None => (BIN, Vec::new()),
        };
        let mut c = Command::new(program);
        c.args(before)
            .args(args.words())
            .env_clear()
            .envs(self.env_at(now))
            .current_dir(self.dir())
            .stdin(Stdio::null());
        if let Some(pin) = pin {
            c.env("CASEDESK_PIN", pin);
        }
        c
    }

    /// [`Desk::command_at`] at the desk clock.
    pub fn command(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        self.command_at(&self.now(), pin, args)
    }

    /// [`Desk::command_at`], killed when it hangs.
    pub fn cmd_at(&self, now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::from_std(self.command_at(now, pin, args));
        c.timeout(HANG);
        c
    }

    /// [`Desk::cmd_at`] at the desk clock.
    pub fn cmd(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> assert_cmd::Command {
        self.cmd_at(&self.now(), pin, args)
    }

    pub fn run_at(&self, now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
        self.cmd_at(now, pin, args).output().unwrap()
    }

    pub fn run(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
        self.run_at(&self.now(), pin, args)
    }

    /// Runs at desk time `now`, expects exit 0, returns standard output.
    #[track_caller]
    pub fn ok_at(&self, now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> String {
        let out = self.run_at(now, pin, args);
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs, expects exit 0, returns standard output.
    #[track_caller]
    pub fn ok(&self, pin: Option<&str>, args: &(impl Words + ?Sized)) -> String {
        self.ok_at(&self.now(), pin, args)
    }

    /// Runs, expects exit `code`, returns standard error.
    #[track_caller]
    pub fn fails(&self, pin: Option<&str>, args: &(impl Words + ?Sized), code: i32) -> String {
        let out = self.run(pin, args);
        expect_code(&out, code);
        String::from_utf8(out.stderr).unwrap()
    }

    /// Standard output as JSON, at desk time `now`.
    #[track_caller]
    pub fn json_at(&self, now: &str, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Value {
        serde_json::from_str(&self.ok_at(now, pin, args)).unwrap()
    }

    /// A phone complaint taken in by 张小明; returns the number printed.
    #[track_caller]
    pub fn intake(&self, extra: &(impl Words + ?Sized)) -> String {
        self.intake_as(CLERK, CLERK_PIN, extra)
    }

    /// A phone complaint taken in by `who`; returns the number printed.
    #[track_caller]
    pub fn intake_as(&self, who: &str, pin: &str, extra: &(impl Words + ?Sized)) -> String {
        let mut args = ["case", "new", "--as", who, "--channel", "phone", "--kind", "complaint"].words();
        args.extend(extra.words());
        let out = self.ok(Some(pin), &args);
        assert!(out.ends_with('\n') && out.lines().count() == 1, "{out:?}");
        out.trim_end().to_string()
    }

    /// `case show N --json` with no viewer.
    #[track_caller]
    pub fn show(&self, number: &str) -> Value {
        serde_json::from_str(&self.ok(None, &["case", "show", number, "--json"])).unwrap()
    }

    /// `case show N --json` as `who`.
    #[track_caller]
    pub fn show_as(&self, number: &str, who: &str, pin: &str) -> Value {
        serde_json::from_str(&self.ok(Some(pin), &["case", "show", number, "--json", "--as", who])).unwrap()
    }

    /// `case list --json` (no limit) with extra filters; no viewer.
    #[track_caller]
    pub fn list(&self, extra: &str) -> Vec<Value> {
        serde_json::from_str(&self.ok(None, &format!("case list --json --limit 0 {extra}"))).unwrap()
    }

    /// The numbers of [`Desk::list`].
    #[track_caller]
    pub fn numbers(&self, extra: &str) -> Vec<String> {
        self.list(extra)
            .iter()
            .map(|r| r["number"].as_str().unwrap().to_string())
            .collect()
    }

    /// A plain SQLite connection to the desk file.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    /// Rows in `table`.
    pub fn count(&self, table: &str) -> i64 {
        self.sql()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// A staff member's id.
    #[track_caller]
    pub fn staff_id(&self, name: &str) -> i64 {
        self.sql()
            .query_row("SELECT id FROM staff WHERE name = ?", [name], |r| r.get(0))
            .unwrap_or_else(|e| panic!("no staff member {name}: {e}"))
    }
}
