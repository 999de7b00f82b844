//! The store through its API: versions, conflicts, many writers, numbers, the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::{Actor, AssignMode, Calendar, Command, Complainant, Context, IntakeForm, Policy, Role};
use casedesk::store::{Store, StoreError};
use support::at;

fn form(summary: &str) -> IntakeForm {
    support::plain_form(summary)
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    clerk: Actor,
    policy: Policy,
    calendar: Calendar,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut store = Store::open(&path).unwrap();
    let now = at("2026-03-02T09:00:00+08:00");
    let admin = store.init_desk("管理员", "111111", now).unwrap();
    let clerk = store
        .add_staff(&admin, "张小明", Role::Clerk, None, "2222", now)
        .unwrap();
    store.add_department("护理部", None).unwrap();
    Fixture {
        _dir: dir,
        path,
        clerk,
        policy: Policy::builtin().unwrap(),
        calendar: Calendar::builtin(),
    }
}

impl Fixture {
    fn ctx(&self, now: &str) -> Context<'_> {
        Context {
            now: at(now),
            actor: &self.clerk,
            policy: &self.policy,
            calendar: &self.calendar,
        }
    }
}

#[test]
fn a_write_based_on_a_stale_read_is_a_conflict_and_changes_nothing() {
    let f = fixture();
    let mut a = Store::open(&f.path).unwrap();
    let mut b = Store::open(&f.path).unwrap();
    let rec = a
        .intake(&f.ctx("2026-03-02T10:00:00+08:00"), form("护士态度生硬"))
        .unwrap();
    assert_eq!(rec.version, 1);
    let dept = a.department("护理部").unwrap().id;
    // Two clerks read version 1; the first one's assignment wins.
    let read_a = a.case(rec.case.number()).unwrap().version;
    let read_b = b.case(rec.case.number()).unwrap().version;
    let assign = Command::Assign {
        dept,
        mode: AssignMode::Written,
    };
    let after = a
        .execute(
            &f.ctx("2026-03-02T11:00:00+08:00"),
            rec.case.number(),
            Some(read_a),
            &assign,
        )
        .unwrap();
    assert_eq!(after.version, 2);
    let escalate = Command::Escalate {
        reason: "媒体关注".into(),
    };
    let err = b
        .execute(
            &f.ctx("2026-03-02T11:01:00+08:00"),
            rec.case.number(),
            Some(read_b),
            &escalate,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { read: 1, now: 2, .. }), "{err:?}");
    let stored = b.case(rec.case.number()).unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.case.level, 0, "the stale write left nothing behind");
    assert_eq!(b.events(stored.id).unwrap().len(), 2);
}

#[test]
fn a_refused_command_writes_nothing() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let rec = s.intake(&f.ctx("2026-03-02T10:00:00+08:00"), form("收费有误")).unwrap();
    let err = s
        .execute(
            &f.ctx("2026-03-02T10:05:00+08:00"),
            rec.case.number(),
            None,
            &Command::Close,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Rule(_)));
    let after = s.case(rec.case.number()).unwrap();
    assert_eq!(after.version, 1);
    assert_eq!(s.events(after.id).unwrap().len(), 1);
}

#[test]
fn many_writers_at_once_lose_nothing_and_numbers_stay_unique() {
    let f = fixture();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = f.path.clone();
            let clerk = f.clerk.clone();
            std::thread::spawn(move || {
                let policy = Policy::builtin().unwrap();
                let calendar = Calendar::builtin();
                let mut store = Store::open(&path).unwrap();
                let mut numbers = Vec::new();
                for i in 0..15 {
                    let ctx = Context {
                        now: at("2026-03-02T10:00:00+08:00"),
                        actor: &clerk,
                        policy: &policy,
                        calendar: &calendar,
                    };
                    // Distinct callers, so the repeat rule stays out of the count.
                    let mut f = form(&format!("线程{t}第{i}件"));
                    f.complainant = Complainant::Named {
                        name: format!("来电人{t}-{i}"),
                        phone: Some(format!("1390000{t}{i:03}")),
                        address: None,
                        relation: None,
                    };
                    let rec = store.intake(&ctx, f).unwrap();
                    let esc = Command::Escalate {
                        reason: "测试".into()
                    };
                    store.execute(&ctx, rec.case.number(), Some(rec.version), &esc).unwrap();
                    numbers.push(rec.case.number().to_string());
                }
                numbers
            })
        })
        .collect();
    let mut all: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    all.sort();
    let total = all.len();
    all.dedup();
    assert_eq!(total, 60);
    assert_eq!(all.len(), 60, "every case got its own number");
    assert_eq!(all.first().map(String::as_str), Some("2026-000001"));
    assert_eq!(all.last().map(String::as_str), Some("2026-000060"));
    let store = Store::open(&f.path).unwrap();
    let report = casedesk::store::check::run(&store).unwrap();
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.chain.first_bad, None);
    assert_eq!(report.cases, 60);
    assert!(report.differences.is_empty());
    for n in &all {
        assert_eq!(store.case(n).unwrap().case.level, 1, "{n}: the escalation was kept");
    }
}

