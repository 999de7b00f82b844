//! Duty shifts, the duty log (值班记录) and the signed shift handover (交接班).
//!
//! Pure rules: which shift a moment falls in, when a duty-log entry counts as
//! resolved, and who may sign a handover when.

use chrono::{Days, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

use super::deadline::local_date;
use super::{Actor, Channel, Policy, StaffId, Time};

/// Day or night.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    /// 白班, from the day start to the night start.
    Day,
    /// 夜班, from the night start to the next day start.
    Night,
}

impl ShiftKind {
    /// i18n key of its name.
    #[must_use]
    pub fn label_key(self) -> &'static str {
        match self {
            ShiftKind::Day => "enum.shift.day",
            ShiftKind::Night => "enum.shift.night",
        }
    }
}

/// One shift: its kind and its start and end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// Day or night.
    pub kind: ShiftKind,
    /// When it starts.
    pub start: Time,
    /// When it ends (the next shift's start).
    pub end: Time,
}

fn local(policy: &Policy, naive: NaiveDateTime) -> Time {
    policy
        .timezone
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| chrono::Utc.from_utc_datetime(&naive), |t| t.to_utc())
}

/// The shift `at` falls in (policy: day 08:00–17:30, night 17:30–08:00).
#[must_use]
pub fn shift_at(policy: &Policy, at: Time) -> Shift {
    let tz = policy.timezone;
    let day = local_date(tz, at);
    let time = at.with_timezone(&tz).time();
    let (ds, ns) = (policy.shifts.day_start, policy.shifts.night_start);
    let prev = day.checked_sub_days(Days::new(1)).unwrap_or(day);
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    if time >= ds && time < ns {
        Shift {
            kind: ShiftKind::Day,
            start: local(policy, day.and_time(ds)),
            end: local(policy, day.and_time(ns)),
        }
    } else if time >= ns {
        Shift {
            kind: ShiftKind::Night,
            start: local(policy, day.and_time(ns)),
            end: local(policy, next.and_time(ds)),
        }
    } else {
        Shift {
            kind: ShiftKind::Night,
            start: local(policy, prev.and_time(ns)),
            end: local(policy, day.and_time(ds)),
        }
    }
}

/// The shift a clerk signing in at `at` joins, given the shift they are on
/// duty in (joined and not relieved), if any.
///
/// - On duty in the running shift, or already in the next: they stay in it
///   (a day clerk signing in again at 17:20 is still on the day shift).
/// - Otherwise the running shift, or the next when it starts within the
///   policy's `early_join_minutes` (an incoming clerk arriving at 07:45 joins
///   the day shift, not the night they take over).
#[must_use]
pub fn joining_shift(policy: &Policy, at: Time, on_duty: Option<&Shift>) -> Shift {
    let current = shift_at(policy, at);
    if let Some(s) = on_duty
        && s.start >= current.start
        && s.start <= current.end
    {
        return *s;
    }
    let early = chrono::Duration::minutes(i64::from(policy.shifts.early_join_minutes));
    if current.end - at <= early {
        next_shift(policy, &current)
    } else {
        current
    }
}

/// A clerk's time on duty: the shift they joined and when they joined it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duty {
    /// The start of the shift joined.
    pub shift_start: Time,
    /// When they joined it (their first sign-in for it).
    pub joined_at: Time,
}

/// The shift after `shift`.
#[must_use]
pub fn next_shift(policy: &Policy, shift: &Shift) -> Shift {
    shift_at(policy, shift.end)
}

/// How a duty-log entry ended. Nothing is deleted: an entry only gains an ending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LogEnding {
    /// It became a case.
    Case {
        /// The case number.
        number: String,
    },
    /// Answered and closed as an inquiry.
    Answered {
        /// The answer.
        text: String,
    },
    /// Carried over to the next shift.
    CarriedOver {
        /// Why.
        reason: String,
    },
}

/// One contact logged during a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyLogEntry {
    /// Store id.
    pub id: i64,
    /// When.
    pub at: Time,
    /// Who logged it.
    pub clerk: StaffId,
    /// How it came in.
    pub channel: Channel,
    /// Who called or came.
    pub who: String,
    /// What about.
    pub what: String,
    /// What was done at once.
    pub action: String,
    /// How it ended, once it has.
    pub ending: Option<LogEnding>,
}

/// A checklist item of the handover: ticked, or explained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    /// What (keys, radio, registers …).
    pub item: String,
    /// Handed over as it should be.
    pub ticked: bool,
    /// Why not, when not ticked.
    pub note: Option<String>,
}

