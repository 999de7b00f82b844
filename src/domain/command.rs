//! Commands: every lifecycle step, checked against the rules, yielding events.

use chrono::{Days, Months};

use super::deadline::{end_of_day, hours_due, local_date, working_days_due};
use super::error::RuleError;
use super::escalation::repeat_cause;
use super::event::{Cause, Due, Received, Shift};
use super::gate::{check_close, needs_review, visit_required};
use super::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Complainant, DeadlineKind, DeptId, Event, EventBody,
    FeedbackMethod, Flag, Kind, Origin, Policy, Role, Satisfaction, Severity, StaffId, State, Time, Verdict,
    VisitMethod,
};

pub use super::escalation::History;

/// Longest summary the desk keeps, in characters.
pub const SUMMARY_MAX: usize = 200;
/// Longest free text (details, replies, notes), in characters.
pub const TEXT_MAX: usize = 20_000;
/// How far ahead of the desk clock a received time may be (clock skew between terminals).
const FUTURE_SLACK_MINUTES: i64 = 5;

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

/// Steps the owner (or a supervisor) takes on an open case.
fn handle(case: &Case, command: &Command, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    let action = command.code();
    let before_result = matches!(case.state, State::Received | State::Reopened);
    match command {
        Command::Promise { at } => {
            if *at <= ctx.now {
                return Err(RuleError::TimeOrder {
                    field: "promise",
                    after: ctx.now,
                });
            }
            Ok(vec![EventBody::Promised { promised_reply_at: *at }])
        }
        Command::Answer { text } => {
            in_state(case, action, before_result)?;
            let text = required("text", text)?;
            let dues = visit_due_after_result(case, ctx, Some(super::case::Outcome::OnSpot));
            Ok(vec![EventBody::AnsweredOnSpot { text, dues }])
        }
        Command::Refer { dept, text } => {
            in_state(case, action, before_result)?;
            let text = required("text", text)?;
            let dues = visit_due_after_result(case, ctx, Some(super::case::Outcome::Referral { dept: *dept }));
            Ok(vec![EventBody::Referred {
                dept: *dept,
                text,
                dues,
            }])
        }
        Command::Assign { dept, mode } => {
            in_state(
                case,
                action,
                before_result || matches!(case.state, State::Assigned | State::Replied),
            )?;
            Ok(vec![EventBody::Assigned {
                dept: *dept,
                mode: *mode,
                dues: assignment_dues(case, *dept, *mode, ctx),
            }])
        }
        Command::Urge {
            deadline,
            whom,
            method,
            note,
            answer,
            promised_at,
        } => {
            let note = required("note", note)?;
            let deadline = match deadline {
                Some(kind) => Some(running(case, Some(*kind))?.kind),
                None => case.running_deadlines().find(|d| ctx.now > d.due).map(|d| d.kind),
            };
            Ok(vec![EventBody::Urged {
                deadline,
                whom: optional(whom.as_deref()),
                method: optional(method.as_deref()),
                note,
                answer: optional(answer.as_deref()),
                promised_at: *promised_at,
            }])
        }
        Command::Extend { deadline, to, reason } => {
            let reason = required("reason", reason)?;
            let current = match deadline {
                Some(_) => running(case, *deadline)?,
                None => current_step(case).ok_or(RuleError::NoRunningDeadline { which: None })?,
            };
            if *to <= current.due {
                return Err(RuleError::ExtendNotLater { current: current.due });
            }
            Ok(vec![EventBody::Extended {
                deadline: current.kind,
                from: current.due,
                to: *to,
                reason,
            }])
        }
        Command::Pause { reason } => {
            if case.is_paused() {
                return Err(RuleError::AlreadyPaused);
            }
            Ok(vec![EventBody::Paused {
                reason: required("reason", reason)?,
            }])
        }
        Command::Resume { reason } => {
            let since = case.paused_since.ok_or(RuleError::NotPaused)?;
            Ok(vec![EventBody::Resumed {
                reason: optional(reason.as_deref()),
                shifted: pause_shifts(case, since, ctx),
            }])
        }
        Command::Reply {
            verdict,
            facts,
            responsible,
            measures,
        } => {
            in_state(case, action, case.state == State::Assigned)?;
            let facts = required("facts", facts)?;
            let responsible = optional(responsible.as_deref());
            let measures = optional(measures.as_deref());
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
            Ok(vec![EventBody::Replied {
                verdict: *verdict,
                facts,
                responsible,
                measures,
            }])
        }
        Command::Review { note } => {
            supervisor(ctx, action)?;
            in_state(
                case,
                action,
                case.state == State::Replied && needs_review(case) && case.reviewed_by.is_none(),
            )?;
            if case.earlier_handlers.contains(&ctx.actor.id) {
                return Err(RuleError::ReviewerHandled);
            }
            Ok(vec![EventBody::Reviewed {
                note: optional(note.as_deref()),
            }])
        }
        Command::Feedback { method, text } => {
            in_state(case, action, case.state == State::Replied)?;
            if needs_review(case) && case.reviewed_by.is_none() {
                return Err(RuleError::NeedsReview);
            }
            let text = required("text", text)?;
            Ok(vec![EventBody::FeedbackGiven {
                method: *method,
                text,
                dues: visit_due_after_result(case, ctx, None),
            }])
        }
        Command::Visit {
            method,
            satisfaction,
            attitude,
            speed,
            result,
            comment,
        } => {
            visitable(case, action)?;
            for rating in [attitude, speed, result].into_iter().flatten() {
                if !(1..=5).contains(rating) {
                    return Err(RuleError::Rating);
                }
            }
            let comment = optional(comment.as_deref());
            let mut events = vec![EventBody::ReturnVisited {
                method: *method,
                satisfaction: *satisfaction,
                attitude: *attitude,
                speed: *speed,
                result: *result,
                comment: comment.clone(),
            }];
            if *satisfaction == Satisfaction::Unsatisfied {
                // An unsatisfied answer sends the case round again, one level up.
                let reason = comment.unwrap_or_else(|| "unsatisfied".to_string());
                events.extend(reopen_events(case, reason, Cause::Unsatisfied, ctx));
            }
            Ok(events)
        }
        Command::VisitFailed { note } => {
            visitable(case, action)?;
            Ok(vec![EventBody::VisitFailed {
                note: optional(note.as_deref()),
            }])
        }
        Command::Escalate { reason } => {
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
        Command::Flag { flag, reason } => {
            if !matches!(flag, Flag::Dispute | Flag::Media) {
                return Err(RuleError::FlagNotManual);
            }
            if case.flags.contains(flag) {
                return Err(RuleError::FlagSet);
            }
            let mut events = vec![EventBody::Flagged {
                flag: *flag,
                reason: optional(reason.as_deref()),
            }];
            if *flag == Flag::Dispute && case.level < 3 {
                events.push(EventBody::Escalated {
                    from: case.level,
                    to: 3,
                    cause: Cause::Dispute,
                });
            }
            Ok(events)
        }
        Command::Close => {
            let exemption = check_close(case, ctx.policy)?;
            Ok(vec![EventBody::Closed {
                exemption,
                dues: closing_dues(case, exemption, ctx),
            }])
        }
        Command::Intake { .. }
        | Command::Accept
        | Command::Reopen { .. }
        | Command::Withdraw { .. }
        | Command::Transfer { .. }
        | Command::FollowUp { .. }
        | Command::Archive
        | Command::Note { .. } => Err(RuleError::WrongState {
            action,
            state: case.state,
        }),
    }
}

fn intake(form: &IntakeForm, history: History, ctx: &Context<'_>) -> Result<Vec<Event>, RuleError> {
    if form.subject_staff == Some(ctx.actor.id) {
        return Err(RuleError::Recusal);
    }
    let summary = required("summary", &form.summary)?;
    limit("summary", &summary, SUMMARY_MAX)?;
    limit("details", &form.details, TEXT_MAX)?;
    let received_at = form.received_at.unwrap_or(ctx.now);
    if received_at > ctx.now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(RuleError::TimeOrder {
            field: "now",
            after: received_at,
        });
    }
    if let Some(promise) = form.promised_reply_at
        && promise <= received_at
    {
        return Err(RuleError::TimeOrder {
            field: "promise",
            after: received_at,
        });
    }
    let complainant = match &form.complainant {
        Complainant::Anonymous => Complainant::Anonymous,
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => {
            let name = name.trim().to_string();
            let phone = optional(phone.as_deref());
            if name.is_empty() && phone.is_none() {
                return Err(RuleError::Required { field: "name" });
            }
            Complainant::Named {
                name,
                phone,
                address: optional(address.as_deref()),
                relation: optional(relation.as_deref()),
            }
        }
    };
    let policy = ctx.policy;
    let limits = &policy.deadlines;
    let tz = policy.timezone;
    let mut dues = Vec::new();
    if limits.acknowledge_same_day && form.promised_reply_at.is_none() {
        dues.push(working_days_due(
            DeadlineKind::Acknowledge,
            received_at,
            0,
            tz,
            ctx.calendar,
        ));
    }
    if let Some(promise) = form.promised_reply_at {
        dues.push(Due {
            deadline: DeadlineKind::PromisedReply,
            start: received_at,
            due: promise,
            beyond_calendar: false,
        });
    }
    if form.kind == Kind::Complaint && form.severity.is_urgent() {
        dues.push(working_days_due(
            DeadlineKind::UrgentAnswer,
            received_at,
            limits.urgent_answer_wd,
            tz,
            ctx.calendar,
        ));
    }
    if form.kind == Kind::Complaint && limits.answer_wd > 0 {
        dues.push(working_days_due(
            DeadlineKind::Answer,
            received_at,
            limits.answer_wd,
            tz,
            ctx.calendar,
        ));
    }
    if form.kind != Kind::Praise {
        dues.push(working_days_due(
            DeadlineKind::Resolution,
            received_at,
            limits.resolution_wd,
            tz,
            ctx.calendar,
        ));
    }
    if form.severity == Severity::Major {
        dues.push(hours_due(
            DeadlineKind::ReportToLeadership,
            received_at,
            limits.major_report_hours,
        ));
    }

    let mut flags: Vec<Flag> = form
        .flags
        .iter()
        .copied()
        .filter(|f| matches!(f, Flag::Dispute | Flag::Media))
        .collect();
    let mut escalations = Vec::new();
    let mut level = 0u8;
    match form.severity {
        Severity::Major => {
            flags.push(Flag::ReportNow);
            escalations.push((level, 2, Cause::Major));
            level = 2;
        }
        Severity::Important => flags.push(Flag::SupervisorNotified),
        Severity::Minor => {}
    }
    if flags.contains(&Flag::Dispute) {
        escalations.push((level, 3, Cause::Dispute));
        level = 3;
    }
    let has_subject = form.dept.is_some() && form.category.is_some();
    if let Some(cause) = repeat_cause(history, form.kind, has_subject, policy) {
        flags.push(Flag::Repeat);
        if level < 3 {
            escalations.push((level, level + 1, cause));
        }
    }
    flags.sort();
    flags.dedup();

    let received = Received {
        number: form.number.clone(),
        received_at,
        channel: form.channel,
        kind: form.kind,
        origin: form.origin,
        complainant,
        confidential: form.confidential && form.complainant != Complainant::Anonymous,
        dept: form.dept,
        subject_staff: form.subject_staff,
        category: form.category,
        severity: form.severity,
        summary,
        details: form.details.trim_end().to_string(),
        promised_reply_at: form.promised_reply_at,
        flags,
        dues,
    };
    let mut events = vec![Event {
        at: ctx.now,
        actor: ctx.actor.id,
        body: EventBody::Received(Box::new(received)),
    }];
    events.extend(escalations.into_iter().map(|(from, to, cause)| Event {
        at: ctx.now,
        actor: StaffId::SYSTEM,
        body: EventBody::Escalated { from, to, cause },
    }));
    Ok(events)
}

