//! Random sequences of commands by random staff against one case, checking
//! after every step the invariants the desk relies on: one accountable owner,
//! closing only through the gate (and each of its exemptions) or a
//! withdrawal, replay = incremental fold, no silent deadline moves. (That a
//! refused command changes nothing is a promise of the store, tested on a
//! real desk in `store_props.rs`.)
//!
//! 256 cases per property unless `PROPTEST_CASES` says otherwise.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use casedesk::domain::case::Outcome;
use casedesk::domain::escalation::{must_urge, overdue_escalations};
use casedesk::domain::event::Exemption;
use casedesk::domain::gate::{check_close, distinct_attempt_days, needs_review};
use casedesk::domain::{
    Actor, Calendar, Case, Command, Context, DeadlineKind, Event, EventBody, Flag, History, Kind, Policy, Role,
    Satisfaction, Severity, StaffId, Time, decide,
};
use chrono::Duration;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use support::lifecycle::*;
use support::{at, proptest_cases};

// ---------------------------------------------------------------- the run

const AFTER_CLOSE: [DeadlineKind; 4] = [
    DeadlineKind::Archive,
    DeadlineKind::FollowUp1,
    DeadlineKind::FollowUp2,
    DeadlineKind::FollowUp3,
];

/// Runs one random sequence, checking the invariants after every step.
/// `seen` collects the kinds of the events that happened.
fn run(spec: &Intake, steps: &[Step], seen: &mut BTreeSet<&'static str>) -> Result<(), TestCaseError> {
    let policy = Policy::builtin().unwrap();
    let calendar = Calendar::builtin();
    let mut now = at(spec.start);
    let receiver = staff(CLERK_A);
    let ctx = Context {
        now,
        actor: &receiver,
        policy: &policy,
        calendar: &calendar,
    };
    let intake = Command::Intake {
        form: Box::new(form(spec)),
        history: History {
            caller_cases: spec.history.0,
            subject_complaints: spec.history.1,
        },
    };
    let mut events = decide(None, &intake, &ctx).unwrap();
    let mut case = Case::replay(&events).unwrap();
    seen.extend(events.iter().map(|e| e.body.kind_code()));
    check_case(&case, &events)?;

    for step in steps {
        now += Duration::minutes(step.advance);
        let before = case.clone();
        let new = match command(&step.op, &case, now) {
            None => {
                let auto = overdue_escalations(&case, now, &policy, &calendar);
                if case.is_paused() || case.is_closed() {
                    prop_assert!(auto.is_empty(), "no escalation while paused or closed: {auto:?}");
                }
                if case.is_paused() {
                    prop_assert!(must_urge(&case, now).is_empty());
                }
                for e in &auto {
                    prop_assert_eq!(e.actor, StaffId::SYSTEM);
                    prop_assert!(
                        matches!(e.body, EventBody::Escalated { .. }),
                        "not an escalation: {:?}",
                        e
                    );
                }
                auto
            }
            Some(command) => {
                let actor = actor_for(step.who, &command, &case);
                let ctx = Context {
                    now,
                    actor: &actor,
                    policy: &policy,
                    calendar: &calendar,
                };
                let result = decide(Some(&case), &command, &ctx);
                // decide is pure: the same answer twice
                prop_assert_eq!(&result, &decide(Some(&case), &command, &ctx));
                match result {
                    Err(_) => continue,
                    Ok(new) => {
                        check_accepted(&before, &command, &actor, &new, &policy)?;
                        new
                    }
                }
            }
        };
        for e in &new {
            prop_assert_eq!(e.at, now);
            if let EventBody::Escalated { from, to, .. } = e.body {
                prop_assert_eq!(from, case.level, "escalations start from the current level");
                prop_assert!(to > from && to <= 3, "{} -> {}", from, to);
            }
            case.apply(e);
        }
        seen.extend(new.iter().map(|e| e.body.kind_code()));
        seen.extend(new.iter().filter_map(|e| match &e.body {
            EventBody::Closed { exemption, .. } => Some(closed_by(*exemption)),
            _ => None,
        }));
        events.extend(new.iter().cloned());
        check_transition(&before, &case, &new, &policy)?;
        check_case(&case, &events)?;
    }
    Ok(())
}

/// How a case closed through the gate: a satisfied return visit, or which exemption.
fn closed_by(exemption: Option<Exemption>) -> &'static str {
    match exemption {
        None => "closed after a return visit",
        Some(Exemption::NoContact) => "closed exempt: no contact",
        Some(Exemption::Unreachable) => "closed exempt: unreachable",
        Some(Exemption::AnsweredPraiseOrInquiry) => "closed exempt: praise or inquiry answered on the spot",
    }
}

