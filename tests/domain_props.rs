//! Random sequences of commands by random staff against one case, checking
//! after every step the invariants the desk relies on: one accountable owner,
//! closing only through the gate or a withdrawal, replay = incremental fold,
//! no silent deadline moves, refused commands change nothing.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use casedesk::domain::case::Outcome;
use casedesk::domain::escalation::{must_urge, overdue_escalations};
use casedesk::domain::event::Exemption;
use casedesk::domain::gate::{check_close, distinct_attempt_days, needs_review};
use casedesk::domain::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Command, Complainant, Context, DeadlineKind, DeptId, Event,
    EventBody, FeedbackMethod, Flag, History, IntakeForm, Kind, Origin, Policy, Role, Satisfaction, Severity, StaffId,
    State, Time, Verdict, VisitMethod, decide,
};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

// ---------------------------------------------------------------- staff

const CLERK_A: StaffId = StaffId(1);
const CLERK_B: StaffId = StaffId(2);
const SUP: StaffId = StaffId(3);
const INACTIVE: StaffId = StaffId(4);
const SUBJECT: StaffId = StaffId(5);
const SUP2: StaffId = StaffId(6);
const ADMIN: StaffId = StaffId(7);

fn staff(id: StaffId) -> Actor {
    let (name, role, active) = match id.0 {
        1 => ("甲", Role::Clerk, true),
        2 => ("乙", Role::Clerk, true),
        3 => ("丙主管", Role::Supervisor, true),
        4 => ("丁(离职)", Role::Clerk, false),
        5 => ("戊护士", Role::Clerk, true),
        6 => ("己主管", Role::Supervisor, true),
        7 => ("庚管理员", Role::Admin, true),
        other => panic!("no staff {other}"),
    };
    Actor {
        id,
        name: name.into(),
        role,
        active,
    }
}

/// Who acts, relative to the case: the owner, another clerk, a supervisor …
#[derive(Clone, Copy, Debug)]
enum Who {
    Owner,
    OtherClerk,
    Supervisor(bool),
    Inactive,
    Subject,
    Admin,
}

impl Who {
    fn resolve(self, case: &Case) -> Actor {
        let id = match self {
            Who::Owner => case.owner,
            Who::OtherClerk if case.owner == CLERK_B => CLERK_A,
            Who::OtherClerk => CLERK_B,
            Who::Supervisor(first) => {
                if first {
                    SUP
                } else {
                    SUP2
                }
            }
            Who::Inactive => INACTIVE,
            Who::Subject => SUBJECT,
            Who::Admin => ADMIN,
        };
        staff(id)
    }
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        10 => Just(Who::Owner),
        2 => Just(Who::OtherClerk),
        2 => any::<bool>().prop_map(Who::Supervisor),
        1 => Just(Who::Inactive),
        1 => Just(Who::Subject),
        1 => Just(Who::Admin),
    ]
}

// ---------------------------------------------------------------- operations

#[derive(Clone, Debug)]
enum Op {
    /// Run the time-driven escalation rule and apply what it yields.
    Tick,
    /// The natural next step of the case's lifecycle, so random runs get far.
    Progress {
        satisfaction: Satisfaction,
    },
    Promise {
        hours: i64,
    },
    Answer {
        blank: bool,
    },
    Refer,
    Assign {
        dept: i64,
        phone: bool,
    },
    Urge {
        named: Option<DeadlineKind>,
        blank: bool,
    },
    Extend {
        named: Option<DeadlineKind>,
        hours: i64,
        blank: bool,
    },
    Pause {
        blank: bool,
    },
    Resume,
    Reply {
        verdict: Verdict,
        responsible: bool,
        measures: bool,
    },
    Review,
    Feedback,
    Visit {
        satisfaction: Satisfaction,
        rating: u8,
    },
    VisitFailed,
    Escalate,
    Flag(Flag),
    Transfer(Who),
    Accept,
    Reopen {
        blank: bool,
    },
    Close,
    Withdraw,
    FollowUp,
    Archive,
}

