//! Random command sequences by random staff against one case, for the
//! property tests (`domain_props` in memory, `store_props` on a real desk):
//! the staff (ids as a desk gives them), operations that stand for commands
//! on the case as it is at the time, and random intakes.

use casedesk::domain::gate::needs_review;
use casedesk::domain::{
    Actor, AssignMode, Case, CategoryId, Channel, Command, Complainant, DeadlineKind, DeptId, FeedbackMethod, Flag,
    IntakeForm, Kind, Origin, Role, Satisfaction, Severity, StaffId, State, Time, Verdict, VisitMethod,
};
use chrono::Duration;
use proptest::prelude::*;

use super::at;

// ---------------------------------------------------------------- staff

// The ids are the ones a desk gives them when the administrator is made
// first and the others are added in this order (`store_props` runs the same
// sequences on a real desk).
pub const ADMIN: StaffId = StaffId(1);
pub const CLERK_A: StaffId = StaffId(2);
pub const CLERK_B: StaffId = StaffId(3);
pub const SUP: StaffId = StaffId(4);
pub const INACTIVE: StaffId = StaffId(5);
pub const SUBJECT: StaffId = StaffId(6);
pub const SUP2: StaffId = StaffId(7);
/// Every member of staff, in the order a desk gives them their ids.
pub const STAFF: [StaffId; 7] = [ADMIN, CLERK_A, CLERK_B, SUP, INACTIVE, SUBJECT, SUP2];