impl CheckItem {
    /// Ticked, or not ticked with an explanation.
    #[must_use]
    pub fn settled(&self) -> bool {
        self.ticked || self.note.as_deref().is_some_and(|n| !n.trim().is_empty())
    }
}

/// A handover between two shifts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// Store id.
    pub id: i64,
    /// The shift being handed over.
    pub shift: Shift,
    /// Who hands over.
    pub outgoing: StaffId,
    /// Who took over (once signed).
    pub incoming: Option<StaffId>,
    /// Cautions (注意事项).
    pub cautions: String,
    /// The checklist from the policy.
    pub checklist: Vec<CheckItem>,
    /// Questions the incoming clerk noted during the review.
    pub questions: Vec<String>,
    /// The outgoing clerk's answers to them.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// The outgoing clerk's own open cases handed over with the handover: each is
    /// transferred to the incoming clerk and accepted when they sign.
    #[serde(default)]
    pub hand_over: Vec<String>,
    /// When the outgoing clerk signed.
    pub outgoing_signed_at: Option<Time>,
    /// When the incoming clerk signed.
    pub incoming_signed_at: Option<Time>,
}

/// The outgoing clerk's answer to one of the incoming clerk's questions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Which question (its index in [`Handover::questions`]).
    pub question: usize,
    /// The answer.
    pub text: String,
    /// When it was given.
    pub at: Time,
}

/// A handover step the rules refuse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    /// Signed by both: read-only.
    #[error("the handover is signed and read-only")]
    Signed,
    /// The outgoing clerk signed already: only the review is left.
    #[error("the outgoing clerk has signed; only the incoming review is left")]
    OutgoingSigned,
    /// Not signed by the outgoing clerk yet.
    #[error("the outgoing clerk has not signed yet")]
    NotReady,
    /// Only the outgoing clerk edits and signs their handover.
    #[error("only the outgoing clerk may do this")]
    NotOutgoing,
    /// The same person cannot sign both sides.
    #[error("the same person cannot sign both sides")]
    SamePerson,
    /// Duty-log entries still open.
    #[error("{0} duty-log entries are not resolved")]
    OpenLog(usize),
    /// Checklist items neither ticked nor explained.
    #[error("checklist items not ticked or explained: {}", .0.join(", "))]
    Unchecked(Vec<String>),
    /// No such checklist item.
    #[error("no checklist item '{0}'")]
    NoItem(String),
    /// Inactive accounts sign nothing.
    #[error("your account is not active")]
    Inactive,
    /// A colleague of the same shift does not take over the shift.
    #[error("a colleague of the same shift cannot take it over")]
    SameShift,
    /// No such question.
    #[error("no question #{0}")]
    NoQuestion(usize),
    /// Only the outgoing clerk's own open cases are handed over.
    #[error("case {0} is not an open case of yours")]
    NotYourCase(String),
    /// Required text is empty.
    #[error("the text is empty")]
    Empty,
    /// The text holds a control character (an escape, a carriage return …).
    #[error("the text holds the control character {0}")]
    ControlCharacter(String),
}

/// Refuses text holding a control character (see [`super::text`]).
fn plain(text: &str) -> Result<(), HandoverError> {
    match super::text::first_control(text) {
        Some(c) => Err(HandoverError::ControlCharacter(super::text::code_point(c))),
        None => Ok(()),
    }
}

impl Handover {
    /// A new handover of `shift` by `outgoing`, with the policy's checklist.
    #[must_use]
    pub fn new(id: i64, shift: Shift, outgoing: StaffId, policy: &Policy) -> Self {
        Self {
            id,
            shift,
            outgoing,
            incoming: None,
            cautions: String::new(),
            checklist: policy
                .handover
                .checklist
                .iter()
                .map(|i| CheckItem {
                    item: i.clone(),
                    ticked: false,
                    note: None,
                })
                .collect(),
            questions: Vec::new(),
            answers: Vec::new(),
            hand_over: Vec::new(),
            outgoing_signed_at: None,
            incoming_signed_at: None,
        }
    }

    /// Signed by both sides.
    #[must_use]
    pub fn is_signed(&self) -> bool {
        self.incoming_signed_at.is_some()
    }

    fn editable_by(&self, actor: &Actor) -> Result<(), HandoverError> {
        if !actor.active {
            Err(HandoverError::Inactive)
        } else if self.is_signed() {
            Err(HandoverError::Signed)
        } else if self.outgoing_signed_at.is_some() {
            Err(HandoverError::OutgoingSigned)
        } else if actor.id != self.outgoing {
            Err(HandoverError::NotOutgoing)
        } else {
            Ok(())
        }
    }