#[test]
fn the_audit_log_refuses_every_kind_of_rewrite() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    s.intake(&f.ctx("2026-03-02T10:00:00+08:00"), form("护士态度生硬"))
        .unwrap();
    let conn = s.conn();
    let id: i64 = conn.query_row("SELECT MAX(id) FROM events", [], |r| r.get(0)).unwrap();
    for sql in [
        format!("UPDATE events SET body = '{{}}' WHERE id = {id}"),
        format!("DELETE FROM events WHERE id = {id}"),
        format!(
            "INSERT OR REPLACE INTO events (id, case_id, seq, kind, actor_id, at, body, hash) \
             SELECT id, case_id, seq, kind, actor_id, at, '{{}}', hash FROM events WHERE id = {id}"
        ),
        format!(
            "INSERT INTO events (id, case_id, seq, kind, actor_id, at, body, hash) \
             SELECT id, case_id, seq, kind, actor_id, at, body, hash FROM events WHERE id = {id} \
             ON CONFLICT(id) DO UPDATE SET body = '{{}}'"
        ),
    ] {
        let err = conn.execute(&sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(casedesk::store::check::run(&s).unwrap().chain.first_bad, None);
}

#[test]
fn check_names_the_first_event_edited_behind_the_triggers_back() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    for i in 0..5 {
        s.intake(&f.ctx("2026-03-02T10:00:00+08:00"), form(&format!("第{i}件")))
            .unwrap();
    }
    let conn = s.conn();
    conn.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    let target: i64 = conn
        .query_row("SELECT id FROM events WHERE body LIKE '%第2件%'", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "UPDATE events SET body = replace(body, '第2件', '第9件') WHERE id = ?",
        [target],
    )
    .unwrap();
    let report = casedesk::store::check::run(&s).unwrap();
    assert_eq!(report.chain.first_bad.map(|(id, _)| id), Some(target));

    // A deleted event breaks the chain at the one after it.
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    for i in 0..3 {
        s.intake(&f.ctx("2026-03-02T10:00:00+08:00"), form(&format!("第{i}件")))
            .unwrap();
    }
    let conn = s.conn();
    conn.execute_batch("DROP TRIGGER events_no_delete;").unwrap();
    let max: i64 = conn.query_row("SELECT MAX(id) FROM events", [], |r| r.get(0)).unwrap();
    conn.execute("DELETE FROM events WHERE id = ?", [max - 1]).unwrap();
    let report = casedesk::store::check::run(&s).unwrap();
    assert_eq!(report.chain.first_bad.map(|(id, _)| id), Some(max));
}

#[test]
fn pins_are_stored_only_as_salted_hashes_and_lock_after_repeated_failures() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let hashes: Vec<String> = s
        .conn()
        .prepare("SELECT pin_hash FROM staff WHERE pin_hash IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert!(h.starts_with("$argon2"), "{h}");
        assert!(!h.contains("1111") && !h.contains("2222"));
    }
    let security = &f.policy.security;
    let now = at("2026-03-02T10:00:00+08:00");
    assert!(s.sign_in("张小明", "2222", now, security).is_ok());
    for left in (1..security.pin_attempts).rev() {
        assert!(matches!(s.sign_in("张小明", "0000", now, security), Err(StoreError::BadPin { left: l }) if l == left));
    }
    assert!(matches!(
        s.sign_in("张小明", "0000", now, security),
        Err(StoreError::Locked { .. })
    ));
    assert!(matches!(
        s.sign_in("张小明", "2222", now, security),
        Err(StoreError::Locked { .. })
    ));
    let later = now + chrono::Duration::minutes(i64::from(security.lockout_minutes) + 1);
    assert!(s.sign_in("张小明", "2222", later, security).is_ok());
}

