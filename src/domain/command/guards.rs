//! Guards: who may take a step, in which state, and what a text field must hold.

use super::{Context, TEXT_MAX};
use crate::domain::case::Clock;
use crate::domain::{Case, Deadline, DeadlineKind, DeptId, RuleError, State};

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

/// The running clock of step `which`: the case's own, or department `dept`'s
/// reply clock. A department's clock named without the department is the
/// one still running, and must be named when several departments' run.
pub(super) fn running(case: &Case, which: Option<DeadlineKind>, dept: Option<DeptId>) -> Result<&Deadline, RuleError> {
    let Some(kind) = which else {
        return Err(RuleError::NoRunningDeadline { which });
    };
    // Only a department's reply has a clock per department; an urge about
    // another clock may still name the department it went to.
    if dept.is_some() && crate::domain::case::DEPT_REPLY.contains(&kind) {
        return case
            .deadlines
            .get(&Clock { kind, dept })
            .filter(|d| d.is_running())
            .ok_or(RuleError::NoRunningDeadline { which });
    }
    if let Some(own) = case.clock(kind).filter(|d| d.is_running()) {
        return Ok(own);
    }
    let theirs: Vec<&Deadline> = case
        .deadlines
        .values()
        .filter(|d| d.kind == kind && d.dept.is_some() && d.is_running())
        .collect();
    match theirs.as_slice() {
        [] => Err(RuleError::NoRunningDeadline { which }),
        [one] => Ok(one),
        several => Err(RuleError::WhichDepartment {
            pending: several.iter().filter_map(|d| d.dept).collect(),
        }),
    }
}

/// The clock of the step the case is at: what an extension moves by default.
/// With several departments' reply clocks running, the department must be named.
pub(super) fn current_step(case: &Case, dept: Option<DeptId>) -> Result<&Deadline, RuleError> {
    if case.state == State::Assigned {
        for kind in [DeadlineKind::DepartmentReply, DeadlineKind::InternalProcess] {
            match running(case, Some(kind), dept) {
                Ok(d) => return Ok(d),
                Err(RuleError::NoRunningDeadline { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    if matches!(case.state, State::FeedbackGiven | State::Answered | State::Referred)
        && let Some(d) = case.clock(DeadlineKind::ReturnVisit).filter(|d| d.is_running())
    {
        return Ok(d);
    }
    case.running_deadlines()
        .find(|d| dept.is_none_or(|x| d.dept == Some(x)))
        .ok_or(RuleError::NoRunningDeadline { which: None })
}

/// The department a reply or an urge is for: the one named, which must be
/// still to reply; else the only one still to reply. `None` when the case
/// has no department to wait for.
pub(super) fn pending_dept(case: &Case, named: Option<DeptId>) -> Result<Option<DeptId>, RuleError> {
    let pending: Vec<DeptId> = case.pending_departments().map(|t| t.dept).collect();
    match named {
        Some(d) if pending.contains(&d) => Ok(Some(d)),
        Some(d) => Err(RuleError::DepartmentNotPending { dept: d, pending }),
        None => match pending.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(RuleError::WhichDepartment { pending }),
        },
    }
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
