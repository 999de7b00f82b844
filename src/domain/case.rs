//! The case (案件): a fold over its events.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::event::{Cause, Due, Exemption, Received, Shift};
use super::{
    AssignMode, DeadlineKind, DeptId, Event, EventBody, Flag, Satisfaction, StaffId, State, Time, Verdict,
    deadline::Deadline,
};

/// How the current round got its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Answered on the spot: result and feedback at once.
    OnSpot,
    /// Referred to a department: told whom to contact.
    Referral {
        /// Where.
        dept: DeptId,
    },
    /// A department replied.
    Reply {
        /// The verdict.
        verdict: Verdict,
        /// Who recorded the reply.
        by: StaffId,
    },
}

/// A transfer offered but not yet accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingTransfer {
    /// Proposed new owner.
    pub to: StaffId,
    /// When offered.
    pub at: Time,
}

pub use super::department::{Clock, DeptReply, DeptTask};

/// A case, as its events made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// What intake recorded (summary, complainant, subject …).
    pub intake: Received,
    /// Where it stands.
    pub state: State,
    /// The accountable clerk (首问负责人): the first receiver until a transfer is accepted.
    pub owner: StaffId,
    /// Who recorded it.
    pub first_receiver: StaffId,
    /// An offered transfer.
    pub pending_transfer: Option<PendingTransfer>,
    /// 0 desk, 1 department head, 2 supervisor, 3 leadership.
    pub level: u8,
    /// Repeat, dispute, media, report now …
    pub flags: BTreeSet<Flag>,
    /// 1, or more after reopening.
    pub round: u32,
    /// Every clock, by step and, for a department's reply, department (the latest of each).
    pub deadlines: BTreeMap<Clock, Deadline>,
    /// The promised reply time, if given.
    pub promised_reply_at: Option<Time>,
    /// Departments assigned in this case, in order.
    pub assigned_depts: Vec<DeptId>,
    /// The current (latest) assignment.
    pub assignment: Option<(DeptId, AssignMode)>,
    /// Every department's part, all rounds, in the order assigned.
    pub departments: Vec<DeptTask>,
    /// The result of the current round.
    pub outcome: Option<Outcome>,
    /// A supervisor signed off the current round's reply.
    pub reviewed_by: Option<StaffId>,
    /// When the current round's feedback was given.
    pub feedback_at: Option<Time>,
    /// The current round's satisfaction answer.
    pub satisfaction: Option<Satisfaction>,
    /// Every return-visit answer, all rounds.
    pub visits: Vec<Satisfaction>,
    /// Failed return-visit attempts of the current round.
    pub failed_attempts: Vec<Time>,
    /// Who handled earlier rounds: they may not review the next one.
    pub earlier_handlers: BTreeSet<StaffId>,
    /// Who handled the current round.
    pub round_handlers: BTreeSet<StaffId>,
    /// Urges made (催办).
    pub urges: u32,
    /// When the last urge was made.
    pub last_urge_at: Option<Time>,
    /// Paused since, if the clock is paused.
    pub paused_since: Option<Time>,
    /// Overdue steps already escalated, so each escalates once.
    pub escalated_overdue: BTreeSet<Clock>,
    /// When it closed.
    pub closed_at: Option<Time>,
    /// Why it closed without a satisfied visit, if so.
    pub exemption: Option<Exemption>,
    /// Follow-up visits made after closing.
    pub follow_ups: u32,
    /// When it was archived.
    pub archived_at: Option<Time>,
    /// Complained of about the same subject the repeat number of times: a
    /// justified reply is medium at least (002).
    pub repeat_subject: bool,
    /// The round from which this is a second complaint about the same
    /// matter (a new case started by an unsatisfied follow-up: round 1; the
    /// first case reopened by one: the reopened round): its penalties double.
    pub second_complaint_from: Option<u32>,
    /// Links to other cases, batch incidents joined, files attached.
    #[serde(default)]
    pub related: super::Related,
    /// How many events made it.
    pub event_count: u32,
    /// When the latest event happened (a late entry may not go before it).
    pub last_event_at: Time,
}

