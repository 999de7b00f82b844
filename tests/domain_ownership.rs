//! The rules of domain.md through the public API of the case engine, on fixed
//! dates in the desk's time zone (+08:00), one test per rule. Here ownership:
//! transfers, who may act on a case (the subject, other clerks, supervisors,
//! inactive accounts).

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::{AssignMode, Calendar, Command, EventBody, History, Policy, RuleError, State, Verdict};
use support::domain::*;

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
            reason: None,
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
