//! Several departments on one case (domain.md, "More rules"): each assigned
//! department has its own reply clock, urges, escalation and reply; the
//! case's result is complete when every department has replied or a
//! supervisor released one. On fixed dates, across the National Day holiday.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::case::{Clock, Outcome};
use casedesk::domain::escalation::must_urge;
use casedesk::domain::event::Cause;
use casedesk::domain::gate::check_close;
use casedesk::domain::{AssignMode, Command, DeadlineKind, DeptId, EventBody, RuleError, State, Verdict};
use support::domain::*;

const NURSING: i64 = 10;
const PHARMACY: i64 = 11;

fn reply_clock(dept: i64) -> Clock {
    Clock {
        kind: DeadlineKind::DepartmentReply,
        dept: Some(DeptId(dept)),
    }
}

fn reply_from(dept: i64, verdict: Verdict) -> Command {
    let Command::Reply {
        facts,
        responsible,
        measures,
        ..
    } = reply(verdict)
    else {
        unreachable!()
    };
    Command::Reply {
        verdict,
        facts,
        responsible,
        measures,
        dept: Some(DeptId(dept)),
        tier: None,
    }
}

/// 护理部 by phone on Mon 2 Nov (due Tue 3 Nov), 药剂科 in writing on Tue 3
/// Nov (due Fri 6 Nov).
fn two_departments() -> Desk {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-11-13T17:00:00+08:00"));
    let mut desk = Desk::open(f, "2026-11-02T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-11-02T10:00:00+08:00",
        assign(NURSING, AssignMode::Phone),
    );
    desk.run(
        &owner(),
        "2026-11-03T10:00:00+08:00",
        assign(PHARMACY, AssignMode::Written),
    );
    desk
}

#[test]
fn the_first_departments_clock_is_kept_when_a_second_is_assigned_and_goes_overdue_alone() {
    let desk = two_departments();
    assert_eq!(desk.case.deadlines[&reply_clock(NURSING)].due, eod("2026-11-03"));
    assert_eq!(desk.case.deadlines[&reply_clock(PHARMACY)].due, eod("2026-11-06"));
    // On 4 Nov only 护理部 is late: it is the one to urge.
    assert_eq!(
        must_urge(&desk.case, at("2026-11-04T09:00:00+08:00")),
        vec![reply_clock(NURSING)]
    );
    // Still overdue a working day after its due day: up one level, naming it.
    assert!(desk.overdue("2026-11-04T23:59:59+08:00").is_empty());
    let events = desk.overdue("2026-11-05T00:00:00+08:00");
    assert_eq!(events.len(), 1);
    assert!(matches!(
        &events[0].body,
        EventBody::Escalated {
            cause: Cause::Overdue {
                deadline: DeadlineKind::DepartmentReply,
                dept: Some(DeptId(NURSING)),
            },
            ..
        }
    ));
    // 药剂科 is escalated in its own turn, once.
    let mut desk = desk;
    desk.apply(&events);
    let later = desk.overdue("2026-11-10T00:00:00+08:00");
    assert_eq!(later.len(), 1, "{later:?}");
    assert!(matches!(
        &later[0].body,
        EventBody::Escalated {
            cause: Cause::Overdue {
                dept: Some(DeptId(PHARMACY)),
                ..
            },
            ..
        }
    ));
}

#[test]
fn each_department_replies_for_itself_and_the_result_waits_for_all() {
    let mut desk = two_departments();
    // With two departments still to reply, a reply must say whose it is.
    let err = desk.refuse(&owner(), "2026-11-03T15:00:00+08:00", reply(Verdict::Unjustified));
    assert_eq!(
        err,
        RuleError::WhichDepartment {
            pending: vec![DeptId(NURSING), DeptId(PHARMACY)]
        }
    );
    desk.run(
        &owner(),
        "2026-11-03T15:00:00+08:00",
        reply_from(NURSING, Verdict::Unjustified),
    );
    // Half an answer is no result: the case waits, and cannot close.
    assert_eq!(desk.case.state, State::Assigned);
    assert!(!desk.case.has_result());
    assert!(desk.case.deadlines[&reply_clock(NURSING)].met_at.is_some());
    assert!(desk.case.deadlines[&reply_clock(PHARMACY)].is_running());
    assert!(check_close(&desk.case, &desk.policy).is_err());
    // A department that already replied is not one to reply again.
    let err = desk.refuse(
        &owner(),
        "2026-11-04T10:00:00+08:00",
        reply_from(NURSING, Verdict::Justified),
    );
    assert!(matches!(err, RuleError::DepartmentNotPending { .. }), "{err:?}");
    // The last one: the result is the weightiest verdict of the two.
    desk.run(
        &owner(),
        "2026-11-05T10:00:00+08:00",
        reply_from(PHARMACY, Verdict::Partly),
    );
    assert_eq!(desk.case.state, State::Replied);
    assert!(matches!(
        desk.case.outcome,
        Some(Outcome::Reply {
            verdict: Verdict::Partly,
            ..
        })
    ));
    let replies: Vec<_> = desk
        .case
        .round_departments()
        .map(|t| (t.dept, t.reply.as_ref().map(|r| r.verdict)))
        .collect();
    assert_eq!(
        replies,
        [
            (DeptId(NURSING), Some(Verdict::Unjustified)),
            (DeptId(PHARMACY), Some(Verdict::Partly))
        ]
    );
}

