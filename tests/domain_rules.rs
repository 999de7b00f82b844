//! The rules of domain.md, one test per rule, through the public API of the
//! case engine, on fixed dates in the desk's time zone (+08:00).

#![allow(clippy::unwrap_used)]

use casedesk::domain::case::Outcome;
use casedesk::domain::error::Missing;
use casedesk::domain::escalation::{must_urge, overdue_escalations};
use casedesk::domain::event::{Cause, Exemption, Shift};
use casedesk::domain::gate::check_close;
use casedesk::domain::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Command, Complainant, Context, DeadlineKind, DeptId, Event,
    EventBody, FeedbackMethod, Flag, History, IntakeForm, Kind, Origin, Policy, Role, RuleError, Satisfaction,
    Severity, StaffId, State, Time, Verdict, VisitMethod, decide,
};
use chrono::{DateTime, Utc};

// ---------------------------------------------------------------- helpers

/// An instant given in RFC 3339, e.g. `2026-03-02T09:00:00+08:00`.
fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The end of a local day (`YYYY-MM-DD`) at the desk: 23:59:59 +08:00.
fn eod(date: &str) -> Time {
    at(&format!("{date}T23:59:59+08:00"))
}

const OWNER: StaffId = StaffId(1);
const OTHER: StaffId = StaffId(2);
const SUP: StaffId = StaffId(3);
const GONE: StaffId = StaffId(4);
const SUBJECT: StaffId = StaffId(5);
const SUP2: StaffId = StaffId(6);
const ADMIN: StaffId = StaffId(7);

fn actor(id: StaffId, name: &str, role: Role, active: bool) -> Actor {
    Actor {
        id,
        name: name.into(),
        role,
        active,
    }
}

/// The clerk who receives the case (first receiver, owner).
fn owner() -> Actor {
    actor(OWNER, "张三", Role::Clerk, true)
}
/// Another clerk on duty.
fn other() -> Actor {
    actor(OTHER, "李四", Role::Clerk, true)
}
fn sup() -> Actor {
    actor(SUP, "王主管", Role::Supervisor, true)
}
fn sup2() -> Actor {
    actor(SUP2, "赵主任", Role::Supervisor, true)
}
/// A clerk whose account was deactivated.
fn gone() -> Actor {
    actor(GONE, "钱五", Role::Clerk, false)
}
/// The nurse the complaint is about (also a desk account).
fn subject() -> Actor {
    actor(SUBJECT, "孙护士", Role::Clerk, true)
}
fn admin() -> Actor {
    actor(ADMIN, "管理员", Role::Admin, true)
}

/// A minor external complaint by phone about a nurse, with a phone number.
fn form() -> IntakeForm {
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
        category: Some(CategoryId(1)),
        severity: Severity::Minor,
        summary: "护士态度生硬".into(),
        details: "夜间呼叫护士无人应答，来了之后态度生硬。".into(),
        promised_reply_at: None,
        flags: vec![],
    }
}

fn hospital() -> Policy {
    Policy::with_override(Some("preset = \"hospital\"")).unwrap()
}

/// A case under test: its events, the case they fold to, and the rules' inputs.
struct Desk {
    policy: Policy,
    calendar: Calendar,
    events: Vec<Event>,
    case: Case,
}

impl Desk {
    fn open(form: IntakeForm, now: &str) -> Desk {
        Desk::open_with(Policy::builtin().unwrap(), form, History::default(), now)
    }

    fn open_with(policy: Policy, form: IntakeForm, history: History, now: &str) -> Desk {
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

    fn decide(&self, who: &Actor, now: &str, command: &Command) -> Result<Vec<Event>, RuleError> {
        let ctx = Context {
            now: at(now),
            actor: who,
            policy: &self.policy,
            calendar: &self.calendar,
        };
        decide(Some(&self.case), command, &ctx)
    }

    /// Runs a command that must be accepted; applies and returns its events.
    fn run(&mut self, who: &Actor, now: &str, command: Command) -> Vec<Event> {
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

    /// Runs a command that must be refused; the case must stay as it was.
    fn refuse(&self, who: &Actor, now: &str, command: Command) -> RuleError {
        let before = self.case.clone();
        let result = self.decide(who, now, &command);
        assert_eq!(before, self.case);
        match result {
            Err(e) => e,
            Ok(events) => panic!("{} by {} was accepted: {events:?}", command.code(), who.name),
        }
    }

    /// Applies events made elsewhere (automatic rules).
    fn apply(&mut self, events: &[Event]) {
        for e in events {
            self.case.apply(e);
        }
        self.events.extend(events.iter().cloned());
    }

    fn due(&self, kind: DeadlineKind) -> Time {
        self.case
            .deadlines
            .get(&kind)
            .unwrap_or_else(|| panic!("no {kind} clock"))
            .due
    }

    fn has_clock(&self, kind: DeadlineKind) -> bool {
        self.case.deadlines.contains_key(&kind)
    }

    fn is_running(&self, kind: DeadlineKind) -> bool {
        self.case.deadlines.get(&kind).is_some_and(|d| d.is_running())
    }

    fn overdue(&self, now: &str) -> Vec<Event> {
        overdue_escalations(&self.case, at(now), &self.policy, &self.calendar)
    }

    /// Assign in writing, reply (unjustified) and give feedback.
    fn handle_to_feedback(&mut self) {
        self.run(&owner(), "2026-03-02T11:00:00+08:00", assign(10, AssignMode::Written));
        self.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Unjustified));
        self.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    }

    /// The whole loop: handled, visited (satisfied) and closed on Tue 2026-03-10.
    fn handle_to_close(&mut self) {
        self.handle_to_feedback();
        self.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Satisfied));
        self.run(&owner(), "2026-03-10T14:00:00+08:00", Command::Close);
    }
}

fn intake(
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

fn assign(dept: i64, mode: AssignMode) -> Command {
    Command::Assign {
        dept: DeptId(dept),
        mode,
    }
}

/// A reply with the responsible party and measures filled in.
fn reply(verdict: Verdict) -> Command {
    Command::Reply {
        verdict,
        facts: "夜班护士同时处理两名危重病人，未及时应答。".into(),
        responsible: Some("夜班护士".into()),
        measures: Some("增加夜班人手，加强服务礼仪培训".into()),
    }
}

/// A reply with neither responsible party nor measures.
fn bare_reply(verdict: Verdict) -> Command {
    Command::Reply {
        verdict,
        facts: "经调查，护士按规程处理。".into(),
        responsible: None,
        measures: Some("  ".into()),
    }
}

fn feedback() -> Command {
    Command::Feedback {
        method: FeedbackMethod::Phone,
        text: "已电话告知调查结果".into(),
    }
}

fn visit(satisfaction: Satisfaction) -> Command {
    Command::Visit {
        method: VisitMethod::Phone,
        satisfaction,
        attitude: Some(4),
        speed: Some(5),
        result: Some(3),
        comment: Some("还行".into()),
    }
}

fn visit_failed() -> Command {
    Command::VisitFailed {
        note: Some("无人接听".into()),
    }
}

fn urge(note: &str) -> Command {
    Command::Urge {
        deadline: None,
        whom: Some("护理部刘护士长".into()),
        method: Some("电话".into()),
        note: note.into(),
        answer: Some("明天答复".into()),
        promised_at: Some(at("2026-03-09T17:00:00+08:00")),
    }
}

fn extend(deadline: Option<DeadlineKind>, to: &str, reason: &str) -> Command {
    Command::Extend {
        deadline,
        to: at(to),
        reason: reason.into(),
    }
}

fn pause(reason: &str) -> Command {
    Command::Pause { reason: reason.into() }
}

fn resume() -> Command {
    Command::Resume {
        reason: Some("材料已收到".into()),
    }
}

fn transfer(to: Actor) -> Command {
    Command::Transfer {
        to,
        reason: "交接班".into(),
    }
}

fn follow_up() -> Command {
    Command::FollowUp {
        method: VisitMethod::Phone,
        satisfaction: Some(Satisfaction::Satisfied),
        comment: None,
    }
}

fn escalated(events: &[Event]) -> Vec<(u8, u8, Cause)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Escalated { from, to, cause } => Some((*from, *to, cause.clone())),
            _ => None,
        })
        .collect()
}

fn close_gate(err: &RuleError) -> (Vec<Missing>, u32, u32) {
    match err {
        RuleError::CloseGate {
            missing,
            attempts,
            limit,
        } => (missing.clone(), *attempts, *limit),
        other => panic!("expected the closing gate, got {other:?}"),
    }
}

// ---------------------------------------------------------------- intake

