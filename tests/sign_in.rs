//! Signing in (issue 17, part 4): wrong PINs counted before they are checked,
//! however many terminals try at once; failed sign-ins and lockouts in the
//! audit log; supervisors' and admins' PINs of at least 6 digits; deactivated
//! accounts that can do nothing until `staff activate` brings them back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::{Arc, Barrier, Mutex, MutexGuard, PoisonError};

use casedesk::domain::{Policy, Role, RuleError};
use casedesk::store::staff::pin_checks;
use casedesk::store::{Store, StoreError};
use support::desk::Desk;
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, SUPERVISOR, SUPERVISOR_PIN, at};

/// A desk with admin 管理员 and clerk 张小明 (PIN 2222), in a temp dir.
fn store_desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut store = Store::open(&path).unwrap();
    let now = at("2026-03-02T09:00:00+08:00");
    let admin = store.init_desk(ADMIN, ADMIN_PIN, now).unwrap();
    store
        .add_staff(&admin, CLERK, Role::Clerk, None, CLERK_PIN, now)
        .unwrap();
    (dir, path)
}

/// (failed_pins, locked) of `name`.
fn counter(path: &std::path::Path, name: &str) -> (u32, bool) {
    let s = Store::open(path).unwrap();
    s.conn()
        .query_row(
            "SELECT failed_pins, locked_until IS NOT NULL FROM staff WHERE name = ?",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// The bodies of the desk's audit events of `kind`, oldest first.
fn events(conn: &rusqlite::Connection, kind: &str) -> Vec<serde_json::Value> {
    conn.prepare("SELECT body FROM events WHERE kind = ? ORDER BY id")
        .unwrap()
        .query_map([kind], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|b| serde_json::from_str(&b.unwrap()).unwrap())
        .collect()
}

/// Tests of this file that check PINs in this process take turns, so that
/// [`pin_checks`] counts one test's checks only.
fn checking_alone() -> MutexGuard<'static, ()> {
    static CHECKING: Mutex<()> = Mutex::new(());
    CHECKING.lock().unwrap_or_else(PoisonError::into_inner)
}

#[test]
fn thirty_parallel_wrong_pins_check_no_more_than_the_policy_allows() {
    let _alone = checking_alone();
    let (_dir, path) = store_desk();
    let security = Policy::builtin().unwrap().security;
    let limit = security.pin_attempts;
    let tries = 30;
    let start = Arc::new(Barrier::new(tries));
    let before = pin_checks();
    let results: Vec<Result<_, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..tries)
            .map(|_| {
                let (path, start, security) = (path.clone(), Arc::clone(&start), security.clone());
                scope.spawn(move || {
                    // Each thread is a terminal of its own: its own connection to the file.
                    let mut store = Store::open(&path).unwrap();
                    start.wait();
                    store.sign_in(CLERK, "9999", at("2026-03-02T10:00:00+08:00"), &security)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = pin_checks() - before;
    assert_eq!(checked, u64::from(limit), "PINs checked by {tries} parallel sign-ins");
    let bad = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::BadPin { .. })))
        .count();
    let locked = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Locked { .. })))
        .count();
    assert_eq!(
        (bad, locked),
        (limit as usize - 1, tries - (limit as usize - 1)),
        "{results:?}"
    );
    let (failed, is_locked) = counter(&path, CLERK);
    assert_eq!(failed, limit, "every wrong PIN that was checked is counted");
    assert!(is_locked);
    let store = Store::open(&path).unwrap();
    let failures = events(store.conn(), "sign_in_failed");
    assert_eq!(failures.len(), limit as usize, "{failures:?}");
    let mut counts: Vec<u64> = failures.iter().map(|e| e["failed"].as_u64().unwrap()).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=u64::from(limit)).collect::<Vec<_>>());
    assert_eq!(events(store.conn(), "account_locked").len(), 1);
    // Locked: even the right PIN is not checked until the lockout ends.
    let before = pin_checks();
    let mut store = Store::open(&path).unwrap();
    let now = at("2026-03-02T10:01:00+08:00");
    assert!(matches!(
        store.sign_in(CLERK, CLERK_PIN, now, &security),
        Err(StoreError::Locked { .. })
    ));
    assert_eq!(pin_checks(), before);
}