#[test]
fn urges_are_counted_per_department() {
    let mut desk = two_departments();
    let mut urge_nursing = urge("请护理部今天答复");
    if let Command::Urge { dept, .. } = &mut urge_nursing {
        *dept = Some(DeptId(NURSING));
    }
    desk.run(&owner(), "2026-11-04T09:30:00+08:00", urge_nursing);
    assert_eq!(desk.case.department(DeptId(NURSING)).unwrap().urges, 1);
    assert_eq!(desk.case.department(DeptId(PHARMACY)).unwrap().urges, 0);
    assert!(must_urge(&desk.case, at("2026-11-04T10:00:00+08:00")).is_empty());
    // 药剂科 late too on Sat 7 Nov: it is to urge, 护理部 was urged since its due time.
    assert_eq!(
        must_urge(&desk.case, at("2026-11-07T10:00:00+08:00")),
        vec![reply_clock(PHARMACY)]
    );
    // An urge that names no department goes to the longest overdue one.
    let events = desk.run(&owner(), "2026-11-07T10:00:00+08:00", urge("催办"));
    assert!(matches!(
        events[0].body,
        EventBody::Urged {
            dept: Some(DeptId(NURSING)),
            ..
        }
    ));
    // With none overdue yet and two still to reply, it must say which.
    let fresh = two_departments();
    let err = fresh.refuse(&owner(), "2026-11-03T11:00:00+08:00", urge("请尽快答复"));
    assert!(matches!(err, RuleError::WhichDepartment { .. }), "{err:?}");
}

#[test]
fn a_supervisor_may_release_a_department_with_a_reason_and_the_others_reply_is_the_result() {
    let mut desk = two_departments();
    let release = |dept: i64, reason: &str| Command::Release {
        dept: DeptId(dept),
        reason: reason.into(),
    };
    assert!(matches!(
        desk.refuse(&owner(), "2026-11-04T10:00:00+08:00", release(PHARMACY, "不涉及用药")),
        RuleError::SupervisorOnly { .. }
    ));
    assert_eq!(
        desk.refuse(&sup(), "2026-11-04T10:00:00+08:00", release(PHARMACY, " ")),
        RuleError::Required { field: "reason" }
    );
    desk.run(
        &sup(),
        "2026-11-04T10:00:00+08:00",
        release(PHARMACY, "经核实不涉及用药"),
    );
    // Released: no clock of its own runs any more, nothing to urge or escalate.
    assert!(!desk.case.deadlines[&reply_clock(PHARMACY)].is_running());
    assert!(desk.case.department(DeptId(PHARMACY)).unwrap().released);
    // Releasing the last one with no reply would leave no result.
    assert_eq!(
        desk.refuse(&sup(), "2026-11-04T10:30:00+08:00", release(NURSING, "不需要")),
        RuleError::ReleaseLeavesNoResult
    );
    desk.run(
        &owner(),
        "2026-11-04T11:00:00+08:00",
        reply_from(NURSING, Verdict::Justified),
    );
    assert_eq!(desk.case.state, State::Replied);
    assert!(matches!(
        desk.case.outcome,
        Some(Outcome::Reply {
            verdict: Verdict::Justified,
            ..
        })
    ));
}

#[test]
fn each_departments_clock_counts_across_the_national_day_holiday_and_extends_by_name() {
    // Wed 30 Sep: by phone, due the first working day after 1–7 Oct (Thu 8
    // Oct); in writing, due Sat 10 Oct, a make-up working day.
    let mut desk = Desk::open(form(), "2026-09-30T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-09-30T10:00:00+08:00",
        assign(NURSING, AssignMode::Phone),
    );
    desk.run(
        &owner(),
        "2026-09-30T11:00:00+08:00",
        assign(PHARMACY, AssignMode::Written),
    );
    assert_eq!(desk.case.deadlines[&reply_clock(NURSING)].due, eod("2026-10-08"));
    assert_eq!(desk.case.deadlines[&reply_clock(PHARMACY)].due, eod("2026-10-10"));
    // Extending "the department's reply" with two running: whose?
    let err = desk.refuse(
        &owner(),
        "2026-10-08T09:00:00+08:00",
        extend(
            Some(DeadlineKind::DepartmentReply),
            "2026-10-12T17:00:00+08:00",
            "科室需调取监控",
        ),
    );
    assert!(matches!(err, RuleError::WhichDepartment { .. }), "{err:?}");
    let mut named = extend(
        Some(DeadlineKind::DepartmentReply),
        "2026-10-12T17:00:00+08:00",
        "科室需调取监控",
    );
    if let Command::Extend { dept, .. } = &mut named {
        *dept = Some(DeptId(NURSING));
    }
    desk.run(&owner(), "2026-10-08T09:00:00+08:00", named);
    assert_eq!(
        desk.case.deadlines[&reply_clock(NURSING)].due,
        at("2026-10-12T17:00:00+08:00")
    );
    assert!(desk.case.deadlines[&reply_clock(NURSING)].extended);
    assert_eq!(desk.case.deadlines[&reply_clock(PHARMACY)].due, eod("2026-10-10"));
}

#[test]
fn a_reply_recorded_before_departments_had_clocks_of_their_own_still_reads() {
    // An event as an older desk stored it: no department on the reply.
    let mut desk = Desk::open(form(), "2026-03-02T09:00:00+08:00");
    desk.run(
        &owner(),
        "2026-03-02T10:00:00+08:00",
        assign(NURSING, AssignMode::Written),
    );
    let old: EventBody = serde_json::from_str(
        r#"{"kind":"replied","verdict":"unjustified","facts":"经调查按规程处理","responsible":null,"measures":null}"#,
    )
    .unwrap();
    let mut events = desk.events.clone();
    events.push(casedesk::domain::Event {
        at: at("2026-03-03T10:00:00+08:00"),
        actor: owner().id,
        body: old,
        late: None,
    });
    let case = casedesk::domain::Case::replay(&events).unwrap();
    assert_eq!(case.state, State::Replied);
    assert!(case.deadlines[&reply_clock(NURSING)].met_at.is_some());
}
