//! Follow-up visits: the scheduled calls after an external complaint closed.

use super::Context;
use super::guards::optional;
use crate::domain::{Case, DeadlineKind, EventBody, RuleError, Satisfaction, VisitMethod};

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
    Ok(vec![EventBody::FollowedUp {
        n,
        method,
        satisfaction,
        comment: optional(comment.as_deref()),
    }])
}