#[test]
fn a_pin_hashed_by_an_older_desk_signs_in_and_is_hashed_again_as_new_pins_are() {
    use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let hash_of = |s: &Store| -> String {
        s.conn()
            .query_row("SELECT pin_hash FROM staff WHERE name = '张小明'", [], |r| r.get(0))
            .unwrap()
    };
    assert!(hash_of(&s).contains("m=19456,t=2,p=2$"), "{}", hash_of(&s));
    // What casedesk stored before PINs were checked in two lanes.
    let one_lane = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19456, 2, 1, None).unwrap(),
    )
    .hash_password(b"2222")
    .unwrap()
    .to_string();
    s.conn()
        .execute("UPDATE staff SET pin_hash = ? WHERE name = '张小明'", [&one_lane])
        .unwrap();
    let security = &f.policy.security;
    let now = at("2026-03-02T10:00:00+08:00");
    assert!(matches!(
        s.sign_in("张小明", "0000", now, security),
        Err(StoreError::BadPin { .. })
    ));
    assert_eq!(hash_of(&s), one_lane, "a wrong PIN changes no hash");
    assert!(s.sign_in("张小明", "2222", now, security).is_ok());
    let again = hash_of(&s);
    assert!(again.contains("m=19456,t=2,p=2$") && again != one_lane, "{again}");
    assert!(s.sign_in("张小明", "2222", now, security).is_ok());
    assert_eq!(hash_of(&s), again, "a current hash is kept");
    assert!(matches!(
        s.sign_in("张小明", "1111", now, security),
        Err(StoreError::BadPin { .. })
    ));
}

#[test]
fn search_finds_one_and_two_character_terms_and_only_exact_matches() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let ctx = f.ctx("2026-03-02T10:00:00+08:00");
    let a = s.intake(&ctx, form("护士态度生硬")).unwrap();
    let b = s.intake(&ctx, form("护士的态度还好")).unwrap();
    let c = s.intake(&ctx, form("收费处多收费")).unwrap();
    let find = |s: &Store, term: &str| -> Vec<String> {
        let filter = casedesk::store::CaseFilter {
            search: Some(term.into()),
            ..Default::default()
        };
        s.list(&filter, None).unwrap().into_iter().map(|r| r.number).collect()
    };
    let (a, b, c) = (
        a.case.number().to_string(),
        b.case.number().to_string(),
        c.case.number().to_string(),
    );
    assert_eq!(find(&s, "护"), vec![b.clone(), a.clone()]);
    assert_eq!(find(&s, "态度"), vec![b.clone(), a.clone()]);
    // Both pairs occur in b, but not side by side: only a matches.
    assert_eq!(find(&s, "护士态度"), vec![a.clone()]);
    assert_eq!(find(&s, "收"), vec![c.clone()]);
    assert_eq!(find(&s, "13800"), vec![c, b, a.clone()]);
    assert_eq!(find(&s, &a), vec![a]);
    assert!(find(&s, "%").is_empty());
    assert!(find(&s, "表扬").is_empty());
}

/// Numbers of the cases a search finds, newest first, at most `limit` (0: all).
fn found(s: &Store, term: &str, limit: usize) -> Vec<String> {
    let filter = casedesk::store::CaseFilter {
        search: Some(term.into()),
        limit,
        ..Default::default()
    };
    s.list(&filter, None).unwrap().into_iter().map(|r| r.number).collect()
}

/// Makes the next case's id `id` (SQLite gives a new row the highest id plus
/// one): a row that is no case of anyone's, removed again by [`unmark`].
fn next_id_is(s: &Store, id: i64) {
    s.conn()
        .execute_batch(&format!(
            "CREATE TEMP TABLE mark AS SELECT * FROM cases ORDER BY id DESC LIMIT 1;
             UPDATE mark SET id = {}, number = 'mark';
             INSERT INTO cases SELECT * FROM mark; DROP TABLE mark;",
            id - 1
        ))
        .unwrap();
}

fn unmark(s: &Store) {
    // Cases are never deleted: the mark goes past the guard, put back as it was.
    let guard: String = s
        .conn()
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'cases_no_delete'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    s.conn()
        .execute_batch("DROP TRIGGER cases_no_delete; DELETE FROM cases WHERE number = 'mark';")
        .unwrap();
    s.conn().execute_batch(&guard).unwrap();
}

