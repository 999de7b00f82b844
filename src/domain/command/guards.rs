//! Guards: who may take a step, in which state, and what a text field must hold.

use super::{Context, TEXT_MAX};
use crate::domain::{Case, Deadline, DeadlineKind, RuleError, State};

/// First-receiver responsibility: the owner handles the case; a supervisor may step in.
pub(super) fn handler(case: &Case, ctx: &Context<'_>) -> Result<(), RuleError> {
    if case.owner == ctx.actor.id || ctx.actor.is_supervisor() {
        Ok(())
    } else {
        Err(RuleError::NotOwner)
    }
}

pub(super) fn supervisor(ctx: &Context<'_>, action: &'static str) -> Result<(), RuleError> {
    if ctx.actor.is_supervisor() {
        Ok(())
    } else {
        Err(RuleError::SupervisorOnly { action })
    }
}

pub(super) fn in_state(case: &Case, action: &'static str, ok: bool) -> Result<(), RuleError> {
    if ok {
        Ok(())
    } else {
        Err(RuleError::WrongState {
            action,
            state: case.state,
        })
    }
}

pub(super) fn required(field: &'static str, text: &str) -> Result<String, RuleError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RuleError::Required { field });
    }
    limit(field, text, TEXT_MAX)?;
    Ok(text.to_string())
}

pub(super) fn optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// A text field within its length and free of control characters (see
/// [`crate::domain::text`]): every text a step takes in passes here.
pub(super) fn limit(field: &'static str, text: &str, max: usize) -> Result<(), RuleError> {
    if let Some(c) = crate::domain::text::first_control(text) {
        return Err(RuleError::ControlCharacter {
            field: field.to_string(),
            code: crate::domain::text::code_point(c),
        });
    }
    let len = text.chars().count();
    if len > max {
        Err(RuleError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}

pub(super) fn running(case: &Case, which: Option<DeadlineKind>) -> Result<&Deadline, RuleError> {
    which
        .and_then(|k| case.deadlines.get(&k))
        .filter(|d| d.is_running())
        .ok_or(RuleError::NoRunningDeadline { which })
}

/// The clock of the step the case is at: what an extension moves by default.
pub(super) fn current_step(case: &Case) -> Option<&Deadline> {
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

pub(super) fn visitable(case: &Case, action: &'static str) -> Result<(), RuleError> {
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
