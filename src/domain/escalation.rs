//! Escalation rules (升级): severity, overdue steps, repeats, dispute.

use super::case::Clock;
use super::deadline::{end_of_day, local_date};
use super::event::Cause;
use super::{Calendar, Case, DeadlineKind, Event, EventBody, Kind, Policy, StaffId, Time};

/// What the store knows of earlier cases, counted within the policy's window
/// before this intake (this case not included).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Earlier cases of the same caller (by phone number, else by name).
    pub caller_cases: u32,
    /// Earlier complaints about the same department and category.
    pub subject_complaints: u32,
}

/// The repeat rule: 3 cases of one caller, or 3 complaints about one subject
/// and category, within the window (this one included).
#[must_use]
pub fn repeat_cause(history: History, kind: Kind, has_subject: bool, policy: &Policy) -> Option<Cause> {
    let caller = history.caller_cases + 1;
    let subject = history.subject_complaints + 1;
    if caller >= policy.escalation.repeat_caller_cases {
        Some(Cause::RepeatCaller { count: caller })
    } else if kind == Kind::Complaint && has_subject && subject >= policy.escalation.repeat_subject_cases {
        Some(Cause::RepeatSubject { count: subject })
    } else {
        None
    }
}

/// Steps that are overdue and have not been urged since they fell due: the
/// owner must urge them (催办). A department's reply clock counts the urges
/// made to that department.
#[must_use]
pub fn must_urge(case: &Case, now: Time) -> Vec<Clock> {
    if case.is_paused() || case.is_closed() {
        return Vec::new();
    }
    case.running_deadlines()
        .filter(|d| {
            let last = match d.dept {
                Some(dept) => case.department(dept).and_then(|t| t.last_urge_at),
                None => case.last_urge_at,
            };
            now > d.due && last.is_none_or(|u| u <= d.due)
        })
        .map(|d| Clock {
            kind: d.kind,
            dept: d.dept,
        })
        .collect()
}

/// Automatic escalations due at `now`: a step still overdue `overdue_grace_wd`
/// working days after its due day goes up one level, once per step.
#[must_use]
pub fn overdue_escalations(case: &Case, now: Time, policy: &Policy, calendar: &Calendar) -> Vec<Event> {
    if case.is_paused() || case.is_closed() {
        return Vec::new();
    }
    let tz = policy.timezone;
    let mut level = case.level;
    let mut events = Vec::new();
    for d in case.running_deadlines() {
        let clock = Clock {
            kind: d.kind,
            dept: d.dept,
        };
        if level >= 3 || case.escalated_overdue.contains(&clock) {
            continue;
        }
        // The 12-hour report is a clock of hours: late is late, no grace day.
        let limit = if d.kind == DeadlineKind::ReportToLeadership {
            d.due
        } else {
            end_of_day(
                tz,
                calendar
                    .add_working_days(local_date(tz, d.due), policy.escalation.overdue_grace_wd)
                    .date,
            )
        };
        if now > limit {
            events.push(Event {
                at: now,
                actor: StaffId::SYSTEM,
                body: EventBody::Escalated {
                    from: level,
                    to: level + 1,
                    cause: Cause::Overdue {
                        deadline: d.kind,
                        dept: d.dept,
                    },
                },
                late: None,
            });
            level += 1;
        }
    }
    events
}
