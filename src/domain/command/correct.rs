//! Corrections (更正): a typing mistake of the intake fixed after the case
//! was recorded, by its owner or a supervisor, on an open case, with a
//! reason; the old value stays in the timeline.

use super::guards::{handler, limit, optional, required};
use super::{Command, Context, SUMMARY_MAX, TEXT_MAX};
use crate::domain::complainant::{ADDRESS_MAX, NAME_MAX, PHONE_MAX, clean_phone};
use crate::domain::event::Received;
use crate::domain::{Case, Complainant, Correctable, EventBody, RuleError};

/// The correction `command` asks for on `case`, or the rule it breaks.
pub(crate) fn correct(case: &Case, command: &Command, ctx: &Context<'_>) -> Result<Vec<EventBody>, RuleError> {
    let Command::Correct {
        field,
        value,
        category,
        dept,
        reason,
    } = command
    else {
        return Ok(Vec::new());
    };
    if case.is_closed() {
        return Err(RuleError::Closed);
    }
    handler(case, ctx)?;
    let reason = required("reason", reason)?;
    let i = &case.intake;
    let mut body = EventBody::Corrected {
        field: *field,
        old: None,
        new: None,
        old_category: None,
        category: None,
        old_dept: None,
        dept: None,
        reason,
    };
    let EventBody::Corrected {
        old,
        new,
        old_category,
        category: new_category,
        old_dept,
        dept: new_dept,
        ..
    } = &mut body
    else {
        return Ok(Vec::new());
    };
    match field {
        Correctable::Category => {
            let to = category.ok_or(RuleError::Required { field: "value" })?;
            if i.category == Some(to) {
                return Err(RuleError::Unchanged);
            }
            (*old_category, *new_category) = (i.category, Some(to));
        }
        Correctable::Dept => {
            let to = dept.ok_or(RuleError::Required { field: "value" })?;
            if i.dept == Some(to) {
                return Err(RuleError::Unchanged);
            }
            (*old_dept, *new_dept) = (i.dept, Some(to));
        }
        text_field => {
            let before = current(i, *text_field)?;
            let after = checked(*text_field, value)?;
            if before.as_deref().map(str::trim).filter(|b| !b.is_empty()) == after.as_deref() {
                return Err(RuleError::Unchanged);
            }
            (*old, *new) = (before.filter(|b| !b.trim().is_empty()), after);
        }
    }
    Ok(vec![body])
}

/// A text field's value now; a complainant's field of an anonymous case is refused.
fn current(i: &Received, field: Correctable) -> Result<Option<String>, RuleError> {
    let named = || match &i.complainant {
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => Ok((name, phone, address, relation)),
        Complainant::Anonymous => Err(RuleError::AnonymousComplainant),
    };
    Ok(match field {
        Correctable::Summary => Some(i.summary.clone()),
        Correctable::Details => Some(i.details.clone()),
        Correctable::ComplainantName => Some(named()?.0.clone()),
        Correctable::ComplainantPhone => named()?.1.clone(),
        Correctable::ComplainantAddress => named()?.2.clone(),
        Correctable::ComplainantRelation => named()?.3.clone(),
        Correctable::Category | Correctable::Dept => None,
    })
}

/// The new text as the desk keeps it: trimmed, within the field's length, a
/// phone a phone; the summary and the name required, the rest may be cleared.
fn checked(field: Correctable, value: &str) -> Result<Option<String>, RuleError> {
    let value = value.trim();
    let (max, needed) = match field {
        Correctable::Summary => (SUMMARY_MAX, true),
        Correctable::ComplainantName => (NAME_MAX, true),
        Correctable::ComplainantPhone => (PHONE_MAX, false),
        Correctable::ComplainantAddress => (ADDRESS_MAX, false),
        Correctable::ComplainantRelation => (NAME_MAX, false),
        Correctable::Details | Correctable::Category | Correctable::Dept => (TEXT_MAX, false),
    };
    limit("value", value, max)?;
    if needed {
        return required("value", value).map(Some);
    }
    if field == Correctable::ComplainantPhone && !value.is_empty() {
        return clean_phone(value).map(Some).ok_or(RuleError::Phone {
            given: value.to_string(),
        });
    }
    Ok(optional(Some(value)))
}