pub use super::error::ReplayError;

impl Case {
    /// Rebuilds a case from its events; the same events always give the same case.
    pub fn replay(events: &[Event]) -> Result<Case, ReplayError> {
        let (first, rest) = events.split_first().ok_or(ReplayError::Empty)?;
        let mut case = Case::open(first)?;
        for (i, event) in rest.iter().enumerate() {
            if matches!(event.body, EventBody::Received(_)) {
                return Err(ReplayError::SecondIntake(i + 1));
            }
            case.apply(event);
        }
        Ok(case)
    }

    /// A new case from its intake event.
    pub fn open(event: &Event) -> Result<Case, ReplayError> {
        let EventBody::Received(intake) = &event.body else {
            return Err(ReplayError::NotIntake(event.body.kind_code()));
        };
        let mut case = Case {
            intake: (**intake).clone(),
            state: State::Received,
            owner: event.actor,
            first_receiver: event.actor,
            pending_transfer: None,
            level: 0,
            flags: intake.flags.iter().copied().collect(),
            round: 1,
            deadlines: BTreeMap::new(),
            promised_reply_at: intake.promised_reply_at,
            assigned_depts: Vec::new(),
            assignment: None,
            departments: Vec::new(),
            outcome: None,
            reviewed_by: None,
            feedback_at: None,
            satisfaction: None,
            visits: Vec::new(),
            failed_attempts: Vec::new(),
            earlier_handlers: BTreeSet::new(),
            round_handlers: BTreeSet::from([event.actor]),
            urges: 0,
            last_urge_at: None,
            paused_since: None,
            escalated_overdue: BTreeSet::new(),
            closed_at: None,
            exemption: None,
            follow_ups: 0,
            archived_at: None,
            repeat_subject: false,
            second_complaint_from: None,
            related: super::Related::default(),
            event_count: 1,
            last_event_at: event.at,
        };
        case.start(&intake.dues, None);
        if intake.promised_reply_at.is_some() {
            case.meet(&[DeadlineKind::Acknowledge], event.at);
        }
        Ok(case)
    }

    /// Whether `actor` is the person the case is about (回避): they may not
    /// take it in, own or handle it.
    #[must_use]
    pub fn is_subject(&self, actor: &super::Actor) -> bool {
        super::subject::is_subject(self.intake.subject_staff, self.intake.subject_person.as_ref(), actor)
    }

    /// The case number.
    #[must_use]
    pub fn number(&self) -> &str {
        &self.intake.number
    }

    /// Closed cases are read-only.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether the clock is paused.
    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    /// Whether a result is recorded for this round (answer, referral or reply).
    #[must_use]
    pub fn has_result(&self) -> bool {
        self.outcome.is_some()
    }

    /// Whether the complainant has been told the result in this round.
    #[must_use]
    pub fn has_feedback(&self) -> bool {
        self.feedback_at.is_some() || matches!(self.outcome, Some(Outcome::OnSpot | Outcome::Referral { .. }))
    }

    /// One of the case's own clocks (not a department's).
    #[must_use]
    pub fn clock(&self, kind: DeadlineKind) -> Option<&Deadline> {
        self.deadlines.get(&Clock::case(kind))
    }

    /// The departments of the current round, in the order assigned.
    pub fn round_departments(&self) -> impl Iterator<Item = &DeptTask> {
        self.departments.iter().filter(move |t| t.round == self.round)
    }

    /// The departments of the current round still to reply.
    pub fn pending_departments(&self) -> impl Iterator<Item = &DeptTask> {
        self.round_departments().filter(|t| t.is_pending())
    }

    /// A department's part in the current round.
    #[must_use]
    pub fn department(&self, dept: DeptId) -> Option<&DeptTask> {
        self.round_departments().find(|t| t.dept == dept)
    }