    /// Sets the cautions.
    pub fn set_cautions(&mut self, actor: &Actor, text: &str) -> Result<(), HandoverError> {
        self.editable_by(actor)?;
        plain(text)?;
        self.cautions = text.trim().to_string();
        Ok(())
    }

    /// Ticks a checklist item, or explains why it is not.
    pub fn check(&mut self, actor: &Actor, item: &str, ticked: bool, note: Option<&str>) -> Result<(), HandoverError> {
        self.editable_by(actor)?;
        plain(note.unwrap_or(""))?;
        let entry = self
            .checklist
            .iter_mut()
            .find(|c| c.item == item.trim())
            .ok_or_else(|| HandoverError::NoItem(item.to_string()))?;
        entry.ticked = ticked;
        entry.note = note.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
        Ok(())
    }

    /// The outgoing clerk signs: no open duty-log entries, every item settled.
    pub fn sign_outgoing(&mut self, actor: &Actor, open_log_entries: usize, now: Time) -> Result<(), HandoverError> {
        self.editable_by(actor)?;
        if open_log_entries > 0 {
            return Err(HandoverError::OpenLog(open_log_entries));
        }
        let unchecked: Vec<String> = self
            .checklist
            .iter()
            .filter(|c| !c.settled())
            .map(|c| c.item.clone())
            .collect();
        if !unchecked.is_empty() {
            return Err(HandoverError::Unchecked(unchecked));
        }
        self.outgoing_signed_at = Some(now);
        Ok(())
    }

    fn reviewable_by(&self, actor: &Actor) -> Result<(), HandoverError> {
        if !actor.active {
            Err(HandoverError::Inactive)
        } else if self.is_signed() {
            Err(HandoverError::Signed)
        } else if self.outgoing_signed_at.is_none() {
            Err(HandoverError::NotReady)
        } else if actor.id == self.outgoing {
            Err(HandoverError::SamePerson)
        } else {
            Ok(())
        }
    }

    /// The incoming clerk notes a question during the review.
    pub fn ask(&mut self, actor: &Actor, question: &str) -> Result<(), HandoverError> {
        self.reviewable_by(actor)?;
        plain(question)?;
        if !question.trim().is_empty() {
            self.questions.push(question.trim().to_string());
        }
        Ok(())
    }

    /// Whether the handover is offered to `actor`, on duty as `duty`: it waits
    /// for an incoming clerk, and they are on the next shift (or joined this one
    /// after the outgoing clerk signed, to relieve them), not a colleague of
    /// the shift handed over.
    #[must_use]
    pub fn offered_to(&self, actor: StaffId, duty: Option<&Duty>) -> bool {
        let Some(signed) = self.outgoing_signed_at else {
            return false;
        };
        !self.is_signed()
            && actor != self.outgoing
            && duty.is_some_and(|d| {
                d.shift_start >= self.shift.end || (d.shift_start == self.shift.start && d.joined_at >= signed)
            })
    }

    /// A colleague on duty in the shift handed over since before the outgoing
    /// signature may not sign for it; anyone else may (they join the shift on signing).
    pub fn may_take_over(&self, duty: Option<&Duty>) -> Result<(), HandoverError> {
        let colleague = duty.is_some_and(|d| {
            d.shift_start == self.shift.start && self.outgoing_signed_at.is_some_and(|s| d.joined_at < s)
        });
        if colleague {
            Err(HandoverError::SameShift)
        } else {
            Ok(())
        }
    }

    /// The outgoing clerk answers question `question` (numbered from 0), before
    /// the incoming clerk signs.
    pub fn answer(&mut self, actor: &Actor, question: usize, text: &str, now: Time) -> Result<(), HandoverError> {
        plain(text)?;
        if !actor.active {
            return Err(HandoverError::Inactive);
        }
        if self.is_signed() {
            return Err(HandoverError::Signed);
        }
        if actor.id != self.outgoing {
            return Err(HandoverError::NotOutgoing);
        }
        if question >= self.questions.len() {
            return Err(HandoverError::NoQuestion(question + 1));
        }
        if text.trim().is_empty() {
            return Err(HandoverError::Empty);
        }
        self.answers.push(Answer {
            question,
            text: text.trim().to_string(),
            at: now,
        });
        Ok(())
    }

    /// The answers to question `question`, in order.
    pub fn answers_to(&self, question: usize) -> impl Iterator<Item = &Answer> {
        self.answers.iter().filter(move |a| a.question == question)
    }