fn deadline_kind() -> impl Strategy<Value = DeadlineKind> {
    prop::sample::select(DeadlineKind::ALL.to_vec())
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Tick),
        12 => prop_oneof![4 => Just(Satisfaction::Satisfied), 1 => Just(Satisfaction::Basic), 2 => Just(Satisfaction::Unsatisfied)]
            .prop_map(|satisfaction| Op::Progress { satisfaction }),
        1 => (-2i64..200).prop_map(|hours| Op::Promise { hours }),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Op::Answer { blank }),
        1 => Just(Op::Refer),
        4 => (10i64..13, any::<bool>()).prop_map(|(dept, phone)| Op::Assign { dept, phone }),
        2 => (prop::option::of(deadline_kind()), prop::bool::weighted(0.1))
            .prop_map(|(named, blank)| Op::Urge { named, blank }),
        2 => (prop::option::of(deadline_kind()), -24i64..200, prop::bool::weighted(0.1))
            .prop_map(|(named, hours, blank)| Op::Extend { named, hours, blank }),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Op::Pause { blank }),
        2 => Just(Op::Resume),
        4 => (prop::sample::select(Verdict::ALL.to_vec()), prop::bool::weighted(0.8), prop::bool::weighted(0.8))
            .prop_map(|(verdict, responsible, measures)| Op::Reply { verdict, responsible, measures }),
        3 => Just(Op::Review),
        4 => Just(Op::Feedback),
        4 => (prop::sample::select(Satisfaction::ALL.to_vec()), 0u8..=6)
            .prop_map(|(satisfaction, rating)| Op::Visit { satisfaction, rating }),
        2 => Just(Op::VisitFailed),
        1 => Just(Op::Escalate),
        1 => prop::sample::select(vec![Flag::Dispute, Flag::Media, Flag::Repeat]).prop_map(Op::Flag),
        2 => who().prop_map(Op::Transfer),
        2 => Just(Op::Accept),
        1 => prop::bool::weighted(0.1).prop_map(|blank| Op::Reopen { blank }),
        5 => Just(Op::Close),
        1 => Just(Op::Withdraw),
        2 => Just(Op::FollowUp),
        1 => Just(Op::Archive),
    ]
}

/// Minutes to move the clock forward before the step.
fn advance() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => 0i64..240,
        2 => (1i64..4, 0i64..1440).prop_map(|(d, m)| d * 1440 + m),
    ]
}

#[derive(Clone, Debug)]
struct Step {
    op: Op,
    who: Who,
    advance: i64,
}

fn step() -> impl Strategy<Value = Step> {
    (op(), who(), advance()).prop_map(|(op, who, advance)| Step { op, who, advance })
}

fn text(blank: bool, s: &str) -> String {
    if blank { "  ".into() } else { s.into() }
}