/// Who may do what: an accepted command respects the actor rules.
fn check_accepted(
    before: &Case,
    command: &Command,
    actor: &Actor,
    new: &[Event],
    policy: &Policy,
) -> Result<(), TestCaseError> {
    let code = command.code();
    prop_assert!(actor.active, "{} accepted from an inactive account", code);
    prop_assert_ne!(actor.id, SUBJECT, "{} accepted from the subject (recusal)", code);
    prop_assert!(!new.is_empty(), "{} accepted with no event", code);
    if actor.id != before.owner && !actor.is_supervisor() {
        // first-receiver responsibility: only accepting an offered transfer
        prop_assert!(
            matches!(command, Command::Accept) && before.pending_transfer.as_ref().is_some_and(|t| t.to == actor.id),
            "{} accepted from {} who does not own the case",
            code,
            actor.name
        );
    }
    if matches!(
        command,
        Command::Withdraw { .. } | Command::Reopen { .. } | Command::Review { .. }
    ) {
        prop_assert!(actor.is_supervisor(), "{} needs a supervisor", code);
    }
    if let Command::Review { .. } = command {
        prop_assert!(
            !before.earlier_handlers.contains(&actor.id),
            "reviewer handled an earlier round"
        );
    }
    if let Command::Feedback { .. } = command
        && needs_review(before)
    {
        prop_assert!(
            before.reviewed_by.is_some(),
            "second-round feedback before the sign-off"
        );
    }
    if before.is_closed() {
        prop_assert!(
            matches!(
                command,
                Command::Reopen { .. } | Command::FollowUp { .. } | Command::Archive
            ),
            "{} accepted on a closed case",
            code
        );
    }
    if let Command::Close = command {
        // the gate, restated independently of its implementation
        prop_assert!(before.has_result(), "closed without a result");
        prop_assert!(before.has_feedback(), "closed without feedback");
        let visited = matches!(before.satisfaction, Some(Satisfaction::Satisfied | Satisfaction::Basic));
        let Some(EventBody::Closed { exemption, .. }) = new.first().map(|e| &e.body) else {
            return Err(TestCaseError::fail(format!("close yielded {new:?}")));
        };
        prop_assert_eq!(check_close(before, policy), Ok(*exemption));
        match exemption {
            None => prop_assert!(visited, "closed without a return visit or exemption"),
            Some(Exemption::NoContact) => {
                prop_assert!(!before.intake.complainant.has_contact());
            }
            Some(Exemption::Unreachable) => {
                let days: BTreeSet<_> = before
                    .failed_attempts
                    .iter()
                    .map(|t| t.with_timezone(&policy.timezone).date_naive())
                    .collect();
                prop_assert!(days.len() >= 3, "unreachable after {} days", days.len());
                prop_assert_eq!(distinct_attempt_days(before, policy) as usize, days.len());
            }
            Some(Exemption::AnsweredPraiseOrInquiry) => {
                prop_assert!(matches!(before.intake.kind, Kind::Praise | Kind::Inquiry));
                prop_assert_eq!(&before.outcome, &Some(Outcome::OnSpot));
            }
        }
    }
    Ok(())
}

/// What may change from one step to the next.
fn check_transition(before: &Case, after: &Case, new: &[Event], policy: &Policy) -> Result<(), TestCaseError> {
    prop_assert!(after.level >= before.level, "the level never goes down");
    prop_assert!(after.level <= 3);
    if !before.is_closed() && after.is_closed() {
        let closers: Vec<_> = new
            .iter()
            .filter(|e| matches!(e.body, EventBody::Closed { .. } | EventBody::Withdrawn { .. }))
            .collect();
        prop_assert_eq!(closers.len(), 1, "closed only by Close or Withdraw: {:?}", new);
        if let EventBody::Closed { exemption, .. } = &closers[0].body {
            prop_assert_eq!(check_close(before, policy), Ok(*exemption));
        }
    }
    if before.is_closed() && after.is_closed() {
        // read-only: only follow-ups and the archive stamp change it
        let mut same = after.clone();
        same.follow_ups = before.follow_ups;
        same.archived_at = before.archived_at;
        same.deadlines.clone_from(&before.deadlines);
        same.event_count = before.event_count;
        same.last_event_at = before.last_event_at;
        prop_assert_eq!(&same, before);
    }

    // a due time moves only by an extension, a resume, or a clock (re)started by an event
    let mut allowed: Vec<(DeadlineKind, Time)> = Vec::new();
    let mut reopened = false;
    for e in new {
        match &e.body {
            EventBody::Extended { deadline, from, to, .. } => {
                prop_assert!(to > from, "an extension moves later");
                allowed.push((*deadline, *to));
            }
            EventBody::Resumed { shifted, .. } => {
                for s in shifted {
                    prop_assert!(s.to > s.from, "a resume moves later");
                    prop_assert!(
                        !matches!(
                            s.deadline,
                            DeadlineKind::ReportToLeadership | DeadlineKind::PromisedReply
                        ),
                        "hour and promise clocks do not move"
                    );
                    allowed.push((s.deadline, s.to));
                }
            }
            EventBody::Promised { promised_reply_at, .. } => {
                allowed.push((DeadlineKind::PromisedReply, *promised_reply_at));
            }
            EventBody::AnsweredOnSpot { dues, .. }
            | EventBody::Referred { dues, .. }
            | EventBody::Assigned { dues, .. }
            | EventBody::FeedbackGiven { dues, .. }
            | EventBody::Closed { dues, .. }
            | EventBody::Withdrawn { dues, .. } => allowed.extend(dues.iter().map(|d| (d.deadline, d.due))),
            EventBody::Reopened { dues, .. } => {
                reopened = true;
                allowed.extend(dues.iter().map(|d| (d.deadline, d.due)));
            }
            _ => {}
        }
    }
    for (clock, old) in &before.deadlines {
        let kind = &clock.kind;
        match after.deadlines.get(clock) {
            None => prop_assert!(
                reopened && AFTER_CLOSE.contains(kind),
                "clock {} vanished after {:?}",
                kind,
                new
            ),
            Some(d) => {
                if d.due != old.due {
                    prop_assert!(
                        old.is_running() || allowed.iter().any(|(k, _)| k == kind),
                        "a met clock {} moved",
                        kind
                    );
                    prop_assert!(
                        allowed.contains(&(*kind, d.due)),
                        "clock {} moved silently from {} to {} by {:?}",
                        kind,
                        old.due,
                        d.due,
                        new
                    );
                }
                if old.met_at.is_some() && d.met_at != old.met_at {
                    prop_assert!(
                        allowed.iter().any(|(k, _)| k == kind),
                        "a met clock {} was un-met",
                        kind
                    );
                }
            }
        }
    }
    for (clock, d) in &after.deadlines {
        let kind = &clock.kind;
        if !before.deadlines.contains_key(clock) {
            prop_assert!(
                allowed.contains(&(*kind, d.due)),
                "clock {} appeared from nowhere",
                kind
            );
        }
    }
    Ok(())
}

