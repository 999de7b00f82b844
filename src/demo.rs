//! `casedesk demo`: a realistic Chinese desk to try at once, from `assets/demo.toml`.
//!
//! Cases are driven through the real engine (`decide`) at simulated times, so
//! every state, deadline, escalation and repeat is what the rules make of it;
//! rows go in through large transactions so a million cases stay practical.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{Datelike, Duration};
use serde::Deserialize;

use crate::desk::Desk;
use crate::domain::deadline::local_date;
use crate::domain::{
    Actor, AssignMode, Case, CategoryId, Channel, Command, Complainant, Context, DeptId, Event, FeedbackMethod, Flag,
    History, IntakeForm, Kind, Origin, Role, Satisfaction, Severity, StaffId, State, Time, Verdict, VisitMethod,
    decide,
};
use crate::store::bulk::NewCase;
use crate::store::staff::hash_pin;
use crate::store::{Result, StoreError};

/// Every demo account's PIN (listed in the README).
pub const DEMO_PIN: &str = "1234";
/// Cases per transaction: large enough to amortise fsync, small enough to show progress.
const BATCH: u64 = 50_000;
/// Cases handed from the making thread to the writing one at a time.
const CHUNK: usize = 1_000;

const VOCAB: &str = include_str!("../assets/demo.toml");

#[derive(Debug, Deserialize)]
struct Vocab {
    surnames: Vec<String>,
    given_names: Vec<String>,
    relations: Vec<String>,
    departments: Vec<VocabDept>,
    clerks: VocabClerks,
    categories: BTreeMap<String, BTreeMap<String, Vec<Text>>>,
    responses: Responses,
}