#[test]
fn intake_records_the_case_with_the_receiver_as_owner_and_same_day_acknowledgement() {
    let desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let case = &desk.case;
    assert_eq!(case.number(), "2026-000123");
    assert_eq!(case.state, State::Received);
    assert_eq!(case.owner, OWNER);
    assert_eq!(case.first_receiver, OWNER);
    assert_eq!(case.level, 0);
    assert_eq!(case.round, 1);
    assert!(case.flags.is_empty());
    assert_eq!(case.intake.received_at, at("2026-03-02T09:00:00+08:00"));
    // acknowledge / promise a reply time: same day
    assert_eq!(desk.due(DeadlineKind::Acknowledge), eod("2026-03-02"));
    // complaint resolved overall: 15 working days (Mar 3–6, 9–13, 16–20, 23)
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-23"));
    // a minor complaint has no urgent clock, no report, and the default policy no answer limit
    for kind in [
        DeadlineKind::UrgentAnswer,
        DeadlineKind::ReportToLeadership,
        DeadlineKind::Answer,
        DeadlineKind::PromisedReply,
    ] {
        assert!(!desk.has_clock(kind), "{kind} should not run");
    }
    assert_eq!(desk.events.len(), 1, "a minor case escalates nothing");
}

#[test]
fn intake_with_a_promise_tracks_the_promised_reply_instead_of_the_acknowledgement() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-04T17:00:00+08:00"));
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert_eq!(desk.case.promised_reply_at, Some(at("2026-03-04T17:00:00+08:00")));
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-04T17:00:00+08:00"));
    assert!(
        !desk.is_running(DeadlineKind::Acknowledge),
        "acknowledged with the promise"
    );

    // a promise must lie after the time the case came in
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-02T08:00:00+08:00"));
    let policy = Policy::builtin().unwrap();
    let err = intake(
        &policy,
        &Calendar::builtin(),
        f,
        History::default(),
        &owner(),
        "2026-03-02T09:00:00+08:00",
    )
    .unwrap_err();
    assert!(matches!(err, RuleError::TimeOrder { field: "promise", .. }), "{err:?}");
}

#[test]
fn promising_later_meets_the_acknowledgement_and_starts_the_promised_clock() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let err = desk.refuse(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        Command::Promise {
            at: at("2026-03-02T09:30:00+08:00"),
        },
    );
    assert!(matches!(err, RuleError::TimeOrder { field: "promise", .. }), "{err:?}");
    desk.run(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        Command::Promise {
            at: at("2026-03-05T12:00:00+08:00"),
        },
    );
    let ack = &desk.case.deadlines[&DeadlineKind::Acknowledge];
    assert_eq!(ack.met_at, Some(at("2026-03-02T10:00:00+08:00")));
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-05T12:00:00+08:00"));
    assert_eq!(desk.case.promised_reply_at, Some(at("2026-03-05T12:00:00+08:00")));
}

#[test]
fn back_dated_letter_counts_its_clocks_from_the_day_it_came_in() {
    let mut f = form();
    f.channel = Channel::Letter;
    f.received_at = Some(at("2026-02-27T10:00:00+08:00"));
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert_eq!(desk.case.intake.received_at, at("2026-02-27T10:00:00+08:00"));
    assert_eq!(desk.events[0].at, at("2026-03-02T09:00:00+08:00"));
    // Feb 28 (make-up Sat), Mar 2–6, 9–13, 16–19 = 15 working days
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-19"));

    // but not from the future
    let mut f = form();
    f.received_at = Some(at("2026-03-02T12:00:00+08:00"));
    let err = intake(
        &Policy::builtin().unwrap(),
        &Calendar::builtin(),
        f,
        History::default(),
        &owner(),
        "2026-03-02T09:00:00+08:00",
    )
    .unwrap_err();
    assert!(matches!(err, RuleError::TimeOrder { field: "now", .. }), "{err:?}");
}

#[test]
fn important_complaint_gets_the_urgent_answer_clock_and_notifies_the_supervisor() {
    let mut f = form();
    f.severity = Severity::Important;
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    // urgent complaint answer: 3 working days
    assert_eq!(desk.due(DeadlineKind::UrgentAnswer), eod("2026-03-05"));
    assert!(desk.case.flags.contains(&Flag::SupervisorNotified));
    assert!(!desk.case.flags.contains(&Flag::ReportNow));
    assert_eq!(desk.case.level, 0, "important is tracked, not escalated");
    assert!(!desk.has_clock(DeadlineKind::ReportToLeadership));
}

#[test]
fn major_complaint_goes_to_level_2_at_once_with_report_now_and_a_12_hour_clock() {
    let mut f = form();
    f.severity = Severity::Major;
    let desk = Desk::open(f, "2026-03-02T21:30:00+08:00");
    assert_eq!(desk.case.level, 2);
    assert!(desk.case.flags.contains(&Flag::ReportNow));
    // plain hours: 12 hours later, past midnight
    assert_eq!(
        desk.due(DeadlineKind::ReportToLeadership),
        at("2026-03-03T09:30:00+08:00")
    );
    assert_eq!(desk.due(DeadlineKind::UrgentAnswer), eod("2026-03-05"));
    assert_eq!(escalated(&desk.events), vec![(0, 2, Cause::Major)]);
    assert_eq!(desk.events[1].actor, StaffId::SYSTEM);
    assert_eq!(desk.case.owner, OWNER, "escalation never removes the owner");
}

#[test]
fn only_complaints_get_urgent_clocks_and_praise_has_no_resolution_clock() {
    // Engine choice: the urgent answer limit is for complaints (紧急投诉) only.
    let mut f = form();
    f.kind = Kind::Suggestion;
    f.severity = Severity::Important;
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert!(!desk.has_clock(DeadlineKind::UrgentAnswer));
    assert!(desk.case.flags.contains(&Flag::SupervisorNotified));
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-23"));

    let mut f = form();
    f.kind = Kind::Praise;
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert!(!desk.has_clock(DeadlineKind::Resolution));
    assert_eq!(desk.due(DeadlineKind::Acknowledge), eod("2026-03-02"));
}

#[test]
fn hospital_preset_answers_in_5_working_days_and_10_once_a_second_department_is_involved() {
    let mut desk = Desk::open_with(hospital(), form(), History::default(), "2026-03-02T09:00:00+08:00");
    assert_eq!(desk.due(DeadlineKind::Answer), eod("2026-03-09"));
    // the same department again changes nothing
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(desk.due(DeadlineKind::Answer), eod("2026-03-09"));
    assert!(!desk.case.flags.contains(&Flag::MultiDept));
    // a second department: 10 working days from the day it came in
    let events = desk.run(&owner(), "2026-03-04T10:00:00+08:00", assign(11, AssignMode::Written));
    let EventBody::Assigned { dues, .. } = &events[0].body else {
        panic!("{events:?}")
    };
    assert!(
        dues.iter().any(|d| d.deadline == DeadlineKind::Answer),
        "the new limit is on the timeline"
    );
    assert_eq!(desk.due(DeadlineKind::Answer), eod("2026-03-16"));
    assert!(desk.case.flags.contains(&Flag::MultiDept));
    assert_eq!(desk.case.assigned_depts, vec![DeptId(10), DeptId(11)]);
    // the default policy has no answer limit at all
    let plain = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert!(!plain.has_clock(DeadlineKind::Answer));
}

// ---------------------------------------------------------------- answer, refer, assign

#[test]
fn complaint_answered_on_the_spot_still_needs_a_return_visit() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let err = desk.refuse(
        &owner(),
        "2026-03-02T09:05:00+08:00",
        Command::Answer { text: " ".into() },
    );
    assert_eq!(err, RuleError::Required { field: "text" });
    desk.run(
        &owner(),
        "2026-03-02T09:05:00+08:00",
        Command::Answer {
            text: "按医保规定解释了收费项目".into(),
        },
    );
    assert_eq!(desk.case.state, State::Answered);
    assert_eq!(desk.case.outcome, Some(Outcome::OnSpot));
    assert!(desk.case.has_result() && desk.case.has_feedback());
    assert!(!desk.is_running(DeadlineKind::Acknowledge));
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-03-05"));
    let err = desk.refuse(&owner(), "2026-03-02T09:06:00+08:00", Command::Close);
    assert_eq!(close_gate(&err), (vec![Missing::ReturnVisit], 0, 3));
    desk.run(&owner(), "2026-03-03T09:00:00+08:00", visit(Satisfaction::Basic));
    let events = desk.run(&owner(), "2026-03-03T09:05:00+08:00", Command::Close);
    assert!(matches!(events[0].body, EventBody::Closed { exemption: None, .. }));
    assert_eq!(desk.case.state, State::Closed);
}

