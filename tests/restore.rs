//! Restoring a backup (issue 17, part 5): checked first (a tampered backup
//! is refused, nothing changed), the desk held alone for the whole swap (a
//! desk another terminal is writing to is refused), the replaced desk kept
//! beside it, a `restored` event naming the backup, its anchor and the cases
//! dropped, and no case number issued twice across it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use casedesk::store::Store;
use casedesk::store::restore::RestoreError;
use support::tamper::{head, past_guards, rechain};
use support::*;

/// Cases on the desk file at `path`.
fn cases_in(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0)).unwrap()
}

/// The files beside the desk whose names say they are a replaced desk.
fn kept(desk: &Desk) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(desk.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("desk-replaced-"))
        .collect();
    names.sort();
    names
}

/// The body of the newest `restored` event.
fn restored_event(desk: &Desk) -> serde_json::Value {
    let body: String = desk
        .sql()
        .query_row(
            "SELECT body FROM events WHERE kind = 'restored' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_str(&body).unwrap()
}

#[test]
fn a_restore_keeps_the_replaced_desk_records_what_it_dropped_and_never_issues_a_number_twice() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    desk.intake("--summary 收费多收 --name 赵敏");
    let out = desk.ok(None, "backup b.db");
    assert!(out.contains("备份的审计链头：第 "), "{out}");
    for summary in ["停车收费不合理", "空调坏了", "候诊时间太长"] {
        desk.intake(&format!("--summary {summary} --anonymous"));
    }

    desk.at("2026-09-30T15:00:00+08:00");
    let out = desk.ok(Some(ADMIN_PIN), &format!("restore b.db --as {ADMIN}"));
    assert!(out.contains("已从 b.db 恢复，共 2 个案件"), "{out}");
    assert!(
        out.contains("被替换的接待台有、备份里没有的案件（3 个，已丢弃，编号不再使用）：2026-000003..2026-000005"),
        "{out}"
    );
    // The replaced desk, whole, beside the desk.
    assert_eq!(kept(&desk), ["desk-replaced-20260930-070000Z.db"]);
    let kept_path = desk.path("desk-replaced-20260930-070000Z.db");
    assert_eq!(cases_in(&kept_path), 5);
    assert!(out.contains(&kept_path.display().to_string()), "{out}");

    // The event: who, the backup and its anchor, the replaced desk's head and copy, the cases dropped.
    let event = restored_event(&desk);
    assert_eq!(event["file"], desk.path("b.db").display().to_string());
    assert_eq!(event["kept"], kept_path.display().to_string());
    assert_eq!(event["dropped"], serde_json::json!(["2026-000003..2026-000005"]));
    assert_eq!(event["dropped_count"], 3);
    assert_eq!(event["counters"]["2026"], 5);
    let backup = rusqlite::Connection::open(desk.path("b.db")).unwrap();
    let (events, hash) = head(&backup);
    assert_eq!(event["backup"]["events"], events);
    assert_eq!(event["backup"]["head"], hex::encode(&hash));
    let replaced = rusqlite::Connection::open(&kept_path).unwrap();
    assert_eq!(event["replaced"]["events"], head(&replaced).0);
    let actor: i64 = desk
        .sql()
        .query_row("SELECT actor_id FROM events WHERE kind = 'restored'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(actor, desk.staff_id(ADMIN));

    // Numbers issued by the replaced desk are never issued again.
    assert_eq!(desk.list("").len(), 2);
    assert_eq!(desk.intake("--summary 恢复后第一件 --anonymous"), "2026-000006");
    let out = desk.ok(None, "check --anchors b.db");
    assert!(out.contains("检查通过。"), "{out}");
}

#[test]
fn an_older_backup_may_be_restored_over_a_restored_desk() {
    let desk = Desk::new();
    desk.intake("--summary 第一件 --anonymous");
    desk.ok(None, "backup one.db");
    desk.intake("--summary 第二件 --anonymous");
    desk.ok(None, "backup two.db");
    desk.ok(Some(ADMIN_PIN), &format!("restore one.db --as {ADMIN}"));
    assert_eq!(desk.list("").len(), 1);
    // The two histories part at the first restore: the later backup is still this desk's.
    desk.ok(Some(ADMIN_PIN), &format!("restore two.db --as {ADMIN}"));
    assert_eq!(desk.list("").len(), 2);
    assert!(restored_event(&desk)["parted_at"].is_u64());
    assert_eq!(desk.intake("--summary 第三件 --anonymous"), "2026-000003");
    desk.ok(None, "check");
}

#[test]
fn a_tampered_backup_is_refused_and_nothing_changes() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    desk.ok(None, "backup b.db");
    desk.intake("--summary 收费多收 --name 赵敏");
    let events_before = desk.count("events");
    let refused = |file: &str| -> String {
        let err = desk.fails(Some(ADMIN_PIN), &format!("restore {file} --as {ADMIN}"), 1);
        assert_eq!(desk.count("cases"), 2, "{err}");
        assert_eq!(desk.count("events"), events_before, "{err}");
        assert!(kept(&desk).is_empty(), "{err}");
        assert!(!desk.path("desk.db.restoring").exists());
        err
    };

    // An event edited behind the guards: the chain breaks.
    std::fs::copy(desk.path("b.db"), desk.path("edited.db")).unwrap();
    let conn = rusqlite::Connection::open(desk.path("edited.db")).unwrap();
    past_guards(
        &conn,
        &["events_no_update"],
        "UPDATE events SET body = replace(body, '护士', '医生') WHERE case_id = 1",
    );
    drop(conn);
    let err = refused("edited.db");
    assert!(err.contains("edited.db 未通过检查，未做任何更改："), "{err}");
    assert!(err.contains("审计链在第"), "{err}");

    // Rewritten so every link holds, and its own anchor with it: the desk's chain says otherwise.
    std::fs::copy(desk.path("b.db"), desk.path("rewritten.db")).unwrap();
    let conn = rusqlite::Connection::open(desk.path("rewritten.db")).unwrap();
    past_guards(
        &conn,
        &["events_no_update"],
        "UPDATE events SET body = replace(body, '护士态度生硬', '一切正常') WHERE case_id = 1;
         UPDATE cases SET summary = '一切正常' WHERE id = 1;",
    );
    rechain(&conn);
    let (_, hash) = head(&conn);
    past_guards(
        &conn,
        &["anchors_no_update"],
        &format!("UPDATE anchors SET head = x'{}' WHERE kind = 'copy'", hex::encode(hash)),
    );
    drop(conn);
    let err = refused("rewritten.db");
    assert!(
        err.contains("从第 ") && err.contains("条起不同，而那一条不是恢复"),
        "{err}"
    );

    // Events added after it was made: no longer the head it was made with.
    std::fs::copy(desk.path("b.db"), desk.path("longer.db")).unwrap();
    let conn = rusqlite::Connection::open(desk.path("longer.db")).unwrap();
    conn.execute_batch(
        "INSERT INTO events (case_id, seq, kind, actor_id, at, body, hash)
         SELECT NULL, 0, 'noted', 1, 0, '{}', randomblob(32)",
    )
    .unwrap();
    drop(conn);
    let err = refused("longer.db");
    assert!(err.contains("longer.db 做成后被改动过"), "{err}");
    let out = desk.run(Some(ADMIN_PIN), &format!("--lang en restore longer.db --as {ADMIN}"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("longer.db was changed after it was made"), "{err}");

    // The untouched backup still restores.
    desk.ok(Some(ADMIN_PIN), &format!("restore b.db --as {ADMIN}"));
    assert_eq!(desk.count("cases"), 1);
}

#[test]
fn a_restore_waits_for_no_writer_and_refuses_a_desk_another_terminal_is_writing_to() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    desk.ok(None, "backup b.db");
    desk.intake("--summary 收费多收 --name 赵敏");
    let mut store = Store::open(&desk.db()).unwrap();
    let admin = store.staff_by_name(ADMIN).unwrap();
    let now = at(T0);

    // Another terminal in the middle of a write.
    let other = desk.sql();
    other
        .execute_batch("BEGIN IMMEDIATE; UPDATE staff SET failed_pins = failed_pins WHERE id = 1;")
        .unwrap();
    let started = std::time::Instant::now();
    let err = store.restore_from(&desk.path("b.db"), &admin, now).unwrap_err();
    assert!(matches!(err, RestoreError::Busy), "{err:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let words = casedesk::words::Words::new(casedesk::words::Lang::Zh, chrono_tz::Asia::Shanghai);
    let said = casedesk::words::audit::restore_refused(words, "b.db", &err).join("\n");
    assert!(
        said.contains("另一个终端正在写入接待台") && said.contains("未做任何更改"),
        "{said}"
    );
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(desk.count("cases"), 2);
    assert!(kept(&desk).is_empty());

    // While the restore holds the desk, nobody else writes: another terminal's write waits it out.
    let restored = store.restore_from(&desk.path("b.db"), &admin, now).unwrap();
    assert_eq!(restored.cases, 1);
    assert_eq!(restored.dropped, ["2026-000002"]);
    drop(store);
    assert_eq!(desk.count("cases"), 1);
    assert_eq!(desk.intake("--summary 恢复后 --anonymous"), "2026-000003");
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。"), "{out}");
}

#[test]
fn a_training_desks_backup_never_replaces_a_real_desk() {
    let training = Desk::new();
    training.intake("--summary 练习 --anonymous");
    training.ok(None, "backup b.db");
    let real = Desk::empty();
    let out = real
        .command(None, &["init", "--admin", ADMIN])
        .env("CASEDESK_NEW_PIN", ADMIN_PIN)
        .env_remove("CASEDESK_NOW")
        .output()
        .unwrap();
    expect_code(&out, 0);
    let file = training.path("b.db").display().to_string();
    let out = real
        .command(Some(ADMIN_PIN), &["restore", &file, "--as", ADMIN])
        .env_remove("CASEDESK_NOW")
        .output()
        .unwrap();
    expect_code(&out, 1);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("是培训台的备份，不能替换正式接待台"), "{err}");
    assert_eq!(real.count("cases"), 0);
}
