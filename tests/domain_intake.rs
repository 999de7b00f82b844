//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here intake: who
//! owns a new case, its first clocks, urgent and major complaints, the hospital
//! preset; answering on the spot, referring and assigning.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::case::Outcome;
use casedesk::domain::error::Missing;
use casedesk::domain::event::{Cause, Exemption};
use casedesk::domain::{
    AssignMode, Calendar, Channel, Command, DeadlineKind, DeptId, EventBody, Flag, History, Kind, Origin, Policy,
    RuleError, Satisfaction, Severity, StaffId, State, Verdict,
};
use support::domain::*;

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
            reason: None,
        },
    );
    assert!(matches!(err, RuleError::TimeOrder { field: "promise", .. }), "{err:?}");
    desk.run(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        Command::Promise {
            at: at("2026-03-05T12:00:00+08:00"),
            reason: None,
        },
    );
    let ack = &desk.clock(DeadlineKind::Acknowledge);
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
    assert_eq!(err, RuleError::ReceivedInFuture);
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
