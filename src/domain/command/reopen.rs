//! Reopening: another round, one level up, by a supervisor or after an unsatisfied visit.

use super::Context;
use super::guards::{in_state, required, supervisor};
use crate::domain::deadline::working_days_due;
use crate::domain::event::Cause;
use crate::domain::{Case, DeadlineKind, EventBody, Kind, RuleError};

pub(super) fn reopen(case: &Case, reason: &str, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    supervisor(ctx, "reopen")?;
    let reason = required("reason", reason)?;
    in_state(case, "reopen", case.has_result())?;
    Ok(reopen_events(case, reason, Cause::Reopened, ctx))
}

pub(super) fn reopen_events(case: &Case, reason: String, cause: Cause, ctx: &Context<'_>) -> Vec<EventBody> {
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
        second_complaint: false,
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