pub fn staff(id: StaffId) -> Actor {
    let (name, role, active) = match id.0 {
        1 => ("庚管理员", Role::Admin, true),
        2 => ("甲", Role::Clerk, true),
        3 => ("乙", Role::Clerk, true),
        4 => ("丙主管", Role::Supervisor, true),
        5 => ("丁(离职)", Role::Clerk, false),
        6 => ("戊护士", Role::Clerk, true),
        7 => ("己主管", Role::Supervisor, true),
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
pub enum Who {
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

pub fn who() -> impl Strategy<Value = Who> {
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
pub enum Op {
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

pub fn deadline_kind() -> impl Strategy<Value = DeadlineKind> {
    prop::sample::select(DeadlineKind::ALL.to_vec())
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Tick),
        12 => prop_oneof![4 => Just(Satisfaction::Satisfied), 1 => Just(Satisfaction::Basic), 2 => Just(Satisfaction::Unsatisfied)]
            .prop_map(|satisfaction| Op::Progress { satisfaction }),
        1 => (-2i64..200).prop_map(|hours| Op::Promise { hours }),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Op::Answer { blank }),
        1 => Just(Op::Refer),
        4 => (1i64..4, any::<bool>()).prop_map(|(dept, phone)| Op::Assign { dept, phone }),
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
pub fn advance() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => 0i64..240,
        2 => (1i64..4, 0i64..1440).prop_map(|(d, m)| d * 1440 + m),
    ]
}

#[derive(Clone, Debug)]
pub struct Step {
    pub op: Op,
    pub who: Who,
    pub advance: i64,
}

/// How many steps a random sequence has: enough for a caller nobody reaches
/// to be tried on three days and the case closed.
pub const STEPS: std::ops::Range<usize> = 1..60;

pub fn step() -> impl Strategy<Value = Step> {
    (op(), who(), advance()).prop_map(|(op, who, advance)| Step { op, who, advance })
}

pub fn text(blank: bool, s: &str) -> String {
    if blank { "  ".into() } else { s.into() }
}

/// The command an operation stands for on this case at this time (None: a tick).
pub fn command(op: &Op, case: &Case, now: Time) -> Option<Command> {
    Some(match op {
        Op::Tick => return None,
        Op::Progress { satisfaction } => match case.state {
            // Praise and inquiries are mostly answered on the spot, and then
            // close without a return visit.
            State::Received if matches!(case.intake.kind, Kind::Praise | Kind::Inquiry) => Command::Answer {
                text: "已当场答复".into(),
            },
            State::Answered if matches!(case.intake.kind, Kind::Praise | Kind::Inquiry) => Command::Close,
            State::Received | State::Reopened => Command::Assign {
                dept: DeptId(1),
                mode: AssignMode::Written,
            },
            State::Assigned => Command::Reply {
                verdict: Verdict::Justified,
                facts: "调查经过".into(),
                responsible: Some("当班人员".into()),
                measures: Some("加强培训".into()),
                dept: None,
                tier: None,
            },
            State::Replied if needs_review(case) && case.reviewed_by.is_none() => Command::Review { note: None },
            State::Replied => Command::Feedback {
                method: FeedbackMethod::Phone,
                text: "已告知结果".into(),
            },
            // A caller who never answers: failed attempts until there have been
            // three days of them, then the case closes (as unreachable).
            State::FeedbackGiven | State::Answered | State::Referred if never_answers(case) => {
                if attempt_days(case) >= 3 {
                    Command::Close
                } else {
                    Command::VisitFailed { note: None }
                }
            }
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
        // Every other one says why: a second promise without a reason is refused.
        Op::Promise { hours } => Command::Promise {
            at: now + Duration::hours(*hours),
            reason: (hours % 2 == 0).then(|| "家属要求改期".to_string()),
        },
        Op::Answer { blank } => Command::Answer {
            text: text(*blank, "已当场解释"),
        },
        Op::Refer => Command::Refer {
            dept: DeptId(4),
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
            dept: None,
        },
        Op::Extend { named, hours, blank } => {
            let base = named
                .and_then(|k| case.deadlines.get(&case.resolve_clock(k, None)))
                .map(|d| d.due)
                .or_else(|| case.next_due())
                .unwrap_or(now);
            Command::Extend {
                deadline: *named,
                to: base + Duration::hours(*hours),
                reason: text(*blank, "科室申请延期"),
                dept: None,
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
            dept: None,
            tier: None,
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

/// The phone of a caller who never answers a return visit.
pub const NEVER_ANSWERS: &str = "13900000000";

fn never_answers(case: &Case) -> bool {
    matches!(&case.intake.complainant, Complainant::Named { phone: Some(p), .. } if p == NEVER_ANSWERS)
}

/// Days (at the desk, +08:00) with a failed return-visit attempt.
fn attempt_days(case: &Case) -> usize {
    let days: std::collections::BTreeSet<_> = case
        .failed_attempts
        .iter()
        .map(|t| t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive())
        .collect();
    days.len()
}

/// Who acts. "The owner" accepting a transfer or signing off a second round
/// stands for the person who could: the offered clerk, a fresh supervisor.
pub fn actor_for(who: Who, command: &Command, case: &Case) -> Actor {
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
pub struct Intake {
    pub start: &'static str,
    pub kind: Kind,
    pub origin: Origin,
    pub severity: Severity,
    /// 0 anonymous, 1 a name only, 2 a phone too, 3 a phone nobody answers.
    pub contact: u8,
    pub dispute: bool,
    pub history: (u32, u32),
    pub promise_hours: Option<i64>,
}

pub fn intake() -> impl Strategy<Value = Intake> {
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
        prop_oneof![1 => Just(0u8), 1 => Just(1u8), 5 => Just(2u8), 2 => Just(3u8)],
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

pub fn form(spec: &Intake) -> IntakeForm {
    let start = at(spec.start);
    let complainant = match spec.contact {
        0 => Complainant::Anonymous,
        1 => Complainant::Named {
            name: "王芳".into(),
            phone: None,
            address: None,
            relation: None,
        },
        2 => Complainant::Named {
            name: "王芳".into(),
            phone: Some("13800138000".into()),
            address: None,
            relation: Some("家属".into()),
        },
        _ => Complainant::Named {
            name: "赵六".into(),
            phone: Some(NEVER_ANSWERS.into()),
            address: None,
            relation: None,
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
        dept: Some(DeptId(1)),
        subject_staff: Some(SUBJECT),
        subject_person: None,
        category: Some(CategoryId(1)),
        severity: spec.severity,
        summary: "投诉".into(),
        details: String::new(),
        promised_reply_at: spec.promise_hours.map(|h| start + Duration::hours(h)),
        flags: if spec.dispute { vec![Flag::Dispute] } else { vec![] },
    }
}