/// The command an operation stands for on this case at this time (None: a tick).
fn command(op: &Op, case: &Case, now: Time) -> Option<Command> {
    Some(match op {
        Op::Tick => return None,
        Op::Progress { satisfaction } => match case.state {
            State::Received | State::Reopened => Command::Assign {
                dept: DeptId(10),
                mode: AssignMode::Written,
            },
            State::Assigned => Command::Reply {
                verdict: Verdict::Justified,
                facts: "调查经过".into(),
                responsible: Some("当班人员".into()),
                measures: Some("加强培训".into()),
            },
            State::Replied if needs_review(case) && case.reviewed_by.is_none() => Command::Review { note: None },
            State::Replied => Command::Feedback {
                method: FeedbackMethod::Phone,
                text: "已告知结果".into(),
            },
            State::FeedbackGiven | State::Answered | State::Referred if case.intake.complainant.has_contact() => {
                Command::Visit {
                    method: VisitMethod::Phone,
                    satisfaction: *satisfaction,
                    attitude: Some(4),
                    speed: Some(4),
                    result: Some(4),
                    comment: None,
                }
            }
            State::FeedbackGiven | State::Answered | State::Referred | State::Visited => Command::Close,
            State::Closed => Command::FollowUp {
                method: VisitMethod::Phone,
                satisfaction: Some(*satisfaction),
                comment: None,
            },
        },
        Op::Promise { hours } => Command::Promise {
            at: now + Duration::hours(*hours),
        },
        Op::Answer { blank } => Command::Answer {
            text: text(*blank, "已当场解释"),
        },
        Op::Refer => Command::Refer {
            dept: DeptId(20),
            text: "请联系医保办".into(),
        },
        Op::Assign { dept, phone } => Command::Assign {
            dept: DeptId(*dept),
            mode: if *phone { AssignMode::Phone } else { AssignMode::Written },
        },
        Op::Urge { named, blank } => Command::Urge {
            deadline: *named,
            whom: Some("科室".into()),
            method: None,
            note: text(*blank, "请尽快处理"),
            answer: None,
            promised_at: None,
        },
        Op::Extend { named, hours, blank } => {
            let base = named
                .and_then(|k| case.deadlines.get(&k))
                .map(|d| d.due)
                .or_else(|| case.next_due())
                .unwrap_or(now);
            Command::Extend {
                deadline: *named,
                to: base + Duration::hours(*hours),
                reason: text(*blank, "科室申请延期"),
            }
        }
        Op::Pause { blank } => Command::Pause {
            reason: text(*blank, "等待患者材料"),
        },
        Op::Resume => Command::Resume { reason: None },
        Op::Reply {
            verdict,
            responsible,
            measures,
        } => Command::Reply {
            verdict: *verdict,
            facts: "调查经过".into(),
            responsible: responsible.then(|| "当班人员".into()),
            measures: measures.then(|| "加强培训".into()),
        },
        Op::Review => Command::Review { note: None },
        Op::Feedback => Command::Feedback {
            method: FeedbackMethod::Phone,
            text: "已告知结果".into(),
        },
        Op::Visit { satisfaction, rating } => Command::Visit {
            method: VisitMethod::Phone,
            satisfaction: *satisfaction,
            attitude: Some(*rating),
            speed: None,
            result: None,
            comment: None,
        },
        Op::VisitFailed => Command::VisitFailed { note: None },
        Op::Escalate => Command::Escalate {
            reason: "情况复杂".into(),
        },
        Op::Flag(flag) => Command::Flag {
            flag: *flag,
            reason: None,
        },
        Op::Transfer(to) => Command::Transfer {
            to: to.resolve(case),
            reason: "交接班".into(),
        },
        Op::Accept => Command::Accept,
        Op::Reopen { blank } => Command::Reopen {
            reason: text(*blank, "再次投诉"),
        },
        Op::Close => Command::Close,
        Op::Withdraw => Command::Withdraw {
            reason: "患者撤诉".into(),
        },
        Op::FollowUp => Command::FollowUp {
            method: VisitMethod::Phone,
            satisfaction: None,
            comment: None,
        },
        Op::Archive => Command::Archive,
    })
}

/// Who acts. "The owner" accepting a transfer or signing off a second round
/// stands for the person who could: the offered clerk, a fresh supervisor.
fn actor_for(who: Who, command: &Command, case: &Case) -> Actor {
    match (who, command) {
        (Who::Owner, Command::Accept) => case
            .pending_transfer
            .as_ref()
            .map_or_else(|| who.resolve(case), |t| staff(t.to)),
        (Who::Owner, Command::Review { .. }) => {
            let fresh = [SUP, SUP2].into_iter().find(|s| !case.earlier_handlers.contains(s));
            staff(fresh.unwrap_or(SUP))
        }
        _ => who.resolve(case),
    }
}

// ---------------------------------------------------------------- intake