fn transfer(case: &Case, to: &Actor, reason: &str, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    handler(case, ctx)?;
    let reason = required("reason", reason)?;
    let why = if !to.active {
        Some("inactive")
    } else if to.id == case.owner {
        Some("same_owner")
    } else if case.intake.subject_staff == Some(to.id) {
        Some("subject")
    } else if to.role == Role::Admin {
        Some("role")
    } else {
        None
    };
    if let Some(why) = why {
        return Err(RuleError::TransferTarget {
            name: to.name.clone(),
            why,
        });
    }
    Ok(vec![EventBody::TransferRequested { to: to.id, reason }])
}

fn accept(case: &Case, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    if case.is_closed() {
        return Err(RuleError::Closed);
    }
    match &case.pending_transfer {
        Some(t) if t.to == ctx.actor.id => Ok(vec![EventBody::TransferAccepted {
            from: case.owner,
            to: ctx.actor.id,
        }]),
        _ => Err(RuleError::NoTransferForYou),
    }
}

fn reopen(case: &Case, reason: &str, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    supervisor(ctx, "reopen")?;
    let reason = required("reason", reason)?;
    in_state(case, "reopen", case.has_result())?;
    Ok(reopen_events(case, reason, Cause::Reopened, ctx))
}

fn reopen_events(case: &Case, reason: String, cause: Cause, ctx: &Context<'_>) -> Vec<EventBody> {
    let tz = ctx.policy.timezone;
    let mut dues = Vec::new();
    if case.intake.kind != Kind::Praise {
        dues.push(working_days_due(
            DeadlineKind::Resolution,
            ctx.now,
            ctx.policy.deadlines.resolution_wd,
            tz,
            ctx.calendar,
        ));
    }
    let mut events = vec![EventBody::Reopened {
        reason,
        round: case.round + 1,
        dues,
    }];
    if case.level < 3 {
        events.push(EventBody::Escalated {
            from: case.level,
            to: case.level + 1,
            cause,
        });
    }
    events
}