#[test]
fn praise_and_inquiries_answered_on_the_spot_close_without_a_return_visit() {
    for kind in [Kind::Praise, Kind::Inquiry] {
        let mut f = form();
        f.kind = kind;
        let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
        desk.run(
            &owner(),
            "2026-03-02T09:05:00+08:00",
            Command::Answer {
                text: "已转达表扬/已解答".into(),
            },
        );
        assert!(!desk.has_clock(DeadlineKind::ReturnVisit), "{kind}");
        let events = desk.run(&owner(), "2026-03-02T09:06:00+08:00", Command::Close);
        assert!(
            matches!(
                events[0].body,
                EventBody::Closed {
                    exemption: Some(Exemption::AnsweredPraiseOrInquiry),
                    ..
                }
            ),
            "{kind}: {events:?}"
        );
    }
    // the policy switch turns the exemption off
    let policy = Policy::with_override(Some("[return_visit]\nclose_praise_inquiry_without_visit = false\n")).unwrap();
    let mut f = form();
    f.kind = Kind::Inquiry;
    let mut desk = Desk::open_with(policy, f, History::default(), "2026-03-02T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-03-02T09:05:00+08:00",
        Command::Answer {
            text: "已解答".into()
        },
    );
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-03-05"));
    let err = desk.refuse(&owner(), "2026-03-02T09:06:00+08:00", Command::Close);
    assert_eq!(close_gate(&err).0, vec![Missing::ReturnVisit]);
    // and a complaint is never exempt
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-03-02T09:05:00+08:00",
        Command::Answer {
            text: "已解释".into()
        },
    );
    assert!(
        desk.decide(&owner(), "2026-03-02T09:06:00+08:00", &Command::Close)
            .is_err()
    );
}

#[test]
fn referral_is_a_result_and_a_return_visit_checks_the_caller_got_help() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-03-02T09:10:00+08:00",
        Command::Refer {
            dept: DeptId(20),
            text: "请直接联系医保办 0755-8888 1234".into(),
        },
    );
    assert_eq!(desk.case.state, State::Referred);
    assert_eq!(desk.case.outcome, Some(Outcome::Referral { dept: DeptId(20) }));
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-03-05"));
    let err = desk.refuse(&owner(), "2026-03-02T09:11:00+08:00", Command::Close);
    assert_eq!(close_gate(&err).0, vec![Missing::ReturnVisit]);
    // a referred case is not assigned again by answering
    let err = desk.refuse(
        &owner(),
        "2026-03-02T09:12:00+08:00",
        Command::Answer { text: "x".into() },
    );
    assert!(matches!(err, RuleError::WrongState { action: "answer", .. }), "{err:?}");
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Satisfied));
    assert_eq!(desk.case.state, State::Visited);
    desk.run(&owner(), "2026-03-04T10:05:00+08:00", Command::Close);
    assert_eq!(desk.case.state, State::Closed);
}

#[test]
fn assignment_by_phone_is_due_the_next_working_day() {
    let mut desk = Desk::open(form(), "2026-03-06T09:00:00+08:00");
    // Friday → Monday
    desk.run(&owner(), "2026-03-06T16:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(desk.case.state, State::Assigned);
    assert_eq!(desk.case.assignment, Some((DeptId(10), AssignMode::Phone)));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-09"));
}

#[test]
fn assignment_in_writing_is_due_in_3_working_days() {
    let mut desk = Desk::open(form(), "2026-03-04T09:00:00+08:00");
    // Wednesday → Thu, Fri, Mon
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-09"));
    assert!(!desk.has_clock(DeadlineKind::InternalProcess));
}

#[test]
fn internal_complaint_is_investigated_in_1_and_completed_in_2_working_days() {
    let mut f = form();
    f.origin = Origin::Internal;
    f.channel = Channel::Internal;
    let mut desk = Desk::open(f, "2026-03-05T09:00:00+08:00");
    // Thursday: first investigation Friday, whole process Monday, whatever the mode
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::InternalFirstInvestigation), eod("2026-03-06"));
    assert_eq!(desk.due(DeadlineKind::InternalProcess), eod("2026-03-09"));
    assert!(!desk.has_clock(DeadlineKind::DepartmentReply));
    desk.run(&owner(), "2026-03-06T10:00:00+08:00", reply(Verdict::Justified));
    assert!(!desk.is_running(DeadlineKind::InternalFirstInvestigation));
    assert!(!desk.is_running(DeadlineKind::InternalProcess));
}

// ---------------------------------------------------------------- calendar

#[test]
fn spec_example_assigned_wednesday_30_september_2026_in_writing_is_due_saturday_10_october() {
    let mut desk = Desk::open(form(), "2026-09-30T09:00:00+08:00");
    desk.run(&owner(), "2026-09-30T15:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), at("2026-10-10T23:59:59+08:00"));
    assert!(!desk.case.deadlines[&DeadlineKind::DepartmentReply].beyond_calendar);
    // by phone: the first working day after the holiday
    desk.run(&owner(), "2026-09-30T16:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-10-08"));
    // assigned during the holiday: Oct 8, 9 and the make-up Saturday
    let mut desk = Desk::open(form(), "2026-10-03T09:00:00+08:00");
    assert_eq!(
        desk.due(DeadlineKind::Acknowledge),
        eod("2026-10-03"),
        "same day, even a holiday"
    );
    desk.run(&owner(), "2026-10-03T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-10-10"));
    // Mid-Autumn (Sep 25–27) just before
    let mut desk = Desk::open(form(), "2026-09-24T09:00:00+08:00");
    desk.run(&owner(), "2026-09-24T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-09-30"));
}

#[test]
fn deadlines_cross_the_2026_spring_festival_with_its_make_up_saturdays() {
    // Fri Feb 13: Sat Feb 14 works, Feb 15–23 off, then Tue 24 and Wed 25.
    let mut desk = Desk::open(form(), "2026-02-13T09:00:00+08:00");
    desk.run(&owner(), "2026-02-13T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-02-25"));
    desk.run(&owner(), "2026-02-13T11:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-02-14"));
    // Thu Feb 26: Fri 27, the make-up Sat 28, Mon Mar 2
    let mut desk = Desk::open(form(), "2026-02-26T09:00:00+08:00");
    desk.run(&owner(), "2026-02-26T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-02"));
    // 15 working days from Mon Feb 9: Feb 10–13, 14, 24–27, 28, Mar 2–6
    let desk = Desk::open(form(), "2026-02-09T09:00:00+08:00");
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-06"));
    // return visit after feedback on the eve of the holiday: 3 wd = Sat 14, Tue 24, Wed 25
    let mut desk = Desk::open(form(), "2026-02-11T09:00:00+08:00");
    desk.run(&owner(), "2026-02-11T10:00:00+08:00", assign(10, AssignMode::Phone));
    desk.run(&owner(), "2026-02-12T10:00:00+08:00", reply(Verdict::NotOurs));
    desk.run(&owner(), "2026-02-13T10:00:00+08:00", feedback());
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-02-25"));
}

#[test]
fn a_due_date_beyond_the_known_calendar_is_marked() {
    let mut desk = Desk::open(form(), "2026-12-28T09:00:00+08:00");
    desk.run(&owner(), "2026-12-28T10:00:00+08:00", assign(10, AssignMode::Phone));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-12-29"));
    assert!(!desk.case.deadlines[&DeadlineKind::DepartmentReply].beyond_calendar);
    // Wed Dec 30: Thu 31, then 2027 (unknown: plain weekdays) Fri Jan 1, Mon Jan 4
    desk.run(&owner(), "2026-12-30T10:00:00+08:00", assign(10, AssignMode::Written));
    let reply = &desk.case.deadlines[&DeadlineKind::DepartmentReply];
    assert_eq!(reply.due, eod("2027-01-04"));
    assert!(reply.beyond_calendar);
    let resolution = &desk.case.deadlines[&DeadlineKind::Resolution];
    assert!(resolution.beyond_calendar, "15 wd from Dec 28 end in 2027");
    let EventBody::Received(received) = &desk.events[0].body else {
        panic!()
    };
    let due = received
        .dues
        .iter()
        .find(|d| d.deadline == DeadlineKind::Resolution)
        .unwrap();
    assert!(due.beyond_calendar, "the warning is stored in the event");
}

// ---------------------------------------------------------------- urge, extend, pause

#[test]
fn an_overdue_step_must_be_urged_and_the_urge_is_recorded() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-20T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-05"));
    assert!(must_urge(&desk.case, eod("2026-03-05")).is_empty(), "not overdue yet");
    assert_eq!(
        must_urge(&desk.case, at("2026-03-06T00:00:00+08:00")),
        vec![DeadlineKind::DepartmentReply]
    );
    let err = desk.refuse(&owner(), "2026-03-06T09:00:00+08:00", urge(""));
    assert_eq!(err, RuleError::Required { field: "note" });
    let events = desk.run(&owner(), "2026-03-06T09:00:00+08:00", urge("请尽快答复"));
    let EventBody::Urged {
        deadline,
        whom,
        method,
        answer,
        promised_at,
        ..
    } = &events[0].body
    else {
        panic!("{events:?}")
    };
    assert_eq!(*deadline, Some(DeadlineKind::DepartmentReply));
    assert_eq!(whom.as_deref(), Some("护理部刘护士长"));
    assert_eq!(method.as_deref(), Some("电话"));
    assert_eq!(answer.as_deref(), Some("明天答复"));
    assert_eq!(*promised_at, Some(at("2026-03-09T17:00:00+08:00")));
    assert_eq!(desk.case.urges, 1);
    assert_eq!(desk.case.last_urge_at, Some(at("2026-03-06T09:00:00+08:00")));
    assert!(must_urge(&desk.case, at("2026-03-06T10:00:00+08:00")).is_empty());
    // the deadline is not moved by urging
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-05"));
    // nothing to urge on a paused case
    desk.run(&owner(), "2026-03-06T11:00:00+08:00", pause("等患者提供病历"));
    assert!(must_urge(&desk.case, at("2026-03-25T10:00:00+08:00")).is_empty());
}