    /// The clock a step names: `dept`'s when given; else the case's own; else
    /// the latest department clock of that kind (how events recorded before
    /// departments had clocks of their own name it).
    #[must_use]
    pub fn resolve_clock(&self, kind: DeadlineKind, dept: Option<DeptId>) -> Clock {
        if dept.is_some() {
            return Clock { kind, dept };
        }
        let own = Clock::case(kind);
        if self.deadlines.contains_key(&own) {
            return own;
        }
        self.deadlines
            .iter()
            .filter(|(c, _)| c.kind == kind)
            .max_by_key(|(_, d)| (d.is_running(), d.start))
            .map_or(own, |(c, _)| *c)
    }

    /// Clocks still running, nearest first.
    pub fn running_deadlines(&self) -> impl Iterator<Item = &Deadline> {
        let mut running: Vec<&Deadline> = self.deadlines.values().filter(|d| d.is_running()).collect();
        running.sort_by_key(|d| d.due);
        running.into_iter()
    }

    /// The reply time the complainant was promised, while that promise
    /// still runs (not yet kept by an answer or feedback): a new promise
    /// then moves it, and needs a reason.
    #[must_use]
    pub fn running_promise(&self) -> Option<Time> {
        self.clock(DeadlineKind::PromisedReply)
            .filter(|d| d.is_running())
            .map(|d| d.due)
    }

    /// The nearest running due time, if any.
    #[must_use]
    pub fn next_due(&self) -> Option<Time> {
        self.deadlines.values().filter(|d| d.is_running()).map(|d| d.due).min()
    }

    /// Applies one event. Events are only made by [`super::decide`], which has
    /// checked the rules, so applying never fails.
    pub fn apply(&mut self, event: &Event) {
        self.event_count += 1;
        self.last_event_at = self.last_event_at.max(event.at);
        let (at, actor) = (event.at, event.actor);
        match &event.body {
            EventBody::Received(_) | EventBody::Noted { .. } => {}
            EventBody::Corrected { .. } => self.intake.correct(&event.body),
            EventBody::Linked { .. } | EventBody::JoinedBatch { .. } | EventBody::Attached { .. } => {
                self.related.apply(event);
            }
            EventBody::Promised {
                promised_reply_at,
                from,
                ..
            } => self.promised(*promised_reply_at, from.is_some(), at),
            EventBody::AnsweredOnSpot { dues, .. } => {
                self.answered(Outcome::OnSpot, State::Answered, actor, at, dues);
            }
            EventBody::Referred { dept, dues, .. } => {
                self.answered(Outcome::Referral { dept: *dept }, State::Referred, actor, at, dues);
            }
            EventBody::Assigned { dept, mode, dues } => self.assigned(*dept, *mode, actor, at, dues),
            EventBody::Urged { deadline, dept, .. } => self.urged(*deadline, *dept, at),
            EventBody::Extended { deadline, to, dept, .. } => self.extended(*deadline, *dept, *to),
            EventBody::Paused { .. } => self.paused_since = Some(at),
            EventBody::Resumed { shifted, .. } => self.resumed(shifted),
            EventBody::Replied {
                verdict,
                dept,
                tier,
                responsible,
                ..
            } => self.replied(
                DeptReply {
                    verdict: *verdict,
                    by: actor,
                    at,
                    tier: *tier,
                    responsible: responsible.clone(),
                    due: None,
                },
                *dept,
            ),
            EventBody::Released { dept, .. } => self.released(*dept, actor, at),
            EventBody::Reviewed { .. } => self.reviewed_by = Some(actor),
            EventBody::FeedbackGiven { dues, .. } => self.feedback_given(actor, at, dues),
            EventBody::ReturnVisited { satisfaction, .. } => self.visited(*satisfaction, actor, at),
            EventBody::VisitFailed { .. } => {
                self.round_handlers.insert(actor);
                self.failed_attempts.push(at);
            }
            EventBody::Escalated { to, cause, .. } => self.escalated(*to, cause, at),
            EventBody::Flagged { flag, dues, .. } => {
                self.flags.insert(*flag);
                self.start(dues, None);
            }
            EventBody::QualityReported { stage, .. } => self.meet(&[stage.deadline()], at),
            EventBody::TransferRequested { to, .. } => {
                self.pending_transfer = Some(PendingTransfer { to: *to, at });
            }
            EventBody::TransferAccepted { to, .. } => {
                self.owner = *to;
                self.pending_transfer = None;
            }
            EventBody::Reopened {
                round,
                dues,
                second_complaint,
                ..
            } => self.reopened(*round, dues, *second_complaint),
            EventBody::Closed { exemption, dues } => {
                self.close(at, dues);
                self.exemption = *exemption;
            }
            EventBody::Withdrawn { dues, .. } => {
                self.flags.insert(Flag::Withdrawn);
                self.close(at, dues);
            }
            EventBody::FollowedUp { n, .. } => {
                self.follow_ups = *n;
                if let Some(kind) = DeadlineKind::follow_up(*n) {
                    self.meet(&[kind], at);
                }
            }
            EventBody::Archived => {
                self.archived_at = Some(at);
                self.meet(&[DeadlineKind::Archive], at);
            }
        }
    }

