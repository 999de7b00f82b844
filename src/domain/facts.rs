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
    /// The small facts packed in one integer (see [`Bits`]), so a report reads
    /// one column where it would read a dozen.
    pub bits: i64,
    /// Each assigned department's part, all rounds.
    pub depts: Vec<DeptFact>,
}

/// A department's part in a case as reports count it (one per department and round).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeptFact {
    /// The department.
    pub dept: super::DeptId,
    /// The round it was assigned in.
    pub round: u32,
    /// By phone or in writing.
    pub mode: super::AssignMode,
    /// When it was (last) assigned.
    pub assigned_at: Time,
    /// When its reply is due: while it runs, else as it stood when the reply
    /// came or the department was let off; none when nothing is known.
    pub due: Option<Time>,
    /// When it replied or was let off.
    pub done_at: Option<Time>,
    /// Let off by a supervisor.
    pub released: bool,
    /// Urges made to it.
    pub urges: u32,
    /// Its verdict.
    pub verdict: Option<Verdict>,
    /// The responsibility tier of its reply.
    pub tier: Option<super::Tier>,
    /// Who its reply named as mainly responsible.
    pub responsible: Option<String>,
    /// Its round is a second complaint about the same matter (penalties multiply).
    pub second: bool,
}

/// Each department's part of `case`, as reports count it.
#[must_use]
pub fn dept_facts(case: &Case) -> Vec<DeptFact> {
    case.departments
        .iter()
        .map(|t| {
            let current = t.round == case.round;
            let (due, done_at) = match (&t.reply, t.released) {
                (Some(r), _) => (r.due, Some(r.at)),
                (None, true) => (t.released_due, t.released_at),
                (None, false) => (current.then(|| case.reply_due(t.dept)).flatten(), None),
            };
            DeptFact {
                dept: t.dept,
                round: t.round,
                mode: t.mode,
                assigned_at: t.assigned_at,
                due,
                done_at,
                released: t.released,
                urges: t.urges,
                verdict: t.reply.as_ref().map(|r| r.verdict),
                tier: t.reply.as_ref().and_then(|r| r.tier),
                responsible: t.reply.as_ref().and_then(|r| r.responsible.clone()),
                second: case.second_complaint_from.is_some_and(|from| t.round >= from),
            }
        })
        .collect()
}

/// The small facts of a case, packed: kind, channel, severity, closed, repeat,
/// verdict, visit, result, feedback, acknowledged in time, replied in time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bits {
    /// Its kind.
    pub kind: Option<super::Kind>,
    /// How it came in.
    pub channel: Option<super::Channel>,
    /// Its severity.
    pub severity: Option<super::Severity>,
    /// Closed.
    pub closed: bool,
    /// Flagged as a repeat.
    pub repeat: bool,
    /// The department's verdict in the latest round.
    pub verdict: Option<Verdict>,
    /// 1 reached, 2 exempt.
    pub visit: u8,
    /// Answered on the spot, referred or replied.
    pub has_result: bool,
    /// The complainant was told the result.
    pub has_feedback: bool,
    /// Acknowledged within its deadline (once due or met).
    pub ack_on_time: Option<bool>,
    /// The department's reply met its deadline (once due or met).
    pub reply_on_time: Option<bool>,
    /// Assigned to a department at some point: its departments' lines come
    /// from [`DeptFact`]s.
    pub assigned: bool,
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> i64 {
    all.iter()
        .position(|x| x == v)
        .map_or(0, |i| i64::try_from(i).unwrap_or(0) + 1)
}

fn from_index<T: Copy>(all: &[T], i: i64) -> Option<T> {
    usize::try_from(i)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| all.get(i).copied())
}

fn tri(v: Option<bool>) -> i64 {
    match v {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    }
}

fn untri(v: i64) -> Option<bool> {
    match v {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    }
}

impl Bits {
    /// Packs into one integer (4 bits per vocabulary, 2 per three-way answer, 1 per flag).
    #[must_use]
    pub fn pack(self) -> i64 {
        use super::{Channel, Kind, Severity};
        let mut v = 0i64;
        let mut at = 0;
        let mut put = |value: i64, width: u32| {
            v |= value << at;
            at += width;
        };
        put(self.kind.map_or(0, |k| index_of(Kind::ALL, &k)), 4);
        put(self.channel.map_or(0, |c| index_of(Channel::ALL, &c)), 4);
        put(self.severity.map_or(0, |s| index_of(Severity::ALL, &s)), 4);
        put(i64::from(self.closed), 1);
        put(i64::from(self.repeat), 1);
        put(self.verdict.map_or(0, |x| index_of(Verdict::ALL, &x)), 4);
        put(i64::from(self.visit), 2);
        put(i64::from(self.has_result), 1);
        put(i64::from(self.has_feedback), 1);
        put(tri(self.ack_on_time), 2);
        put(tri(self.reply_on_time), 2);
        put(i64::from(self.assigned), 1);
        v
    }