/// What holds of every case at any time.
fn check_case(case: &Case, events: &[Event]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        &Case::replay(events).unwrap(),
        case,
        "replay differs from the incremental fold"
    );
    prop_assert_eq!(case.event_count as usize, events.len());

    // one owner: the receiver, or whoever last accepted a transfer
    let expected = events
        .iter()
        .rev()
        .find_map(|e| match e.body {
            EventBody::TransferAccepted { to, .. } => Some(to),
            _ => None,
        })
        .unwrap_or(events[0].actor);
    prop_assert_eq!(case.owner, expected);
    prop_assert_eq!(case.first_receiver, events[0].actor);
    let owner = staff(case.owner);
    prop_assert!(owner.active, "inactive owner");
    prop_assert!(owner.role != Role::Admin, "admin owner");
    prop_assert!(
        case.intake.subject_staff != Some(case.owner),
        "the subject owns the case"
    );
    if let Some(t) = &case.pending_transfer {
        prop_assert!(t.to != case.owner);
    }

    prop_assert!(case.level <= 3);
    if case.is_closed() {
        prop_assert!(case.closed_at.is_some());
        prop_assert!(!case.is_paused());
        prop_assert!(case.pending_transfer.is_none());
        for d in case.deadlines.values().filter(|d| d.is_running()) {
            prop_assert!(AFTER_CLOSE.contains(&d.kind), "{} still running after close", d.kind);
        }
        prop_assert!(
            events
                .iter()
                .any(|e| matches!(e.body, EventBody::Closed { .. } | EventBody::Withdrawn { .. })),
            "closed without a closing event"
        );
    } else {
        prop_assert!(case.closed_at.is_none());
        prop_assert!(case.archived_at.is_none());
    }
    if case.flags.contains(&Flag::Dispute) {
        prop_assert_eq!(case.level, 3, "a dispute is handled at leadership level");
    }
    if case.intake.severity == Severity::Major {
        prop_assert!(case.level >= 2);
    }
    Ok(())
}

// ---------------------------------------------------------------- tests

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(256)))]

    #[test]
    fn random_command_sequences_keep_the_case_invariants(
        spec in intake(),
        steps in prop::collection::vec(step(), STEPS),
    ) {
        let mut seen = BTreeSet::new();
        run(&spec, &steps, &mut seen)?;
    }
}

/// The generator must reach the interesting parts of the lifecycle, or the
/// property above proves little.
#[test]
fn random_sequences_reach_every_part_of_the_lifecycle() {
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = (intake(), prop::collection::vec(step(), STEPS));
    let mut seen = BTreeSet::new();
    for _ in 0..256 {
        let (spec, steps) = strategy.new_tree(&mut runner).unwrap().current();
        run(&spec, &steps, &mut seen).unwrap();
    }
    for kind in [
        "received",
        "promised",
        "answered_on_spot",
        "referred",
        "assigned",
        "urged",
        "extended",
        "paused",
        "resumed",
        "replied",
        "reviewed",
        "feedback_given",
        "return_visited",
        "visit_failed",
        "escalated",
        "flagged",
        "transfer_requested",
        "transfer_accepted",
        "reopened",
        "closed",
        "withdrawn",
        "followed_up",
        "archived",
        closed_by(None),
        closed_by(Some(Exemption::NoContact)),
        closed_by(Some(Exemption::Unreachable)),
        closed_by(Some(Exemption::AnsweredPraiseOrInquiry)),
    ] {
        assert!(
            seen.contains(kind),
            "no random sequence produced '{kind}'; seen: {seen:?}"
        );
    }
}