    /// A reply time told; `moved` when it replaced one still running: the
    /// clock keeps its start and shows it was moved, as an extension does.
    fn promised(&mut self, promised_reply_at: Time, moved: bool, at: Time) {
        self.promised_reply_at = Some(promised_reply_at);
        self.meet(&[DeadlineKind::Acknowledge], at);
        let start = match self.clock(DeadlineKind::PromisedReply) {
            Some(d) if moved => d.start,
            _ => at,
        };
        self.start(
            &[Due {
                deadline: DeadlineKind::PromisedReply,
                start,
                due: promised_reply_at,
                beyond_calendar: false,
                dept: None,
            }],
            None,
        );
        if moved && let Some(d) = self.deadlines.get_mut(&Clock::case(DeadlineKind::PromisedReply)) {
            d.extended = true;
        }
    }

    /// An answer on the spot or a referral: the result and its feedback at once.
    fn answered(&mut self, outcome: Outcome, state: State, actor: StaffId, at: Time, dues: &[Due]) {
        self.outcome = Some(outcome);
        // A sign-off covers the answer it read, not a later one.
        self.reviewed_by = None;
        self.state = state;
        self.round_handlers.insert(actor);
        self.meet(ANSWERED, at);
        self.start(dues, None);
    }

    fn assigned(&mut self, dept: DeptId, mode: AssignMode, actor: StaffId, at: Time, dues: &[Due]) {
        if !self.assigned_depts.contains(&dept) {
            self.assigned_depts.push(dept);
        }
        if self.assigned_depts.len() > 1 {
            self.flags.insert(Flag::MultiDept);
        }
        self.assignment = Some((dept, mode));
        let round = self.round;
        match self.departments.iter_mut().find(|t| t.dept == dept && t.round == round) {
            // Assigned again: a new clock and a new reply to wait for.
            Some(task) => {
                task.mode = mode;
                task.assigned_at = at;
                task.reply = None;
                task.released = false;
                task.released_at = None;
                task.released_due = None;
            }
            None => self.departments.push(DeptTask {
                dept,
                mode,
                round,
                assigned_at: at,
                urges: 0,
                last_urge_at: None,
                reply: None,
                released: false,
                released_at: None,
                released_due: None,
            }),
        }
        // The round's result waits for this department too.
        self.outcome = None;
        self.reviewed_by = None;
        self.state = State::Assigned;
        self.round_handlers.insert(actor);
        self.start(dues, Some(dept));
    }

    fn urged(&mut self, deadline: Option<DeadlineKind>, dept: Option<DeptId>, at: Time) {
        self.urges += 1;
        self.last_urge_at = Some(at);
        let dept = dept.or_else(|| deadline.and_then(|k| self.resolve_clock(k, None).dept));
        let round = self.round;
        if let Some(task) = dept.and_then(|d| self.departments.iter_mut().find(|t| t.dept == d && t.round == round)) {
            task.urges += 1;
            task.last_urge_at = Some(at);
        }
    }