    /// Unpacks [`Bits::pack`].
    #[must_use]
    pub fn unpack(v: i64) -> Bits {
        use super::{Channel, Kind, Severity};
        let mut at = 0;
        let mut get = |width: u32| {
            let x = (v >> at) & ((1 << width) - 1);
            at += width;
            x
        };
        Bits {
            kind: from_index(Kind::ALL, get(4)),
            channel: from_index(Channel::ALL, get(4)),
            severity: from_index(Severity::ALL, get(4)),
            closed: get(1) == 1,
            repeat: get(1) == 1,
            verdict: from_index(Verdict::ALL, get(4)),
            visit: u8::try_from(get(2)).unwrap_or(0),
            has_result: get(1) == 1,
            has_feedback: get(1) == 1,
            ack_on_time: untri(get(2)),
            reply_on_time: untri(get(2)),
            assigned: get(1) == 1,
        }
    }
}

/// The facts of `case`.
#[must_use]
pub fn facts(case: &Case, policy: &Policy, calendar: &Calendar) -> Facts {
    let tz = policy.timezone;
    let met_on_time = |kinds: &[DeadlineKind]| {
        kinds
            .iter()
            .filter_map(|k| case.clock(*k))
            .find_map(|d| d.met_at.map(|m| m <= d.due))
    };
    // Every department's reply clock (the internal process stands for an
    // internal complaint's): on time when each one met was met in time.
    let reply = [DeadlineKind::DepartmentReply, DeadlineKind::InternalProcess];
    let replies: Vec<&super::Deadline> = case.deadlines.values().filter(|d| reply.contains(&d.kind)).collect();
    let reply_due = replies.iter().filter(|d| d.is_running()).map(|d| d.due).min();
    let replies_met: Vec<bool> = replies.iter().filter_map(|d| d.met_at.map(|m| m <= d.due)).collect();
    let reply_on_time = (!replies_met.is_empty()).then(|| replies_met.iter().all(|ok| *ok));
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
    let running = |k: DeadlineKind| case.clock(k).filter(|d| d.is_running()).map(|d| d.due);
    // A reply time promised at intake is the acknowledgement itself.
    let ack_on_time = if case.intake.promised_reply_at.is_some() {
        Some(true)
    } else {
        met_on_time(&[DeadlineKind::Acknowledge])
    };
    let has_result = case.has_result() || case.is_closed();
    let has_feedback = case.has_feedback() || case.is_closed();
    let bits = Bits {
        kind: Some(case.intake.kind),
        channel: Some(case.intake.channel),
        severity: Some(case.intake.severity),
        closed: case.is_closed(),
        repeat: case.flags.contains(&super::Flag::Repeat),
        verdict,
        visit: match visit {
            Some("reached") => 1,
            Some("exempt") => 2,
            _ => 0,
        },
        has_result,
        has_feedback,
        ack_on_time,
        reply_on_time,
        assigned: !case.departments.is_empty(),
    }
    .pack();
    Facts {
        bits,
        caller_key: case.intake.complainant.caller_key(),
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
        has_result,
        has_feedback,
        ack_on_time,
        reply_on_time,
        reply_due,
        wd_to_close: case.closed_at.map(|closed| {
            calendar.working_days_between(local_date(tz, case.intake.received_at), local_date(tz, closed))
        }),
        depts: dept_facts(case),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, Kind, Severity};

    #[test]
    fn bits_round_trip() {
        let b = Bits {
            kind: Some(Kind::Repair),
            channel: Some(Channel::Internal),
            severity: Some(Severity::Major),
            closed: true,
            repeat: false,
            verdict: Some(Verdict::NotOurs),
            visit: 2,
            has_result: true,
            has_feedback: false,
            ack_on_time: Some(false),
            reply_on_time: Some(true),
            assigned: true,
        };
        assert_eq!(Bits::unpack(b.pack()), b);
        assert_eq!(Bits::unpack(Bits::default().pack()), Bits::default());
    }
}
