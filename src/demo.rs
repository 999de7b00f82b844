//! `casedesk demo`: a realistic Chinese desk to try at once, from `assets/demo.toml`.
//!
//! Cases are driven through the real engine (`decide`) at simulated times, so
//! every state, deadline, escalation and repeat is what the rules make of it;
//! rows go in through large transactions so a million cases stay practical.

mod case;
mod shifts;
mod vocab;

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use chrono::{Datelike, Duration};

use self::case::{Gen, Recent};
use self::vocab::{Rng, VOCAB, Vocab, VocabDept, person_name};
use crate::desk::Desk;
use crate::domain::deadline::local_date;
use crate::domain::subject::Entry;
use crate::domain::{Actor, CategoryId, DeptId, Role, SubjectPerson, Time};
use crate::store::bulk::NewCase;
use crate::store::rows::DeptNames;
use crate::store::staff::hash_pin;
use crate::store::{Result, Store, StoreError};

/// The demo clerks' PIN (listed in the README).
pub const DEMO_PIN: &str = "1234";
/// The demo supervisors' and admin's PIN: theirs is at least 6 digits.
pub const DEMO_LEAD_PIN: &str = "123456";

/// The PIN a demo account of `role` has.
#[must_use]
pub fn demo_pin(role: Role) -> &'static str {
    match role {
        Role::Clerk => DEMO_PIN,
        Role::Supervisor | Role::Admin => DEMO_LEAD_PIN,
    }
}
/// Cases per transaction: large enough to amortise fsync, small enough to show progress.
const BATCH: u64 = 50_000;
/// Cases handed from the making thread to the writing one at a time.
const CHUNK: usize = 1_000;

/// What was made.
#[derive(Debug)]
pub struct DemoSummary {
    /// Cases created.
    pub cases: u64,
    /// Desk accounts (name, role); each has [`demo_pin`] of its role.
    pub staff: Vec<(String, Role)>,
}

/// Fills a new desk with `cases` cases; `progress` hears how many are done.
pub fn generate(desk: &mut Desk, cases: u64, seed: u64, progress: &dyn Fn(u64)) -> Result<DemoSummary> {
    let vocab: Vocab = toml::from_str(VOCAB).map_err(|e| StoreError::Damaged(format!("demo.toml: {e}")))?;
    let now = desk.now();
    let mut rng = Rng(seed ^ 0x5EED_CA5E);
    let mut rng_shifts = Rng(seed ^ 0x0005_41F7);
    let Accounts {
        admin,
        clerks,
        supervisors,
        depts,
    } = accounts(desk, &vocab, now)?;
    // The quick phrases an admin keeps, so Ctrl-P has something to offer.
    let phrases: Vec<_> = vocab
        .phrases
        .iter()
        .filter_map(|(u, texts)| crate::domain::phrase::PhraseUse::parse(u).ok().map(|u| (u, texts)))
        .flat_map(|(u, texts)| texts.iter().map(move |t| (u, t.clone())))
        .collect();
    desk.add_phrases(&admin, &phrases, Some("demo"))?;
    let mut summary_staff = vec![(admin.name.clone(), Role::Admin)];
    summary_staff.extend(clerks.iter().map(|c| (c.name.clone(), Role::Clerk)));
    summary_staff.extend(supervisors.iter().map(|c| (c.name.clone(), Role::Supervisor)));
    let categories: Vec<(CategoryId, String)> =
        desk.store().categories()?.into_iter().map(|c| (c.id, c.code)).collect();
    let offsets = received_offsets(&mut rng, cases);
    let repeaters = repeat_callers(&mut rng, &vocab);
    // The store is borrowed for writing below; the rules are read from copies.
    let (policy, calendar) = (desk.policy.clone(), desk.calendar.clone());
    let maker = Gen {
        vocab: &vocab,
        clerks: &clerks,
        supervisors: &supervisors,
        depts: &depts,
        categories: &categories,
        repeaters: &repeaters,
        now,
        policy: &policy,
        calendar: &calendar,
    };
    let depts_by_id = desk.store().dept_names()?;
    // The new desk loads without its case indexes and the audit log's
    // replace guard, and builds them afterwards (see `Store::defer_indexes`).
    let deferred = desk.bulk_store().defer_indexes()?;
    make_and_write(desk.bulk_store(), &maker, rng, &offsets, &depts_by_id, progress)?;
    desk.bulk_store().restore_indexes(&deferred)?;
    // Overdue steps escalate as the rules say, exactly as on a live desk.
    desk.sweep(&admin)?;
    // A week of shifts and handovers behind the desk, the last one waiting.
    shifts::week(desk.bulk_store(), &policy, &vocab.shifts, &clerks, &mut rng_shifts, now)?;
    desk.bulk_store().optimize()?;
    Ok(DemoSummary {
        cases,
        staff: summary_staff,
    })
}

/// The desk's accounts and departments, with the people departments employ.
struct Accounts<'v> {
    admin: Actor,
    clerks: Vec<Actor>,
    supervisors: Vec<Actor>,
    depts: Vec<(DeptId, &'v VocabDept, Vec<SubjectPerson>)>,
}