/// Segments in the FTS5 table `table` (from its structure record: a cookie,
/// FTS5's version-2 marker, then the number of levels and of segments).
fn segments(s: &Store, table: &str) -> u64 {
    let blob: Vec<u8> = s
        .conn()
        .query_row(&format!("SELECT block FROM {table}_data WHERE id = 10"), [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut at = if blob[4..8] == [0xff, 0, 0, 1] { 8 } else { 4 };
    let mut varint = || {
        let mut v = 0u64;
        loop {
            let b = blob[at];
            at += 1;
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return v;
            }
        }
    };
    let _levels = varint();
    varint()
}

#[test]
fn a_search_reads_every_part_of_the_index_newest_first_and_stops_at_its_limit() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let ctx = f.ctx("2026-03-02T10:00:00+08:00");
    let number = |r: casedesk::store::CaseRecord| r.case.number().to_string();
    let a = number(s.intake(&ctx, form("护士态度生硬")).unwrap());
    // The index holds 65,536 cases a part: b and c go in the first, d and e in the second.
    next_id_is(&s, 65_534);
    let b = number(s.intake(&ctx, form("护士没来")).unwrap());
    let c = number(s.intake(&ctx, form("护士换药晚了")).unwrap());
    let d = number(s.intake(&ctx, form("夜班护士睡觉")).unwrap());
    let e = number(s.intake(&ctx, form("护士说话难听")).unwrap());
    unmark(&s);
    let parts = casedesk::store::search::parts(s.conn()).unwrap();
    assert_eq!(parts, [1, 0], "newest first");
    let all = vec![e.as_str(), d.as_str(), c.as_str(), b.as_str(), a.as_str()];
    assert_eq!(found(&s, "护士", 0), all);
    assert_eq!(
        found(&s, "护士", 3),
        [e.as_str(), d.as_str(), c.as_str()],
        "a limit across parts"
    );
    assert_eq!(found(&s, "护士", 1), [e.as_str()]);
    assert_eq!(found(&s, "睡觉", 0), [d.as_str()]);
    assert_eq!(found(&s, "换药", 0), [c.as_str()]);

    // Assigned to a department, c is found by its name, in its own part still.
    let dept = s.department("护理部").unwrap().id;
    let assign = Command::Assign {
        dept,
        mode: AssignMode::Written,
    };
    s.execute(&f.ctx("2026-03-02T11:00:00+08:00"), &c, None, &assign)
        .unwrap();
    assert_eq!(found(&s, "护理部", 0), [c.as_str()]);
    assert_eq!(found(&s, "护士", 0), all, "re-indexed once, found once, in order");

    // A desk from before the parts (no index) is indexed again when opened.
    for t in parts.into_iter().map(casedesk::store::search::part_table) {
        s.conn().execute_batch(&format!("DROP TABLE {t}")).unwrap();
    }
    s.conn().execute("DELETE FROM search_parts", []).unwrap();
    drop(s);
    let s = Store::open(&f.path).unwrap();
    assert_eq!(found(&s, "护士", 0), all);
    assert_eq!(found(&s, "护理部", 0), [c.as_str()]);
    let integrity: String = s.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn many_intakes_leave_a_part_of_the_index_in_few_segments() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let ctx = f.ctx("2026-03-02T10:00:00+08:00");
    for i in 0..120 {
        s.intake(&ctx, form(&format!("第{i}号病房空调坏了"))).unwrap();
    }
    // Each write merges a little: without it, every intake would leave a segment.
    let n = segments(&s, &casedesk::store::search::part_table(0));
    assert!(n <= 12, "{n} segments after 120 intakes");
    assert_eq!(found(&s, "空调", 0).len(), 120);
}

