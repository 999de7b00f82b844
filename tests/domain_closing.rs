//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here closing: the
//! gate and its exemptions, withdrawals, the read-only closed case, reopening,
//! follow-up visits, archiving, late escalations.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::error::Missing;
use casedesk::domain::event::{Cause, Exemption};
use casedesk::domain::gate::check_close;
use casedesk::domain::{
    AssignMode, Command, Complainant, DeadlineKind, DeptId, EventBody, Flag, Kind, Origin, RuleError, Satisfaction,
    Severity, State, Verdict,
};
use support::domain::*;

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
            Command::Withdraw { reason: String::new() }
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
            reason: None,
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
        assert_eq!(desk.clock(kind).met_at, Some(at(when)));
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
        desk.clock(DeadlineKind::Archive).met_at,
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
                deadline: DeadlineKind::ReportToLeadership,
                dept: None,
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
                deadline: DeadlineKind::DepartmentReply,
                dept: Some(DeptId(10)),
            }
        )]
    );
}
