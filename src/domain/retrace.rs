//! Retracing recorded events through the rules (an import): each step of a
//! case is decided again, at the time it says it happened and by the staff
//! member it names, with the same `decide` the live desk runs, and the events
//! the file holds must be those the rules make. A file can then carry nothing
//! the desk itself would have refused: a summary past its length, a close
//! without a return visit, a step before the intake or in the future, a step
//! by someone who may not take it.
//!
//! What the rules compute from the desk's policy and calendar (the clocks a
//! step starts, the days a pause moves them) is kept as the file has it: the
//! case was decided under the policy of its own day. What they decide (the
//! state a step needs, who may take it, the closing gate, the levels of
//! escalation, a close's exemption, the round of a reopening) must agree.
//! The repeat rule needs the caller's earlier cases, which an import does not
//! count: a file's repeat flag stands.

use std::collections::BTreeSet;

use super::case::ReplayError;
use super::command::{Command, Context, History, IntakeForm, LateEntry, decide, decide_late};
use super::escalation::overdue_escalations;
use super::event::{Cause, Received};
use super::{Actor, Calendar, Case, Event, EventBody, Flag, Policy, RuleError, StaffId, Time};

/// How far ahead of the importing desk's clock an event may be dated (the
/// clocks of two desks differ a little), as for a received time at intake.
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// What retracing needs: the importing desk's clock, rules and staff.
pub struct Retracing<'a> {
    /// The importing desk's now: no event may be dated after it.
    pub now: Time,
    /// The rules in force.
    pub policy: &'a Policy,
    /// Working days.
    pub calendar: &'a Calendar,
    /// The staff member of an id, as they were when they acted (active, in their role).
    pub staff: &'a (dyn Fn(StaffId) -> Option<Actor> + Sync),
}

/// Why one recorded event cannot stand.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Untraced {
    /// The rules refuse the step.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// Dated after the importing desk's now.
    #[error("dated in the future (now is {now})")]
    Future {
        /// The importing desk's now.
        now: Time,
    },
    /// Dated before the case was taken in.
    #[error("dated before the case's intake ({intake})")]
    BeforeIntake {
        /// When the intake was recorded.
        intake: Time,
    },
    /// Dated before the event recorded before it.
    #[error("dated before the event before it ({previous})")]
    OutOfOrder {
        /// When the event before it happened.
        previous: Time,
    },
    /// Entered late, but entered before it happened or after now.
    #[error("entered at {entered}, not between when it happened and now")]
    Entered {
        /// When the file says it was entered.
        entered: Time,
    },
    /// The rules would not make this event here (another level, exemption,
    /// round or clock, or no such automatic step at this time).
    #[error("the rules would not record this event here")]
    NotMade,
    /// A step only a person takes, recorded as the desk's own.
    #[error("a step by the desk itself, which only a person takes")]
    BySystem,
    /// A staff member the desk does not know.
    #[error("unknown staff #{}", .0.0)]
    UnknownStaff(StaffId),
    /// Not a case: no intake first, or a second one.
    #[error(transparent)]
    Shape(ReplayError),
}

/// The event a case's retracing stopped at, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Its place among the case's events, from 1.
    pub event: usize,
    /// Its kind (`closed` …), empty when there is none.
    pub kind: &'static str,
    /// When it says it happened, if there is an event.
    pub at: Option<Time>,
    /// Who it says took it, if there is an event.
    pub actor: Option<StaffId>,
    /// What is wrong.
    pub why: Untraced,
}