#[test]
fn backup_is_consistent_while_others_write_and_restore_checks_first() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    // A writer keeps going while the backup runs.
    let path = f.path.clone();
    let clerk = f.clerk.clone();
    let writer = std::thread::spawn(move || {
        let policy = Policy::builtin().unwrap();
        let calendar = Calendar::builtin();
        let mut s = Store::open(&path).unwrap();
        for i in 0..40 {
            let ctx = Context {
                now: at("2026-03-02T10:00:00+08:00"),
                actor: &clerk,
                policy: &policy,
                calendar: &calendar,
            };
            let mut form = form(&format!("备份期间第{i}件"));
            form.complainant = Complainant::Anonymous;
            s.intake(&ctx, form).unwrap();
        }
    });
    let mut live = Store::open(&f.path).unwrap();
    live.backup_to(&copy).unwrap();
    writer.join().unwrap();
    let backup = Store::open(&copy).unwrap();
    let report = casedesk::store::check::run(&backup).unwrap();
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.chain.first_bad, None);
    assert!(report.differences.is_empty());
    let in_backup = report.cases;
    assert!(in_backup <= 40);
    drop(backup);

    // Restoring the copy brings the desk back to that moment.
    let mut live = Store::open(&f.path).unwrap();
    assert_eq!(casedesk::store::check::run(&live).unwrap().cases, 40);
    let admin = live.staff_by_name("管理员").unwrap();
    let now = at("2026-03-02T12:00:00+08:00");
    let restored = live.restore_from(&copy, &admin, now).unwrap();
    assert_eq!(restored.cases, in_backup);
    assert_eq!(casedesk::store::check::run(&live).unwrap().cases, in_backup);

    // A tampered copy is refused and nothing changes.
    let bad = Store::open(&copy).unwrap();
    bad.conn().execute_batch("DROP TRIGGER events_no_update;").unwrap();
    bad.conn()
        .execute(
            "UPDATE events SET at = at + 1 WHERE id = (SELECT MAX(id) FROM events)",
            [],
        )
        .unwrap();
    drop(bad);
    let mut live = Store::open(&f.path).unwrap();
    let before = casedesk::store::check::run(&live).unwrap().chain.events;
    let refused = live.restore_from(&copy, &admin, now).unwrap_err();
    assert!(
        matches!(&refused, casedesk::store::restore::RestoreError::Failed(r) if r.chain.first_bad.is_some()),
        "{refused:?}"
    );
    assert_eq!(casedesk::store::check::run(&live).unwrap().chain.events, before);
}

#[test]
fn daily_backups_rotate() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("backups");
    for day in 1..=5 {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        assert!(casedesk::store::backup::daily(&mut s, &folder, 3, d).unwrap().is_some());
        assert!(
            casedesk::store::backup::daily(&mut s, &folder, 3, d).unwrap().is_none(),
            "once a day"
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "casedesk-2026-03-03.db",
            "casedesk-2026-03-04.db",
            "casedesk-2026-03-05.db"
        ]
    );
}

/// A desk with a chain of at least 200 events, and a way to tamper behind the triggers.
fn chain_of_200() -> (Fixture, Store) {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let dept = s.department("护理部").unwrap().id;
    while s
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))
        .unwrap()
        < 200
    {
        let ctx = f.ctx("2026-03-02T10:00:00+08:00");
        let mut form = form("第N件");
        form.complainant = Complainant::Anonymous;
        let rec = s.intake(&ctx, form).unwrap();
        let assign = Command::Assign {
            dept,
            mode: AssignMode::Written,
        };
        s.execute(&ctx, rec.case.number(), None, &assign).unwrap();
    }
    s.conn()
        .execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_no_replace;")
        .unwrap();
    (f, s)
}

fn first_bad(s: &Store) -> Option<i64> {
    casedesk::store::check::run(s)
        .unwrap()
        .chain
        .first_bad
        .map(|(id, _)| id)
}