#[test]
fn an_extension_needs_a_reason_and_a_later_time_and_is_on_the_timeline() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    let err = desk.refuse(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        extend(None, "2026-03-10T23:59:59+08:00", "  "),
    );
    assert_eq!(err, RuleError::Required { field: "reason" });
    let err = desk.refuse(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        extend(None, "2026-03-05T23:59:59+08:00", "科室需调取监控"),
    );
    assert_eq!(
        err,
        RuleError::ExtendNotLater {
            current: eod("2026-03-05")
        }
    );
    let err = desk.refuse(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        extend(Some(DeadlineKind::ReturnVisit), "2026-03-10T23:59:59+08:00", "x"),
    );
    assert_eq!(
        err,
        RuleError::NoRunningDeadline {
            which: Some(DeadlineKind::ReturnVisit)
        }
    );
    // without naming a clock, the current step's (the department reply) moves
    let events = desk.run(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        extend(None, "2026-03-10T23:59:59+08:00", "科室需调取监控"),
    );
    assert_eq!(
        events[0].body,
        EventBody::Extended {
            deadline: DeadlineKind::DepartmentReply,
            from: eod("2026-03-05"),
            to: eod("2026-03-10"),
            reason: "科室需调取监控".into(),
        }
    );
    let d = &desk.case.deadlines[&DeadlineKind::DepartmentReply];
    assert_eq!(d.due, eod("2026-03-10"));
    assert!(d.extended);
    // a named clock
    desk.run(
        &owner(),
        "2026-03-04T11:00:00+08:00",
        extend(
            Some(DeadlineKind::Resolution),
            "2026-03-31T23:59:59+08:00",
            "涉及多科室",
        ),
    );
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-31"));
}

#[test]
fn pause_across_national_day_adds_the_paused_working_days_but_not_to_hour_and_promise_clocks() {
    let mut f = form();
    f.severity = Severity::Major;
    f.promised_reply_at = Some(at("2026-10-09T12:00:00+08:00"));
    // received Mon Sep 28 20:00; the 12-hour report is due Tue 08:00
    let mut desk = Desk::open(f, "2026-09-28T20:00:00+08:00");
    assert_eq!(
        desk.due(DeadlineKind::ReportToLeadership),
        at("2026-09-29T08:00:00+08:00")
    );
    // Sep 29, 30, Oct 8 (holidays Oct 1–7)
    assert_eq!(desk.due(DeadlineKind::UrgentAnswer), eod("2026-10-08"));
    // Sep 29, 30, Oct 8, 9, 10 (make-up Sat), 12–16, 19–23
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-10-23"));

    let err = desk.refuse(&owner(), "2026-09-29T07:00:00+08:00", pause(""));
    assert_eq!(err, RuleError::Required { field: "reason" });
    let err = desk.refuse(&owner(), "2026-09-29T07:00:00+08:00", resume());
    assert_eq!(err, RuleError::NotPaused);
    desk.run(&owner(), "2026-09-29T07:00:00+08:00", pause("等待患者提供病历复印件"));
    assert!(desk.case.is_paused());
    let err = desk.refuse(&owner(), "2026-09-30T07:00:00+08:00", pause("again"));
    assert_eq!(err, RuleError::AlreadyPaused);
    // resumed Mon Oct 12: paused working days Sep 29, 30, Oct 8, 9, 10 = 5
    let events = desk.run(&owner(), "2026-10-12T09:00:00+08:00", resume());
    let EventBody::Resumed { shifted, .. } = &events[0].body else {
        panic!("{events:?}")
    };
    let mut shifted = shifted.clone();
    shifted.sort_by_key(|s| s.deadline);
    assert_eq!(
        shifted,
        vec![
            Shift {
                deadline: DeadlineKind::UrgentAnswer,
                from: eod("2026-10-08"),
                to: eod("2026-10-14"),
            },
            Shift {
                deadline: DeadlineKind::Resolution,
                from: eod("2026-10-23"),
                to: eod("2026-10-30"),
            },
        ]
    );
    assert!(!desk.case.is_paused());
    assert_eq!(desk.due(DeadlineKind::UrgentAnswer), eod("2026-10-14"));
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-10-30"));
    // plain-hour and promised clocks do not move
    assert_eq!(
        desk.due(DeadlineKind::ReportToLeadership),
        at("2026-09-29T08:00:00+08:00")
    );
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-10-09T12:00:00+08:00"));
}

#[test]
fn a_pause_and_resume_on_the_same_day_moves_nothing() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-03T09:00:00+08:00", pause("等待回电"));
    let events = desk.run(&owner(), "2026-03-03T16:00:00+08:00", resume());
    assert!(matches!(&events[0].body, EventBody::Resumed { shifted, .. } if shifted.is_empty()));
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-23"));
}

#[test]
fn a_clock_only_gains_the_paused_days_it_would_have_counted() {
    // Received and paused on Mon Mar 2; assigned on Wed Mar 4 while paused;
    // resumed Thu Mar 5. The resolution clock counts from Tue: it lost Tue and
    // Wed. The department clock started on Wed and counts from Thu: it lost nothing.
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-20T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", pause("等待患者提供材料"));
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-09"));
    let events = desk.run(&owner(), "2026-03-05T09:00:00+08:00", resume());
    let EventBody::Resumed { shifted, .. } = &events[0].body else {
        panic!("{events:?}")
    };
    assert_eq!(
        shifted,
        &vec![Shift {
            deadline: DeadlineKind::Resolution,
            from: eod("2026-03-23"),
            to: eod("2026-03-25"),
        }]
    );
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-09"));
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-20T17:00:00+08:00"));
}

// ---------------------------------------------------------------- reply, feedback, visit

#[test]
fn a_justified_or_partly_justified_reply_needs_the_responsible_party_and_measures() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let err = desk.refuse(&owner(), "2026-03-02T09:30:00+08:00", reply(Verdict::Justified));
    assert!(
        matches!(
            err,
            RuleError::WrongState {
                action: "reply",
                state: State::Received
            }
        ),
        "{err:?}"
    );
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    let err = desk.refuse(&owner(), "2026-03-03T10:00:00+08:00", bare_reply(Verdict::Justified));
    assert_eq!(
        err,
        RuleError::JustifiedNeeds {
            missing: vec!["responsible", "measures"]
        }
    );
    assert_eq!(err.to_string(), "a justified complaint needs responsible and measures");
    let err = desk.refuse(
        &owner(),
        "2026-03-03T10:00:00+08:00",
        Command::Reply {
            verdict: Verdict::Partly,
            facts: "部分属实".into(),
            responsible: Some("夜班护士".into()),
            measures: None,
        },
    );
    assert_eq!(
        err,
        RuleError::JustifiedNeeds {
            missing: vec!["measures"]
        }
    );
    let err = desk.refuse(
        &owner(),
        "2026-03-03T10:00:00+08:00",
        Command::Reply {
            verdict: Verdict::Unjustified,
            facts: " ".into(),
            responsible: None,
            measures: None,
        },
    );
    assert_eq!(err, RuleError::Required { field: "facts" });
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Partly));
    assert_eq!(desk.case.state, State::Replied);
    assert_eq!(
        desk.case.outcome,
        Some(Outcome::Reply {
            verdict: Verdict::Partly,
            by: OWNER
        })
    );
    assert_eq!(
        desk.case.deadlines[&DeadlineKind::DepartmentReply].met_at,
        Some(at("2026-03-03T10:00:00+08:00"))
    );
}

#[test]
fn an_unjustified_or_not_our_reply_needs_no_measures() {
    for verdict in [Verdict::Unjustified, Verdict::NotOurs] {
        let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
        desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Phone));
        let events = desk.run(&owner(), "2026-03-03T10:00:00+08:00", bare_reply(verdict));
        let EventBody::Replied {
            responsible, measures, ..
        } = &events[0].body
        else {
            panic!("{events:?}")
        };
        assert_eq!((responsible, measures), (&None, &None), "blank text is not kept");
        assert_eq!(desk.case.state, State::Replied);
    }
}

#[test]
fn feedback_follows_the_reply_and_starts_the_return_visit_clock() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-04T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    let err = desk.refuse(&owner(), "2026-03-02T11:00:00+08:00", feedback());
    assert!(
        matches!(err, RuleError::WrongState { action: "feedback", .. }),
        "{err:?}"
    );
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Unjustified));
    // the return visit comes after the feedback
    let err = desk.refuse(&owner(), "2026-03-03T11:00:00+08:00", visit(Satisfaction::Satisfied));
    assert_eq!(err, RuleError::NoFeedbackYet);
    let err = desk.refuse(
        &owner(),
        "2026-03-03T15:00:00+08:00",
        Command::Feedback {
            method: FeedbackMethod::Letter,
            text: "".into(),
        },
    );
    assert_eq!(err, RuleError::Required { field: "text" });
    desk.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    assert_eq!(desk.case.state, State::FeedbackGiven);
    assert_eq!(desk.case.feedback_at, Some(at("2026-03-03T15:00:00+08:00")));
    // Tue → Wed, Thu, Fri
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-03-06"));
    assert_eq!(
        desk.case.deadlines[&DeadlineKind::PromisedReply].met_at,
        Some(at("2026-03-03T15:00:00+08:00")),
        "the promise is kept by the feedback"
    );
}

