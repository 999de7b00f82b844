//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here escalation:
//! by hand, by a dispute flag, by repeats and by overdue steps, never past
//! leadership.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::event::Cause;
use casedesk::domain::{
    AssignMode, Command, DeadlineKind, DeptId, Flag, History, Kind, Policy, RuleError, Severity, StaffId,
};
use support::domain::*;

// ---------------------------------------------------------------- escalation

#[test]
fn manual_escalation_needs_a_reason_and_stops_at_leadership() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    assert_eq!(
        desk.refuse(
            &owner(),
            "2026-03-02T10:00:00+08:00",
            Command::Escalate { reason: String::new() }
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
                deadline: DeadlineKind::DepartmentReply,
                dept: Some(DeptId(10)),
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
                deadline: DeadlineKind::DepartmentReply,
                dept: Some(DeptId(11)),
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
                    deadline: DeadlineKind::Acknowledge,
                    dept: None,
                }
            ),
            (
                2,
                3,
                Cause::Overdue {
                    deadline: DeadlineKind::DepartmentReply,
                    dept: Some(DeptId(10)),
                }
            ),
        ]
    );
    desk.apply(&events);
    assert_eq!(desk.case.level, 3);
    assert!(desk.overdue("2026-04-30T00:00:00+08:00").is_empty());
}