/// Retraces `events` (a case, oldest first): the case they make and the events
/// to keep, the intake's typed text made as the desk makes it (trimmed, the
/// phone as digits); or the first event that cannot stand.
pub fn retrace(mut events: Vec<Event>, rules: &Retracing<'_>) -> Result<(Case, Vec<Event>), Refusal> {
    let refuse = |events: &[Event], i: usize, why: Untraced| Refusal {
        event: i + 1,
        kind: events.get(i).map_or("", |e| e.body.kind_code()),
        at: events.get(i).map(|e| e.at),
        actor: events.get(i).map(|e| e.actor),
        why,
    };
    let Some(first) = events.first() else {
        return Err(refuse(&events, 0, Untraced::Shape(ReplayError::Empty)));
    };
    if let Err((i, why)) = in_time(&events, 0, rules) {
        return Err(refuse(&events, i, why));
    }
    let (intake, group) = match retrace_intake(first, &events, rules) {
        Ok(done) => done,
        Err((i, why)) => return Err(refuse(&events, i, why)),
    };
    events[0] = intake;
    let mut case = Case::open(&events[0]).map_err(|e| refuse(&events, 0, Untraced::Shape(e)))?;
    for e in &events[1..group] {
        case.apply(e);
    }
    let mut i = group;
    while i < events.len() {
        let n = in_time(&events, i, rules)
            .and_then(|()| retrace_step(&case, &events, i, rules))
            .map_err(|(at, why)| refuse(&events, at, why))?;
        for e in &events[i..i + n] {
            case.apply(e);
        }
        i += n;
    }
    Ok((case, events))
}

/// The event at `i` (its place, and for a later one its order) fits the clock.
fn in_time(events: &[Event], i: usize, rules: &Retracing<'_>) -> Result<(), (usize, Untraced)> {
    let e = &events[i];
    let latest = rules.now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES);
    let refuse = |why| Err((i, why));
    if e.at > latest {
        return refuse(Untraced::Future { now: rules.now });
    }
    if let Some(late) = &e.late
        && (late.entered_at > latest || late.entered_at < e.at)
    {
        return refuse(Untraced::Entered {
            entered: late.entered_at,
        });
    }
    if i == 0 {
        return Ok(());
    }
    let intake = events[0].at;
    if e.at < intake {
        return refuse(Untraced::BeforeIntake { intake });
    }
    let previous = events[i - 1].at;
    if e.at < previous {
        return refuse(Untraced::OutOfOrder { previous });
    }
    Ok(())
}

/// The intake decided again: the event to keep and how many events the
/// intake made (itself and the escalations the rules raise at once).
fn retrace_intake(first: &Event, events: &[Event], rules: &Retracing<'_>) -> Result<(Event, usize), (usize, Untraced)> {
    let EventBody::Received(r) = &first.body else {
        return Err((0, Untraced::Shape(ReplayError::NotIntake(first.body.kind_code()))));
    };
    let actor = person(first.actor, rules).map_err(|why| (0, why))?;
    let command = Command::Intake {
        form: Box::new(form_of(r)),
        history: history_of(r, rules.policy),
    };
    let ctx = Context {
        now: first.at,
        actor: &actor,
        policy: rules.policy,
        calendar: rules.calendar,
    };
    let decided = decide(None, &command, &ctx).map_err(|e| (0, Untraced::Rule(e)))?;
    let mut made = decided.into_iter();
    let Some(Event {
        body: EventBody::Received(mut kept),
        ..
    }) = made.next()
    else {
        return Err((0, Untraced::NotMade));
    };
    let flags = |f: &[Flag]| f.iter().copied().collect::<BTreeSet<_>>();
    if flags(&kept.flags) != flags(&r.flags) {
        return Err((0, Untraced::NotMade));
    }
    let mut n = 1;
    for d in made {
        match events.get(n) {
            Some(g) if same_step(&d, g) => n += 1,
            _ => return Err((n.min(events.len().saturating_sub(1)), Untraced::NotMade)),
        }
    }
    // A second complaint is flagged repeat and raised a level above its
    // first case by the desk as it is recorded: the file's word stands, as
    // for the repeat rule (the first case is not at hand).
    if r.follows.is_some() {
        while let Some(g) = events.get(n) {
            let by_the_desk = g.actor == StaffId::SYSTEM
                && g.at == first.at
                && matches!(
                    &g.body,
                    EventBody::Flagged { flag: Flag::Repeat, .. }
                        | EventBody::Escalated {
                            cause: Cause::SecondComplaint { .. },
                            ..
                        }
                );
            if !by_the_desk {
                break;
            }
            n += 1;
        }
    }
    kept.follows.clone_from(&r.follows);
    // The clocks are the file's: decided under the policy of their day.
    kept.dues.clone_from(&r.dues);
    let intake = Event {
        body: EventBody::Received(kept),
        ..first.clone()
    };
    Ok((intake, n))
}