#[derive(Debug, Deserialize)]
struct VocabDept {
    name: String,
    phone: String,
    staff: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct VocabClerks {
    clerks: Vec<String>,
    supervisors: Vec<String>,
    admin: String,
}

#[derive(Debug, Deserialize)]
struct Text {
    summary: String,
    details: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Responses {
    answers_on_spot: Vec<String>,
    facts: Vec<String>,
    responsible: Vec<String>,
    measures: Vec<String>,
    feedback_texts: Vec<String>,
    visit_comments_satisfied: Vec<String>,
    visit_comments_unsatisfied: Vec<String>,
    urge_notes: Vec<String>,
    escalation_reasons: Vec<String>,
    reopen_reasons: Vec<String>,
    pause_reasons: Vec<String>,
    extend_reasons: Vec<String>,
    transfer_reasons: Vec<String>,
    withdraw_reasons: Vec<String>,
    refer_texts: Vec<String>,
    addresses: Vec<String>,
}

/// What was made.
#[derive(Debug)]
pub struct DemoSummary {
    /// Cases created.
    pub cases: u64,
    /// Desk accounts (name, role); all have [`DEMO_PIN`].
    pub staff: Vec<(String, Role)>,
}

/// A small deterministic generator (splitmix64): the same seed gives the same desk.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
    fn text(&mut self, items: &[String]) -> String {
        self.pick(items).cloned().unwrap_or_default()
    }
}

/// Fills a new desk with `cases` cases; `progress` hears how many are done.
pub fn generate(desk: &mut Desk, cases: u64, seed: u64, progress: &dyn Fn(u64)) -> Result<DemoSummary> {
    let vocab: Vocab = toml::from_str(VOCAB).map_err(|e| StoreError::Damaged(format!("demo.toml: {e}")))?;
    let now = desk.now();
    let pin_hash = hash_pin(DEMO_PIN)?;
    let mut rng = Rng(seed ^ 0x5EED_CA5E);

    // Accounts, departments and the people departments employ.
    let admin = desk.store.init_desk(&vocab.clerks.admin, DEMO_PIN, now)?;
    let mut summary_staff = vec![(admin.name.clone(), Role::Admin)];
    let (clerks, supervisors, depts) = desk.store.load(|load| {
        let mut clerks = Vec::new();
        let mut supervisors = Vec::new();
        for name in &vocab.clerks.clerks {
            clerks.push(load.add_staff(admin.id, name, Role::Clerk, None, Some(&pin_hash), now)?);
        }
        for name in &vocab.clerks.supervisors {
            supervisors.push(load.add_staff(admin.id, name, Role::Supervisor, None, Some(&pin_hash), now)?);
        }
        let mut depts = Vec::new();
        for d in &vocab.departments {
            let id = load.add_department(&d.name, Some(&d.phone))?;
            let mut people = Vec::new();
            for person in &d.staff {
                // Department staff can be complained about but do not use the desk: no PIN.
                people.push(load.add_staff(admin.id, person, Role::Clerk, Some(id), None, now)?.id);
            }
            depts.push((id, d, people));
        }
        Ok((clerks, supervisors, depts))
    })?;
    summary_staff.extend(clerks.iter().map(|c| (c.name.clone(), Role::Clerk)));
    summary_staff.extend(supervisors.iter().map(|c| (c.name.clone(), Role::Supervisor)));
    let categories: Vec<(CategoryId, String)> = desk.store.categories()?.into_iter().map(|c| (c.id, c.code)).collect();

    // Received times spread over a span that grows with the desk, oldest first.
    let span_days = i64::try_from((cases / 20).clamp(60, 1095)).unwrap_or(365);
    let span_secs = span_days * 86_400;
    let mut offsets: Vec<i64> = (0..cases)
        .map(|_| i64::try_from(rng.next() % u64::try_from(span_secs).unwrap_or(1)).unwrap_or(0))
        .collect();
    offsets.sort_unstable_by(|a, b| b.cmp(a));

    // A pool of repeat callers: a few numbers come back again and again.
    let repeaters: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                person_name(&mut rng, &vocab),
                format!("139{:08}", 10_000_000 + i * 7919),
            )
        })
        .collect();

    let maker = Gen {
        vocab: &vocab,
        clerks: &clerks,
        supervisors: &supervisors,
        depts: &depts,
        categories: &categories,
        repeaters: &repeaters,
        now,
    };
    let depts_by_id = desk.store.dept_names()?;
    let deferred = desk.store.defer_indexes()?;
    let policy = &desk.policy;
    let calendar = &desk.calendar;
    let tz = policy.timezone;
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<(i32, i64, NewCase)>>(4);
    let store = &mut desk.store;
    std::thread::scope(|scope| -> Result<()> {
        // This thread makes cases (the engine, facts, JSON, search tokens)
        // while the caller's thread writes the ones made before.
        let maker = scope.spawn(move || -> Result<()> {
            let mut history = Recent::default();
            let mut counters: HashMap<i32, i64> = HashMap::new();
            let mut chunk = Vec::with_capacity(CHUNK);
            for offset in &offsets {
                let received = now - Duration::seconds(*offset) - Duration::minutes(5);
                let year = local_date(tz, received).year();
                let seq = counters.get(&year).copied().unwrap_or(0) + 1;
                let number = format!("{year}-{seq:06}");
                // A refused intake (it should not happen) leaves no gap in the numbers.
                let Some((case, events)) = maker.case(&mut rng, &mut history, number, received, policy, calendar)
                else {
                    continue;
                };
                counters.insert(year, seq);
                let facts = crate::domain::facts::facts(&case, policy, calendar);
                chunk.push((year, seq, NewCase::new(&case, &events, &facts, &depts_by_id)?));
                if chunk.len() == CHUNK && send.send(std::mem::take(&mut chunk)).is_err() {
                    // The writer stopped: its error is the one to report.
                    return Ok(());
                }
            }
            if !chunk.is_empty() {
                let _ = send.send(chunk);
            }
            Ok(())
        });
        let written = write_all(store, &receive, progress);
        // Unblock the maker if the writer stopped early, then hear its outcome.
        drop(receive);
        let made = maker
            .join()
            .unwrap_or_else(|_| Err(StoreError::Damaged("the demo generator stopped".into())));
        written.and(made)
    })?;
    // Overdue steps escalate as the rules say, exactly as on a live desk.
    let ctx = Context {
        now,
        actor: &admin,
        policy: &desk.policy,
        calendar: &desk.calendar,
    };
    desk.store.restore_indexes(&deferred)?;
    desk.store.sweep(&ctx)?;
    desk.store.optimize()?;
    Ok(DemoSummary {
        cases,
        staff: summary_staff,
    })
}

