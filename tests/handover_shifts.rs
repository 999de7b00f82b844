//! The shift rules of the handover review, on fixed dates: which shift a
//! clerk joins when they sign in, who is offered a handover, who may take it
//! over, and the question thread and the cases handed over with it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::handover::{Duty, Handover, HandoverError, ShiftKind, joining_shift, shift_at};
use casedesk::domain::{Actor, Policy, Role, StaffId};
use support::at;

fn clerk(id: i64) -> Actor {
    Actor {
        id: StaffId(id),
        name: format!("c{id}"),
        role: Role::Clerk,
        active: true,
    }
}

fn policy() -> Policy {
    Policy::builtin().unwrap()
}

#[test]
fn the_default_policy_lets_a_clerk_join_the_next_shift_half_an_hour_early() {
    assert_eq!(policy().shifts.early_join_minutes, 30);
}

#[test]
fn a_day_clerk_signing_in_again_at_17_20_stays_on_the_day_shift() {
    let p = policy();
    let day = shift_at(&p, at("2026-03-02T09:00:00+08:00"));
    assert_eq!(day.kind, ShiftKind::Day);
    let t = at("2026-03-02T17:20:00+08:00");
    assert_eq!(
        joining_shift(&p, t, Some(&day)),
        day,
        "on duty in the day shift: stays in it"
    );
    // Someone arriving at 17:20 who is not on duty is an early night clerk.
    assert_eq!(joining_shift(&p, t, None).kind, ShiftKind::Night);
    // An hour early is too early: the day shift.
    assert_eq!(
        joining_shift(&p, at("2026-03-02T16:30:00+08:00"), None).kind,
        ShiftKind::Day
    );
    // A night clerk who joined early and signs in again at 17:35 stays on the night.
    let night = joining_shift(&p, t, None);
    assert_eq!(joining_shift(&p, at("2026-03-02T17:35:00+08:00"), Some(&night)), night);
}

#[test]
fn a_shift_long_over_does_not_hold_a_clerk() {
    let p = policy();
    // On duty (never relieved) since last night; back at 16:00 the next day.
    let last_night = shift_at(&p, at("2026-03-02T20:00:00+08:00"));
    let next_day = joining_shift(&p, at("2026-03-03T16:00:00+08:00"), Some(&last_night));
    assert_eq!(next_day.kind, ShiftKind::Day);
    assert_eq!(next_day.start, at("2026-03-03T08:00:00+08:00"));
}

#[test]
fn taking_over_a_day_shift_at_14_38_joins_the_rest_of_that_day_shift() {
    let p = policy();
    // The incoming clerk joins what `joining_shift` says at the signature.
    let taken = joining_shift(&p, at("2026-03-02T14:38:00+08:00"), None);
    assert_eq!(taken.kind, ShiftKind::Day);
    assert_eq!(taken.end, at("2026-03-02T17:30:00+08:00"));
    // Signed at 17:05, close to the end: the night.
    assert_eq!(
        joining_shift(&p, at("2026-03-02T17:05:00+08:00"), None).kind,
        ShiftKind::Night
    );
}

/// The day shift of 2 March handed over by clerk 1, signed at 17:20.
fn day_handover() -> Handover {
    let p = policy();
    let day = shift_at(&p, at("2026-03-02T09:00:00+08:00"));
    let mut h = Handover::new(1, day, StaffId(1), &p);
    for item in h.checklist.clone() {
        h.check(&clerk(1), &item.item, true, None).unwrap();
    }
    h.sign_outgoing(&clerk(1), 0, at("2026-03-02T17:20:00+08:00")).unwrap();
    h
}

fn duty(start: &str, joined: &str) -> Duty {
    Duty {
        shift_start: at(start),
        joined_at: at(joined),
    }
}

#[test]
fn a_handover_is_offered_to_the_next_shift_not_to_a_colleague_of_the_same_shift() {
    let h = day_handover();
    let night = duty("2026-03-02T17:30:00+08:00", "2026-03-02T17:10:00+08:00");
    let colleague = duty("2026-03-02T08:00:00+08:00", "2026-03-02T08:05:00+08:00");
    let relief = duty("2026-03-02T08:00:00+08:00", "2026-03-02T17:25:00+08:00");
    assert!(h.offered_to(StaffId(2), Some(&night)));
    assert!(!h.offered_to(StaffId(2), Some(&colleague)));
    assert!(
        h.offered_to(StaffId(2), Some(&relief)),
        "arrived after the signature to relieve"
    );
    assert!(!h.offered_to(StaffId(2), None), "not signed in: offered nothing");
    assert!(!h.offered_to(StaffId(1), Some(&night)), "never to the outgoing clerk");
    assert_eq!(h.may_take_over(Some(&colleague)), Err(HandoverError::SameShift));
    assert_eq!(h.may_take_over(Some(&night)), Ok(()));
    assert_eq!(h.may_take_over(None), Ok(()));
}

#[test]
fn the_outgoing_clerk_answers_questions_until_the_incoming_clerk_signs() {
    let mut h = day_handover();
    let (out, inc) = (clerk(1), clerk(2));
    let t = at("2026-03-02T17:26:00+08:00");
    h.ask(&inc, "3床家属几点来？").unwrap();
    assert_eq!(h.answer(&inc, 0, "我答", t), Err(HandoverError::NotOutgoing));
    assert_eq!(h.answer(&out, 1, "答", t), Err(HandoverError::NoQuestion(2)));
    assert_eq!(h.answer(&out, 0, "  ", t), Err(HandoverError::Empty));
    h.answer(&out, 0, "晚上七点", t).unwrap();
    assert_eq!(
        h.answers_to(0).map(|a| a.text.as_str()).collect::<Vec<_>>(),
        ["晚上七点"]
    );
    h.sign_incoming(&inc, t).unwrap();
    assert_eq!(h.answer(&out, 0, "再答", t), Err(HandoverError::Signed));
}

#[test]
fn only_the_outgoing_clerks_own_open_cases_are_handed_over_before_they_sign() {
    let p = policy();
    let day = shift_at(&p, at("2026-03-02T09:00:00+08:00"));
    let mut h = Handover::new(1, day, StaffId(1), &p);
    let (out, inc) = (clerk(1), clerk(2));
    h.hand_over(&out, "2026-000001", true, true).unwrap();
    h.hand_over(&out, "2026-000001", true, true).unwrap();
    assert_eq!(h.hand_over, ["2026-000001"], "once");
    assert_eq!(
        h.hand_over(&out, "2026-000002", true, false),
        Err(HandoverError::NotYourCase("2026-000002".into()))
    );
    assert_eq!(
        h.hand_over(&inc, "2026-000001", false, true),
        Err(HandoverError::NotOutgoing)
    );
    h.hand_over(&out, "2026-000001", false, true).unwrap();
    assert!(h.hand_over.is_empty());
}
