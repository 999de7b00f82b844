//! The case engine in memory, for the `domain_*` rule tests: the staff, a
//! standard intake form, a case under test (`Desk`: its events, the case they
//! fold to, the policy and calendar) and the commands the rules are tried with.

use casedesk::domain::error::Missing;
use casedesk::domain::escalation::overdue_escalations;
use casedesk::domain::event::Cause;
use casedesk::domain::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Command, Complainant, Context, DeadlineKind, DeptId, Event,
    EventBody, FeedbackMethod, History, IntakeForm, Kind, Origin, Policy, Role, RuleError, Satisfaction, Severity,
    StaffId, Time, Verdict, VisitMethod, decide,
};

pub use super::at;

/// The end of a local day (`YYYY-MM-DD`) at the desk: 23:59:59 +08:00.
pub fn eod(date: &str) -> Time {
    at(&format!("{date}T23:59:59+08:00"))
}

pub const OWNER: StaffId = StaffId(1);
pub const OTHER: StaffId = StaffId(2);
pub const SUP: StaffId = StaffId(3);
pub const GONE: StaffId = StaffId(4);
pub const SUBJECT: StaffId = StaffId(5);
pub const SUP2: StaffId = StaffId(6);
pub const ADMIN: StaffId = StaffId(7);

pub fn actor(id: StaffId, name: &str, role: Role, active: bool) -> Actor {
    Actor {
        id,
        name: name.into(),
        role,
        active,
    }
}

/// The clerk who receives the case (first receiver, owner).
pub fn owner() -> Actor {
    actor(OWNER, "张三", Role::Clerk, true)
}
/// Another clerk on duty.
pub fn other() -> Actor {
    actor(OTHER, "李四", Role::Clerk, true)
}
pub fn sup() -> Actor {
    actor(SUP, "王主管", Role::Supervisor, true)
}
pub fn sup2() -> Actor {
    actor(SUP2, "赵主任", Role::Supervisor, true)
}
/// A clerk whose account was deactivated.
pub fn gone() -> Actor {
    actor(GONE, "钱五", Role::Clerk, false)
}
/// The nurse the complaint is about (also a desk account).
pub fn subject() -> Actor {
    actor(SUBJECT, "孙护士", Role::Clerk, true)
}
pub fn admin() -> Actor {
    actor(ADMIN, "管理员", Role::Admin, true)
}

/// A minor external complaint by phone about a nurse, with a phone number.
pub fn form() -> IntakeForm {
    IntakeForm {
        number: "2026-000123".into(),
        received_at: None,
        channel: Channel::Phone,
        kind: Kind::Complaint,
        origin: Origin::External,
        complainant: Complainant::Named {
            name: "王芳".into(),
            phone: Some("138-0013 8000".into()),
            address: None,
            relation: Some("家属".into()),
        },
        confidential: false,
        dept: Some(DeptId(10)),
        subject_staff: Some(SUBJECT),
        subject_person: None,
        category: Some(CategoryId(1)),
        severity: Severity::Minor,
        summary: "护士态度生硬".into(),
        details: "夜间呼叫护士无人应答，来了之后态度生硬。".into(),
        promised_reply_at: None,
        flags: vec![],
    }
}

pub fn hospital() -> Policy {
    Policy::with_override(Some("preset = \"hospital\"")).unwrap()
}

/// A case under test: its events, the case they fold to, and the rules' inputs.
pub struct Desk {
    pub policy: Policy,
    pub calendar: Calendar,
    pub events: Vec<Event>,
    pub case: Case,
}

impl Desk {
    pub fn open(form: IntakeForm, now: &str) -> Desk {
        Desk::open_with(Policy::builtin().unwrap(), form, History::default(), now)
    }

    pub fn open_with(policy: Policy, form: IntakeForm, history: History, now: &str) -> Desk {
        let calendar = Calendar::builtin();
        let events = intake(&policy, &calendar, form, history, &owner(), now).unwrap();
        let case = Case::replay(&events).unwrap();
        Desk {
            policy,
            calendar,
            events,
            case,
        }
    }

    pub fn decide(&self, who: &Actor, now: &str, command: &Command) -> Result<Vec<Event>, RuleError> {
        let ctx = Context {
            now: at(now),
            actor: who,
            policy: &self.policy,
            calendar: &self.calendar,
        };
        decide(Some(&self.case), command, &ctx)
    }

    /// Runs a command that must be accepted; applies and returns its events.
    pub fn run(&mut self, who: &Actor, now: &str, command: Command) -> Vec<Event> {
        let events = self
            .decide(who, now, &command)
            .unwrap_or_else(|e| panic!("{} by {} refused: {e}", command.code(), who.name));
        for e in &events {
            assert_eq!(e.at, at(now), "events carry the time of the command");
            self.case.apply(e);
        }
        self.events.extend(events.iter().cloned());
        assert_eq!(Case::replay(&self.events).unwrap(), self.case);
        events
    }

    /// Runs a command that must be refused. (`decide` only reads the case, so
    /// a refusal cannot change it here; that a refusal writes nothing to a
    /// desk is `store_props.rs`'s.)
    pub fn refuse(&self, who: &Actor, now: &str, command: Command) -> RuleError {
        match self.decide(who, now, &command) {
            Err(e) => e,
            Ok(events) => panic!("{} by {} was accepted: {events:?}", command.code(), who.name),
        }
    }

