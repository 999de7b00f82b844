//! The owner's steps on an open case (or a supervisor's, stepping in): one
//! small rule per step, grouped as the desk works a case through.

use super::dues::{assignment_dues, closing_dues, pause_shifts, quality_dues, visit_due_after_result};
use super::guards::{current_step, in_state, limit, optional, pending_dept, required, running, supervisor, visitable};
use super::reopen::reopen_events;
use super::{Command, Context, TEXT_MAX};
use crate::domain::case::Outcome;
use crate::domain::event::Cause;
use crate::domain::gate::{check_close, needs_review};
use crate::domain::{
    AssignMode, Case, DeadlineKind, DeptId, EventBody, FeedbackMethod, Flag, QualityStage, RuleError, Satisfaction,
    State, Time, Verdict, VisitMethod,
};

/// What a step yields: the bodies of its events, or the rule it breaks.
type Steps = Result<Vec<EventBody>, RuleError>;

/// Steps the owner (or a supervisor) takes on an open case.
pub(super) fn handle(case: &Case, command: &Command, ctx: &Context<'_>) -> Steps {
    let action = command.code();
    match command {
        Command::Promise { at, reason } => promise(case, *at, reason.as_deref(), ctx),
        Command::Answer { text } => answer(case, action, text, ctx),
        Command::Refer { dept, text } => refer(case, action, *dept, text, ctx),
        Command::Assign { dept, mode } => assign(case, action, *dept, *mode, ctx),
        Command::Urge {
            deadline,
            whom,
            method,
            note,
            answer,
            promised_at,
            dept,
        } => {
            let note = required("note", note)?;
            let (deadline, dept) = urged(case, *deadline, *dept, ctx)?;
            Ok(vec![EventBody::Urged {
                deadline,
                whom: optional(whom.as_deref()),
                method: optional(method.as_deref()),
                note,
                answer: optional(answer.as_deref()),
                promised_at: *promised_at,
                dept,
            }])
        }
        Command::Extend {
            deadline,
            to,
            reason,
            dept,
        } => extend(case, *deadline, *dept, *to, reason),
        Command::Release { dept, reason } => release(case, action, *dept, reason, ctx),
        Command::Pause { reason } => pause(case, reason),
        Command::Resume { reason } => resume(case, reason.as_deref(), ctx),
        Command::Reply {
            verdict,
            facts,
            responsible,
            measures,
            dept,
            tier,
        } => reply(
            case,
            action,
            ReplyText {
                verdict: *verdict,
                facts,
                responsible: responsible.as_deref(),
                measures: measures.as_deref(),
            },
            (*dept, *tier),
            ctx,
        ),
        Command::Review { note } => review(case, action, note.as_deref(), ctx),
        Command::Feedback { method, text } => feedback(case, action, *method, text, ctx),
        Command::Visit {
            method,
            satisfaction,
            attitude,
            speed,
            result,
            comment,
        } => visit(
            case,
            action,
            *method,
            *satisfaction,
            [*attitude, *speed, *result],
            comment.as_deref(),
            ctx,
        ),
        Command::VisitFailed { note } => visit_failed(case, action, note.as_deref()),
        Command::Escalate { reason } => escalate(case, reason),
        Command::Flag { flag, reason } => set_flag(case, *flag, reason.as_deref(), ctx),
        Command::Quality { stage, text } => quality(case, *stage, text),
        Command::Close => close(case, ctx),
        Command::Intake { .. }
        | Command::Accept
        | Command::Reopen { .. }
        | Command::Withdraw { .. }
        | Command::Transfer { .. }
        | Command::FollowUp { .. }
        | Command::Archive
        | Command::Note { .. }
        | Command::Correct { .. }
        | Command::Link { .. }
        | Command::JoinBatch { .. }
        | Command::Attach(_) => Err(RuleError::WrongState {
            action,
            state: case.state,
        }),
    }
}

// Promise, answer, refer, assign: the case gets a first result or goes to a department.

/// A reply time told to the complainant. The first needs no reason; a new
/// one while a promise still runs moves a due time, and a due time moves
/// only with a reason (recorded with the time it replaced, like an extension).
fn promise(case: &Case, at: Time, reason: Option<&str>, ctx: &Context<'_>) -> Steps {
    if at <= ctx.now {
        return Err(RuleError::TimeOrder {
            field: "promise",
            after: ctx.now,
        });
    }
    let reason = optional(reason);
    if let Some(r) = &reason {
        limit("reason", r, TEXT_MAX)?;
    }
    let from = case.running_promise();
    if let Some(current) = from
        && reason.is_none()
    {
        return Err(RuleError::RepromiseNeedsReason { current });
    }
    Ok(vec![EventBody::Promised {
        promised_reply_at: at,
        from,
        reason,
    }])
}

/// Whether the round has no result yet: answering, referring and assigning start from here.
fn before_result(case: &Case) -> bool {
    matches!(case.state, State::Received | State::Reopened)
}