#[test]
fn a_return_visit_records_satisfaction_and_ratings_from_1_to_5() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    for bad in [0u8, 6] {
        let err = desk.refuse(
            &owner(),
            "2026-03-04T10:00:00+08:00",
            Command::Visit {
                method: VisitMethod::Phone,
                satisfaction: Satisfaction::Satisfied,
                attitude: Some(5),
                speed: Some(bad),
                result: None,
                comment: None,
            },
        );
        assert_eq!(err, RuleError::Rating);
    }
    let events = desk.run(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        Command::Visit {
            method: VisitMethod::Visit,
            satisfaction: Satisfaction::Satisfied,
            attitude: Some(1),
            speed: Some(5),
            result: None,
            comment: Some("  很满意  ".into()),
        },
    );
    assert_eq!(
        events[0].body,
        EventBody::ReturnVisited {
            method: VisitMethod::Visit,
            satisfaction: Satisfaction::Satisfied,
            attitude: Some(1),
            speed: Some(5),
            result: None,
            comment: Some("很满意".into()),
        }
    );
    assert_eq!(desk.case.state, State::Visited);
    assert_eq!(desk.case.satisfaction, Some(Satisfaction::Satisfied));
    assert_eq!(
        desk.case.deadlines[&DeadlineKind::ReturnVisit].met_at,
        Some(at("2026-03-04T10:00:00+08:00"))
    );
    assert_eq!(check_close(&desk.case, &desk.policy), Ok(None));
}

#[test]
fn three_failed_attempts_on_distinct_days_make_the_complainant_unreachable() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit_failed());
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", visit_failed());
    let err = desk.refuse(&owner(), "2026-03-05T11:00:00+08:00", Command::Close);
    assert_eq!(close_gate(&err), (vec![Missing::ReturnVisit], 2, 3));
    desk.run(&owner(), "2026-03-06T10:00:00+08:00", visit_failed());
    assert_eq!(desk.case.failed_attempts.len(), 3);
    let events = desk.run(&owner(), "2026-03-06T10:05:00+08:00", Command::Close);
    assert!(matches!(
        events[0].body,
        EventBody::Closed {
            exemption: Some(Exemption::Unreachable),
            ..
        }
    ));
    assert_eq!(desk.case.exemption, Some(Exemption::Unreachable));
}

#[test]
fn three_failed_attempts_on_the_same_day_count_as_one() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    for t in ["09:00", "13:00", "23:30"] {
        desk.run(&owner(), &format!("2026-03-04T{t}:00+08:00"), visit_failed());
    }
    let err = desk.refuse(&owner(), "2026-03-04T23:40:00+08:00", Command::Close);
    assert_eq!(close_gate(&err), (vec![Missing::ReturnVisit], 1, 3));
    assert_eq!(err.to_string(), "cannot close: missing return_visit");
}

#[test]
fn an_unsatisfied_return_visit_reopens_the_case_one_level_up_as_a_repeat() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    let events = desk.run(
        &owner(),
        "2026-03-04T10:00:00+08:00",
        Command::Visit {
            method: VisitMethod::Phone,
            satisfaction: Satisfaction::Unsatisfied,
            attitude: Some(1),
            speed: Some(2),
            result: Some(1),
            comment: Some("处理结果不认可".into()),
        },
    );
    let kinds: Vec<_> = events.iter().map(|e| e.body.kind_code()).collect();
    assert_eq!(kinds, ["return_visited", "reopened", "escalated"]);
    assert!(matches!(&events[1].body, EventBody::Reopened { round: 2, reason, .. } if reason == "处理结果不认可"));
    assert_eq!(escalated(&events), vec![(0, 1, Cause::Unsatisfied)]);
    let case = &desk.case;
    assert_eq!(case.state, State::Reopened);
    assert_eq!(case.round, 2);
    assert_eq!(case.level, 1);
    assert!(case.flags.contains(&Flag::Repeat));
    assert_eq!(case.outcome, None);
    assert_eq!(case.feedback_at, None);
    assert_eq!(case.satisfaction, None);
    assert_eq!(case.owner, OWNER);
    // a new resolution clock from the visit day: Mar 5–6, 9–13, 16–20, 23–25
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-03-25"));
    let err = desk.refuse(&owner(), "2026-03-04T10:05:00+08:00", Command::Close);
    assert_eq!(
        close_gate(&err).0,
        vec![Missing::Result, Missing::Feedback, Missing::ReturnVisit]
    );
}

#[test]
fn the_second_round_reply_is_signed_off_by_a_supervisor_who_did_not_handle_round_one() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    // round 1: the supervisor SUP recorded the department's reply
    desk.run(&owner(), "2026-03-02T11:00:00+08:00", assign(10, AssignMode::Written));
    desk.run(&sup(), "2026-03-03T10:00:00+08:00", reply(Verdict::Unjustified));
    desk.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Unsatisfied));
    assert!(desk.case.earlier_handlers.contains(&OWNER));
    assert!(desk.case.earlier_handlers.contains(&SUP));
    // round 2
    desk.run(&owner(), "2026-03-04T11:00:00+08:00", assign(10, AssignMode::Phone));
    let err = desk.refuse(&sup2(), "2026-03-04T12:00:00+08:00", Command::Review { note: None });
    assert!(
        matches!(err, RuleError::WrongState { action: "review", .. }),
        "nothing to review yet: {err:?}"
    );
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", reply(Verdict::Partly));
    assert_eq!(
        desk.refuse(&owner(), "2026-03-05T11:00:00+08:00", feedback()),
        RuleError::NeedsReview
    );
    let err = desk.refuse(&owner(), "2026-03-05T11:00:00+08:00", Command::Close);
    assert_eq!(
        close_gate(&err).0,
        vec![Missing::Feedback, Missing::Review, Missing::ReturnVisit]
    );
    assert_eq!(
        desk.refuse(&owner(), "2026-03-05T11:00:00+08:00", Command::Review { note: None }),
        RuleError::SupervisorOnly { action: "review" }
    );
    assert_eq!(
        desk.refuse(&sup(), "2026-03-05T11:00:00+08:00", Command::Review { note: None }),
        RuleError::ReviewerHandled
    );
    desk.run(
        &sup2(),
        "2026-03-05T11:00:00+08:00",
        Command::Review {
            note: Some("同意答复".into()),
        },
    );
    assert_eq!(desk.case.reviewed_by, Some(SUP2));
    let err = desk.refuse(&sup2(), "2026-03-05T11:30:00+08:00", Command::Review { note: None });
    assert!(matches!(err, RuleError::WrongState { .. }), "reviewed once: {err:?}");
    desk.run(&owner(), "2026-03-05T14:00:00+08:00", feedback());
    desk.run(&owner(), "2026-03-06T10:00:00+08:00", visit(Satisfaction::Satisfied));
    desk.run(&owner(), "2026-03-06T10:05:00+08:00", Command::Close);
    assert_eq!(desk.case.state, State::Closed);
}

#[test]
fn a_new_reply_in_the_second_round_needs_its_own_sign_off() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Unsatisfied));
    desk.run(&owner(), "2026-03-04T11:00:00+08:00", assign(10, AssignMode::Phone));
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", reply(Verdict::Unjustified));
    desk.run(&sup2(), "2026-03-05T11:00:00+08:00", Command::Review { note: None });
    // a second department is asked and replies: that reply was not signed off
    desk.run(&owner(), "2026-03-05T12:00:00+08:00", assign(11, AssignMode::Phone));
    desk.run(&owner(), "2026-03-06T10:00:00+08:00", reply(Verdict::Justified));
    assert_eq!(
        desk.refuse(&owner(), "2026-03-06T11:00:00+08:00", feedback()),
        RuleError::NeedsReview
    );
    desk.run(&sup2(), "2026-03-06T11:00:00+08:00", Command::Review { note: None });
    desk.run(&owner(), "2026-03-06T12:00:00+08:00", feedback());
}

// ---------------------------------------------------------------- escalation

#[test]
fn manual_escalation_needs_a_reason_and_stops_at_leadership() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T10:00:00+08:00",
            Command::Escalate { reason: "".into() }
        ),
        RuleError::Required { field: "reason" }
    );
    for (i, expected) in [1u8, 2, 3].into_iter().enumerate() {
        let events = desk.run(
            &owner(),
            &format!("2026-03-02T1{i}:30:00+08:00"),
            Command::Escalate {
                reason: "患者情绪激动".into(),
            },
        );
        assert_eq!(
            escalated(&events),
            vec![(
                expected - 1,
                expected,
                Cause::Manual {
                    reason: "患者情绪激动".into()
                }
            )]
        );
        assert_eq!(desk.case.level, expected);
    }
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T14:00:00+08:00",
            Command::Escalate {
                reason: "再升".into()
            }
        ),
        RuleError::MaxLevel
    );
    assert_eq!(desk.case.owner, OWNER, "escalation never removes the owner");
}