#[derive(Clone, Debug)]
struct Intake {
    start: &'static str,
    kind: Kind,
    origin: Origin,
    severity: Severity,
    contact: u8,
    dispute: bool,
    history: (u32, u32),
    promise_hours: Option<i64>,
}

fn intake() -> impl Strategy<Value = Intake> {
    (
        prop::sample::select(vec![
            "2026-02-10T09:00:00+08:00",
            "2026-03-02T09:00:00+08:00",
            "2026-09-24T16:00:00+08:00",
            "2026-12-21T20:30:00+08:00",
        ]),
        prop_oneof![6 => Just(Kind::Complaint), 1 => prop::sample::select(Kind::ALL.to_vec())],
        prop_oneof![3 => Just(Origin::External), 1 => Just(Origin::Internal)],
        prop::sample::select(Severity::ALL.to_vec()),
        prop_oneof![1 => Just(0u8), 1 => Just(1u8), 6 => Just(2u8)],
        prop::bool::weighted(0.1),
        (0u32..3, 0u32..3),
        prop::option::of(1i64..120),
    )
        .prop_map(
            |(start, kind, origin, severity, contact, dispute, history, promise_hours)| Intake {
                start,
                kind,
                origin,
                severity,
                contact,
                dispute,
                history,
                promise_hours,
            },
        )
}

fn form(spec: &Intake) -> IntakeForm {
    let start = at(spec.start);
    let complainant = match spec.contact {
        0 => Complainant::Anonymous,
        1 => Complainant::Named {
            name: "王芳".into(),
            phone: None,
            address: None,
            relation: None,
        },
        _ => Complainant::Named {
            name: "王芳".into(),
            phone: Some("13800138000".into()),
            address: None,
            relation: Some("家属".into()),
        },
    };
    IntakeForm {
        number: "2026-000001".into(),
        received_at: None,
        channel: Channel::Phone,
        kind: spec.kind,
        origin: spec.origin,
        complainant,
        confidential: false,
        dept: Some(DeptId(10)),
        subject_staff: Some(SUBJECT),
        category: Some(CategoryId(1)),
        severity: spec.severity,
        summary: "投诉".into(),
        details: String::new(),
        promised_reply_at: spec.promise_hours.map(|h| start + Duration::hours(h)),
        flags: if spec.dispute { vec![Flag::Dispute] } else { vec![] },
    }
}

// ---------------------------------------------------------------- the run

const AFTER_CLOSE: [DeadlineKind; 4] = [
    DeadlineKind::Archive,
    DeadlineKind::FollowUp1,
    DeadlineKind::FollowUp2,
    DeadlineKind::FollowUp3,
];

