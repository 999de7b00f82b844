//! Ownership: offering a case to another clerk and accepting it.

use super::Context;
use super::guards::{handler, required};
use crate::domain::{Actor, Case, EventBody, Role, RuleError};

pub(super) fn transfer(case: &Case, to: &Actor, reason: &str, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    handler(case, ctx)?;
    let reason = required("reason", reason)?;
    let why = if !to.active {
        Some("inactive")
    } else if to.id == case.owner {
        Some("same_owner")
    } else if case.is_subject(to) {
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

pub(super) fn accept(case: &Case, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
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