#[test]
fn a_dispute_flag_sends_the_case_to_leadership() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let events = desk.run(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        Command::Flag {
            flag: Flag::Media,
            reason: Some("记者来电".into()),
        },
    );
    assert!(escalated(&events).is_empty(), "media alone does not escalate");
    let events = desk.run(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        Command::Flag {
            flag: Flag::Dispute,
            reason: Some("家属要求医疗事故鉴定".into()),
        },
    );
    assert_eq!(escalated(&events), vec![(0, 3, Cause::Dispute)]);
    assert_eq!(desk.case.level, 3);
    assert!(desk.case.flags.contains(&Flag::Dispute));
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T11:00:00+08:00",
            Command::Flag {
                flag: Flag::Dispute,
                reason: None
            }
        ),
        RuleError::FlagSet
    );
    for flag in [Flag::Repeat, Flag::ReportNow, Flag::Withdrawn] {
        assert_eq!(
            desk.refuse(
                &owner(),
                "2026-03-02T11:00:00+08:00",
                Command::Flag { flag, reason: None }
            ),
            RuleError::FlagNotManual
        );
    }
    // at intake: a major dispute goes 0 → 2 → 3
    let mut f = form();
    f.severity = Severity::Major;
    f.flags = vec![Flag::Dispute, Flag::Repeat];
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert_eq!(
        escalated(&desk.events),
        vec![(0, 2, Cause::Major), (2, 3, Cause::Dispute)]
    );
    assert_eq!(desk.case.level, 3);
    assert!(
        !desk.case.flags.contains(&Flag::Repeat),
        "repeat is the rules' flag, not the form's"
    );
    assert!(
        !desk.is_running(DeadlineKind::ReportToLeadership),
        "at leadership level the report is made"
    );
}

#[test]
fn the_third_case_of_the_same_caller_is_a_repeat_one_level_up() {
    let desk = Desk::open_with(
        Policy::builtin().unwrap(),
        form(),
        History {
            caller_cases: 1,
            subject_complaints: 0,
        },
        "2026-03-02T09:00:00+08:00",
    );
    assert!(
        !desk.case.flags.contains(&Flag::Repeat),
        "the second case is not yet a repeat"
    );
    assert_eq!(desk.case.level, 0);
    let mut f = form();
    f.kind = Kind::Inquiry;
    let desk = Desk::open_with(
        Policy::builtin().unwrap(),
        f,
        History {
            caller_cases: 2,
            subject_complaints: 0,
        },
        "2026-03-02T09:00:00+08:00",
    );
    assert!(desk.case.flags.contains(&Flag::Repeat));
    assert_eq!(escalated(&desk.events), vec![(0, 1, Cause::RepeatCaller { count: 3 })]);
    assert_eq!(desk.case.level, 1);
}

#[test]
fn the_third_complaint_about_the_same_department_and_category_is_a_repeat() {
    let history = History {
        caller_cases: 0,
        subject_complaints: 2,
    };
    let desk = Desk::open_with(Policy::builtin().unwrap(), form(), history, "2026-03-02T09:00:00+08:00");
    assert!(desk.case.flags.contains(&Flag::Repeat));
    assert_eq!(escalated(&desk.events), vec![(0, 1, Cause::RepeatSubject { count: 3 })]);
    // an important one stays one level above where it was
    let mut f = form();
    f.severity = Severity::Major;
    let desk = Desk::open_with(Policy::builtin().unwrap(), f, history, "2026-03-02T09:00:00+08:00");
    assert_eq!(
        escalated(&desk.events),
        vec![(0, 2, Cause::Major), (2, 3, Cause::RepeatSubject { count: 3 })]
    );
    // only complaints, and only with a department and a category
    let mut f = form();
    f.kind = Kind::Suggestion;
    let desk = Desk::open_with(Policy::builtin().unwrap(), f, history, "2026-03-02T09:00:00+08:00");
    assert!(!desk.case.flags.contains(&Flag::Repeat));
    let mut f = form();
    f.category = None;
    let desk = Desk::open_with(Policy::builtin().unwrap(), f, history, "2026-03-02T09:00:00+08:00");
    assert!(!desk.case.flags.contains(&Flag::Repeat));
    assert_eq!(desk.case.level, 0);
}

#[test]
fn a_step_still_overdue_one_working_day_after_its_due_day_goes_up_one_level_once() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-20T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    // Tue Mar 3, in writing: due Fri Mar 6; the extra working day is Mon Mar 9
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-06"));
    assert!(desk.overdue("2026-03-07T10:00:00+08:00").is_empty());
    assert!(desk.overdue("2026-03-08T23:00:00+08:00").is_empty());
    assert!(desk.overdue("2026-03-09T23:59:59+08:00").is_empty());
    let events = desk.overdue("2026-03-10T00:00:00+08:00");
    assert_eq!(
        escalated(&events),
        vec![(
            0,
            1,
            Cause::Overdue {
                deadline: DeadlineKind::DepartmentReply
            }
        )]
    );
    assert_eq!(events[0].actor, StaffId::SYSTEM);
    assert_eq!(events[0].at, at("2026-03-10T00:00:00+08:00"));
    desk.apply(&events);
    assert_eq!(desk.case.level, 1);
    // once per step
    assert!(desk.overdue("2026-03-11T10:00:00+08:00").is_empty());
    assert!(desk.overdue("2026-03-19T10:00:00+08:00").is_empty());
}

#[test]
fn overdue_escalation_waits_while_the_clock_is_paused_and_stops_when_closed() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-20T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", assign(10, AssignMode::Written));
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", pause("等待患者补充材料"));
    assert!(desk.overdue("2026-03-10T10:00:00+08:00").is_empty());
    // resumed Tue Mar 10: Thu, Fri, Mon were paused, so the reply is due Wed Mar 11
    desk.run(&owner(), "2026-03-10T09:00:00+08:00", resume());
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-11"));
    assert!(desk.overdue("2026-03-12T23:59:59+08:00").is_empty());
    assert_eq!(desk.overdue("2026-03-13T00:00:01+08:00").len(), 1);

    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_close();
    assert!(desk.overdue("2026-12-01T10:00:00+08:00").is_empty());
}

#[test]
fn a_new_assignment_is_a_new_step_that_can_be_escalated_again() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-27T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", assign(10, AssignMode::Written));
    let events = desk.overdue("2026-03-10T00:00:00+08:00");
    desk.apply(&events);
    assert_eq!(desk.case.level, 1);
    // the department did not answer; another one is asked, in writing: due Fri Mar 13
    desk.run(&owner(), "2026-03-10T09:00:00+08:00", assign(11, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-13"));
    assert!(desk.overdue("2026-03-16T23:59:59+08:00").is_empty());
    assert_eq!(
        escalated(&desk.overdue("2026-03-17T00:00:00+08:00")),
        vec![(
            1,
            2,
            Cause::Overdue {
                deadline: DeadlineKind::DepartmentReply
            }
        )]
    );
}

#[test]
fn several_overdue_steps_each_go_up_but_never_past_level_3() {
    // received Mon Mar 2 with no promise: acknowledgement due Mar 2, department reply Mar 3
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Phone));
    desk.run(
        &owner(),
        "2026-03-02T10:30:00+08:00",
        Command::Escalate { reason: "x".into() },
    );
    let events = desk.overdue("2026-03-05T00:00:00+08:00");
    assert_eq!(
        escalated(&events),
        vec![
            (
                1,
                2,
                Cause::Overdue {
                    deadline: DeadlineKind::Acknowledge
                }
            ),
            (
                2,
                3,
                Cause::Overdue {
                    deadline: DeadlineKind::DepartmentReply
                }
            ),
        ]
    );
    desk.apply(&events);
    assert_eq!(desk.case.level, 3);
    assert!(desk.overdue("2026-04-30T00:00:00+08:00").is_empty());
}

// ---------------------------------------------------------------- ownership

#[test]
fn a_transfer_moves_the_owner_only_when_the_target_accepts() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(&owner(), "2026-03-02T17:30:00+08:00", Command::Accept),
        RuleError::NoTransferForYou
    );
    desk.run(&owner(), "2026-03-02T17:30:00+08:00", transfer(other()));
    assert_eq!(desk.case.owner, OWNER, "an offer does not move the case");
    assert_eq!(desk.case.pending_transfer.as_ref().unwrap().to, OTHER);
    // only the target accepts: not the owner, not a supervisor
    for who in [owner(), sup()] {
        assert_eq!(
            desk.refuse(&who, "2026-03-02T17:35:00+08:00", Command::Accept),
            RuleError::NoTransferForYou
        );
    }
    let events = desk.run(&other(), "2026-03-02T17:40:00+08:00", Command::Accept);
    assert_eq!(events[0].body, EventBody::TransferAccepted { from: OWNER, to: OTHER });
    assert_eq!(desk.case.owner, OTHER);
    assert_eq!(desk.case.first_receiver, OWNER);
    assert!(desk.case.pending_transfer.is_none());
    // the old owner is now just another clerk
    assert_eq!(
        desk.refuse(&owner(), "2026-03-03T09:00:00+08:00", assign(10, AssignMode::Phone)),
        RuleError::NotOwner
    );
    desk.run(&other(), "2026-03-03T09:00:00+08:00", assign(10, AssignMode::Phone));
}