/// The step at `i` decided again on `case`; how many events it made.
fn retrace_step(case: &Case, events: &[Event], i: usize, rules: &Retracing<'_>) -> Result<usize, (usize, Untraced)> {
    let e = &events[i];
    if matches!(e.body, EventBody::Received(_)) {
        return Err((i, Untraced::Shape(ReplayError::SecondIntake(i))));
    }
    if e.actor == StaffId::SYSTEM {
        // The desk's own steps are the overdue escalations, each due when recorded.
        let made = overdue_escalations(case, e.at, rules.policy, rules.calendar);
        return match made.first() {
            Some(d) if matches!(e.body, EventBody::Escalated { .. }) && same_step(d, e) => Ok(1),
            _ if matches!(e.body, EventBody::Escalated { .. }) => Err((i, Untraced::NotMade)),
            _ => Err((i, Untraced::BySystem)),
        };
    }
    let actor = person(e.actor, rules).map_err(|why| (i, why))?;
    let mut command = command_of(&e.body, rules).map_err(|why| (i, why))?;
    // A promise moved before a new promise needed a reason: its record stands.
    if let Command::Promise {
        reason: reason @ None, ..
    } = &mut command
        && case.running_promise().is_some()
    {
        *reason = Some(MOVED_BEFORE_REASONS.to_string());
    }
    let decided = match &e.late {
        Some(late) => decide_late(
            case,
            &command,
            &Context {
                now: late.entered_at,
                actor: &actor,
                policy: rules.policy,
                calendar: rules.calendar,
            },
            &LateEntry {
                at: e.at,
                reason: &late.reason,
            },
        ),
        None => decide(
            Some(case),
            &command,
            &Context {
                now: e.at,
                actor: &actor,
                policy: rules.policy,
                calendar: rules.calendar,
            },
        ),
    }
    .map_err(|r| (i, Untraced::Rule(r)))?;
    for (k, d) in decided.iter().enumerate() {
        match events.get(i + k) {
            Some(g) if same_step(d, g) => {}
            _ => return Err(((i + k).min(events.len() - 1), Untraced::NotMade)),
        }
    }
    Ok(decided.len())
}

/// A person who may act (the desk itself may not), as they were then.
fn person(id: StaffId, rules: &Retracing<'_>) -> Result<Actor, Untraced> {
    if id == StaffId::SYSTEM {
        return Err(Untraced::BySystem);
    }
    (rules.staff)(id).ok_or(Untraced::UnknownStaff(id))
}

/// The intake form a received event was made from.
fn form_of(r: &Received) -> IntakeForm {
    IntakeForm {
        number: r.number.clone(),
        received_at: Some(r.received_at),
        channel: r.channel,
        kind: r.kind,
        origin: r.origin,
        complainant: r.complainant.clone(),
        confidential: r.confidential,
        dept: r.dept,
        subject_staff: r.subject_staff,
        subject_person: r.subject_person.clone(),
        category: r.category,
        severity: r.severity,
        summary: r.summary.clone(),
        details: r.details.clone(),
        promised_reply_at: r.promised_reply_at,
        flags: r
            .flags
            .iter()
            .copied()
            .filter(|f| matches!(f, Flag::Dispute | Flag::Media))
            .collect(),
    }
}

/// The repeat rule's history: the file's repeat flag stands (the caller's
/// earlier cases are not counted on import).
fn history_of(r: &Received, policy: &Policy) -> History {
    if r.flags.contains(&Flag::Repeat) {
        History {
            caller_cases: policy.escalation.repeat_caller_cases.saturating_sub(1),
            subject_complaints: 0,
        }
    } else {
        History::default()
    }
}

/// The reason a retraced promise gives when it moved an earlier one before
/// the desk asked for a reason (the file's event keeps none).
const MOVED_BEFORE_REASONS: &str = "recorded before a moved promise needed a reason";

