//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here deadlines:
//! the working-day calendar (holidays, make-up days, beyond the known
//! calendar); urging an overdue step, extending and pausing clocks.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::escalation::must_urge;
use casedesk::domain::event::Shift;
use casedesk::domain::{AssignMode, DeadlineKind, DeptId, EventBody, RuleError, Severity, Verdict};
use support::domain::*;

// ---------------------------------------------------------------- calendar

#[test]
fn spec_example_assigned_wednesday_30_september_2026_in_writing_is_due_saturday_10_october() {
    let mut desk = Desk::open(form(), "2026-09-30T09:00:00+08:00");
    desk.run(&owner(), "2026-09-30T15:00:00+08:00", assign(10, AssignMode::Written));
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), at("2026-10-10T23:59:59+08:00"));
    assert!(!desk.clock(DeadlineKind::DepartmentReply).beyond_calendar);
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
    assert!(!desk.clock(DeadlineKind::DepartmentReply).beyond_calendar);
    // Wed Dec 30: Thu 31, then 2027 (unknown: plain weekdays) Fri Jan 1, Mon Jan 4
    desk.run(&owner(), "2026-12-30T10:00:00+08:00", assign(10, AssignMode::Written));
    let reply = &desk.clock(DeadlineKind::DepartmentReply);
    assert_eq!(reply.due, eod("2027-01-04"));
    assert!(reply.beyond_calendar);
    let resolution = &desk.clock(DeadlineKind::Resolution);
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
        must_urge(&desk.case, at("2026-03-06T00:00:00+08:00"))
            .iter()
            .map(|c| c.kind)
            .collect::<Vec<_>>(),
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
            dept: Some(DeptId(10)),
        }
    );
    let d = &desk.clock(DeadlineKind::DepartmentReply);
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
                dept: None,
            },
            Shift {
                deadline: DeadlineKind::Resolution,
                from: eod("2026-10-23"),
                to: eod("2026-10-30"),
                dept: None,
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
            dept: None,
        }]
    );
    assert_eq!(desk.due(DeadlineKind::DepartmentReply), eod("2026-03-09"));
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-20T17:00:00+08:00"));
}