#[test]
fn parallel_processes_with_wrong_pins_lock_the_account_after_the_policys_attempts() {
    let desk = Desk::new();
    let limit = Policy::builtin().unwrap().security.pin_attempts;
    let children: Vec<_> = (0..12)
        .map(|_| {
            desk.command(Some("9999"), &["duty", "start", "--as", CLERK])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(!child.wait().unwrap().success());
    }
    let sql = desk.sql();
    let failed: u32 = sql
        .query_row("SELECT failed_pins FROM staff WHERE name = ?", [CLERK], |r| r.get(0))
        .unwrap();
    assert_eq!(failed, limit);
    assert_eq!(events(&sql, "sign_in_failed").len(), limit as usize);
    assert_eq!(events(&sql, "account_locked").len(), 1);
    let err = desk.fails(Some(CLERK_PIN), &["duty", "start", "--as", CLERK], 1);
    assert!(err.contains("锁定"), "{err}");
}

#[test]
fn wrong_pins_and_the_lockout_are_audit_events_and_the_chain_still_checks() {
    let _alone = checking_alone();
    let (_dir, path) = store_desk();
    let security = Policy::builtin().unwrap().security;
    let mut store = Store::open(&path).unwrap();
    let now = at("2026-03-02T10:00:00+08:00");
    store.sign_in(CLERK, "0000", now, &security).unwrap_err();
    store.sign_in(CLERK, CLERK_PIN, now, &security).unwrap();
    assert_eq!(counter(&path, CLERK), (0, false), "a right PIN clears the count");
    for _ in 0..security.pin_attempts {
        store.sign_in(CLERK, "0000", now, &security).unwrap_err();
    }
    let clerk = store.staff_by_name(CLERK).unwrap();
    let rows: Vec<(String, i64, i64)> = store
        .conn()
        .prepare("SELECT kind, actor_id, at FROM events WHERE kind IN ('sign_in_failed', 'account_locked') ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "account_locked"
        ][..],
    );
    assert!(
        rows.iter().all(|r| r.1 == clerk.id.0 && r.2 == now.timestamp()),
        "{rows:?}"
    );
    let counts: Vec<u64> = events(store.conn(), "sign_in_failed")
        .iter()
        .map(|e| e["failed"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 2, 3, 4, 5]);
    let locked = &events(store.conn(), "account_locked")[0];
    assert_eq!(locked["name"], CLERK);
    assert_eq!(locked["until"], "2026-03-02T02:15:00+00:00");
    let report = casedesk::store::check::run(&store).unwrap();
    assert_eq!(report.chain.first_bad, None);
    assert!(report.chain.events > 6, "{report:?}");
    // When the lockout has run out, the count starts again.
    let later = now + chrono::Duration::minutes(16);
    assert!(matches!(
        store.sign_in(CLERK, "0000", later, &security),
        Err(StoreError::BadPin { left: 4 })
    ));
    store.sign_in(CLERK, CLERK_PIN, later, &security).unwrap();
}

#[test]
fn supervisors_and_admins_need_pins_of_at_least_six_digits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("desk.db")).unwrap();
    let now = at("2026-03-02T09:00:00+08:00");
    assert!(matches!(
        store.init_desk(ADMIN, "1111", now),
        Err(StoreError::WeakPin { min: 6 })
    ));
    let admin = store.init_desk(ADMIN, "111111", now).unwrap();
    for role in [Role::Supervisor, Role::Admin] {
        assert!(matches!(
            store.add_staff(&admin, "陈主管", role, None, "44444", now),
            Err(StoreError::WeakPin { min: 6 })
        ));
    }
    store.add_staff(&admin, CLERK, Role::Clerk, None, "2222", now).unwrap();
    let sup = store
        .add_staff(&admin, "陈主管", Role::Supervisor, None, "444444", now)
        .unwrap();
    assert!(matches!(
        store.set_pin(&sup, "陈主管", "4444", now),
        Err(StoreError::WeakPin { min: 6 })
    ));
    assert!(matches!(
        store.set_pin(&admin, "陈主管", "12345", now),
        Err(StoreError::WeakPin { min: 6 })
    ));
    store.set_pin(&sup, "陈主管", "654321", now).unwrap();
    store.set_pin(&admin, CLERK, "3333", now).unwrap();
    assert!(matches!(
        store.set_pin(&admin, CLERK, "333", now),
        Err(StoreError::WeakPin { min: 4 })
    ));
    // The first-run screen and the people screen use the same rule.
    assert!(casedesk::store::staff::check_pin("1234", Role::Admin).is_err());
    assert!(casedesk::store::staff::check_pin("1234", Role::Clerk).is_ok());
    assert!(casedesk::store::staff::check_pin("123456", Role::Supervisor).is_ok());
}

