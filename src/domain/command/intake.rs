//! Intake (登记): the rules a new case meets before it is recorded, and the
//! clocks, flags and escalations it starts with.

use super::guards::{limit, optional, required};
use super::{Context, History, IntakeForm, SUMMARY_MAX, TEXT_MAX};
use crate::domain::deadline::{hours_due, working_days_due};
use crate::domain::escalation::repeat_cause;
use crate::domain::event::{Cause, Due, Received};
use crate::domain::subject::{SubjectPerson, is_subject};
use crate::domain::{
    Complainant, DeadlineKind, Event, EventBody, Flag, Kind, Policy, RuleError, Severity, StaffId, Time,
};

/// How far ahead of the desk clock a received time may be (clock skew between terminals).
const FUTURE_SLACK_MINUTES: i64 = 5;

pub(super) fn intake(form: &IntakeForm, history: History, ctx: &Context<'_>) -> Result<Vec<Event>, RuleError> {
    let subject_person = form.subject_person.as_ref().map(SubjectPerson::checked).transpose()?;
    if is_subject(form.subject_staff, subject_person.as_ref(), ctx.actor) {
        return Err(RuleError::Recusal);
    }
    let summary = summary(form)?;
    let received_at = received_at(form, ctx)?;
    let complainant = complainant(&form.complainant)?;
    let dues = intake_dues(form, received_at, ctx);
    let (flags, escalations) = intake_escalation(form, history, ctx.policy);
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
        subject_person,
        category: form.category,
        severity: form.severity,
        summary,
        details: form.details.trim_end().to_string(),
        promised_reply_at: form.promised_reply_at,
        flags,
        dues,
        follows: None,
    };
    let mut events = vec![Event {
        at: ctx.now,
        actor: ctx.actor.id,
        body: EventBody::Received(Box::new(received)),
        late: None,
    }];
    // Escalations at intake are the desk's rules, not the clerk's choice.
    events.extend(escalations.into_iter().map(|body| Event {
        at: ctx.now,
        actor: StaffId::SYSTEM,
        body,
        late: None,
    }));
    Ok(events)
}

/// The trimmed summary, once it and the details fit the desk's limits.
fn summary(form: &IntakeForm) -> Result<String, RuleError> {
    // The summary's own limit first: `required` knows only the longest text's.
    limit("summary", form.summary.trim(), SUMMARY_MAX)?;
    let summary = required("summary", &form.summary)?;
    limit("details", &form.details, TEXT_MAX)?;
    Ok(summary)
}

/// When the case came in: back-dated freely, ahead of the desk clock only by
/// clock skew, and always before any promised reply.
fn received_at(form: &IntakeForm, ctx: &Context<'_>) -> Result<Time, RuleError> {
    let received_at = form.received_at.unwrap_or(ctx.now);
    if received_at > ctx.now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(RuleError::ReceivedInFuture);
    }
    if let Some(promise) = form.promised_reply_at
        && promise <= received_at
    {
        return Err(RuleError::TimeOrder {
            field: "promise",
            after: received_at,
        });
    }
    Ok(received_at)
}

/// A named complainant needs a name or a phone number to be reached by.
fn complainant(given: &Complainant) -> Result<Complainant, RuleError> {
    Ok(match given {
        Complainant::Anonymous => Complainant::Anonymous,
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => {
            use crate::domain::complainant::{ADDRESS_MAX, NAME_MAX, PHONE_MAX, clean_phone};
            let name = name.trim().to_string();
            let phone = match optional(phone.as_deref()) {
                Some(p) => Some(clean_phone(&p).ok_or(RuleError::Phone { given: p })?),
                None => None,
            };
            if name.is_empty() && phone.is_none() {
                return Err(RuleError::Required { field: "name" });
            }
            let (address, relation) = (optional(address.as_deref()), optional(relation.as_deref()));
            limit("complainant", &name, NAME_MAX)?;
            limit("phone", phone.as_deref().unwrap_or(""), PHONE_MAX)?;
            limit("address", address.as_deref().unwrap_or(""), ADDRESS_MAX)?;
            limit("relation", relation.as_deref().unwrap_or(""), NAME_MAX)?;
            Complainant::Named {
                name,
                phone,
                address,
                relation,
            }
        }
    })
}

/// The clocks a case starts with, by kind and severity.
fn intake_dues(form: &IntakeForm, received_at: Time, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
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
            dept: None,
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
    if form.flags.contains(&Flag::QualityIncident) {
        dues.extend(super::dues::quality_dues(received_at, ctx));
    }
    dues
}

/// The flags a case starts with (the form's manual ones plus those the rules
/// raise, sorted) and the escalations they cause, lowest level first.
fn intake_escalation(form: &IntakeForm, history: History, policy: &Policy) -> (Vec<Flag>, Vec<EventBody>) {
    let mut flags: Vec<Flag> = form
        .flags
        .iter()
        .copied()
        .filter(|f| matches!(f, Flag::Dispute | Flag::Media | Flag::QualityIncident))
        .collect();
    let mut escalations = Vec::new();
    let mut level = 0u8;
    match form.severity {
        Severity::Major => {
            flags.push(Flag::ReportNow);
            escalations.push(EventBody::Escalated {
                from: level,
                to: 2,
                cause: Cause::Major,
            });
            level = 2;
        }
        Severity::Important => flags.push(Flag::SupervisorNotified),
        Severity::Minor => {}
    }
    if flags.contains(&Flag::Dispute) {
        escalations.push(EventBody::Escalated {
            from: level,
            to: 3,
            cause: Cause::Dispute,
        });
        level = 3;
    }
    let has_subject = form.dept.is_some() && form.category.is_some();
    if let Some(cause) = repeat_cause(history, form.kind, has_subject, policy) {
        flags.push(Flag::Repeat);
        if level < 3 {
            escalations.push(EventBody::Escalated {
                from: level,
                to: level + 1,
                cause,
            });
        }
    }
    flags.sort();
    flags.dedup();
    (flags, escalations)
}