    fn extended(&mut self, deadline: DeadlineKind, dept: Option<DeptId>, to: Time) {
        let clock = self.resolve_clock(deadline, dept);
        if let Some(d) = self.deadlines.get_mut(&clock) {
            d.due = to;
            d.extended = true;
        }
        // A new due time is a new chance: overdue again, it escalates again.
        self.escalated_overdue.remove(&clock);
    }

    fn resumed(&mut self, shifted: &[Shift]) {
        self.paused_since = None;
        for s in shifted {
            let clock = self.resolve_clock(s.deadline, s.dept);
            if let Some(d) = self.deadlines.get_mut(&clock) {
                d.due = s.to;
            }
        }
    }

    /// A department's reply; without a department (recorded before several
    /// could be assigned), the reply of every department still to reply.
    fn replied(&mut self, reply: DeptReply, dept: Option<DeptId>) {
        let (verdict, actor, at) = (reply.verdict, reply.by, reply.at);
        let round = self.round;
        let mut answered = Vec::new();
        let dues: Vec<Option<Time>> = self.departments.iter().map(|t| self.reply_due(t.dept)).collect();
        for (task, due) in self.departments.iter_mut().zip(dues) {
            if task.round == round && task.is_pending() && dept.is_none_or(|d| d == task.dept) {
                task.reply = Some(DeptReply { due, ..reply.clone() });
                answered.push(task.dept);
            }
        }
        self.round_handlers.insert(actor);
        for d in answered {
            self.meet_dept(d, at);
        }
        if dept.is_none() {
            // Any clock of a reply left over (no department recorded with it).
            self.meet(DEPT_REPLY, at);
        }
        self.result_if_complete(actor, Some(verdict));
    }

    fn released(&mut self, dept: DeptId, actor: StaffId, at: Time) {
        let round = self.round;
        let due = self.reply_due(dept);
        if let Some(task) = self.departments.iter_mut().find(|t| t.dept == dept && t.round == round) {
            task.released = true;
            task.released_at = Some(at);
            task.released_due = due;
        }
        self.round_handlers.insert(actor);
        self.meet_dept(dept, at);
        self.result_if_complete(actor, None);
    }

    /// Once every department of the round has replied (or was let off), the
    /// replies are the round's result: the weightiest verdict of them.
    fn result_if_complete(&mut self, actor: StaffId, latest: Option<Verdict>) {
        if self.pending_departments().next().is_some() {
            return;
        }
        let verdict = self
            .round_departments()
            .filter_map(|t| t.reply.as_ref().map(|r| r.verdict))
            .chain(latest)
            .max_by_key(|v| v.weight());
        let Some(verdict) = verdict else { return };
        self.outcome = Some(Outcome::Reply { verdict, by: actor });
        // A sign-off covers the reply it read, not a later one.
        self.reviewed_by = None;
        self.state = State::Replied;
    }

    /// When `dept`'s reply is due now (its own clock, else the case's).
    #[must_use]
    pub fn reply_due(&self, dept: DeptId) -> Option<Time> {
        DEPT_REPLY
            .iter()
            .find_map(|&kind| {
                self.deadlines
                    .get(&Clock { kind, dept: Some(dept) })
                    .or_else(|| self.deadlines.get(&Clock::case(kind)))
            })
            .map(|d| d.due)
    }

    fn meet_dept(&mut self, dept: DeptId, at: Time) {
        let clocks: Vec<Clock> = DEPT_REPLY
            .iter()
            .map(|&kind| Clock { kind, dept: Some(dept) })
            .collect();
        for clock in clocks {
            if let Some(d) = self.deadlines.get_mut(&clock)
                && d.met_at.is_none()
            {
                d.met_at = Some(at);
            }
        }
    }

    fn feedback_given(&mut self, actor: StaffId, at: Time, dues: &[Due]) {
        self.feedback_at = Some(at);
        self.state = State::FeedbackGiven;
        self.round_handlers.insert(actor);
        self.meet(
            &[
                DeadlineKind::PromisedReply,
                DeadlineKind::UrgentAnswer,
                DeadlineKind::Answer,
                DeadlineKind::Acknowledge,
            ],
            at,
        );
        self.start(dues, None);
    }

