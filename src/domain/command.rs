//! Commands: every lifecycle step, checked against the rules, yielding events.
//!
//! This file holds the commands, their context and the dispatch of each step;
//! the rules themselves live in `command/`: intake, the owner's steps
//! (`handle`), ownership, reopening, follow-ups, due times and guards.

pub(crate) mod correct;
mod dues;
mod follow_up;
mod guards;
mod handle;
mod intake;
mod ownership;
mod reopen;

use self::dues::archive_due;
use self::follow_up::follow_up;
pub use self::follow_up::{second_complaint, second_complaint_events};
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
    /// How it came in.
    pub channel: Channel,
    /// Complaint, suggestion, praise, inquiry or repair.
    pub kind: Kind,
    /// External (customer) or internal (one department about another).
    pub origin: Origin,
    /// Who complained (or anonymous).
    pub complainant: Complainant,
    /// Shown only to the owner and supervisors.
    pub confidential: bool,
    /// Department complained about.
    pub dept: Option<DeptId>,
    /// The desk account of the person complained about, when they have one.
    pub subject_staff: Option<StaffId>,
    /// The person complained about: from the people directory or a free name.
    pub subject_person: Option<super::SubjectPerson>,
    /// What it is about.
    pub category: Option<CategoryId>,
    /// Minor, important or major.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Everything else that was said.
    pub details: String,
    /// When the complainant was told to expect an answer.
    pub promised_reply_at: Option<Time>,
    /// Dispute, media … known at intake.
    pub flags: Vec<Flag>,
}

/// Every step a person can take on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Record a new case.
    Intake {
        /// What was typed.
        form: Box<IntakeForm>,
        /// The caller's and the subject's earlier cases, as the store counted them.
        history: History,
    },
    /// Tell the complainant when to expect an answer.
    Promise {
        /// The promised time.
        at: Time,
        /// Why, when it moves a promise already made (then required).
        reason: Option<String>,
    },
    /// Answer on the spot.
    Answer {
        /// What the complainant was told.
        text: String,
    },
    /// Tell the caller to contact a department directly.
    Refer {
        /// The department.
        dept: DeptId,
        /// What the caller was told.
        text: String,
    },
    /// Assign to a department (交办).
    Assign {
        /// The department.
        dept: DeptId,
        /// By phone or in writing (the deadline differs).
        mode: AssignMode,
    },
    /// Urge a department (催办).
    Urge {
        /// Which clock (default: the most overdue).
        deadline: Option<DeadlineKind>,
        /// Whom.
        whom: Option<String>,
        /// How (phone, in person …).
        method: Option<String>,
        /// What was said.
        note: String,
        /// The department's answer.
        answer: Option<String>,
        /// The date the department now promises.
        promised_at: Option<Time>,
        /// Which department (needed when several are still to reply).
        dept: Option<DeptId>,
    },
    /// Move a due time later, with a reason.
    Extend {
        /// Which clock (default: the current one).
        deadline: Option<DeadlineKind>,
        /// The new due time.
        to: Time,
        /// Why.
        reason: String,
        /// Whose reply clock (needed when several departments' run).
        dept: Option<DeptId>,
    },
    /// Stop the clock while waiting on the complainant.
    Pause {
        /// Why.
        reason: String,
    },
    /// Start it again.
    Resume {
        /// Why, if said.
        reason: Option<String>,
    },
    /// Record the department's reply.
    Reply {
        /// Justified, partly, unjustified or not ours.
        verdict: Verdict,
        /// What the department found.
        facts: String,
        /// Who was mainly responsible.
        responsible: Option<String>,
        /// Improvement measures.
        measures: Option<String>,
        /// Which department replied (needed when several are still to reply).
        dept: Option<DeptId>,
        /// The responsibility tier of a justified or partly justified reply;
        /// `None` = the rules' floor.
        tier: Option<super::Tier>,
    },
    /// Let a department off replying (supervisor), with a reason.
    Release {
        /// The department.
        dept: DeptId,
        /// Why.
        reason: String,
    },
    /// Sign off a second-round reply (supervisor).
    Review {
        /// The reviewer's comment.
        note: Option<String>,
    },
    /// Tell the complainant the result.
    Feedback {
        /// How they were told.
        method: FeedbackMethod,
        /// What they were told.
        text: String,
    },
    /// Record a return visit that reached the complainant.
    Visit {
        /// How the visit was made.
        method: VisitMethod,
        /// How satisfied they are.
        satisfaction: Satisfaction,
        /// Attitude, 1–5.
        attitude: Option<u8>,
        /// Speed (efficiency), 1–5.
        speed: Option<u8>,
        /// Result (effect), 1–5.
        result: Option<u8>,
        /// What they said.
        comment: Option<String>,
    },
    /// Record a return-visit attempt that reached nobody.
    VisitFailed {
        /// E.g. 无人接听.
        note: Option<String>,
    },
    /// Raise the level by one.
    Escalate {
        /// Why.
        reason: String,
    },
    /// Set a flag (dispute, media).
    Flag {
        /// Which.
        flag: Flag,
        /// Why.
        reason: Option<String>,
    },
    /// Record a drug-quality incident's report to quality management, or its
    /// cause and result.
    Quality {
        /// Which report.
        stage: super::QualityStage,
        /// What was reported, to whom.
        text: String,
    },
    /// Offer the case to another clerk.
    Transfer {
        /// The clerk offered the case.
        to: Actor,
        /// Why.
        reason: String,
    },
    /// Accept a case offered to you.
    Accept,
    /// Open a case again (supervisor).
    Reopen {
        /// Why.
        reason: String,
    },
    /// Close through the gate.
    Close,
    /// The complainant withdrew (supervisor).
    Withdraw {
        /// Why.
        reason: String,
    },
    /// A scheduled follow-up visit after an external complaint.
    FollowUp {
        /// How it was made.
        method: VisitMethod,
        /// How satisfied they are, if reached.
        satisfaction: Option<Satisfaction>,
        /// What was said.
        comment: Option<String>,
    },
    /// Archive a closed case.
    Archive,
    /// A note for colleagues (备注): never shown to the complainant.
    Note {
        /// The note.
        text: String,
    },
    /// Fix a typing mistake of the intake (更正), with a reason.
    Correct {
        /// Which field.
        field: super::Correctable,
        /// The new value as typed (a category's or department's name).
        value: String,
        /// A category correction: the category the value names.
        category: Option<CategoryId>,
        /// A department correction: the department the value names.
        dept: Option<DeptId>,
        /// Why.
        reason: String,
    },
    /// Link this case to another (the store records the inverse on the other).
    Link {
        /// The other case's number.
        other: String,
        /// How, from this case.
        relation: super::LinkRelation,
        /// Why.
        reason: String,
    },
    /// Join a batch incident.
    JoinBatch {
        /// The batch's number.
        batch: String,
        /// Its title.
        title: String,
    },
    /// Keep a file with the case (its bytes go to the store).
    Attach(super::related::AttachedFile),
}