fn follow_up(
    case: &Case,
    method: VisitMethod,
    satisfaction: Option<Satisfaction>,
    comment: Option<String>,
    ctx: &Context<'_>,
) -> Result<Vec<EventBody>, RuleError> {
    if !case.is_closed() {
        return Err(RuleError::NotClosed);
    }
    let n = case.follow_ups + 1;
    let scheduled = DeadlineKind::follow_up(n).is_some_and(|k| case.deadlines.contains_key(&k));
    if !scheduled || n > ctx.policy.deadlines.follow_up_count {
        return Err(RuleError::NoFollowUpDue);
    }
    Ok(vec![EventBody::FollowedUp {
        n,
        method,
        satisfaction,
        comment: optional(comment.as_deref()),
    }])
}

/// The return-visit clock after a result reached the complainant, unless none is needed.
fn visit_due_after_result(case: &Case, ctx: &Context<'_>, outcome: Option<super::case::Outcome>) -> Vec<Due> {
    let mut probe = case.clone();
    if outcome.is_some() {
        probe.outcome = outcome;
    }
    if !visit_required(&probe, ctx.policy) {
        return Vec::new();
    }
    vec![working_days_due(
        DeadlineKind::ReturnVisit,
        ctx.now,
        ctx.policy.deadlines.return_visit_wd,
        ctx.policy.timezone,
        ctx.calendar,
    )]
}

