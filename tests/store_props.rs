//! Refused commands change nothing, on a real desk: the random command
//! sequences of `domain_props` (`support::lifecycle`) run through the store
//! on a temp desk — `Store::intake`, then `Store::execute` for each command
//! and `Store::sweep` for the clock's own escalations — and every command the
//! rules refuse leaves every row of every table as it was: the case, its
//! version, its events, the audit chain, the search index. That includes the
//! overdue escalations the store records before running a command: when the
//! command is refused they are not written either.
//!
//! 64 cases per property unless `PROPTEST_CASES` says otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casedesk::domain::escalation::overdue_escalations;
use casedesk::domain::{Actor, Calendar, Context, DeptId, Policy, Time};
use casedesk::store::{Store, StoreError};
use chrono::Duration;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rusqlite::types::Value;
use support::lifecycle::*;
use support::{at, proptest_cases};

/// The departments the operations name, with the ids a desk gives them.
const DEPTS: [&str; 4] = ["内科", "外科", "门诊部", "医保办"];

/// A desk whose staff and departments have the ids the operations name,
/// checkpointed into one file: copied for every sequence.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let mut store = Store::open(&path).unwrap();
        let now = at("2026-01-05T09:00:00+08:00");
        let admin = store.init_desk(&staff(ADMIN).name, "111111", now).unwrap();
        assert_eq!(admin.id, ADMIN);
        for id in &STAFF[1..] {
            let a = staff(*id);
            let added = store.add_staff(&admin, &a.name, a.role, None, "222222", now).unwrap();
            assert_eq!(added.id, *id, "{}", a.name);
            if !a.active {
                store.set_staff_active(&admin, &a.name, false, now).unwrap();
            }
        }
        for (i, name) in DEPTS.iter().enumerate() {
            let d = store.add_department(name, None).unwrap();
            assert_eq!(d.id, DeptId(i64::try_from(i).unwrap() + 1), "{name}");
        }
        store
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(store);
        (dir, path)
    });
    path
}

/// Every row of every table (the full-text index's own tables included), in
/// each table's order.
fn dump(store: &Store) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = store.conn();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, rows)
        })
        .collect()
}

/// What the store did with the commands of the sequences.
#[derive(Default)]
struct Tally {
    accepted: u64,
    /// Refused, by command.
    refused: BTreeMap<&'static str, u64>,
    /// Refused while the store had overdue escalations to record first.
    refused_with_escalations_due: u64,
}

fn context<'a>(now: Time, actor: &'a Actor, policy: &'a Policy, calendar: &'a Calendar) -> Context<'a> {
    Context {
        now,
        actor,
        policy,
        calendar,
    }
}

/// Runs one random sequence through the store; every refusal must leave the
/// stored desk as it was.
fn run_in_store(spec: &Intake, steps: &[Step], tally: &mut Tally) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    std::fs::copy(template(), &path).unwrap();
    let mut store = Store::open(&path).unwrap();
    // Nothing here needs to survive a power cut: commits need not wait for the disk.
    store.conn().pragma_update(None, "synchronous", "OFF").unwrap();
    let policy = Policy::builtin().unwrap();
    let calendar = Calendar::builtin();
    let mut now = at(spec.start);
    let receiver = staff(CLERK_A);
    let number = store
        .intake(&context(now, &receiver, &policy, &calendar), form(spec))
        .unwrap()
        .case
        .number()
        .to_string();
    for step in steps {
        now += Duration::minutes(step.advance);
        let stored = store.case(&number).unwrap();
        let Some(command) = command(&step.op, &stored.case, now) else {
            store.sweep(&context(now, &receiver, &policy, &calendar)).unwrap();
            continue;
        };
        let actor = actor_for(step.who, &command, &stored.case);
        let due = overdue_escalations(&stored.case, now, &policy, &calendar);
        let before = dump(&store);
        match store.execute(
            &context(now, &actor, &policy, &calendar),
            &number,
            Some(stored.version),
            &command,
        ) {
            Ok(_) => tally.accepted += 1,
            Err(StoreError::Rule(why)) => {
                prop_assert!(
                    dump(&store) == before,
                    "{} by {}, refused ({why}), changed the stored desk",
                    command.code(),
                    actor.name
                );
                *tally.refused.entry(command.code()).or_default() += 1;
                if !due.is_empty() {
                    tally.refused_with_escalations_due += 1;
                }
            }
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "{} failed in the store: {e:?}",
                    command.code()
                )));
            }
        }
    }
    let report = casedesk::store::check::run(&store).unwrap();
    prop_assert!(
        report.integrity == "ok"
            && report.foreign_key_errors == 0
            && report.chain.first_bad.is_none()
            && report.differences.is_empty(),
        "the desk fails check: {:?}",
        report
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: proptest_cases(64),
        // No regression files written into the source tree.
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn refused_commands_leave_the_stored_desk_as_it_was(
        spec in intake(),
        steps in prop::collection::vec(step(), STEPS),
    ) {
        run_in_store(&spec, &steps, &mut Tally::default())?;
    }
}

/// The property above proves little unless the sequences meet refusals of
/// many kinds, some of them while escalations were due.
#[test]
fn random_sequences_meet_refusals_of_every_kind_in_the_store() {
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = (intake(), prop::collection::vec(step(), STEPS));
    let mut tally = Tally::default();
    for _ in 0..64 {
        let (spec, steps) = strategy.new_tree(&mut runner).unwrap().current();
        run_in_store(&spec, &steps, &mut tally).unwrap();
    }
    println!(
        "store_props: {} accepted, refused {:?}, {} refused with escalations due",
        tally.accepted, tally.refused, tally.refused_with_escalations_due
    );
    for code in [
        "promise",
        "answer",
        "assign",
        "urge",
        "extend",
        "pause",
        "resume",
        "reply",
        "review",
        "feedback",
        "visit",
        "visit_failed",
        "transfer",
        "accept",
        "reopen",
        "close",
        "withdraw",
        "follow_up",
        "archive",
    ] {
        assert!(
            tally.refused.contains_key(code),
            "no sequence had '{code}' refused; refused: {:?}",
            tally.refused
        );
    }
    assert!(
        tally.refused_with_escalations_due > 0,
        "no command was refused while escalations were due"
    );
}