#[test]
fn check_names_the_first_bad_event_of_a_200_event_chain_whatever_was_done() {
    // Edited.
    let (_f, s) = chain_of_200();
    assert_eq!(first_bad(&s), None);
    s.conn()
        .execute("UPDATE events SET actor_id = 1 WHERE id = 120", [])
        .unwrap();
    assert_eq!(first_bad(&s), Some(120));
    // Deleted: the chain breaks at the next one.
    let (_f, s) = chain_of_200();
    s.conn().execute("DELETE FROM events WHERE id = 77", []).unwrap();
    assert_eq!(first_bad(&s), Some(78));
    // Two events swapped (content exchanged): the earlier one is named.
    let (_f, s) = chain_of_200();
    s.conn()
        .execute_batch(
            "UPDATE events SET body = (SELECT body FROM events WHERE id = 151) || '' WHERE id = 150;
             UPDATE events SET at = at + 0, seq = seq WHERE id = 151;",
        )
        .unwrap();
    let (b150, b151): (String, String) = s
        .conn()
        .query_row(
            "SELECT (SELECT body FROM events WHERE id = 150), (SELECT body FROM events WHERE id = 151)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(b150, b151);
    assert_eq!(first_bad(&s), Some(150));
    // An event inserted (appended with a made-up hash).
    let (_f, s) = chain_of_200();
    let max: i64 = s
        .conn()
        .query_row("SELECT MAX(id) FROM events", [], |r| r.get(0))
        .unwrap();
    s.conn()
        .execute(
            "INSERT INTO events (id, case_id, seq, kind, actor_id, at, body, hash)
             SELECT ?1, case_id, seq + 1, kind, actor_id, at, body, hash FROM events WHERE id = ?2",
            [max + 1, max],
        )
        .unwrap();
    assert_eq!(first_bad(&s), Some(max + 1));
    // An event inserted in the middle (rows moved up to make room).
    let (_f, s) = chain_of_200();
    s.conn()
        .execute_batch(
            "UPDATE events SET id = id + 1000 WHERE id > 90;
             INSERT INTO events (id, case_id, seq, kind, actor_id, at, body, hash)
               SELECT 91, NULL, 0, 'staff_added', actor_id, at, '{\"kind\":\"staff_added\"}', hash FROM events WHERE id = 90;",
        )
        .unwrap();
    assert_eq!(first_bad(&s), Some(91));
}

#[test]
fn a_full_disk_says_so_writes_nothing_and_saving_works_again_with_room() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let pages: i64 = s.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    // No room to grow: the database behaves as on a full disk.
    s.conn().pragma_update(None, "max_page_count", pages).unwrap();
    let ctx = f.ctx("2026-03-02T10:00:00+08:00");
    let big = "长".repeat(19_000);
    let mut err = None;
    for i in 0..50 {
        let mut form = form(&format!("第{i}件"));
        form.details = big.clone();
        if let Err(e) = s.intake(&ctx, form) {
            err = Some(e);
            break;
        }
    }
    let err = err.expect("the page limit was reached");
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    let msg = casedesk::words::Words::new(casedesk::words::Lang::Zh, chrono_tz::Asia::Shanghai).store(&err);
    assert!(msg.contains("磁盘已满") && msg.contains("未保存"), "{msg}");
    let report = casedesk::store::check::run(&s).unwrap();
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.chain.first_bad, None);
    assert!(report.differences.is_empty());
    let before = report.cases;
    // Room again: saving works.
    s.conn().pragma_update(None, "max_page_count", 1_000_000_000).unwrap();
    s.intake(&ctx, form("空间恢复后")).unwrap();
    assert_eq!(casedesk::store::check::run(&s).unwrap().cases, before + 1);
}

/// A bulk write takes a rollback journal only when no other terminal has the
/// desk open; with one open, the desk stays in WAL and the other terminal
/// reads on. Afterwards the desk is in WAL again, and a terminal that opens
/// while the desk is held alone is told it is busy, in words.
#[test]
fn a_bulk_write_holds_the_desk_alone_only_when_nobody_else_has_it_open() {
    let f = fixture();
    let mode = |s: &Store| -> String { s.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap() };
    let mut store = Store::open(&f.path).unwrap();
    let inside = store.alone(|s| Ok(mode(s))).unwrap();
    assert_eq!(inside, "delete", "nobody else: a rollback journal");
    assert_eq!(mode(&store), "wal", "and WAL again afterwards");

    let other = Store::open(&f.path).unwrap();
    let inside = store
        .alone(|s| {
            // The other terminal reads while the write goes on.
            let staff: i64 = other
                .conn()
                .query_row("SELECT COUNT(*) FROM staff", [], |r| r.get(0))
                .unwrap();
            assert_eq!(staff, 2);
            Ok(mode(s))
        })
        .unwrap();
    assert_eq!(inside, "wal", "another terminal open: WAL stays");
    drop(other);

    let opened = store
        .alone(|s| {
            s.write(|tx| {
                tx.execute("INSERT INTO departments (name) VALUES ('收费处')", [])?;
                // A terminal starting now waits for the write, then hears the desk is busy.
                let path = f.path.clone();
                Ok(std::thread::spawn(move || Store::open(&path).map(|_| ()))
                    .join()
                    .unwrap())
            })
        })
        .unwrap();
    let err = opened.unwrap_err();
    assert!(matches!(err, casedesk::store::StoreError::Busy), "{err:?}");
    assert!(
        casedesk::words::Words::new(casedesk::words::Lang::Zh, chrono_tz::Asia::Shanghai)
            .store(&err)
            .contains("忙")
    );
    assert_eq!(mode(&Store::open(&f.path).unwrap()), "wal");
}