#[test]
fn the_command_line_refuses_short_pins_for_admins_and_supervisors_and_says_why() {
    let desk = Desk::empty();
    let out = desk
        .cmd(None, &["init", "--admin", ADMIN])
        .env("CASEDESK_NEW_PIN", "1111")
        .output()
        .unwrap();
    support::expect_code(&out, 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("6 到 12 位数字"), "{err}");
    desk.init();
    let out = desk
        .cmd(
            Some(ADMIN_PIN),
            &[
                "staff",
                "add",
                "--as",
                ADMIN,
                "--name",
                SUPERVISOR,
                "--role",
                "supervisor",
            ],
        )
        .env("CASEDESK_NEW_PIN", "4444")
        .output()
        .unwrap();
    support::expect_code(&out, 2);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    desk.add_staff(CLERK, "clerk", CLERK_PIN);
}

#[test]
fn a_deactivated_account_can_do_nothing_until_an_admin_activates_it() {
    let desk = Desk::new();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let number = desk.intake("--summary 候诊时间长 --name 王芳 --phone 13800138000");
    desk.ok(Some(CLERK_PIN), &["duty", "start", "--as", CLERK]);
    let entry = desk
        .ok(Some(CLERK_PIN), &["duty", "log", "--as", CLERK, "--what", "咨询挂号"])
        .trim()
        .to_string();
    for who in [CLERK, SUPERVISOR] {
        desk.ok(Some(ADMIN_PIN), &["staff", "deactivate", "--as", ADMIN, "--name", who]);
    }
    let refused = |pin: &str, args: &[&str]| {
        let err = desk.fails(Some(pin), args, 3);
        assert!(err.contains("已停用"), "{args:?}: {err}");
    };
    let mut pin_change = desk.cmd(Some(CLERK_PIN), &["staff", "pin", "--as", CLERK, "--name", CLERK]);
    let out = pin_change.env("CASEDESK_NEW_PIN", "5678").output().unwrap();
    support::expect_code(&out, 3);
    refused(CLERK_PIN, &["duty", "start", "--as", CLERK]);
    refused(CLERK_PIN, &["duty", "log", "--as", CLERK, "--what", "又来电"]);
    refused(
        CLERK_PIN,
        &["duty", "resolve", &entry, "--as", CLERK, "--answered", "已答复"],
    );
    refused(CLERK_PIN, &["handover", "prepare", "--as", CLERK]);
    refused(CLERK_PIN, &["sweep", "--as", CLERK]);
    refused(CLERK_PIN, &["case", "note", &number, "--as", CLERK, "--text", "备注"]);
    refused(CLERK_PIN, &["case", "show", &number, "--as", CLERK]);
    refused(SUPERVISOR_PIN, &["report", "--as", SUPERVISOR, "--names"]);
    refused(SUPERVISOR_PIN, &["sweep", "--as", SUPERVISOR]);
    // Refused before the PIN is looked at: nothing counted, nothing locked.
    let sql = desk.sql();
    let failed: u32 = sql
        .query_row("SELECT failed_pins FROM staff WHERE name = ?", [CLERK], |r| r.get(0))
        .unwrap();
    assert_eq!(failed, 0);
    // Activated again, the account works, and both changes are in the audit log.
    let out = desk.ok(Some(ADMIN_PIN), &["staff", "activate", "--as", ADMIN, "--name", CLERK]);
    assert!(out.contains("已重新启用账号：张小明"), "{out}");
    desk.ok(Some(CLERK_PIN), &["duty", "log", "--as", CLERK, "--what", "又来电"]);
    let changes: Vec<(String, bool)> = events(&sql, "staff_active")
        .iter()
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["active"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            (CLERK.to_string(), false),
            (SUPERVISOR.to_string(), false),
            (CLERK.to_string(), true)
        ]
    );
    // Only an admin activates.
    desk.fails(
        Some(CLERK_PIN),
        &["staff", "activate", "--as", CLERK, "--name", SUPERVISOR],
        3,
    );
    desk.ok(None, &["check"]);
}

#[test]
fn a_screen_signed_in_before_the_deactivation_is_refused_at_its_next_write() {
    let _alone = checking_alone();
    let desk = Desk::new();
    let mut open = casedesk::desk::Desk::open(&desk.paths(), casedesk::words::Lang::Zh, false).unwrap();
    open.fixed_now = Some(at(support::T0));
    let me = open.sign_in(CLERK, CLERK_PIN).unwrap();
    assert_eq!(open.acting(&me).unwrap(), me);
    desk.ok(
        Some(ADMIN_PIN),
        &["staff", "deactivate", "--as", ADMIN, "--name", CLERK],
    );
    assert!(matches!(open.acting(&me), Err(StoreError::Rule(RuleError::Inactive))));
    assert!(matches!(
        open.sign_in(CLERK, CLERK_PIN),
        Err(StoreError::Rule(RuleError::Inactive))
    ));
}