    /// Applies events made elsewhere (automatic rules).
    pub fn apply(&mut self, events: &[Event]) {
        for e in events {
            self.case.apply(e);
        }
        self.events.extend(events.iter().cloned());
    }

    pub fn due(&self, kind: DeadlineKind) -> Time {
        self.case
            .deadlines
            .get(&self.case.resolve_clock(kind, None))
            .unwrap_or_else(|| panic!("no {kind} clock"))
            .due
    }

    /// The clock of `kind`: the case's own, else the latest department's.
    pub fn clock(&self, kind: DeadlineKind) -> &casedesk::domain::Deadline {
        &self.case.deadlines[&self.case.resolve_clock(kind, None)]
    }

    pub fn has_clock(&self, kind: DeadlineKind) -> bool {
        self.case.deadlines.contains_key(&self.case.resolve_clock(kind, None))
    }

    pub fn is_running(&self, kind: DeadlineKind) -> bool {
        self.case
            .deadlines
            .get(&self.case.resolve_clock(kind, None))
            .is_some_and(casedesk::domain::Deadline::is_running)
    }

    pub fn overdue(&self, now: &str) -> Vec<Event> {
        overdue_escalations(&self.case, at(now), &self.policy, &self.calendar)
    }

    /// Assign in writing, reply (unjustified) and give feedback.
    pub fn handle_to_feedback(&mut self) {
        self.run(&owner(), "2026-03-02T11:00:00+08:00", assign(10, AssignMode::Written));
        self.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Unjustified));
        self.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    }

    /// The whole loop: handled, visited (satisfied) and closed on Tue 2026-03-10.
    pub fn handle_to_close(&mut self) {
        self.handle_to_feedback();
        self.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Satisfied));
        self.run(&owner(), "2026-03-10T14:00:00+08:00", Command::Close);
    }
}

pub fn intake(
    policy: &Policy,
    calendar: &Calendar,
    form: IntakeForm,
    history: History,
    who: &Actor,
    now: &str,
) -> Result<Vec<Event>, RuleError> {
    let ctx = Context {
        now: at(now),
        actor: who,
        policy,
        calendar,
    };
    decide(
        None,
        &Command::Intake {
            form: Box::new(form),
            history,
        },
        &ctx,
    )
}

pub fn assign(dept: i64, mode: AssignMode) -> Command {
    Command::Assign {
        dept: DeptId(dept),
        mode,
    }
}

/// A reply with the responsible party and measures filled in.
pub fn reply(verdict: Verdict) -> Command {
    Command::Reply {
        verdict,
        facts: "夜班护士同时处理两名危重病人，未及时应答。".into(),
        responsible: Some("夜班护士".into()),
        measures: Some("增加夜班人手，加强服务礼仪培训".into()),
        dept: None,
        tier: None,
    }
}

/// A reply with neither responsible party nor measures.
pub fn bare_reply(verdict: Verdict) -> Command {
    Command::Reply {
        verdict,
        facts: "经调查，护士按规程处理。".into(),
        responsible: None,
        measures: Some("  ".into()),
        dept: None,
        tier: None,
    }
}

pub fn feedback() -> Command {
    Command::Feedback {
        method: FeedbackMethod::Phone,
        text: "已电话告知调查结果".into(),
    }
}

pub fn visit(satisfaction: Satisfaction) -> Command {
    Command::Visit {
        method: VisitMethod::Phone,
        satisfaction,
        attitude: Some(4),
        speed: Some(5),
        result: Some(3),
        comment: Some("还行".into()),
    }
}

pub fn visit_failed() -> Command {
    Command::VisitFailed {
        note: Some("无人接听".into()),
    }
}

pub fn urge(note: &str) -> Command {
    Command::Urge {
        deadline: None,
        whom: Some("护理部刘护士长".into()),
        method: Some("电话".into()),
        note: note.into(),
        answer: Some("明天答复".into()),
        promised_at: Some(at("2026-03-09T17:00:00+08:00")),
        dept: None,
    }
}

pub fn extend(deadline: Option<DeadlineKind>, to: &str, reason: &str) -> Command {
    Command::Extend {
        deadline,
        to: at(to),
        reason: reason.into(),
        dept: None,
    }
}

pub fn pause(reason: &str) -> Command {
    Command::Pause { reason: reason.into() }
}

pub fn resume() -> Command {
    Command::Resume {
        reason: Some("材料已收到".into()),
    }
}

pub fn transfer(to: Actor) -> Command {
    Command::Transfer {
        to,
        reason: "交接班".into(),
    }
}

pub fn follow_up() -> Command {
    Command::FollowUp {
        method: VisitMethod::Phone,
        satisfaction: Some(Satisfaction::Satisfied),
        comment: None,
    }
}

pub fn escalated(events: &[Event]) -> Vec<(u8, u8, Cause)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Escalated { from, to, cause } => Some((*from, *to, cause.clone())),
            _ => None,
        })
        .collect()
}

pub fn close_gate(err: &RuleError) -> (Vec<Missing>, u32, u32) {
    match err {
        RuleError::CloseGate {
            missing,
            attempts,
            limit,
        } => (missing.clone(), *attempts, *limit),
        other => panic!("expected the closing gate, got {other:?}"),
    }
}
