//! Commands: every lifecycle step, checked against the rules, yielding events.
//!
//! This file holds the commands, their context and the dispatch of each step;
//! the rules themselves live in `command/`: intake, the owner's steps
//! (`handle`), ownership, reopening, follow-ups, due times and guards.

mod dues;
mod follow_up;
mod guards;
mod handle;
mod intake;
mod ownership;
mod reopen;

use self::dues::archive_due;
use self::follow_up::follow_up;
use self::guards::{handler, required, supervisor};
use self::handle::handle;
use self::intake::intake;
use self::ownership::{accept, transfer};
use self::reopen::reopen;
use super::error::RuleError;
use super::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Complainant, DeadlineKind, DeptId, Event, EventBody,
    FeedbackMethod, Flag, Kind, Origin, Policy, Satisfaction, Severity, StaffId, Time, Verdict, VisitMethod,
};

pub use super::escalation::History;

/// Longest summary the desk keeps, in characters.
pub const SUMMARY_MAX: usize = 200;
/// Longest free text (details, replies, notes), in characters.
pub const TEXT_MAX: usize = 20_000;

/// What the rules need to know besides the case: when, who, and the policy.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The current time (passed in; the domain reads no clock).
    pub now: Time,
    /// Who is acting.
    pub actor: &'a Actor,
    /// The numbers.
    pub policy: &'a Policy,
    /// Working days.
    pub calendar: &'a Calendar,
}

/// The intake form (登记).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeForm {
    /// The number the store reserved.
    pub number: String,
    /// When it came in; `None` = now. Back-dating is allowed and recorded.
    pub received_at: Option<Time>,
    #[allow(missing_docs)]
    pub channel: Channel,
    #[allow(missing_docs)]
    pub kind: Kind,
    #[allow(missing_docs)]
    pub origin: Origin,
    #[allow(missing_docs)]
    pub complainant: Complainant,
    #[allow(missing_docs)]
    pub confidential: bool,
    #[allow(missing_docs)]
    pub dept: Option<DeptId>,
    #[allow(missing_docs)]
    pub subject_staff: Option<StaffId>,
    #[allow(missing_docs)]
    pub category: Option<CategoryId>,
    #[allow(missing_docs)]
    pub severity: Severity,
    #[allow(missing_docs)]
    pub summary: String,
    #[allow(missing_docs)]
    pub details: String,
    /// When the complainant was told to expect an answer.
    pub promised_reply_at: Option<Time>,
    /// Dispute, media … known at intake.
    pub flags: Vec<Flag>,
}

/// Every step a person can take on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Command {
    /// Record a new case.
    Intake { form: Box<IntakeForm>, history: History },
    /// Tell the complainant when to expect an answer.
    Promise { at: Time },
    /// Answer on the spot.
    Answer { text: String },
    /// Tell the caller to contact a department directly.
    Refer { dept: DeptId, text: String },
    /// Assign to a department (交办).
    Assign { dept: DeptId, mode: AssignMode },
    /// Urge a department (催办).
    Urge {
        deadline: Option<DeadlineKind>,
        whom: Option<String>,
        method: Option<String>,
        note: String,
        answer: Option<String>,
        promised_at: Option<Time>,
    },
    /// Move a due time later, with a reason.
    Extend {
        deadline: Option<DeadlineKind>,
        to: Time,
        reason: String,
    },
    /// Stop the clock while waiting on the complainant.
    Pause { reason: String },
    /// Start it again.
    Resume { reason: Option<String> },
    /// Record the department's reply.
    Reply {
        verdict: Verdict,
        facts: String,
        responsible: Option<String>,
        measures: Option<String>,
    },
    /// Sign off a second-round reply (supervisor).
    Review { note: Option<String> },
    /// Tell the complainant the result.
    Feedback { method: FeedbackMethod, text: String },
    /// Record a return visit that reached the complainant.
    Visit {
        method: VisitMethod,
        satisfaction: Satisfaction,
        attitude: Option<u8>,
        speed: Option<u8>,
        result: Option<u8>,
        comment: Option<String>,
    },
    /// Record a return-visit attempt that reached nobody.
    VisitFailed { note: Option<String> },
    /// Raise the level by one.
    Escalate { reason: String },
    /// Set a flag (dispute, media).
    Flag { flag: Flag, reason: Option<String> },
    /// Offer the case to another clerk.
    Transfer { to: Actor, reason: String },
    /// Accept a case offered to you.
    Accept,
    /// Open a case again (supervisor).
    Reopen { reason: String },
    /// Close through the gate.
    Close,
    /// The complainant withdrew (supervisor).
    Withdraw { reason: String },
    /// A scheduled follow-up visit after an external complaint.
    FollowUp {
        method: VisitMethod,
        satisfaction: Option<Satisfaction>,
        comment: Option<String>,
    },
    /// Archive a closed case.
    Archive,
    /// A note for colleagues (备注): never shown to the complainant.
    Note { text: String },
}

/// Checks `command` against the rules and returns the events it causes.
/// `case` is `None` only for an intake.
pub fn decide(case: Option<&Case>, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, RuleError> {
    if !ctx.actor.active {
        return Err(RuleError::Inactive);
    }
    match (case, command) {
        (None, Command::Intake { form, history }) => intake(form, *history, ctx),
        (Some(case), Command::Intake { .. }) => Err(RuleError::WrongState {
            action: "intake",
            state: case.state,
        }),
        (None, _) => Err(RuleError::Required { field: "case" }),
        (Some(case), command) => {
            if case.intake.subject_staff == Some(ctx.actor.id) {
                return Err(RuleError::Recusal);
            }
            let body = step(case, command, ctx)?;
            Ok(body
                .into_iter()
                .map(|body| Event {
                    at: ctx.now,
                    actor: ctx.actor.id,
                    body,
                })
                .collect())
        }
    }
}

fn step(case: &Case, command: &Command, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    let action = command.code();
    match command {
        Command::Accept => return accept(case, ctx),
        Command::Reopen { reason } => return reopen(case, reason, ctx),
        Command::FollowUp {
            method,
            satisfaction,
            comment,
        } => {
            handler(case, ctx)?;
            return follow_up(case, *method, *satisfaction, comment.clone(), ctx);
        }
        // Any colleague may leave a note, on an open or a closed case: it
        // changes nothing but the timeline.
        Command::Note { text } => {
            return Ok(vec![EventBody::Noted {
                text: required("text", text)?,
            }]);
        }
        Command::Archive => {
            handler(case, ctx)?;
            if !case.is_closed() {
                return Err(RuleError::NotClosed);
            }
            if case.archived_at.is_some() {
                return Err(RuleError::Archived);
            }
            return Ok(vec![EventBody::Archived]);
        }
        _ => {}
    }
    if case.is_closed() {
        return Err(RuleError::Closed);
    }
    match command {
        Command::Withdraw { reason } => {
            supervisor(ctx, action)?;
            let reason = required("reason", reason)?;
            Ok(vec![EventBody::Withdrawn {
                reason,
                dues: vec![archive_due(ctx)],
            }])
        }
        Command::Transfer { to, reason } => transfer(case, to, reason, ctx),
        _ => {
            handler(case, ctx)?;
            handle(case, command, ctx)
        }
    }
}
