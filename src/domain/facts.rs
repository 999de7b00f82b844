//! Facts of a case that reports count: kept beside each case so a year's
//! report reads columns instead of replaying every timeline.

use super::case::Outcome;
use super::deadline::local_date;
use super::event::Exemption;
use super::{Calendar, Case, DeadlineKind, Policy, Satisfaction, Time, Verdict};

/// What reports need to know of one case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The department's verdict in the latest round, if replied.
    pub verdict: Option<Verdict>,
    /// Return visits answered satisfied or basically satisfied (all rounds).
    pub visits_ok: u32,
    /// Return visits answered unsatisfied (all rounds).
    pub visits_bad: u32,
    /// `reached` (a visit answered), `exempt` (closed under an exemption), or none.
    pub visit: Option<&'static str>,
    /// Urges made.
    pub urges: u32,
    /// A result is recorded (answer, referral, reply) — or the case closed.
    pub has_result: bool,
    /// The complainant was told the result — or the case closed.
    pub has_feedback: bool,
    /// Acknowledged (promise, answer or feedback) by the end of the intake day.
    pub ack_on_time: Option<bool>,
    /// The department replied by its due time.
    pub reply_on_time: Option<bool>,
    /// The department reply's due time while it still runs.
    pub reply_due: Option<Time>,
    /// Working days from intake to closing.
    pub wd_to_close: Option<u32>,
    /// The return visit's due time while it still runs.
    pub visit_due: Option<Time>,
    /// The next scheduled follow-up visit's due time.
    pub follow_up_due: Option<Time>,
    /// Who complained, for repeat callers: phone digits, else the name.
    pub caller_key: Option<String>,
}

/// The facts of `case`.
#[must_use]
pub fn facts(case: &Case, policy: &Policy, calendar: &Calendar) -> Facts {
    let tz = policy.timezone;
    let met_on_time = |kinds: &[DeadlineKind]| {
        kinds
            .iter()
            .filter_map(|k| case.deadlines.get(k))
            .find_map(|d| d.met_at.map(|m| m <= d.due))
    };
    let reply = [DeadlineKind::DepartmentReply, DeadlineKind::InternalProcess];
    let reply_due = reply
        .iter()
        .filter_map(|k| case.deadlines.get(k))
        .find(|d| d.is_running())
        .map(|d| d.due);
    let verdict = match case.outcome {
        Some(Outcome::Reply { verdict, .. }) => Some(verdict),
        _ => None,
    };
    let visit = if case.satisfaction.is_some() || !case.visits.is_empty() {
        Some("reached")
    } else if case.is_closed()
        && matches!(
            case.exemption,
            Some(Exemption::NoContact | Exemption::Unreachable | Exemption::AnsweredPraiseOrInquiry)
        )
        || case.is_closed() && case.flags.contains(&super::Flag::Withdrawn)
    {
        Some("exempt")
    } else {
        None
    };
    let count = |ok: bool| {
        u32::try_from(
            case.visits
                .iter()
                .filter(|s| (**s != Satisfaction::Unsatisfied) == ok)
                .count(),
        )
        .unwrap_or(0)
    };
    let running = |k: DeadlineKind| case.deadlines.get(&k).filter(|d| d.is_running()).map(|d| d.due);
    Facts {
        caller_key: case.intake.complainant.phone_key().or_else(|| {
            case.intake
                .complainant
                .name()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        }),
        visit_due: running(DeadlineKind::ReturnVisit),
        follow_up_due: [
            DeadlineKind::FollowUp1,
            DeadlineKind::FollowUp2,
            DeadlineKind::FollowUp3,
        ]
        .into_iter()
        .find_map(running),
        verdict,
        visits_ok: count(true),
        visits_bad: count(false),
        visit,
        urges: case.urges,
        has_result: case.has_result() || case.is_closed(),
        has_feedback: case.has_feedback() || case.is_closed(),
        // A reply time promised at intake is the acknowledgement itself.
        ack_on_time: if case.intake.promised_reply_at.is_some() {
            Some(true)
        } else {
            met_on_time(&[DeadlineKind::Acknowledge])
        },
        reply_on_time: met_on_time(&reply),
        reply_due,
        wd_to_close: case.closed_at.map(|closed| {
            calendar.working_days_between(local_date(tz, case.intake.received_at), local_date(tz, closed))
        }),
    }
}
