//! The closing gate: the 100% return-visit rule and its documented exemptions.

use std::collections::BTreeSet;

use super::case::Outcome;
use super::deadline::local_date;
use super::error::{Missing, RuleError};
use super::event::Exemption;
use super::{Case, DeadlineKind, Kind, Policy, Satisfaction};

/// Whether `case` may close now; `Ok` carries the exemption used, if any.
pub fn check_close(case: &Case, policy: &Policy) -> Result<Option<Exemption>, RuleError> {
    let mut missing = Vec::new();
    if !case.has_result() {
        missing.push(Missing::Result);
    }
    if !case.has_feedback() {
        missing.push(Missing::Feedback);
    }
    if needs_review(case) && case.reviewed_by.is_none() {
        missing.push(Missing::Review);
    }
    // A drug-quality incident closes once both its reports are made.
    let quality_open = [DeadlineKind::QualityReport, DeadlineKind::QualityResult]
        .iter()
        .any(|k| case.clock(*k).is_some_and(super::Deadline::is_running));
    if quality_open {
        missing.push(Missing::Quality);
    }
    let attempts = distinct_attempt_days(case, policy);
    let visited = matches!(case.satisfaction, Some(Satisfaction::Satisfied | Satisfaction::Basic));
    let exemption = if visited {
        None
    } else {
        exemption(case, policy, attempts)
    };
    if !visited && exemption.is_none() {
        missing.push(Missing::ReturnVisit);
    }
    if missing.is_empty() {
        Ok(exemption)
    } else {
        Err(RuleError::CloseGate {
            missing,
            attempts,
            limit: policy.return_visit.attempts,
        })
    }
}

/// Every round after the first must be signed off by a supervisor who did
/// not handle an earlier round, however it was answered (a department's
/// reply, on the spot, a referral), before it may close.
#[must_use]
pub fn needs_review(case: &Case) -> bool {
    case.round >= 2 && case.outcome.is_some()
}

/// Failed return-visit attempts, counting at most one per local day.
#[must_use]
pub fn distinct_attempt_days(case: &Case, policy: &Policy) -> u32 {
    let days: BTreeSet<_> = case
        .failed_attempts
        .iter()
        .map(|at| local_date(policy.timezone, *at))
        .collect();
    u32::try_from(days.len()).unwrap_or(u32::MAX)
}

/// Whether the case needs a return visit at all once it has its result.
#[must_use]
pub fn visit_required(case: &Case, policy: &Policy) -> bool {
    case.intake.complainant.has_contact() && !praise_or_inquiry_on_spot(case, policy)
}

fn praise_or_inquiry_on_spot(case: &Case, policy: &Policy) -> bool {
    policy.return_visit.close_praise_inquiry_without_visit
        && matches!(case.intake.kind, Kind::Praise | Kind::Inquiry)
        && matches!(case.outcome, Some(Outcome::OnSpot))
}

fn exemption(case: &Case, policy: &Policy, attempts: u32) -> Option<Exemption> {
    if praise_or_inquiry_on_spot(case, policy) {
        Some(Exemption::AnsweredPraiseOrInquiry)
    } else if !case.intake.complainant.has_contact() {
        Some(Exemption::NoContact)
    } else if attempts >= policy.return_visit.attempts {
        Some(Exemption::Unreachable)
    } else {
        None
    }
}