fn answer(case: &Case, action: &'static str, text: &str, ctx: &Context<'_>) -> Steps {
    in_state(case, action, before_result(case))?;
    let text = required("text", text)?;
    let dues = visit_due_after_result(case, ctx, Some(Outcome::OnSpot));
    Ok(vec![EventBody::AnsweredOnSpot { text, dues }])
}

fn refer(case: &Case, action: &'static str, dept: DeptId, text: &str, ctx: &Context<'_>) -> Steps {
    in_state(case, action, before_result(case))?;
    let text = required("text", text)?;
    let dues = visit_due_after_result(case, ctx, Some(Outcome::Referral { dept }));
    Ok(vec![EventBody::Referred { dept, text, dues }])
}

fn assign(case: &Case, action: &'static str, dept: DeptId, mode: AssignMode, ctx: &Context<'_>) -> Steps {
    in_state(
        case,
        action,
        before_result(case) || matches!(case.state, State::Assigned | State::Replied),
    )?;
    Ok(vec![EventBody::Assigned {
        dept,
        mode,
        dues: assignment_dues(case, dept, mode, ctx),
    }])
}

// Urge, extend, pause, resume: the clocks while a department works.

/// What an urge is about: the clock named, else the first overdue one (or
/// none); and the department urged: the one named (still to reply), else the
/// clock's, else the only one still to reply.
fn urged(
    case: &Case,
    deadline: Option<DeadlineKind>,
    dept: Option<DeptId>,
    ctx: &Context<'_>,
) -> Result<(Option<DeadlineKind>, Option<DeptId>), RuleError> {
    let named = match dept {
        Some(d) => pending_dept(case, Some(d))?,
        None => None,
    };
    let clock = match deadline {
        Some(kind) => Some(running(case, Some(kind), named)?),
        None => case
            .running_deadlines()
            .filter(|d| named.is_none_or(|n| d.dept == Some(n)))
            .find(|d| ctx.now > d.due),
    };
    let dept = match (named, clock.and_then(|d| d.dept)) {
        (Some(d), _) | (None, Some(d)) => Some(d),
        (None, None) => pending_dept(case, None)?,
    };
    Ok((clock.map(|d| d.kind), dept))
}

fn extend(case: &Case, deadline: Option<DeadlineKind>, dept: Option<DeptId>, to: Time, reason: &str) -> Steps {
    let reason = required("reason", reason)?;
    let current = match deadline {
        Some(_) => running(case, deadline, dept)?,
        None => current_step(case, dept)?,
    };
    if to <= current.due {
        return Err(RuleError::ExtendNotLater { current: current.due });
    }
    Ok(vec![EventBody::Extended {
        deadline: current.kind,
        from: current.due,
        to,
        reason,
        dept: current.dept,
    }])
}

fn pause(case: &Case, reason: &str) -> Steps {
    if case.is_paused() {
        return Err(RuleError::AlreadyPaused);
    }
    Ok(vec![EventBody::Paused {
        reason: required("reason", reason)?,
    }])
}

fn resume(case: &Case, reason: Option<&str>, ctx: &Context<'_>) -> Steps {
    let since = case.paused_since.ok_or(RuleError::NotPaused)?;
    Ok(vec![EventBody::Resumed {
        reason: optional(reason),
        shifted: pause_shifts(case, since, ctx),
    }])
}

// Reply, review, feedback: the department's result and telling the complainant.

/// What a reply says.
struct ReplyText<'a> {
    verdict: Verdict,
    facts: &'a str,
    responsible: Option<&'a str>,
    measures: Option<&'a str>,
}

fn reply(
    case: &Case,
    action: &'static str,
    text: ReplyText<'_>,
    (dept, tier): (Option<DeptId>, Option<crate::domain::Tier>),
    ctx: &Context<'_>,
) -> Steps {
    let ReplyText {
        verdict,
        facts,
        responsible,
        measures,
    } = text;
    in_state(case, action, case.state == State::Assigned)?;
    let dept = pending_dept(case, dept)?;
    let facts = required("facts", facts)?;
    let responsible = optional(responsible);
    let measures = optional(measures);
    if verdict.needs_measures() {
        let mut missing = Vec::new();
        if responsible.is_none() {
            missing.push("responsible");
        }
        if measures.is_none() {
            missing.push("measures");
        }
        if !missing.is_empty() {
            return Err(RuleError::JustifiedNeeds { missing });
        }
    }
    let today = crate::domain::responsibility::Today {
        now: ctx.now,
        tz: ctx.policy.timezone,
        calendar: ctx.calendar,
    };
    let tier = crate::domain::responsibility::decide_tier(case, verdict, tier, dept, today)?;
    Ok(vec![EventBody::Replied {
        verdict,
        facts,
        responsible,
        measures,
        dept,
        tier,
    }])
}