/// Makes the desk (its admin), the clerks and supervisors (with
/// [`demo_pin`] of their role), and the departments with their people.
fn accounts<'v>(desk: &mut Desk, vocab: &'v Vocab, now: Time) -> Result<Accounts<'v>> {
    let pin_hash = hash_pin(DEMO_PIN)?;
    let lead_hash = hash_pin(DEMO_LEAD_PIN)?;
    let admin = desk.init_desk(&vocab.clerks.admin, DEMO_LEAD_PIN)?;
    // A demo desk is for trying things: a training desk.
    desk.set_training(&admin, true)?;
    let (clerks, supervisors, depts) = desk.bulk_store().load(|load| {
        let mut clerks = Vec::new();
        let mut supervisors = Vec::new();
        for name in &vocab.clerks.clerks {
            clerks.push(load.add_staff(admin.id, name, Role::Clerk, None, Some(&pin_hash), now)?);
        }
        for name in &vocab.clerks.supervisors {
            supervisors.push(load.add_staff(admin.id, name, Role::Supervisor, None, Some(&lead_hash), now)?);
        }
        let mut depts = Vec::new();
        for (i, d) in vocab.departments.iter().enumerate() {
            let id = load.add_department(&d.name, Some(&d.phone))?;
            let mut people = Vec::new();
            for (j, person) in d.staff.iter().enumerate() {
                // Department staff are complained about but do not use the
                // desk: the people directory has them, with a job number.
                let entry = Entry {
                    name: person.clone(),
                    dept: d.name.clone(),
                    job_number: Some(format!("{}{:03}", 10 + i, j + 1)),
                };
                load.add_person(&entry, now)?;
                people.push(SubjectPerson {
                    name: entry.name,
                    listed: true,
                    job_number: entry.job_number,
                    dept: Some(entry.dept),
                });
            }
            depts.push((id, d, people));
        }
        Ok((clerks, supervisors, depts))
    })?;
    Ok(Accounts {
        admin,
        clerks,
        supervisors,
        depts,
    })
}

/// How long before now each case came in, in seconds: spread over a span
/// that grows with the desk, oldest first.
fn received_offsets(rng: &mut Rng, cases: u64) -> Vec<i64> {
    let span_days = i64::try_from((cases / 20).clamp(60, 1095)).unwrap_or(365);
    let span_secs = span_days * 86_400;
    let mut offsets: Vec<i64> = (0..cases)
        .map(|_| i64::try_from(rng.next() % u64::try_from(span_secs).unwrap_or(1)).unwrap_or(0))
        .collect();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    offsets
}

/// A pool of repeat callers: a few numbers come back again and again.
fn repeat_callers(rng: &mut Rng, vocab: &Vocab) -> Vec<(String, String)> {
    (0..40)
        .map(|i| (person_name(rng, vocab), format!("139{:08}", 10_000_000 + i * 7919)))
        .collect()
}

/// Makes the cases on a thread of its own (the engine, facts, JSON, search
/// tokens) while this one writes the ones made before.
fn make_and_write(
    store: &mut Store,
    maker: &Gen<'_>,
    rng: Rng,
    offsets: &[i64],
    depts_by_id: &DeptNames,
    progress: &dyn Fn(u64),
) -> Result<()> {
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<(i32, i64, NewCase)>>(4);
    std::thread::scope(|scope| -> Result<()> {
        let making = scope.spawn(move || make_all(maker, rng, offsets, depts_by_id, &send));
        let written = write_all(store, &receive, progress);
        // Unblock the maker if the writer stopped early, then hear its outcome.
        drop(receive);
        let made = making
            .join()
            .unwrap_or_else(|_| Err(StoreError::Damaged("the demo generator stopped".into())));
        written.and(made)
    })
}

/// Makes a case for each offset, numbered by year, and sends them on
/// [`CHUNK`] at a time.
fn make_all(
    maker: &Gen<'_>,
    mut rng: Rng,
    offsets: &[i64],
    depts_by_id: &DeptNames,
    send: &SyncSender<Vec<(i32, i64, NewCase)>>,
) -> Result<()> {
    let (policy, calendar) = (maker.policy, maker.calendar);
    let tz = policy.timezone;
    let mut history = Recent::default();
    let mut counters: HashMap<i32, i64> = HashMap::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    for offset in offsets {
        let received = maker.now - Duration::seconds(*offset) - Duration::minutes(5);
        let year = local_date(tz, received).year();
        let seq = counters.get(&year).copied().unwrap_or(0) + 1;
        let number = format!("{year}-{seq:06}");
        // A refused intake (it should not happen) leaves no gap in the numbers.
        let Some((case, events)) = maker.case(&mut rng, &mut history, number, received) else {
            continue;
        };
        counters.insert(year, seq);
        let facts = crate::domain::facts::facts(&case, policy, calendar);
        chunk.push((year, seq, NewCase::new(&case, &events, &facts, depts_by_id)?));
        if chunk.len() == CHUNK && send.send(std::mem::take(&mut chunk)).is_err() {
            // The writer stopped: its error is the one to report.
            return Ok(());
        }
    }
    if !chunk.is_empty() {
        let _ = send.send(chunk);
    }
    Ok(())
}

/// Writes the made cases, [`BATCH`] to a transaction, with their numbers' counters.
fn write_all(
    store: &mut Store,
    receive: &std::sync::mpsc::Receiver<Vec<(i32, i64, NewCase)>>,
    progress: &dyn Fn(u64),
) -> Result<()> {
    let mut done = 0u64;
    let mut incoming = receive.iter().peekable();
    while incoming.peek().is_some() {
        store.load(|load| {
            let mut bulk = load.cases()?;
            let mut counters: HashMap<i32, i64> = HashMap::new();
            let mut in_batch = 0u64;
            while in_batch < BATCH {
                let Some(chunk) = incoming.next() else { break };
                in_batch += chunk.len() as u64;
                for (year, seq, case) in chunk {
                    counters.insert(year, seq);
                    bulk.add(case)?;
                }
                progress(done + in_batch);
            }
            bulk.finish()?;
            load.raise_counters(counters.iter().map(|(year, last)| (*year, *last)))?;
            done += in_batch;
            Ok(())
        })?;
    }
    Ok(())
}