    fn visited(&mut self, satisfaction: Satisfaction, actor: StaffId, at: Time) {
        // Whoever spoke to the complainant handled the round.
        self.round_handlers.insert(actor);
        self.satisfaction = Some(satisfaction);
        self.visits.push(satisfaction);
        self.meet(&[DeadlineKind::ReturnVisit], at);
        if satisfaction != Satisfaction::Unsatisfied {
            self.state = State::Visited;
        }
    }

    fn escalated(&mut self, to: u8, cause: &Cause, at: Time) {
        self.level = to;
        match cause {
            Cause::RepeatSubject { .. } => self.repeat_subject = true,
            Cause::SecondComplaint { .. } => self.second_complaint_from = Some(self.round),
            _ => {}
        }
        if let Cause::Overdue { deadline, dept } = cause {
            let clock = self.resolve_clock(*deadline, *dept);
            self.escalated_overdue.insert(clock);
        }
        if self.level >= 3 {
            self.meet(&[DeadlineKind::ReportToLeadership], at);
        }
    }

    fn reopened(&mut self, round: u32, dues: &[Due], second_complaint: bool) {
        if second_complaint {
            self.second_complaint_from = Some(round);
        }
        self.earlier_handlers.extend(self.round_handlers.iter().copied());
        self.earlier_handlers.insert(self.owner);
        self.round_handlers.clear();
        self.round = round;
        self.state = State::Reopened;
        self.flags.insert(Flag::Repeat);
        self.flags.remove(&Flag::Withdrawn);
        self.outcome = None;
        self.reviewed_by = None;
        self.feedback_at = None;
        self.satisfaction = None;
        self.failed_attempts.clear();
        self.assignment = None;
        self.closed_at = None;
        self.exemption = None;
        self.archived_at = None;
        self.follow_ups = 0;
        for kind in AFTER_CLOSE {
            self.deadlines.remove(&Clock::case(*kind));
        }
        self.start(dues, None);
    }

    fn close(&mut self, at: Time, dues: &[Due]) {
        self.state = State::Closed;
        self.closed_at = Some(at);
        self.pending_transfer = None;
        self.paused_since = None;
        // Closing completes every step of the round: nothing is left running.
        for d in self.deadlines.values_mut().filter(|d| d.met_at.is_none()) {
            d.met_at = Some(at);
        }
        self.start(dues, None);
    }

    /// Starts the clocks of `dues`; a department's reply clock is `dept`'s
    /// (an assignment's, when the due does not say).
    fn start(&mut self, dues: &[Due], dept: Option<DeptId>) {
        for due in dues {
            let dept = due.dept.or_else(|| dept.filter(|_| DEPT_REPLY.contains(&due.deadline)));
            let clock = Clock {
                kind: due.deadline,
                dept,
            };
            let mut deadline = Deadline::from_due(due);
            deadline.dept = dept;
            self.deadlines.insert(clock, deadline);
            // A new clock (another department, another round) is a new step
            // that may go overdue and be escalated in its turn.
            self.escalated_overdue.remove(&clock);
        }
    }

    /// Meets the case's own clocks of `kinds`.
    fn meet(&mut self, kinds: &[DeadlineKind], at: Time) {
        for kind in kinds {
            if let Some(d) = self.deadlines.get_mut(&Clock::case(*kind))
                && d.met_at.is_none()
            {
                d.met_at = Some(at);
            }
        }
    }
}

pub use super::department::DEPT_REPLY;

/// Steps done by an answer on the spot or a referral.
const ANSWERED: &[DeadlineKind] = &[
    DeadlineKind::Acknowledge,
    DeadlineKind::PromisedReply,
    DeadlineKind::UrgentAnswer,
    DeadlineKind::Answer,
];

/// Clocks that only run after a case closed.
const AFTER_CLOSE: &[DeadlineKind] = &[
    DeadlineKind::Archive,
    DeadlineKind::FollowUp1,
    DeadlineKind::FollowUp2,
    DeadlineKind::FollowUp3,
];