/// SQLite's virtual-machine steps on `s` while `work` runs: the work a
/// query does, whatever the machine's speed.
fn steps<T>(s: &mut Store, work: impl FnOnce(&mut Store) -> T) -> (T, u64) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let count = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&count);
    s.conn()
        .progress_handler(
            1,
            Some(move || {
                counter.fetch_add(1, Ordering::Relaxed);
                false
            }),
        )
        .unwrap();
    let value = work(s);
    s.conn().progress_handler(1, None::<fn() -> bool>).unwrap();
    (value, count.load(Ordering::Relaxed))
}

#[test]
fn a_callers_history_and_repeat_count_read_only_that_callers_cases_by_time() {
    let f = fixture();
    let mut s = Store::open(&f.path).unwrap();
    let caller = |name: &str, phone: Option<&str>, summary: &str, received: &str| IntakeForm {
        complainant: Complainant::Named {
            name: name.into(),
            phone: phone.map(Into::into),
            address: None,
            relation: None,
        },
        received_at: Some(at(received)),
        ..form(summary)
    };
    // A caller who has called 300 times over the years before this one.
    let ctx = f.ctx("2026-03-02T10:00:00+08:00");
    for i in 0..300 {
        let day = format!("2024-{:02}-{:02}T09:00:00+08:00", 1 + i % 12, 1 + i % 28);
        s.intake(&ctx, caller("王芳", Some("13800138000"), &format!("旧事{i}"), &day))
            .unwrap();
    }
    // Two recent cases each from that caller, a caller without a phone and one who called once.
    let mut recent = Vec::new();
    for (name, phone) in [
        ("王芳", Some("138-0013-8000")),
        ("张三", None),
        ("李四", Some("13900000000")),
    ] {
        for day in ["2026-02-10", "2026-02-20"] {
            let at = format!("{day}T09:00:00+08:00");
            let r = s.intake(&ctx, caller(name, phone, "最近的事", &at)).unwrap();
            recent.push(r.case.number().to_string());
        }
    }
    let history = |s: &Store, key: &str| -> Vec<String> {
        let filter = casedesk::store::CaseFilter {
            caller_key: Some(key.into()),
            limit: 20,
            ..Default::default()
        };
        s.list(&filter, None).unwrap().into_iter().map(|r| r.number).collect()
    };
    // Newest first, only the caller's own cases, at most the limit.
    let h = history(&s, "13800138000");
    assert_eq!(h.len(), 20);
    assert_eq!(h[..2], [recent[1].clone(), recent[0].clone()]);
    assert_eq!(history(&s, "张三"), [recent[3].clone(), recent[2].clone()]);
    assert_eq!(history(&s, "13900000000"), [recent[5].clone(), recent[4].clone()]);

    // The third call within the window is a repeat, whatever came years before.
    let now = f.ctx("2026-03-02T11:00:00+08:00");
    let third = |s: &mut Store, name: &str, phone: Option<&str>| {
        let mut form = caller(name, phone, "第三次", "2026-03-02T11:00:00+08:00");
        form.received_at = None;
        s.intake(&now, form).unwrap().case
    };
    let (frequent, frequent_steps) = steps(&mut s, |s| third(s, "王芳", Some("13800138000")));
    let (occasional, occasional_steps) = steps(&mut s, |s| third(s, "李四", Some("13900000000")));
    assert!(frequent.flags.contains(&casedesk::domain::Flag::Repeat));
    assert!(occasional.flags.contains(&casedesk::domain::Flag::Repeat));
    assert!(
        third(&mut s, "张三", None)
            .flags
            .contains(&casedesk::domain::Flag::Repeat)
    );
    // An intake and a look at the history cost the frequent caller about what
    // they cost the occasional one: their 300 older cases are never read.
    assert!(
        frequent_steps < occasional_steps + occasional_steps / 4,
        "intake: {frequent_steps} steps for the frequent caller, {occasional_steps} for the other"
    );
    let (_, frequent_steps) = steps(&mut s, |s| history(s, "13800138000"));
    let (_, occasional_steps) = steps(&mut s, |s| history(s, "13900000000"));
    assert!(
        frequent_steps < 20 * occasional_steps,
        "history: {frequent_steps} steps for 20 of 303 cases, {occasional_steps} for 3"
    );
}