/// Whether `actor` may take step `kind` on `case` at all: who they are, not
/// what they would type. The screens ask before a form opens, so nobody types
/// a step the rules will refuse them; `decide` checks the same again.
pub fn may_take(case: &Case, kind: super::StepKind, actor: &Actor) -> Result<(), RuleError> {
    use super::StepKind;
    if !actor.active {
        return Err(RuleError::Inactive);
    }
    if case.is_subject(actor) {
        return Err(RuleError::Recusal);
    }
    match kind {
        StepKind::Note => Ok(()),
        StepKind::Accept => match &case.pending_transfer {
            Some(t) if t.to == actor.id => Ok(()),
            _ => Err(RuleError::NoTransferForYou),
        },
        StepKind::Reopen | StepKind::Withdraw | StepKind::Review | StepKind::Release if !actor.is_supervisor() => {
            Err(RuleError::SupervisorOnly { action: kind.code() })
        }
        StepKind::Reopen | StepKind::Withdraw | StepKind::Review | StepKind::Release => Ok(()),
        _ if case.owner == actor.id || actor.is_supervisor() => Ok(()),
        _ => Err(RuleError::NotOwner),
    }
}

/// Checks `command` against the rules and returns the events it causes.
/// `case` is `None` only for an intake.
pub fn decide(case: Option<&Case>, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, RuleError> {
    if !ctx.actor.active {
        return Err(RuleError::Inactive);
    }
    super::text::refuse_controls(command)?;
    match (case, command) {
        (None, Command::Intake { form, history }) => intake(form, *history, ctx),
        (Some(case), Command::Intake { .. }) => Err(RuleError::WrongState {
            action: "intake",
            state: case.state,
        }),
        (None, _) => Err(RuleError::Required { field: "case" }),
        (Some(case), command) => {
            if case.is_subject(ctx.actor) {
                return Err(RuleError::Recusal);
            }
            let body = step(case, command, ctx)?;
            Ok(body
                .into_iter()
                .map(|body| Event {
                    at: ctx.now,
                    actor: ctx.actor.id,
                    body,
                    late: None,
                })
                .collect())
        }
    }
}

/// A step entered after it happened (补录): when, and why only now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LateEntry<'a> {
    /// When the step happened.
    pub at: Time,
    /// Why it is entered late.
    pub reason: &'a str,
}

/// Decides a step entered late: `ctx.now` is the real time of entry. It may
/// not be in the future, before the case's last step, or older than the
/// policy's `late_entry_hours`, and needs a reason; the rules then run at the
/// time it happened, and each event carries the note.
pub fn decide_late(
    case: &Case,
    command: &Command,
    ctx: &Context<'_>,
    late: &LateEntry<'_>,
) -> Result<Vec<Event>, RuleError> {
    if late.reason.trim().is_empty() {
        return Err(RuleError::Required { field: "late_reason" });
    }
    if late.at > ctx.now {
        return Err(RuleError::LateInFuture);
    }
    if late.at < case.last_event_at {
        return Err(RuleError::LateBeforeLastStep {
            last: case.last_event_at,
        });
    }
    let hours = ctx.policy.deadlines.late_entry_hours;
    if ctx.now - late.at > chrono::Duration::hours(i64::from(hours)) {
        return Err(RuleError::LateTooOld { hours });
    }
    let then = Context { now: late.at, ..*ctx };
    let mut events = decide(Some(case), command, &then)?;
    for e in &mut events {
        e.late = Some(super::event::Late {
            reason: late.reason.trim().to_string(),
            entered_at: ctx.now,
        });
    }
    Ok(events)
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
        Command::Correct { .. } => return correct::correct(case, command, ctx),
        // Any colleague may link a case, or attach a paper to it, open or
        // closed: a duplicate or a scanned letter may turn up later.
        Command::Link {
            other,
            relation,
            reason,
        } => {
            return super::related::link(case, other, *relation, reason);
        }
        Command::Attach(file) => return super::related::attach(case, file, ctx.policy.attachments.max_mb),
        Command::JoinBatch { batch, title } => return super::related::join_batch(case, batch, title),
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