/// Runs one random sequence, checking the invariants after every step.
/// `seen` collects the kinds of the events that happened.
fn run(spec: &Intake, steps: &[Step], seen: &mut BTreeSet<&'static str>) -> Result<(), TestCaseError> {
    let policy = Policy::builtin().unwrap();
    let calendar = Calendar::builtin();
    let mut now = at(spec.start);
    let receiver = staff(CLERK_A);
    let ctx = Context {
        now,
        actor: &receiver,
        policy: &policy,
        calendar: &calendar,
    };
    let intake = Command::Intake {
        form: Box::new(form(spec)),
        history: History {
            caller_cases: spec.history.0,
            subject_complaints: spec.history.1,
        },
    };
    let mut events = decide(None, &intake, &ctx).unwrap();
    let mut case = Case::replay(&events).unwrap();
    seen.extend(events.iter().map(|e| e.body.kind_code()));
    check_case(&case, &events)?;

    for step in steps {
        now += Duration::minutes(step.advance);
        let before = case.clone();
        let new = match command(&step.op, &case, now) {
            None => {
                let auto = overdue_escalations(&case, now, &policy, &calendar);
                if case.is_paused() || case.is_closed() {
                    prop_assert!(auto.is_empty(), "no escalation while paused or closed: {auto:?}");
                }
                if case.is_paused() {
                    prop_assert!(must_urge(&case, now).is_empty());
                }
                for e in &auto {
                    prop_assert_eq!(e.actor, StaffId::SYSTEM);
                    prop_assert!(
                        matches!(e.body, EventBody::Escalated { .. }),
                        "not an escalation: {:?}",
                        e
                    );
                }
                auto
            }
            Some(command) => {
                let actor = actor_for(step.who, &command, &case);
                let ctx = Context {
                    now,
                    actor: &actor,
                    policy: &policy,
                    calendar: &calendar,
                };
                let result = decide(Some(&case), &command, &ctx);
                // decide is pure: same answer twice, case untouched
                prop_assert_eq!(&result, &decide(Some(&case), &command, &ctx));
                prop_assert_eq!(&before, &case);
                match result {
                    Err(_) => continue,
                    Ok(new) => {
                        check_accepted(&before, &command, &actor, &new, &policy)?;
                        new
                    }
                }
            }
        };
        for e in &new {
            prop_assert_eq!(e.at, now);
            if let EventBody::Escalated { from, to, .. } = e.body {
                prop_assert_eq!(from, case.level, "escalations start from the current level");
                prop_assert!(to > from && to <= 3, "{} -> {}", from, to);
            }
            case.apply(e);
        }
        seen.extend(new.iter().map(|e| e.body.kind_code()));
        events.extend(new.iter().cloned());
        check_transition(&before, &case, &new, &policy)?;
        check_case(&case, &events)?;
    }
    Ok(())
}

/// Who may do what: an accepted command respects the actor rules.
fn check_accepted(
    before: &Case,
    command: &Command,
    actor: &Actor,
    new: &[Event],
    policy: &Policy,
) -> Result<(), TestCaseError> {
    let code = command.code();
    prop_assert!(actor.active, "{} accepted from an inactive account", code);
    prop_assert_ne!(actor.id, SUBJECT, "{} accepted from the subject (recusal)", code);
    prop_assert!(!new.is_empty(), "{} accepted with no event", code);
    if actor.id != before.owner && !actor.is_supervisor() {
        // first-receiver responsibility: only accepting an offered transfer
        prop_assert!(
            matches!(command, Command::Accept) && before.pending_transfer.as_ref().is_some_and(|t| t.to == actor.id),
            "{} accepted from {} who does not own the case",
            code,
            actor.name
        );
    }
    if matches!(
        command,
        Command::Withdraw { .. } | Command::Reopen { .. } | Command::Review { .. }
    ) {
        prop_assert!(actor.is_supervisor(), "{} needs a supervisor", code);
    }
    if let Command::Review { .. } = command {
        prop_assert!(
            !before.earlier_handlers.contains(&actor.id),
            "reviewer handled an earlier round"
        );
    }
    if let Command::Feedback { .. } = command
        && needs_review(before)
    {
        prop_assert!(
            before.reviewed_by.is_some(),
            "second-round feedback before the sign-off"
        );
    }
    if before.is_closed() {
        prop_assert!(
            matches!(
                command,
                Command::Reopen { .. } | Command::FollowUp { .. } | Command::Archive
            ),
            "{} accepted on a closed case",
            code
        );
    }
    if let Command::Close = command {
        // the gate, restated independently of its implementation
        prop_assert!(before.has_result(), "closed without a result");
        prop_assert!(before.has_feedback(), "closed without feedback");
        let visited = matches!(before.satisfaction, Some(Satisfaction::Satisfied | Satisfaction::Basic));
        let Some(EventBody::Closed { exemption, .. }) = new.first().map(|e| &e.body) else {
            return Err(TestCaseError::fail(format!("close yielded {new:?}")));
        };
        prop_assert_eq!(check_close(before, policy), Ok(*exemption));
        match exemption {
            None => prop_assert!(visited, "closed without a return visit or exemption"),
            Some(Exemption::NoContact) => {
                prop_assert!(!before.intake.complainant.has_contact());
            }
            Some(Exemption::Unreachable) => {
                let days: BTreeSet<_> = before
                    .failed_attempts
                    .iter()
                    .map(|t| t.with_timezone(&policy.timezone).date_naive())
                    .collect();
                prop_assert!(days.len() >= 3, "unreachable after {} days", days.len());
                prop_assert_eq!(distinct_attempt_days(before, policy) as usize, days.len());
            }
            Some(Exemption::AnsweredPraiseOrInquiry) => {
                prop_assert!(matches!(before.intake.kind, Kind::Praise | Kind::Inquiry));
                prop_assert_eq!(&before.outcome, &Some(Outcome::OnSpot));
            }
        }
    }
    Ok(())
}