/// A supervisor lets a department still to reply off (its reply is not
/// needed or cannot come); the round's result is then the others' replies,
/// so at least one of them must have replied or be still to reply.
fn release(case: &Case, action: &'static str, dept: DeptId, reason: &str, ctx: &Context<'_>) -> Steps {
    supervisor(ctx, action)?;
    in_state(case, action, case.state == State::Assigned)?;
    let reason = required("reason", reason)?;
    pending_dept(case, Some(dept))?;
    let others_replied = case.round_departments().any(|t| t.reply.is_some());
    let others_pending = case.pending_departments().any(|t| t.dept != dept);
    if !others_replied && !others_pending {
        return Err(RuleError::ReleaseLeavesNoResult);
    }
    Ok(vec![EventBody::Released { dept, reason }])
}

fn review(case: &Case, action: &'static str, note: Option<&str>, ctx: &Context<'_>) -> Steps {
    supervisor(ctx, action)?;
    in_state(
        case,
        action,
        case.has_result() && needs_review(case) && case.reviewed_by.is_none(),
    )?;
    if case.earlier_handlers.contains(&ctx.actor.id) {
        return Err(RuleError::ReviewerHandled);
    }
    Ok(vec![EventBody::Reviewed { note: optional(note) }])
}

fn feedback(case: &Case, action: &'static str, method: FeedbackMethod, text: &str, ctx: &Context<'_>) -> Steps {
    in_state(case, action, case.state == State::Replied)?;
    if needs_review(case) && case.reviewed_by.is_none() {
        return Err(RuleError::NeedsReview);
    }
    let text = required("text", text)?;
    Ok(vec![EventBody::FeedbackGiven {
        method,
        text,
        dues: visit_due_after_result(case, ctx, None),
    }])
}

// Visit, visit failed: the return visit (回访).

/// `ratings` are attitude, speed and result, each 1 to 5 when given.
fn visit(
    case: &Case,
    action: &'static str,
    method: VisitMethod,
    satisfaction: Satisfaction,
    ratings: [Option<u8>; 3],
    comment: Option<&str>,
    ctx: &Context<'_>,
) -> Steps {
    visitable(case, action)?;
    if ratings.iter().flatten().any(|rating| !(1..=5).contains(rating)) {
        return Err(RuleError::Rating);
    }
    // A repair's return visit asks all three (000): attitude, speed, result.
    if case.intake.kind == crate::domain::Kind::Repair && ratings.iter().any(Option::is_none) {
        return Err(RuleError::RepairRatings);
    }
    let [attitude, speed, result] = ratings;
    let comment = optional(comment);
    let mut events = vec![EventBody::ReturnVisited {
        method,
        satisfaction,
        attitude,
        speed,
        result,
        comment: comment.clone(),
    }];
    if satisfaction == Satisfaction::Unsatisfied {
        // An unsatisfied answer sends the case round again, one level up.
        let reason = comment.unwrap_or_else(|| "unsatisfied".to_string());
        events.extend(reopen_events(case, reason, Cause::Unsatisfied, ctx));
    }
    Ok(events)
}

fn visit_failed(case: &Case, action: &'static str, note: Option<&str>) -> Steps {
    visitable(case, action)?;
    Ok(vec![EventBody::VisitFailed { note: optional(note) }])
}

// Escalate, flag: raising the level by hand.

fn escalate(case: &Case, reason: &str) -> Steps {
    let reason = required("reason", reason)?;
    if case.level >= 3 {
        return Err(RuleError::MaxLevel);
    }
    Ok(vec![EventBody::Escalated {
        from: case.level,
        to: case.level + 1,
        cause: Cause::Manual { reason },
    }])
}

fn set_flag(case: &Case, flag: Flag, reason: Option<&str>, ctx: &Context<'_>) -> Steps {
    if !matches!(flag, Flag::Dispute | Flag::Media | Flag::QualityIncident) {
        return Err(RuleError::FlagNotManual);
    }
    if case.flags.contains(&flag) {
        return Err(RuleError::FlagSet);
    }
    let dues = if flag == Flag::QualityIncident {
        quality_dues(ctx.now, ctx)
    } else {
        Vec::new()
    };
    let mut events = vec![EventBody::Flagged {
        flag,
        reason: optional(reason),
        dues,
    }];
    if flag == Flag::Dispute && case.level < 3 {
        events.push(EventBody::Escalated {
            from: case.level,
            to: 3,
            cause: Cause::Dispute,
        });
    }
    Ok(events)
}

/// A drug-quality incident's report to quality management, or its cause and
/// result: each once, on a case flagged as one.
fn quality(case: &Case, stage: QualityStage, text: &str) -> Steps {
    if !case.flags.contains(&Flag::QualityIncident) {
        return Err(RuleError::NotQualityIncident);
    }
    running(case, Some(stage.deadline()), None)?;
    Ok(vec![EventBody::QualityReported {
        stage,
        text: required("text", text)?,
    }])
}

// Close: through the gate.

fn close(case: &Case, ctx: &Context<'_>) -> Steps {
    let exemption = check_close(case, ctx.policy)?;
    Ok(vec![EventBody::Closed {
        exemption,
        dues: closing_dues(case, exemption, ctx),
    }])
}