/// The command a person's step was made by.
fn command_of(body: &EventBody, rules: &Retracing<'_>) -> Result<Command, Untraced> {
    let text = String::clone;
    Ok(match body {
        EventBody::Promised {
            promised_reply_at,
            reason,
            ..
        } => Command::Promise {
            at: *promised_reply_at,
            reason: reason.clone(),
        },
        EventBody::AnsweredOnSpot { text: t, .. } => Command::Answer { text: text(t) },
        EventBody::Referred { dept, text: t, .. } => Command::Refer {
            dept: *dept,
            text: text(t),
        },
        EventBody::Assigned { dept, mode, .. } => Command::Assign {
            dept: *dept,
            mode: *mode,
        },
        EventBody::Urged {
            deadline,
            whom,
            method,
            note,
            answer,
            promised_at,
            dept,
        } => Command::Urge {
            deadline: *deadline,
            whom: whom.clone(),
            method: method.clone(),
            note: text(note),
            answer: answer.clone(),
            promised_at: *promised_at,
            dept: *dept,
        },
        EventBody::Extended {
            deadline,
            to,
            reason,
            dept,
            ..
        } => Command::Extend {
            deadline: Some(*deadline),
            to: *to,
            reason: text(reason),
            dept: *dept,
        },
        EventBody::Released { dept, reason } => release(*dept, reason),
        EventBody::Paused { reason } => Command::Pause { reason: text(reason) },
        EventBody::Resumed { reason, .. } => Command::Resume { reason: reason.clone() },
        EventBody::Replied { .. } => reply(body).ok_or(Untraced::NotMade)?,
        EventBody::Reviewed { note } => Command::Review { note: note.clone() },
        EventBody::FeedbackGiven { method, text: t, .. } => Command::Feedback {
            method: *method,
            text: text(t),
        },
        EventBody::ReturnVisited {
            method,
            satisfaction,
            attitude,
            speed,
            result,
            comment,
        } => Command::Visit {
            method: *method,
            satisfaction: *satisfaction,
            attitude: *attitude,
            speed: *speed,
            result: *result,
            comment: comment.clone(),
        },
        EventBody::VisitFailed { note } => Command::VisitFailed { note: note.clone() },
        EventBody::Escalated {
            cause: Cause::Manual { reason },
            ..
        } => Command::Escalate { reason: text(reason) },
        EventBody::Flagged { flag, reason, .. } => Command::Flag {
            flag: *flag,
            reason: reason.clone(),
        },
        EventBody::QualityReported { stage, text: t } => quality(*stage, t),
        EventBody::TransferRequested { to, reason } => Command::Transfer {
            to: (rules.staff)(*to).ok_or(Untraced::UnknownStaff(*to))?,
            reason: text(reason),
        },
        EventBody::TransferAccepted { .. } => Command::Accept,
        EventBody::Reopened { reason, .. } => Command::Reopen { reason: text(reason) },
        EventBody::Closed { .. } => Command::Close,
        EventBody::Withdrawn { reason, .. } => Command::Withdraw { reason: text(reason) },
        EventBody::FollowedUp {
            method,
            satisfaction,
            comment,
            ..
        } => Command::FollowUp {
            method: *method,
            satisfaction: *satisfaction,
            comment: comment.clone(),
        },
        EventBody::Archived => Command::Archive,
        EventBody::Noted { text: t } => Command::Note { text: text(t) },
        EventBody::Corrected { .. } => correction(body),
        EventBody::Linked { .. } | EventBody::JoinedBatch { .. } | EventBody::Attached { .. } => {
            related(body).ok_or(Untraced::NotMade)?
        }
        // Escalations but a manual one come with the step whose rule raised them.
        EventBody::Escalated { .. } | EventBody::Received(_) => return Err(Untraced::NotMade),
    })
}

/// A correction of the intake: the new value, the category or department named.
fn correction(body: &EventBody) -> Command {
    let EventBody::Corrected {
        field,
        new,
        category,
        dept,
        reason,
        ..
    } = body
    else {
        return Command::Close;
    };
    Command::Correct {
        field: *field,
        value: new.clone().unwrap_or_default(),
        category: *category,
        dept: *dept,
        reason: reason.clone(),
    }
}