    /// Marks case `number` to be handed over with the handover (`on`), or no
    /// longer; `own_open` says it is an open case of the outgoing clerk's.
    pub fn hand_over(&mut self, actor: &Actor, number: &str, on: bool, own_open: bool) -> Result<(), HandoverError> {
        self.editable_by(actor)?;
        let number = number.trim();
        if on {
            if !own_open {
                return Err(HandoverError::NotYourCase(number.to_string()));
            }
            if !self.hand_over.iter().any(|n| n == number) {
                self.hand_over.push(number.to_string());
            }
        } else {
            self.hand_over.retain(|n| n != number);
        }
        Ok(())
    }

    /// The incoming clerk signs: the outgoing clerk is off duty; read-only from now on.
    pub fn sign_incoming(&mut self, actor: &Actor, now: Time) -> Result<(), HandoverError> {
        self.reviewable_by(actor)?;
        self.incoming = Some(actor.id);
        self.incoming_signed_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use chrono::DateTime;

    fn at(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn clerk(id: i64) -> Actor {
        Actor {
            id: StaffId(id),
            name: format!("c{id}"),
            role: Role::Clerk,
            active: true,
        }
    }

    #[test]
    fn shifts_follow_the_policy_times() {
        let p = Policy::builtin().unwrap();
        let s = shift_at(&p, at("2026-03-02T09:00:00+08:00"));
        assert_eq!(s.kind, ShiftKind::Day);
        assert_eq!(s.start, at("2026-03-02T08:00:00+08:00"));
        assert_eq!(s.end, at("2026-03-02T17:30:00+08:00"));
        let n = shift_at(&p, at("2026-03-02T17:30:00+08:00"));
        assert_eq!(n.kind, ShiftKind::Night);
        assert_eq!(n.end, at("2026-03-03T08:00:00+08:00"));
        let early = shift_at(&p, at("2026-03-03T07:59:00+08:00"));
        assert_eq!(early, n, "before 08:00 is still last night's shift");
        // Arriving early for the day shift joins the day shift.
        assert_eq!(
            joining_shift(&p, at("2026-03-03T07:45:00+08:00"), None).kind,
            ShiftKind::Day
        );
        assert_eq!(joining_shift(&p, at("2026-03-03T06:30:00+08:00"), None), n);
        assert_eq!(next_shift(&p, &n).start, at("2026-03-03T08:00:00+08:00"));
    }

    #[test]
    fn signing_needs_a_settled_checklist_no_open_log_and_two_people() {
        let p = Policy::builtin().unwrap();
        let shift = shift_at(&p, at("2026-03-02T20:00:00+08:00"));
        let mut h = Handover::new(1, shift, StaffId(1), &p);
        let (out, inc) = (clerk(1), clerk(2));
        let now = at("2026-03-03T07:50:00+08:00");
        assert_eq!(h.sign_incoming(&inc, now), Err(HandoverError::NotReady));
        assert_eq!(h.sign_outgoing(&out, 1, now), Err(HandoverError::OpenLog(1)));
        assert!(matches!(h.sign_outgoing(&out, 0, now), Err(HandoverError::Unchecked(v)) if v.len() == 5));
        assert_eq!(h.check(&inc, "钥匙", true, None), Err(HandoverError::NotOutgoing));
        for item in ["钥匙", "对讲机", "登记本", "值班电话"] {
            h.check(&out, item, true, None).unwrap();
        }
        assert!(matches!(
            h.check(&out, "咖啡机", true, None),
            Err(HandoverError::NoItem(_))
        ));
        h.check(&out, "区域整洁", false, Some("  ")).unwrap();
        assert!(matches!(h.sign_outgoing(&out, 0, now), Err(HandoverError::Unchecked(v)) if v == ["区域整洁"]));
        h.check(&out, "区域整洁", false, Some("保洁员8点后清理")).unwrap();
        h.sign_outgoing(&out, 0, now).unwrap();
        assert_eq!(h.set_cautions(&out, "改"), Err(HandoverError::OutgoingSigned));
        assert_eq!(h.sign_incoming(&out, now), Err(HandoverError::SamePerson));
        h.ask(&inc, "2026-000012 回访约在几点？").unwrap();
        h.sign_incoming(&inc, now).unwrap();
        assert!(h.is_signed());
        assert_eq!(h.ask(&inc, "再问"), Err(HandoverError::Signed));
        assert_eq!(h.sign_incoming(&clerk(3), now), Err(HandoverError::Signed));
        assert_eq!(h.check(&out, "钥匙", false, None), Err(HandoverError::Signed));
    }
}