/// What may change from one step to the next.
fn check_transition(before: &Case, after: &Case, new: &[Event], policy: &Policy) -> Result<(), TestCaseError> {
    prop_assert!(after.level >= before.level, "the level never goes down");
    prop_assert!(after.level <= 3);
    if !before.is_closed() && after.is_closed() {
        let closers: Vec<_> = new
            .iter()
            .filter(|e| matches!(e.body, EventBody::Closed { .. } | EventBody::Withdrawn { .. }))
            .collect();
        prop_assert_eq!(closers.len(), 1, "closed only by Close or Withdraw: {:?}", new);
        if let EventBody::Closed { exemption, .. } = &closers[0].body {
            prop_assert_eq!(check_close(before, policy), Ok(*exemption));
        }
    }
    if before.is_closed() && after.is_closed() {
        // read-only: only follow-ups and the archive stamp change it
        let mut same = after.clone();
        same.follow_ups = before.follow_ups;
        same.archived_at = before.archived_at;
        same.deadlines.clone_from(&before.deadlines);
        same.event_count = before.event_count;
        prop_assert_eq!(&same, before);
    }

    // a due time moves only by an extension, a resume, or a clock (re)started by an event
    let mut allowed: Vec<(DeadlineKind, Time)> = Vec::new();
    let mut reopened = false;
    for e in new {
        match &e.body {
            EventBody::Extended { deadline, from, to, .. } => {
                prop_assert!(to > from, "an extension moves later");
                allowed.push((*deadline, *to));
            }
            EventBody::Resumed { shifted, .. } => {
                for s in shifted {
                    prop_assert!(s.to > s.from, "a resume moves later");
                    prop_assert!(
                        !matches!(
                            s.deadline,
                            DeadlineKind::ReportToLeadership | DeadlineKind::PromisedReply
                        ),
                        "hour and promise clocks do not move"
                    );
                    allowed.push((s.deadline, s.to));
                }
            }
            EventBody::Promised { promised_reply_at } => {
                allowed.push((DeadlineKind::PromisedReply, *promised_reply_at));
            }
            EventBody::AnsweredOnSpot { dues, .. }
            | EventBody::Referred { dues, .. }
            | EventBody::Assigned { dues, .. }
            | EventBody::FeedbackGiven { dues, .. }
            | EventBody::Closed { dues, .. }
            | EventBody::Withdrawn { dues, .. } => allowed.extend(dues.iter().map(|d| (d.deadline, d.due))),
            EventBody::Reopened { dues, .. } => {
                reopened = true;
                allowed.extend(dues.iter().map(|d| (d.deadline, d.due)));
            }
            _ => {}
        }
    }
    for (kind, old) in &before.deadlines {
        match after.deadlines.get(kind) {
            None => prop_assert!(
                reopened && AFTER_CLOSE.contains(kind),
                "clock {} vanished after {:?}",
                kind,
                new
            ),
            Some(d) => {
                if d.due != old.due {
                    prop_assert!(
                        old.is_running() || allowed.iter().any(|(k, _)| k == kind),
                        "a met clock {} moved",
                        kind
                    );
                    prop_assert!(
                        allowed.contains(&(*kind, d.due)),
                        "clock {} moved silently from {} to {} by {:?}",
                        kind,
                        old.due,
                        d.due,
                        new
                    );
                }
                if old.met_at.is_some() && d.met_at != old.met_at {
                    prop_assert!(
                        allowed.iter().any(|(k, _)| k == kind),
                        "a met clock {} was un-met",
                        kind
                    );
                }
            }
        }
    }
    for (kind, d) in &after.deadlines {
        if !before.deadlines.contains_key(kind) {
            prop_assert!(
                allowed.contains(&(*kind, d.due)),
                "clock {} appeared from nowhere",
                kind
            );
        }
    }
    Ok(())
}