/// A link, a batch's join or an attachment, as the command that makes it again.
fn related(body: &EventBody) -> Option<Command> {
    Some(match body {
        EventBody::Linked {
            other,
            relation,
            reason,
        } => Command::Link {
            other: other.clone(),
            relation: *relation,
            reason: reason.clone(),
        },
        EventBody::JoinedBatch { batch, title } => Command::JoinBatch {
            batch: batch.clone(),
            title: title.clone(),
        },
        EventBody::Attached {
            sha256,
            name,
            size,
            mime,
        } => Command::Attach(crate::domain::related::AttachedFile {
            sha256: sha256.clone(),
            name: name.clone(),
            size: *size,
            mime: mime.clone(),
        }),
        _ => return None,
    })
}

/// A drug-quality incident's report.
fn quality(stage: crate::domain::QualityStage, text: &str) -> Command {
    Command::Quality {
        stage,
        text: text.to_string(),
    }
}

/// A supervisor's release of a department.
/// The reply a `replied` event records, as the command that makes it again.
fn reply(body: &EventBody) -> Option<Command> {
    let EventBody::Replied {
        verdict,
        facts,
        responsible,
        measures,
        dept,
        tier,
    } = body
    else {
        return None;
    };
    Some(Command::Reply {
        verdict: *verdict,
        facts: facts.clone(),
        responsible: responsible.clone(),
        measures: measures.clone(),
        dept: *dept,
        tier: *tier,
    })
}

fn release(dept: crate::domain::DeptId, reason: &str) -> Command {
    Command::Release {
        dept,
        reason: reason.to_string(),
    }
}

/// Whether `recorded` is the event the rules made (`decided`): the same step
/// by the same person at the same time, entered late or not, with what the
/// rules decide the same. Clocks are left aside: the policy of the day made them.
fn same_step(decided: &Event, recorded: &Event) -> bool {
    use EventBody as B;
    let same_body = match (&decided.body, &recorded.body) {
        (
            B::Escalated {
                from: f1,
                to: t1,
                cause: c1,
            },
            B::Escalated {
                from: f2,
                to: t2,
                cause: c2,
            },
        ) => f1 == f2 && t1 == t2 && same_cause(c1, c2),
        (B::Closed { exemption: a, .. }, B::Closed { exemption: b, .. }) => a == b,
        (B::Reopened { round: a, .. }, B::Reopened { round: b, .. }) => a == b,
        (B::FollowedUp { n: a, .. }, B::FollowedUp { n: b, .. }) => a == b,
        (
            B::Extended {
                deadline: a, from: fa, ..
            },
            B::Extended {
                deadline: b, from: fb, ..
            },
        ) => a == b && fa == fb,
        (B::TransferAccepted { from: a, to: ta }, B::TransferAccepted { from: b, to: tb }) => a == b && ta == tb,
        (B::Urged { deadline: a, .. }, B::Urged { deadline: b, .. }) => a == b,
        (a, b) => a.kind_code() == b.kind_code(),
    };
    same_body
        && decided.actor == recorded.actor
        && decided.at == recorded.at
        && decided.late.is_some() == recorded.late.is_some()
}

/// The same cause of an escalation; a repeat is a repeat whatever it counted
/// (an import does not count the caller's earlier cases), and a manual
/// escalation's reason is the step's own text.
fn same_cause(a: &Cause, b: &Cause) -> bool {
    match (a, b) {
        (Cause::Manual { .. }, Cause::Manual { .. })
        | (
            Cause::RepeatCaller { .. } | Cause::RepeatSubject { .. },
            Cause::RepeatCaller { .. } | Cause::RepeatSubject { .. },
        ) => true,
        // An overdue escalation recorded before departments had clocks of
        // their own names no department.
        (Cause::Overdue { deadline: da, dept: pa }, Cause::Overdue { deadline: db, dept: pb }) => {
            da == db && (pa == pb || pb.is_none())
        }
        _ => a == b,
    }
}