fn assignment_dues(case: &Case, dept: DeptId, mode: AssignMode, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
    let cal = ctx.calendar;
    let mut dues = if case.intake.origin == Origin::Internal {
        vec![
            working_days_due(
                DeadlineKind::InternalFirstInvestigation,
                ctx.now,
                limits.internal_first_investigation_wd,
                tz,
                cal,
            ),
            working_days_due(
                DeadlineKind::InternalProcess,
                ctx.now,
                limits.internal_process_wd,
                tz,
                cal,
            ),
        ]
    } else {
        let wd = match mode {
            AssignMode::Written => limits.department_reply_written_wd,
            AssignMode::Phone => limits.department_reply_phone_wd,
        };
        vec![working_days_due(DeadlineKind::DepartmentReply, ctx.now, wd, tz, cal)]
    };
    // A second department makes it a multi-department case: the hospital
    // preset's longer answer limit applies, recorded here on the timeline.
    let becomes_multi = !case.assigned_depts.is_empty() && !case.assigned_depts.contains(&dept);
    let answer_running = case
        .deadlines
        .get(&DeadlineKind::Answer)
        .is_some_and(super::Deadline::is_running);
    if becomes_multi && answer_running && limits.answer_multi_dept_wd > limits.answer_wd {
        dues.push(working_days_due(
            DeadlineKind::Answer,
            case.intake.received_at,
            limits.answer_multi_dept_wd,
            tz,
            cal,
        ));
    }
    dues
}

/// Archive, and the monthly follow-ups of an external complaint (not when the
/// complainant could not be reached).
fn closing_dues(case: &Case, exemption: Option<super::event::Exemption>, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
    let mut dues = vec![archive_due(ctx)];
    if case.intake.kind == Kind::Complaint
        && case.intake.origin == Origin::External
        && case.intake.complainant.has_contact()
        && exemption != Some(super::event::Exemption::Unreachable)
    {
        let today = local_date(tz, ctx.now);
        for n in 1..=limits.follow_up_count.min(3) {
            let Some(kind) = DeadlineKind::follow_up(n) else {
                continue;
            };
            let months = Months::new(n * limits.follow_up_interval_months);
            let day = today.checked_add_months(months).unwrap_or(today);
            dues.push(Due {
                deadline: kind,
                start: ctx.now,
                due: end_of_day(tz, day),
                beyond_calendar: false,
            });
        }
    }
    dues
}

