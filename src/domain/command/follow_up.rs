//! Follow-up visits: the scheduled calls after an external complaint closed.

use super::guards::optional;
use super::reopen::reopen_events;
use super::{Context, IntakeForm, SUMMARY_MAX};
use crate::domain::event::Cause;
use crate::domain::policy::SecondComplaint;
use crate::domain::{
    Case, DeadlineKind, Event, EventBody, Flag, Kind, Origin, RuleError, Satisfaction, StaffId, VisitMethod,
};

pub(super) fn follow_up(
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
    let scheduled = DeadlineKind::follow_up(n).is_some_and(|k| case.clock(k).is_some());
    if !scheduled || n > ctx.policy.deadlines.follow_up_count {
        return Err(RuleError::NoFollowUpDue);
    }
    let comment = optional(comment.as_deref());
    let mut events = vec![EventBody::FollowedUp {
        n,
        method,
        satisfaction,
        comment: comment.clone(),
        second: None,
    }];
    // Still unsatisfied (002: 若仍不满意，发起二次投诉): the first case again
    // when the policy says so; else the store records a second complaint
    // (see [`second_complaint`]) with this follow-up.
    if satisfaction == Some(Satisfaction::Unsatisfied)
        && ctx.policy.return_visit.unsatisfied_follow_up == SecondComplaint::Reopen
    {
        let reason = comment.unwrap_or_else(|| "unsatisfied at follow-up".to_string());
        let mut reopen = reopen_events(case, reason, Cause::Unsatisfied, ctx);
        for e in &mut reopen {
            if let EventBody::Reopened { second_complaint, .. } = e {
                *second_complaint = true;
            }
        }
        events.extend(reopen);
    }
    Ok(events)
}

/// The second complaint an unsatisfied follow-up of `first` starts, when the
/// policy asks for a new case: the same complainant, subject and category, a
/// complaint, its summary the follow-up's comment (else the first's summary).
/// `None` when the follow-up starts none.
#[must_use]
pub fn second_complaint(first: &Case, followed_up: &EventBody, ctx: &Context<'_>) -> Option<IntakeForm> {
    let EventBody::FollowedUp {
        satisfaction: Some(Satisfaction::Unsatisfied),
        comment,
        ..
    } = followed_up
    else {
        return None;
    };
    if ctx.policy.return_visit.unsatisfied_follow_up != SecondComplaint::NewCase {
        return None;
    }
    let i = &first.intake;
    let said = comment.clone().unwrap_or_default();
    let summary: String = if said.trim().is_empty() {
        i.summary.clone()
    } else {
        said.chars().take(SUMMARY_MAX).collect()
    };
    Some(IntakeForm {
        number: String::new(),
        received_at: None,
        channel: i.channel,
        kind: Kind::Complaint,
        origin: Origin::External,
        complainant: i.complainant.clone(),
        confidential: i.confidential,
        dept: i.dept,
        subject_staff: i.subject_staff,
        subject_person: i.subject_person.clone(),
        category: i.category,
        severity: i.severity,
        summary,
        details: if said.chars().count() > SUMMARY_MAX {
            said
        } else {
            String::new()
        },
        promised_reply_at: None,
        flags: i
            .flags
            .iter()
            .copied()
            .filter(|f| matches!(f, Flag::Dispute | Flag::Media))
            .collect(),
    })
}

/// What makes a new case a second complaint: flagged repeat, and one level
/// above the first case (the desk's rule, recorded as `system`).
#[must_use]
pub fn second_complaint_events(first: &Case, second: &Case, ctx: &Context<'_>) -> Vec<Event> {
    let mut bodies = Vec::new();
    if !second.flags.contains(&Flag::Repeat) {
        bodies.push(EventBody::Flagged {
            flag: Flag::Repeat,
            reason: Some(first.number().to_string()),
            dues: Vec::new(),
        });
    }
    let target = (first.level + 1).min(3);
    if second.level < target {
        bodies.push(EventBody::Escalated {
            from: second.level,
            to: target,
            cause: Cause::SecondComplaint {
                first: first.number().to_string(),
            },
        });
    }
    bodies
        .into_iter()
        .map(|body| Event {
            at: ctx.now,
            actor: StaffId::SYSTEM,
            body,
            late: None,
        })
        .collect()
}