#[test]
fn a_transfer_to_an_inactive_admin_subject_or_the_owner_is_refused() {
    let desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    for (to, why) in [
        (gone(), "inactive"),
        (admin(), "role"),
        (subject(), "subject"),
        (owner(), "same_owner"),
    ] {
        let name = to.name.clone();
        assert_eq!(
            desk.refuse(&owner(), "2026-03-02T17:30:00+08:00", transfer(to)),
            RuleError::TransferTarget { name, why }
        );
    }
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T17:30:00+08:00",
            Command::Transfer {
                to: other(),
                reason: " ".into()
            }
        ),
        RuleError::Required { field: "reason" }
    );
    // nobody but the owner (or a supervisor) gives a case away
    assert_eq!(
        desk.refuse(&other(), "2026-03-02T17:30:00+08:00", transfer(sup())),
        RuleError::NotOwner
    );
    let mut desk = desk;
    desk.run(&sup(), "2026-03-02T17:30:00+08:00", transfer(other()));
    desk.run(&other(), "2026-03-02T17:31:00+08:00", Command::Accept);
    assert_eq!(desk.case.owner, OTHER);
}

#[test]
fn the_subject_of_a_complaint_can_neither_take_it_in_nor_act_on_it() {
    let policy = Policy::builtin().unwrap();
    let err = intake(
        &policy,
        &Calendar::builtin(),
        form(),
        History::default(),
        &subject(),
        "2026-03-02T09:00:00+08:00",
    )
    .unwrap_err();
    assert_eq!(err, RuleError::Recusal);
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    for cmd in [
        reply(Verdict::Unjustified),
        urge("催"),
        Command::Accept,
        Command::Close,
        pause("x"),
    ] {
        assert_eq!(
            desk.refuse(&subject(), "2026-03-03T10:00:00+08:00", cmd),
            RuleError::Recusal
        );
    }
    // even a supervisor who is the subject
    let mut f = form();
    f.subject_staff = Some(SUP);
    let desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(&sup(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Phone)),
        RuleError::Recusal
    );
}

#[test]
fn another_clerk_cannot_act_on_a_case_they_do_not_own_but_a_supervisor_can() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    for cmd in [
        assign(10, AssignMode::Written),
        Command::Promise {
            at: at("2026-03-04T12:00:00+08:00"),
        },
        Command::Answer { text: "答复".into() },
        urge("催"),
        pause("x"),
        Command::Escalate { reason: "x".into() },
        Command::Close,
    ] {
        assert_eq!(
            desk.refuse(&other(), "2026-03-02T10:00:00+08:00", cmd),
            RuleError::NotOwner
        );
    }
    desk.run(&sup(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.case.owner, OWNER, "a supervisor steps in without taking the case");
    assert_eq!(desk.case.state, State::Assigned);
}

#[test]
fn an_inactive_account_can_do_nothing() {
    let policy = Policy::builtin().unwrap();
    let err = intake(
        &policy,
        &Calendar::builtin(),
        form(),
        History::default(),
        &gone(),
        "2026-03-02T09:00:00+08:00",
    )
    .unwrap_err();
    assert_eq!(err, RuleError::Inactive);
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let mut inactive_sup = sup();
    inactive_sup.active = false;
    assert_eq!(
        desk.refuse(
            &inactive_sup,
            "2026-03-02T10:00:00+08:00",
            assign(10, AssignMode::Phone)
        ),
        RuleError::Inactive
    );
    // a transfer offered to someone who has since left cannot be accepted
    desk.run(&owner(), "2026-03-02T17:30:00+08:00", transfer(other()));
    let mut left = other();
    left.active = false;
    assert_eq!(
        desk.refuse(&left, "2026-03-03T08:00:00+08:00", Command::Accept),
        RuleError::Inactive
    );
    assert_eq!(desk.case.owner, OWNER);
}

// ---------------------------------------------------------------- closing

#[test]
fn the_closing_gate_says_what_is_missing() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    let err = desk.refuse(&owner(), "2026-03-02T09:30:00+08:00", Command::Close);
    assert_eq!(
        close_gate(&err),
        (vec![Missing::Result, Missing::Feedback, Missing::ReturnVisit], 0, 3)
    );
    assert_eq!(err.to_string(), "cannot close: missing result, feedback, return_visit");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Justified));
    let err = desk.refuse(&owner(), "2026-03-03T11:00:00+08:00", Command::Close);
    assert_eq!(err.to_string(), "cannot close: missing feedback, return_visit");
    desk.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit_failed());
    let err = desk.refuse(&owner(), "2026-03-04T11:00:00+08:00", Command::Close);
    assert_eq!(close_gate(&err), (vec![Missing::ReturnVisit], 1, 3));
    // a basically satisfied answer completes the loop
    desk.run(&owner(), "2026-03-05T10:00:00+08:00", visit(Satisfaction::Basic));
    let events = desk.run(&owner(), "2026-03-05T10:05:00+08:00", Command::Close);
    assert!(matches!(events[0].body, EventBody::Closed { exemption: None, .. }));
    assert_eq!(desk.case.closed_at, Some(at("2026-03-05T10:05:00+08:00")));
    assert!(
        desk.case
            .deadlines
            .values()
            .filter(|d| d.is_running())
            .all(|d| matches!(
                d.kind,
                DeadlineKind::Archive | DeadlineKind::FollowUp1 | DeadlineKind::FollowUp2 | DeadlineKind::FollowUp3
            )),
        "closing completes every step of the round"
    );
}

#[test]
fn an_anonymous_complaint_closes_without_a_return_visit_and_none_is_possible() {
    let mut f = form();
    f.complainant = Complainant::Anonymous;
    f.confidential = true;
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert!(!desk.case.intake.confidential, "nothing to keep confidential");
    desk.run(&owner(), "2026-03-02T11:00:00+08:00", assign(10, AssignMode::Written));
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", reply(Verdict::Justified));
    // Engine choice: feedback is still required (e.g. a notice), only the visit is exempt.
    let err = desk.refuse(&owner(), "2026-03-03T11:00:00+08:00", Command::Close);
    assert_eq!(close_gate(&err).0, vec![Missing::Feedback]);
    desk.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    assert!(!desk.has_clock(DeadlineKind::ReturnVisit), "nobody to visit");
    assert_eq!(
        desk.refuse(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Satisfied)),
        RuleError::NoContact
    );
    assert_eq!(
        desk.refuse(&owner(), "2026-03-04T10:00:00+08:00", visit_failed()),
        RuleError::NoContact
    );
    let events = desk.run(&owner(), "2026-03-04T10:00:00+08:00", Command::Close);
    assert!(matches!(
        events[0].body,
        EventBody::Closed {
            exemption: Some(Exemption::NoContact),
            ..
        }
    ));
    assert!(
        !desk.has_clock(DeadlineKind::FollowUp1),
        "no follow-ups without contact"
    );
    // a named caller who left no phone or address is the same
    let mut f = form();
    f.complainant = Complainant::Named {
        name: "张先生".into(),
        phone: Some("  ".into()),
        address: None,
        relation: None,
    };
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    assert_eq!(check_close(&desk.case, &desk.policy), Ok(Some(Exemption::NoContact)));
}

#[test]
fn a_withdrawal_is_closed_by_a_supervisor_with_a_reason() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T11:00:00+08:00",
            Command::Withdraw {
                reason: "患者撤诉".into()
            }
        ),
        RuleError::SupervisorOnly { action: "withdraw" }
    );
    assert_eq!(
        desk.refuse(
            &sup(),
            "2026-03-02T11:00:00+08:00",
            Command::Withdraw { reason: "".into() }
        ),
        RuleError::Required { field: "reason" }
    );
    desk.run(
        &sup(),
        "2026-03-02T11:00:00+08:00",
        Command::Withdraw {
            reason: "患者来电撤回投诉".into(),
        },
    );
    assert_eq!(desk.case.state, State::Closed);
    assert!(desk.case.flags.contains(&Flag::Withdrawn));
    assert_eq!(desk.case.closed_at, Some(at("2026-03-02T11:00:00+08:00")));
    assert!(!desk.is_running(DeadlineKind::DepartmentReply));
    // archive: 15 working days (Mar 3–6, 9–13, 16–20, 23)
    assert_eq!(desk.due(DeadlineKind::Archive), eod("2026-03-23"));
    assert!(!desk.has_clock(DeadlineKind::FollowUp1));
}