fn archive_due(ctx: &Context<'_>) -> Due {
    working_days_due(
        DeadlineKind::Archive,
        ctx.now,
        ctx.policy.deadlines.archive_wd,
        ctx.policy.timezone,
        ctx.calendar,
    )
}

/// Working-day clocks gain the working days the case spent paused; clocks of
/// plain hours and promises made to the complainant stay where they are.
fn pause_shifts(case: &Case, since: Time, ctx: &Context<'_>) -> Vec<Shift> {
    let tz = ctx.policy.timezone;
    let paused_from = local_date(tz, since);
    let until = local_date(tz, ctx.now);
    case.running_deadlines()
        .filter(|d| !matches!(d.kind, DeadlineKind::ReportToLeadership | DeadlineKind::PromisedReply))
        .filter(|d| d.due > since)
        .filter_map(|d| {
            // A clock loses only the paused days it would have counted: none
            // before the day after it started (it may have started during the pause).
            let counted_from = local_date(tz, d.start)
                .succ_opt()
                .map_or(paused_from, |s| s.max(paused_from));
            // Working days w with counted_from <= w < until.
            let paused = match (
                counted_from.checked_sub_days(Days::new(1)),
                until.checked_sub_days(Days::new(1)),
            ) {
                (Some(a), Some(b)) => ctx.calendar.working_days_between(a, b),
                _ => 0,
            };
            (paused > 0).then(|| {
                let day = ctx.calendar.add_working_days(local_date(tz, d.due), paused);
                Shift {
                    deadline: d.kind,
                    from: d.due,
                    to: end_of_day(tz, day.date),
                }
            })
        })
        .collect()
}

/// The clock of the step the case is at: what an extension moves by default.
fn current_step(case: &Case) -> Option<&super::Deadline> {
    let preferred = match case.state {
        State::Assigned => &[DeadlineKind::DepartmentReply, DeadlineKind::InternalProcess][..],
        State::FeedbackGiven | State::Answered | State::Referred => &[DeadlineKind::ReturnVisit][..],
        _ => &[][..],
    };
    preferred
        .iter()
        .filter_map(|k| case.deadlines.get(k))
        .find(|d| d.is_running())
        .or_else(|| case.running_deadlines().next())
}

fn running(case: &Case, which: Option<DeadlineKind>) -> Result<&super::Deadline, RuleError> {
    which
        .and_then(|k| case.deadlines.get(&k))
        .filter(|d| d.is_running())
        .ok_or(RuleError::NoRunningDeadline { which })
}

fn visitable(case: &Case, action: &'static str) -> Result<(), RuleError> {
    in_state(
        case,
        action,
        matches!(case.state, State::FeedbackGiven | State::Answered | State::Referred),
    )
    .map_err(|e| {
        if case.has_result() && !case.has_feedback() {
            RuleError::NoFeedbackYet
        } else {
            e
        }
    })?;
    if !case.intake.complainant.has_contact() {
        return Err(RuleError::NoContact);
    }
    Ok(())
}

/// First-receiver responsibility: the owner handles the case; a supervisor may step in.
fn handler(case: &Case, ctx: &Context<'_>) -> Result<(), RuleError> {
    if case.owner == ctx.actor.id || ctx.actor.is_supervisor() {
        Ok(())
    } else {
        Err(RuleError::NotOwner)
    }
}

fn supervisor(ctx: &Context<'_>, action: &'static str) -> Result<(), RuleError> {
    if ctx.actor.is_supervisor() {
        Ok(())
    } else {
        Err(RuleError::SupervisorOnly { action })
    }
}

fn in_state(case: &Case, action: &'static str, ok: bool) -> Result<(), RuleError> {
    if ok {
        Ok(())
    } else {
        Err(RuleError::WrongState {
            action,
            state: case.state,
        })
    }
}

fn required(field: &'static str, text: &str) -> Result<String, RuleError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RuleError::Required { field });
    }
    limit(field, text, TEXT_MAX)?;
    Ok(text.to_string())
}

fn optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn limit(field: &'static str, text: &str, max: usize) -> Result<(), RuleError> {
    let len = text.chars().count();
    if len > max {
        Err(RuleError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}
