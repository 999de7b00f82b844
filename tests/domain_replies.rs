//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here the
//! department's reply, feedback to the complainant, return visits
//! (satisfaction, failed attempts, reopening) and the second round's sign-off.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::case::Outcome;
use casedesk::domain::error::Missing;
use casedesk::domain::event::{Cause, Exemption};
use casedesk::domain::gate::check_close;
use casedesk::domain::{
    AssignMode, Command, DeadlineKind, EventBody, FeedbackMethod, Flag, RuleError, Satisfaction, State, Verdict,
    VisitMethod,
};
use support::domain::*;

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
            dept: None,
            tier: None,
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
            dept: None,
            tier: None,
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
        desk.clock(DeadlineKind::DepartmentReply).met_at,
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
            text: String::new(),
        },
    );
    assert_eq!(err, RuleError::Required { field: "text" });
    desk.run(&owner(), "2026-03-03T15:00:00+08:00", feedback());
    assert_eq!(desk.case.state, State::FeedbackGiven);
    assert_eq!(desk.case.feedback_at, Some(at("2026-03-03T15:00:00+08:00")));
    // Tue → Wed, Thu, Fri
    assert_eq!(desk.due(DeadlineKind::ReturnVisit), eod("2026-03-06"));
    assert_eq!(
        desk.clock(DeadlineKind::PromisedReply).met_at,
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
        desk.clock(DeadlineKind::ReturnVisit).met_at,
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

#[test]
fn a_second_round_answered_on_the_spot_still_needs_a_supervisors_sign_off_before_closing() {
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Unsatisfied));
    assert_eq!(desk.case.round, 2);
    // The round-1 clerk answers on the spot, visits and tries to close alone.
    desk.run(
        &owner(),
        "2026-03-04T10:30:00+08:00",
        Command::Answer {
            text: "已当面再次解释并致歉".into(),
        },
    );
    desk.run(&owner(), "2026-03-04T11:00:00+08:00", visit(Satisfaction::Satisfied));
    let err = desk.refuse(&owner(), "2026-03-04T11:05:00+08:00", Command::Close);
    assert_eq!(close_gate(&err).0, vec![Missing::Review]);
    // Not the clerk, not a supervisor who handled round one: another supervisor.
    assert_eq!(
        desk.refuse(&owner(), "2026-03-04T11:10:00+08:00", Command::Review { note: None }),
        RuleError::SupervisorOnly { action: "review" }
    );
    desk.run(
        &sup2(),
        "2026-03-04T11:10:00+08:00",
        Command::Review {
            note: Some("当场答复妥当".into()),
        },
    );
    desk.run(&owner(), "2026-03-04T11:15:00+08:00", Command::Close);
    assert_eq!(desk.case.state, State::Closed);
}

#[test]
fn a_repair_return_visit_needs_all_three_ratings() {
    let mut f = form();
    f.kind = casedesk::domain::Kind::Repair;
    f.subject_staff = None;
    f.summary = "3号楼电梯故障".into();
    let mut desk = Desk::open(f, "2026-03-02T09:00:00+08:00");
    desk.handle_to_feedback();
    let Command::Visit {
        method,
        satisfaction,
        comment,
        ..
    } = visit(Satisfaction::Satisfied)
    else {
        unreachable!()
    };
    let missing_speed = Command::Visit {
        method,
        satisfaction,
        attitude: Some(5),
        speed: None,
        result: Some(4),
        comment: comment.clone(),
    };
    assert_eq!(
        desk.refuse(&owner(), "2026-03-04T10:00:00+08:00", missing_speed),
        RuleError::RepairRatings
    );
    desk.run(&owner(), "2026-03-04T10:00:00+08:00", visit(Satisfaction::Satisfied));
    assert_eq!(desk.case.state, State::Visited);
}