#[test]
fn a_closed_case_is_read_only_except_reopen_follow_up_and_archive() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_close();
    let now = "2026-03-11T10:00:00+08:00";
    let refused = [
        Command::Promise {
            at: at("2026-03-20T10:00:00+08:00"),
        },
        Command::Answer { text: "x".into() },
        Command::Refer {
            dept: DeptId(20),
            text: "x".into(),
        },
        assign(10, AssignMode::Phone),
        urge("x"),
        extend(Some(DeadlineKind::Archive), "2026-12-31T23:59:59+08:00", "x"),
        pause("x"),
        resume(),
        reply(Verdict::Justified),
        Command::Review { note: None },
        feedback(),
        visit(Satisfaction::Satisfied),
        visit_failed(),
        Command::Escalate { reason: "x".into() },
        Command::Flag {
            flag: Flag::Media,
            reason: None,
        },
        transfer(other()),
        Command::Accept,
        Command::Close,
        Command::Withdraw { reason: "x".into() },
    ];
    for cmd in refused {
        for who in [owner(), sup()] {
            let code = cmd.code();
            let err = desk.refuse(&who, now, cmd.clone());
            assert_eq!(err, RuleError::Closed, "{code} by {}", who.name);
        }
    }
    assert_eq!(
        desk.refuse(
            &owner(),
            now,
            Command::Reopen {
                reason: "再次投诉".into()
            }
        ),
        RuleError::SupervisorOnly { action: "reopen" }
    );
    desk.run(&owner(), now, follow_up());
    desk.run(&owner(), now, Command::Archive);
    assert_eq!(desk.case.state, State::Closed);
    desk.run(
        &sup(),
        now,
        Command::Reopen {
            reason: "再次投诉".into(),
        },
    );
    assert_eq!(desk.case.state, State::Reopened);
}

#[test]
fn a_supervisor_reopens_a_closed_case_with_a_reason_one_level_up() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    // an open case without a result cannot be reopened
    assert!(matches!(
        desk.refuse(
            &sup(),
            "2026-03-02T10:00:00+08:00",
            Command::Reopen { reason: "x".into() }
        ),
        RuleError::WrongState { action: "reopen", .. }
    ));
    desk.handle_to_close();
    assert_eq!(
        desk.refuse(
            &sup(),
            "2026-03-12T10:00:00+08:00",
            Command::Reopen { reason: " ".into() }
        ),
        RuleError::Required { field: "reason" }
    );
    let events = desk.run(
        &sup(),
        "2026-03-12T10:00:00+08:00",
        Command::Reopen {
            reason: "同一事项再次投诉".into(),
        },
    );
    assert_eq!(escalated(&events), vec![(0, 1, Cause::Reopened)]);
    let case = &desk.case;
    assert_eq!(case.state, State::Reopened);
    assert_eq!(case.round, 2);
    assert!(case.flags.contains(&Flag::Repeat));
    assert_eq!(case.closed_at, None);
    assert_eq!(case.owner, OWNER);
    assert!(!desk.has_clock(DeadlineKind::Archive), "after-close clocks are dropped");
    assert!(!desk.has_clock(DeadlineKind::FollowUp1));
    // Mar 13, 16–20, 23–27, 30–31, Apr 1–2
    assert_eq!(desk.due(DeadlineKind::Resolution), eod("2026-04-02"));
    assert!(desk.is_running(DeadlineKind::Resolution));
}

#[test]
fn an_external_complaint_gets_three_monthly_follow_up_visits_after_closing() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(&owner(), "2026-03-02T10:00:00+08:00", follow_up()),
        RuleError::NotClosed
    );
    desk.handle_to_close(); // closed Tue 2026-03-10
    assert_eq!(desk.due(DeadlineKind::FollowUp1), eod("2026-04-10"));
    assert_eq!(desk.due(DeadlineKind::FollowUp2), eod("2026-05-10"));
    assert_eq!(desk.due(DeadlineKind::FollowUp3), eod("2026-06-10"));
    assert_eq!(
        desk.refuse(&other(), "2026-04-09T10:00:00+08:00", follow_up()),
        RuleError::NotOwner
    );
    for (n, when, kind) in [
        (1, "2026-04-09T10:00:00+08:00", DeadlineKind::FollowUp1),
        (2, "2026-05-11T10:00:00+08:00", DeadlineKind::FollowUp2),
        (3, "2026-06-10T10:00:00+08:00", DeadlineKind::FollowUp3),
    ] {
        let events = desk.run(&owner(), when, follow_up());
        assert!(matches!(events[0].body, EventBody::FollowedUp { n: m, .. } if m == n));
        assert_eq!(desk.case.deadlines[&kind].met_at, Some(at(when)));
    }
    assert_eq!(desk.case.follow_ups, 3);
    assert_eq!(
        desk.refuse(&owner(), "2026-07-10T10:00:00+08:00", follow_up()),
        RuleError::NoFollowUpDue
    );
    // internal complaints and suggestions get none
    for (kind, origin) in [
        (Kind::Complaint, Origin::Internal),
        (Kind::Suggestion, Origin::External),
    ] {
        let mut f = form();
        f.kind = kind;
        f.origin = origin;
        let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
        desk.handle_to_close();
        assert!(!desk.has_clock(DeadlineKind::FollowUp1), "{kind} {origin}");
        assert_eq!(
            desk.refuse(&owner(), "2026-04-09T10:00:00+08:00", follow_up()),
            RuleError::NoFollowUpDue
        );
    }
}

#[test]
fn a_closed_case_is_archived_within_15_working_days_once() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(&owner(), "2026-03-02T10:00:00+08:00", Command::Archive),
        RuleError::NotClosed
    );
    desk.handle_to_close(); // closed Tue 2026-03-10
    // Mar 11–13, 16–20, 23–27, 30–31
    assert_eq!(desk.due(DeadlineKind::Archive), eod("2026-03-31"));
    assert_eq!(
        desk.refuse(&other(), "2026-03-20T10:00:00+08:00", Command::Archive),
        RuleError::NotOwner
    );
    desk.run(&owner(), "2026-03-20T10:00:00+08:00", Command::Archive);
    assert_eq!(desk.case.archived_at, Some(at("2026-03-20T10:00:00+08:00")));
    assert_eq!(
        desk.case.deadlines[&DeadlineKind::Archive].met_at,
        Some(at("2026-03-20T10:00:00+08:00"))
    );
    assert_eq!(
        desk.refuse(&owner(), "2026-03-21T10:00:00+08:00", Command::Archive),
        RuleError::Archived
    );
    // across the Spring Festival: closed Fri Feb 13 → Sat 14, Feb 24–27, 28, Mar 2–6, 9–12
    let mut desk = Desk::open(form(), "2026-02-09T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-02-09T10:00:00+08:00",
        Command::Answer {
            text: "已解释".into()
        },
    );
    desk.run(&owner(), "2026-02-12T10:00:00+08:00", visit(Satisfaction::Satisfied));
    desk.run(&owner(), "2026-02-13T10:00:00+08:00", Command::Close);
    assert_eq!(desk.due(DeadlineKind::Archive), eod("2026-03-12"));
}

#[test]
fn an_unreported_major_case_goes_to_leadership_as_soon_as_its_12_hours_run_out() {
    let mut f = form();
    f.severity = Severity::Major;
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    assert_eq!(desk.case.level, 2);
    assert_eq!(
        desk.due(DeadlineKind::ReportToLeadership),
        at("2026-03-02T21:00:00+08:00")
    );
    // A clock of hours has no grace day.
    assert!(desk.overdue("2026-03-02T21:00:00+08:00").is_empty());
    let events = desk.overdue("2026-03-02T21:00:01+08:00");
    let ups = escalated(&events);
    assert_eq!(
        ups,
        vec![(
            2,
            3,
            Cause::Overdue {
                deadline: DeadlineKind::ReportToLeadership
            }
        )]
    );
    desk.apply(&events);
    assert_eq!(desk.case.level, 3);
    assert!(
        !desk.is_running(DeadlineKind::ReportToLeadership),
        "reaching leadership is the report"
    );
}

#[test]
fn an_extended_step_that_falls_overdue_again_escalates_again() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-20T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.run(&owner(), "2026-03-02T10:00:00+08:00", assign(10, AssignMode::Phone));
    // due Tue Mar 3; still overdue after Wed Mar 4 → level 1
    let first = desk.overdue("2026-03-05T09:00:00+08:00");
    assert_eq!(escalated(&first).len(), 1);
    desk.apply(&first);
    assert_eq!(desk.case.level, 1);
    desk.run(
        &owner(),
        "2026-03-05T10:00:00+08:00",
        extend(
            Some(DeadlineKind::DepartmentReply),
            "2026-03-06T17:00:00+08:00",
            "科室主任出差",
        ),
    );
    assert!(
        desk.overdue("2026-03-09T12:00:00+08:00").is_empty(),
        "grace day Mon Mar 9"
    );
    let second = desk.overdue("2026-03-10T00:00:01+08:00");
    assert_eq!(
        escalated(&second),
        vec![(
            1,
            2,
            Cause::Overdue {
                deadline: DeadlineKind::DepartmentReply
            }
        )]
    );
}