/// What holds of every case at any time.
fn check_case(case: &Case, events: &[Event]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        &Case::replay(events).unwrap(),
        case,
        "replay differs from the incremental fold"
    );
    prop_assert_eq!(case.event_count as usize, events.len());

    // one owner: the receiver, or whoever last accepted a transfer
    let expected = events
        .iter()
        .rev()
        .find_map(|e| match e.body {
            EventBody::TransferAccepted { to, .. } => Some(to),
            _ => None,
        })
        .unwrap_or(events[0].actor);
    prop_assert_eq!(case.owner, expected);
    prop_assert_eq!(case.first_receiver, events[0].actor);
    let owner = staff(case.owner);
    prop_assert!(owner.active, "inactive owner");
    prop_assert!(owner.role != Role::Admin, "admin owner");
    prop_assert!(
        case.intake.subject_staff != Some(case.owner),
        "the subject owns the case"
    );
    if let Some(t) = &case.pending_transfer {
        prop_assert!(t.to != case.owner);
    }

    prop_assert!(case.level <= 3);
    if case.is_closed() {
        prop_assert!(case.closed_at.is_some());
        prop_assert!(!case.is_paused());
        prop_assert!(case.pending_transfer.is_none());
        for d in case.deadlines.values().filter(|d| d.is_running()) {
            prop_assert!(AFTER_CLOSE.contains(&d.kind), "{} still running after close", d.kind);
        }
        prop_assert!(
            events
                .iter()
                .any(|e| matches!(e.body, EventBody::Closed { .. } | EventBody::Withdrawn { .. })),
            "closed without a closing event"
        );
    } else {
        prop_assert!(case.closed_at.is_none());
        prop_assert!(case.archived_at.is_none());
    }
    if case.flags.contains(&Flag::Dispute) {
        prop_assert_eq!(case.level, 3, "a dispute is handled at leadership level");
    }
    if case.intake.severity == Severity::Major {
        prop_assert!(case.level >= 2);
    }
    Ok(())
}

// ---------------------------------------------------------------- tests

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_command_sequences_keep_the_case_invariants(
        spec in intake(),
        steps in prop::collection::vec(step(), 1..40),
    ) {
        let mut seen = BTreeSet::new();
        run(&spec, &steps, &mut seen)?;
    }
}

/// The generator must reach the interesting parts of the lifecycle, or the
/// property above proves little.
#[test]
fn random_sequences_reach_every_part_of_the_lifecycle() {
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = (intake(), prop::collection::vec(step(), 1..40));
    let mut seen = BTreeSet::new();
    for _ in 0..256 {
        let (spec, steps) = strategy.new_tree(&mut runner).unwrap().current();
        run(&spec, &steps, &mut seen).unwrap();
    }
    for kind in [
        "received",
        "promised",
        "answered_on_spot",
        "referred",
        "assigned",
        "urged",
        "extended",
        "paused",
        "resumed",
        "replied",
        "reviewed",
        "feedback_given",
        "return_visited",
        "visit_failed",
        "escalated",
        "flagged",
        "transfer_requested",
        "transfer_accepted",
        "reopened",
        "closed",
        "withdrawn",
        "followed_up",
        "archived",
    ] {
        assert!(
            seen.contains(kind),
            "no random sequence produced '{kind}'; seen: {seen:?}"
        );
    }
}