/// Writes the made cases, [`BATCH`] to a transaction, with their numbers' counters.
fn write_all(
    store: &mut crate::store::Store,
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

fn person_name(rng: &mut Rng, vocab: &Vocab) -> String {
    format!("{}{}", rng.text(&vocab.surnames), rng.text(&vocab.given_names))
}

/// Recent intakes, for the repeat rules (kept to the policy's window).
#[derive(Default)]
struct Recent {
    callers: HashMap<String, VecDeque<Time>>,
    subjects: HashMap<(DeptId, CategoryId), VecDeque<Time>>,
}

fn count_recent(q: &mut VecDeque<Time>, since: Time) -> u32 {
    while q.front().is_some_and(|t| *t < since) {
        q.pop_front();
    }
    u32::try_from(q.len()).unwrap_or(u32::MAX)
}

struct Gen<'a> {
    vocab: &'a Vocab,
    clerks: &'a [Actor],
    supervisors: &'a [Actor],
    depts: &'a [(DeptId, &'a VocabDept, Vec<StaffId>)],
    categories: &'a [(CategoryId, String)],
    repeaters: &'a [(String, String)],
    now: Time,
}

impl Gen<'_> {
    /// One case, taken in at `received` and moved along its lifecycle as far as time allows.
    #[allow(clippy::too_many_lines)]
    fn case(
        &self,
        rng: &mut Rng,
        recent: &mut Recent,
        number: String,
        received: Time,
        policy: &crate::domain::Policy,
        calendar: &crate::domain::Calendar,
    ) -> Option<(Case, Vec<Event>)> {
        let v = self.vocab;
        let kind = match rng.below(100) {
            0..=54 => Kind::Complaint,
            55..=66 => Kind::Suggestion,
            67..=74 => Kind::Praise,
            75..=87 => Kind::Inquiry,
            _ => Kind::Repair,
        };
        let (cat_id, cat_code) = {
            let fitting: Vec<&(CategoryId, String)> = self
                .categories
                .iter()
                .filter(|(_, code)| {
                    v.categories
                        .get(code)
                        .and_then(|m| m.get(kind_key(kind)))
                        .is_some_and(|l| !l.is_empty())
                })
                .collect();
            let chosen = rng.pick(&fitting).copied().or_else(|| self.categories.first());
            chosen.cloned().unwrap_or((CategoryId(1), "other".into()))
        };
        let text = v
            .categories
            .get(&cat_code)
            .and_then(|m| m.get(kind_key(kind)))
            .and_then(|l| rng.pick(l));
        let (summary, details) = text.map_or_else(
            || ("来电反映问题".to_string(), String::new()),
            |t| (t.summary.clone(), t.details.clone()),
        );
        let (dept, _, people) = rng
            .pick(self.depts)
            .map_or((DeptId(1), None, Vec::new()), |(d, vd, p)| (*d, Some(vd), p.clone()));
        let owner = rng.pick(self.clerks).cloned().unwrap_or_else(|| self.clerks[0].clone());
        let channel = match rng.below(100) {
            0..=44 => Channel::Phone,
            45..=59 => Channel::Visit,
            60..=69 => Channel::Letter,
            70..=79 => Channel::Online,
            80..=86 => Channel::Email,
            87..=89 => Channel::Fax,
            90..=95 => Channel::Survey,
            _ => Channel::Internal,
        };
        let origin = if channel == Channel::Internal {
            Origin::Internal
        } else {
            Origin::External
        };
        let complainant = if rng.chance(4) {
            Complainant::Anonymous
        } else if rng.chance(6) {
            let (name, phone) = rng.pick(self.repeaters).cloned().unwrap_or_default();
            Complainant::Named {
                name,
                phone: Some(phone),
                address: None,
                relation: Some(rng.text(&v.relations)),
            }
        } else {
            Complainant::Named {
                name: person_name(rng, v),
                phone: Some(format!(
                    "1{}{:09}",
                    [3, 5, 7, 8, 9][rng.below(5)],
                    rng.next() % 1_000_000_000
                )),
                address: rng.chance(30).then(|| rng.text(&v.responses.addresses)),
                relation: Some(rng.text(&v.relations)),
            }
        };
        let severity = if kind == Kind::Complaint {
            match rng.below(100) {
                0..=79 => Severity::Minor,
                80..=95 => Severity::Important,
                _ => Severity::Major,
            }
        } else {
            Severity::Minor
        };
        let mut flags = Vec::new();
        if severity == Severity::Major && rng.chance(30) {
            flags.push(Flag::Dispute);
        }
        let subject = (kind == Kind::Complaint && rng.chance(40))
            .then(|| rng.pick(&people).copied())
            .flatten();
        // Repeat rules need what came before, within the window.
        let since = received - Duration::days(i64::from(policy.escalation.repeat_window_days));
        let caller_key = complainant.phone_key();
        let caller_cases = caller_key
            .as_ref()
            .map_or(0, |k| count_recent(recent.callers.entry(k.clone()).or_default(), since));
        let subject_complaints = if kind == Kind::Complaint {
            count_recent(recent.subjects.entry((dept, cat_id)).or_default(), since)
        } else {
            0
        };
        if let Some(k) = caller_key {
            recent.callers.entry(k).or_default().push_back(received);
        }
        if kind == Kind::Complaint {
            recent.subjects.entry((dept, cat_id)).or_default().push_back(received);
        }
        let form = IntakeForm {
            number,
            received_at: Some(received),
            channel,
            kind,
            origin,
            complainant,
            confidential: rng.chance(5),
            dept: Some(dept),
            subject_staff: subject,
            category: Some(cat_id),
            severity,
            summary,
            details,
            promised_reply_at: None,
            flags,
        };
        let intake = Command::Intake {
            form: Box::new(form),
            history: History {
                caller_cases,
                subject_complaints,
            },
        };
        let intake_ctx = Context {
            now: received + Duration::minutes(3),
            actor: &owner,
            policy,
            calendar,
        };
        let mut events = decide(None, &intake, &intake_ctx).ok()?;
        let mut case = Case::open(events.first()?).ok()?;
        for e in events.iter().skip(1) {
            case.apply(e);
        }
        let mut at = received + Duration::minutes(3);
        let step = |case: &mut Case, events: &mut Vec<Event>, actor: &Actor, at: Time, command: Command| -> bool {
            if at >= self.now {
                return false;
            }
            match decide(
                Some(case),
                &command,
                &Context {
                    now: at,
                    actor,
                    policy,
                    calendar,
                },
            ) {
                Ok(new) => {
                    for e in &new {
                        case.apply(e);
                    }
                    events.extend(new);
                    true
                }
                Err(_) => false,
            }
        };
        let r = &v.responses;
        let sup = rng.pick(self.supervisors).cloned().unwrap_or_else(|| owner.clone());
        // Promise a reply time, then answer on the spot or assign.
        at += Duration::minutes(2);
        let promise = at + Duration::days(3);
        step(&mut case, &mut events, &owner, at, Command::Promise { at: promise });
        let on_spot = matches!(kind, Kind::Inquiry | Kind::Praise) && rng.chance(75) || rng.chance(8);
        if on_spot {
            at += Duration::minutes(5);
            step(
                &mut case,
                &mut events,
                &owner,
                at,
                Command::Answer {
                    text: rng.text(&r.answers_on_spot),
                },
            );
        } else if rng.chance(4) {
            at += Duration::minutes(5);
            let dept_name = self
                .depts
                .iter()
                .find(|(d, _, _)| *d == dept)
                .map(|(_, vd, _)| vd.name.clone())
                .unwrap_or_default();
            let text = format!("{}（{}）", rng.text(&r.refer_texts), dept_name);
            step(&mut case, &mut events, &owner, at, Command::Refer { dept, text });
        } else {
            at += Duration::hours(1);
            let mode = if rng.chance(60) {
                AssignMode::Written
            } else {
                AssignMode::Phone
            };
            if !step(&mut case, &mut events, &owner, at, Command::Assign { dept, mode }) {
                return Some((case, events));
            }
            // Some departments are slow: urged, sometimes extended, sometimes late.
            let slow = rng.chance(25);
            let reply_after = if slow {
                Duration::hours(24 * (3 + rng.below(6) as i64))
            } else {
                Duration::hours(2 + rng.below(40) as i64)
            };
            if slow {
                let due = case.running_deadlines().next().map_or(at, |d| d.due);
                let urge_at = due + Duration::hours(2);
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    urge_at,
                    Command::Urge {
                        deadline: None,
                        whom: None,
                        method: Some("电话".into()),
                        note: rng.text(&r.urge_notes),
                        answer: None,
                        promised_at: None,
                    },
                );
                if rng.chance(30) {
                    step(
                        &mut case,
                        &mut events,
                        &owner,
                        urge_at + Duration::minutes(10),
                        Command::Extend {
                            deadline: None,
                            to: due + Duration::days(4),
                            reason: rng.text(&r.extend_reasons),
                        },
                    );
                }
            }
            if rng.chance(3) {
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at + Duration::hours(1),
                    Command::Pause {
                        reason: rng.text(&r.pause_reasons),
                    },
                );
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at + Duration::days(2),
                    Command::Resume { reason: None },
                );
            }
            at += reply_after;
            let verdict = match rng.below(10) {
                0..=3 => Verdict::Justified,
                4..=5 => Verdict::Partly,
                6..=8 => Verdict::Unjustified,
                _ => Verdict::NotOurs,
            };
            let replied = step(
                &mut case,
                &mut events,
                &owner,
                at,
                Command::Reply {
                    verdict,
                    facts: rng.text(&r.facts),
                    responsible: Some(rng.text(&r.responsible)),
                    measures: Some(rng.text(&r.measures)),
                },
            );
            if !replied {
                return Some((case, events));
            }
            at += Duration::hours(1 + rng.below(20) as i64);
            if !step(
                &mut case,
                &mut events,
                &owner,
                at,
                Command::Feedback {
                    method: FeedbackMethod::Phone,
                    text: rng.text(&r.feedback_texts),
                },
            ) {
                return Some((case, events));
            }
        }
        if case.is_closed() || case.state == State::Received {
            return Some((case, events));
        }
        // Return visit: sometimes nobody answers; now and then the complainant is unhappy.
        at += Duration::hours(20 + rng.below(50) as i64);
        if rng.chance(10) {
            for day in 0..3 {
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at + Duration::days(day),
                    Command::VisitFailed {
                        note: Some("无人接听".into()),
                    },
                );
            }
            at += Duration::days(3);
        } else if case.intake.complainant.has_contact() && !on_spot_exempt(&case, policy) {
            let unhappy = rng.chance(6);
            let satisfaction = if unhappy {
                Satisfaction::Unsatisfied
            } else if rng.chance(20) {
                Satisfaction::Basic
            } else {
                Satisfaction::Satisfied
            };
            let comment = if unhappy {
                rng.text(&r.visit_comments_unsatisfied)
            } else {
                rng.text(&r.visit_comments_satisfied)
            };
            let rated = kind == Kind::Repair;
            let visited = step(
                &mut case,
                &mut events,
                &owner,
                at,
                Command::Visit {
                    method: VisitMethod::Phone,
                    satisfaction,
                    attitude: rated.then(|| 3 + u8::try_from(rng.below(3)).unwrap_or(0)),
                    speed: rated.then(|| 2 + u8::try_from(rng.below(4)).unwrap_or(0)),
                    result: rated.then(|| 3 + u8::try_from(rng.below(3)).unwrap_or(0)),
                    comment: Some(comment),
                },
            );
            if !visited {
                return Some((case, events));
            }
            if unhappy {
                // Second round: reassigned, replied, signed off by a supervisor, fed back.
                at += Duration::hours(2);
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at,
                    Command::Assign {
                        dept,
                        mode: AssignMode::Written,
                    },
                );
                at += Duration::days(2);
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at,
                    Command::Reply {
                        verdict: Verdict::Justified,
                        facts: rng.text(&r.facts),
                        responsible: Some(rng.text(&r.responsible)),
                        measures: Some(rng.text(&r.measures)),
                    },
                );
                step(
                    &mut case,
                    &mut events,
                    &sup,
                    at + Duration::hours(3),
                    Command::Review { note: None },
                );
                at += Duration::hours(5);
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at,
                    Command::Feedback {
                        method: FeedbackMethod::Phone,
                        text: rng.text(&r.feedback_texts),
                    },
                );
                at += Duration::days(1);
                step(
                    &mut case,
                    &mut events,
                    &owner,
                    at,
                    Command::Visit {
                        method: VisitMethod::Phone,
                        satisfaction: Satisfaction::Basic,
                        attitude: None,
                        speed: None,
                        result: None,
                        comment: None,
                    },
                );
            }
        }
        at += Duration::hours(1);
        step(&mut case, &mut events, &owner, at, Command::Close);
        if case.is_closed() && rng.chance(70) {
            step(
                &mut case,
                &mut events,
                &owner,
                at + Duration::days(10),
                Command::Archive,
            );
        }
        Some((case, events))
    }
}

fn on_spot_exempt(case: &Case, policy: &crate::domain::Policy) -> bool {
    !crate::domain::gate::visit_required(case, policy)
}

fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "complaint",
        Kind::Suggestion => "suggestion",
        Kind::Praise => "praise",
        Kind::Inquiry => "inquiry",
        Kind::Repair => "repair",
    }
}
